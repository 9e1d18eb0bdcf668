"""PIN hashes (the lockouts: test_technician_lockout.py, tests/kiosk/mediator)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.security.pin import (
    PinFormatError,
    hash_pin,
    is_pin_hash,
    pin_hash_problem,
    verify_pin,
)


def test_a_pin_is_stored_salted_and_never_in_clear():
    first, second = hash_pin("482913"), hash_pin("482913")
    assert first != second  # salted
    assert "482913" not in first
    assert is_pin_hash(first)
    assert verify_pin("482913", first)
    assert not verify_pin("482914", first)


@pytest.mark.parametrize("bad", ["", "123", "12a4", "１２３４", "1234567890123"])
def test_only_4_to_12_ascii_digits_make_a_pin(bad):
    with pytest.raises(PinFormatError):
        hash_pin(bad)


@settings(max_examples=25)
@given(st.text(max_size=20), st.text(max_size=80))
def test_verify_never_raises_on_any_input(pin, stored):
    assert verify_pin(pin, stored) is False or stored.startswith("scrypt$")


@pytest.mark.parametrize(
    "costly",
    [
        "scrypt$1048576$32$16$AAAA$AAAA",  # 4 GiB: scrypt would refuse at every try
        "scrypt$65536$16$1$" + "A" * 22 + "==$" + "A" * 43 + "=",  # 128 MiB
        "scrypt$16384$8$1$AAAA$AAAA",  # a salt and a hash too short
        "scrypt$16384$8$1$" + "A" * 22 + "==$!!",
        "scrypt$1e4$8$1$" + "A" * 22 + "==$" + "A" * 43 + "=",
        "scrypt$16384$8$99999999999999999999$AAAA$AAAA",
    ],
)
def test_a_hash_outside_the_affordable_parameters_is_refused(costly):
    assert not is_pin_hash(costly)
    assert pin_hash_problem(costly)
    assert verify_pin("482913", costly) is False


@settings(max_examples=50)
@given(st.integers(0, 2**24), st.integers(0, 64), st.integers(0, 64))
def test_verify_never_raises_whatever_the_parameters(n, r, p):
    stored = f"scrypt${n}${r}${p}$" + "A" * 22 + "==$" + "A" * 43 + "="
    assert verify_pin("482913", stored) is False

