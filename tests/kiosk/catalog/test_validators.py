"""Validators of typed input: examples, then properties over arbitrary text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.catalog.validators import (
    check_commune,
    check_date,
    check_date_text,
    check_email,
    check_number,
    check_phone_fr,
    check_postcode,
    departement_of,
    format_number,
    format_phone_fr,
)

# ---------------------------------------------------------------- dates

@pytest.mark.parametrize(
    ("day", "month", "year", "iso"),
    [("12", "3", "1950", "1950-03-12"), ("29", "02", "2024", "2024-02-29"),
     (" 1 ", "1", "2000", "2000-01-01"), ("31", "12", "1999", "1999-12-31")],
)
def test_real_dates_are_accepted(day: str, month: str, year: str, iso: str) -> None:
    assert check_date(day, month, year).value == iso


@pytest.mark.parametrize(
    ("day", "month", "year", "words"),
    [("29", "2", "2023", "n'existe pas"), ("31", "4", "2020", "n'existe pas"),
     ("12", "13", "1950", "de 1 à 12"), ("12", "3", "50", "4 chiffres"),
     ("12", "", "1950", "le jour, le mois et l'année"), ("1a", "3", "1950", "chiffres"),
     ("12", "3", "1492", "Vérifiez l'année"), ("0", "3", "1950", "n'existe pas"),
     ("123", "3", "1950", "1 ou 2 chiffres"), ("１２", "3", "1950", "chiffres")],
)
def test_impossible_dates_say_what_to_do(day: str, month: str, year: str, words: str) -> None:
    result = check_date(day, month, year)
    assert not result.ok
    assert result.error is not None
    assert words in result.error


def test_date_in_one_piece() -> None:
    assert check_date_text("12/03/1950").value == "1950-03-12"
    assert check_date_text("1950-03-12").value == "1950-03-12"
    assert not check_date_text("12 mars 1950").ok


@given(st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_every_calendar_date_round_trips(date: dt.date) -> None:
    result = check_date(str(date.day), f"{date.month:02d}", str(date.year))
    assert result.value == date.isoformat()
    assert check_date_text(date.isoformat()).value == date.isoformat()


@given(st.text(max_size=6), st.text(max_size=6), st.text(max_size=6))
def test_dates_never_raise_and_accept_only_real_dates(day: str, month: str, year: str) -> None:
    result = check_date(day, month, year)
    assert result.ok != (result.error is not None)
    if result.ok:
        assert isinstance(result.value, str)
        dt.date.fromisoformat(result.value)


# ---------------------------------------------------------------- phone

@pytest.mark.parametrize(
    "typed",
    ["0612345678", "06 12 34 56 78", "06.12.34.56.78", "06-12-34-56-78", "+33 6 12 34 56 78",
     "+33 (0)6 12 34 56 78", "0033612345678", " 06 12 34 56 78 "],
)
def test_phone_forms_are_normalised(typed: str) -> None:
    assert check_phone_fr(typed).value == "0612345678"


@pytest.mark.parametrize(
    ("typed", "words"),
    [("061234567", "10 chiffres"), ("06123456789", "10 chiffres"), ("0012345678", "01 à 09"),
     ("6123456789", "01 à 09"), ("06 12 AB 56 78", "seulement des chiffres"), ("", "Écrivez")],
)
def test_wrong_phones_say_what_to_do(typed: str, words: str) -> None:
    error = check_phone_fr(typed).error
    assert error is not None
    assert words in error
    assert "Exemple : 06 12 34 56 78." in error


@given(st.from_regex(r"0[1-9][0-9]{8}", fullmatch=True))
def test_valid_phones_round_trip_through_display(digits: str) -> None:
    assert check_phone_fr(digits).value == digits
    assert check_phone_fr(format_phone_fr(digits)).value == digits
    assert check_phone_fr("+33" + digits[1:]).value == digits


@given(st.text(max_size=30))
def test_phone_never_raises_and_normalises_idempotently(text: str) -> None:
    result = check_phone_fr(text)
    if result.ok:
        assert isinstance(result.value, str)
        assert len(result.value) == 10
        assert check_phone_fr(result.value).value == result.value


# ---------------------------------------------------------------- postcode

@pytest.mark.parametrize(
    ("code", "departement"),
    [("75001", "75"), ("01000", "01"), ("20000", "2A"), ("20100", "2A"), ("20200", "2B"),
     ("20600", "2B"), ("97400", "974"), ("97600", "976"), ("98000", "980"), ("95880", "95")],
)
def test_departements(code: str, departement: str) -> None:
    assert departement_of(code) == departement
    assert check_postcode(code).value == code


@pytest.mark.parametrize("code", ["00100", "96000", "97700", "99000", "20500", "98100"])
def test_postcodes_outside_any_departement(code: str) -> None:
    error = check_postcode(code).error
    assert error is not None
    assert "2 premiers chiffres" in error


@pytest.mark.parametrize("code", ["7500", "750011", "75O01", "", "7 5 0 0"])
def test_postcodes_need_five_digits(code: str) -> None:
    error = check_postcode(code).error
    assert error == "Le code postal a 5 chiffres. Exemple : 75001."


@given(st.text(max_size=12))
def test_postcode_never_raises_and_is_idempotent(text: str) -> None:
    result = check_postcode(text)
    if result.ok:
        assert isinstance(result.value, str)
        assert check_postcode(result.value).value == result.value
        assert departement_of(result.value) is not None


def test_commune_must_fit_a_known_postcode() -> None:
    known = {"72999": ("Admiville",), "42000": ("Saint-Étienne",)}
    assert check_commune("  admiville ", "72999", known).value == "Admiville"
    assert check_commune("saint etienne", "42000", known).value == "Saint-Étienne"
    assert not check_commune("Lyon", "72999", known).ok
    assert check_commune("Lyon", "69001", known).value == "Lyon"
    assert not check_commune("12345", "69001", known).ok


# ---------------------------------------------------------------- e-mail

@pytest.mark.parametrize(
    ("typed", "value"),
    [("marie.dupont@exemple.fr", "marie.dupont@exemple.fr"),
     (" Marie@Exemple.FR ", "Marie@exemple.fr"), ("a+b@mail.co.uk", "a+b@mail.co.uk")],
)
def test_emails_are_normalised(typed: str, value: str) -> None:
    assert check_email(typed).value == value


@pytest.mark.parametrize(
    ("typed", "words"),
    [("marie dupont@exemple.fr", "espace"), ("marie.exemple.fr", "un seul @"),
     ("a@b@c.fr", "un seul @"), ("marie@exemple", "Vérifiez"), ("@exemple.fr", "Vérifiez"),
     ("marie@.fr", "Vérifiez"), ("héloïse@exemple.fr", "sans accent"), ("", "Écrivez")],
)
def test_wrong_emails_say_what_to_do(typed: str, words: str) -> None:
    error = check_email(typed).error
    assert error is not None
    assert words in error
    assert "marie.dupont@exemple.fr" in error


@given(st.emails())
def test_generated_emails_never_raise(address: str) -> None:
    result = check_email(address)
    if result.ok:
        assert check_email(str(result.value)).value == result.value


@given(st.text(max_size=40))
def test_email_never_raises_and_is_idempotent(text: str) -> None:
    result = check_email(text)
    if result.ok:
        assert isinstance(result.value, str)
        assert result.value.count("@") == 1
        assert check_email(result.value).value == result.value


# ---------------------------------------------------------------- numbers

@pytest.mark.parametrize(
    ("typed", "value"),
    [("3", 3), (" 1 200 ", 1200), ("-2", -2), ("12,0", 12), ("007", 7), ("\u22125", -5)],
)
def test_whole_numbers(typed: str, value: int) -> None:
    assert check_number(typed).value == value


def test_decimals_only_when_allowed() -> None:
    assert check_number("12,5", integer=False).value == 12.5
    error = check_number("12,5").error
    assert error is not None
    assert "entier" in error
    assert not check_number("douze").ok
    assert not check_number("1e5", integer=False).ok
    assert not check_number("1" * 16).ok


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_integers_round_trip(number: int) -> None:
    assert check_number(format_number(number)).value == number
    assert check_number(str(number)).value == number


@given(st.text(max_size=20), st.booleans())
def test_number_never_raises_and_round_trips(text: str, integer: bool) -> None:
    result = check_number(text, integer=integer)
    if result.ok:
        assert isinstance(result.value, int | float)
        assert check_number(format_number(result.value), integer=integer).value == result.value
