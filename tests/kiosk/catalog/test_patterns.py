"""No catalog can freeze the kiosk: every accepted answer pattern checks any answer in
linear time (RE2), and what RE2 cannot run is refused with the problem named.

The time limits are pytest-timeout markers (signal method: Python's ``re`` checks for
signals while it backtracks, and holds the GIL, so a timer thread could not stop it).
With Python's ``re`` these patterns took from 7 s to hours on a 200-character answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from kiosk.catalog import CatalogError, Field, parse_catalog
from kiosk.catalog.patterns import AnswerPattern, PatternError, compile_pattern
from kiosk.domain.answers import SHORT_TEXT_LIMIT, check_answer
from tests.kiosk.catalog.samples import field, sample

TODAY = dt.date(2026, 1, 15)
# The audit's five patterns (issue 13, item 3), the letter of the answer that made each
# one crawl, and whether answers of LENGTHS such letters match.
LENGTHS = (30, 60, SHORT_TEXT_LIMIT)
AUDIT_PATTERNS = [
    (r"((a+))+b", "a", (False, False, False)),
    (r"((a|a))+b", "a", (False, False, False)),
    (r"(a?){30}a{30}", "a", (True, True, False)),
    (r"\d*" * 8 + "x", "1", (False, False, False)),
    (r".*" * 6 + "=", "x", (False, False, False)),
]


def _code_field(pattern: str) -> Field:
    """The sample's short-text field ``code`` with ``pattern`` as its only rule."""
    data = sample()
    field(data, "code")["rules"] = [{"rule": "pattern", "value": pattern}]
    return parse_catalog(data).demarche("essai").field("code")


def _refusal(pattern: str) -> str:
    with pytest.raises(CatalogError) as caught:
        _code_field(pattern)
    return caught.value.problem


def _checks(pattern_field: Field, answer: str) -> bool:
    return check_answer(pattern_field, answer, today=TODAY).ok


@pytest.mark.timeout(30, method="signal")
@pytest.mark.parametrize(("pattern", "letter", "matches"), AUDIT_PATTERNS)
def test_the_audit_patterns_check_the_longest_answer_at_once(
    pattern: str, letter: str, matches: tuple[bool, ...]
) -> None:
    code = _code_field(pattern)
    assert tuple(_checks(code, letter * length) for length in LENGTHS) == matches


# Pieces of patterns, nested in every way, aimed at the answers below: repeats of
# repeats, overlapping alternatives, counted repeats (the shapes that backtrack).
_ATOMS = st.sampled_from(["a", "b", ".", "[ab]", r"\d", r"\p{L}", "a?", "(?:a|a)", "[^b]"])
_QUANTIFIERS = st.sampled_from(["*", "+", "?", "{0,3}", "{2}", "{1,}", "*?"])


def _nested(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return (
        st.tuples(children, _QUANTIFIERS).map(lambda p: f"({p[0]}){p[1]}")
        | st.lists(children, min_size=2, max_size=4).map("".join)
        | st.lists(children, min_size=2, max_size=3).map(lambda parts: "(" + "|".join(parts) + ")")
    )


_PATTERNS = st.recursive(_ATOMS, _nested, max_leaves=12).filter(lambda p: len(p) <= 200)


@pytest.mark.timeout(120, method="signal")
@settings(max_examples=150)
@given(pattern=_PATTERNS, letter=st.sampled_from("ab1é"), tail=st.sampled_from(["", "!", "b"]))
def test_every_accepted_pattern_checks_an_adversarial_answer_at_once(
    pattern: str, letter: str, tail: str
) -> None:
    try:
        code = _code_field(pattern + "!")  # the final "!" makes most long answers fail late
    except CatalogError:
        assume(False)
    _checks(code, letter * (SHORT_TEXT_LIMIT - 1) + tail)


@pytest.mark.parametrize(
    ("pattern", "answer", "expected"),
    [
        (r"[\p{L} '-]+", "Élodie d'Arc-Ñúñez", True),
        (r"[\p{L} '-]+", "Élodie2", False),
        (r"(?i)[a-zàâçéèêëîïôûùüÿœ]+", "FRANÇOISE", True),
        (r"[0-9]{5}", "75001", True),
        (r"[0-9]{5}", "750011", False),  # the whole answer must match, not its start
        (r"a|ab", "ab", True),  # as Python's fullmatch: an alternative that ends later
        (r"\d{2}", "١٢", False),  # \d is an ASCII digit, as the keypad types
        (r"[A-Z]{2}[0-9]{2}", "AB12", True),
        (r".{3}", "éàü", True),  # a letter is one character, not its UTF-8 bytes
    ],
)
def test_patterns_match_french_answers_whole(pattern: str, answer: str, expected: bool) -> None:
    assert _checks(_code_field(pattern), answer) is expected


@pytest.mark.parametrize(
    ("pattern", "named"),
    [
        (r"(a)\1", "back-references"),
        (r"(?P<x>a)(?P=x)", "back-references"),
        (r"(?=a)a", "look-aheads"),
        (r"(?!b)a", "look-aheads"),
        (r"(?<=a)b", "look-behinds"),
        (r"(?<!a)b", "look-behinds"),
        (r"a++", "possessive"),
        (r"(?>a+)b", "atomic groups"),
        (r"(a)?(?(1)b|c)", "conditionals"),
        (r"(a{100}){100}", "repeat count"),
        (r"[\p{L}]{1000}" * 4, "too large"),
        (r"[\w ]+", r"\w only knows letters without accents"),
        (r"\bmot\b", r"\b only knows letters without accents"),
        (r"[[:alpha:] ]+", "[:alpha:] only knows letters without accents"),
        (r"(a", "not a valid regular expression: missing ): (a"),
    ],
)
def test_what_re2_cannot_run_is_refused_with_its_name(pattern: str, named: str) -> None:
    assert named in _refusal(pattern)


@pytest.mark.parametrize("pattern", [r"\\w+", r"[\\b]"])
def test_an_escaped_backslash_before_w_is_a_plain_letter(pattern: str) -> None:
    assert _checks(_code_field(pattern), "\\w" if "w" in pattern else "\\")


def test_the_error_names_the_field_too() -> None:
    data: dict[str, Any] = sample()
    field(data, "code")["rules"] = [{"rule": "pattern", "value": r"(a)\1"}]
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    assert caught.value.field_id == "code"


# Regex syntax, escapes, accented letters and a lone surrogate, mixed with any character.
_SOURCE_TEXT = st.text(st.sampled_from(list("ab\\()[]{}*+?|^$.-,019wbdpPL=!<>:#é\ud800"))
                       | st.characters(), max_size=40)


@given(source=_SOURCE_TEXT, answer=_SOURCE_TEXT)
@example(source="a\ud800", answer="a")
@example(source="a.", answer="a\ud800")
def test_any_text_compiles_or_is_refused_by_name_and_any_answer_is_checked(
    source: str, answer: str
) -> None:
    outcome: AnswerPattern | PatternError
    try:
        outcome = compile_pattern(source)
    except PatternError as error:
        outcome = error
    if isinstance(outcome, PatternError):
        assert str(outcome)  # a named problem
    else:
        assert outcome.fullmatch(answer) in (True, False)
