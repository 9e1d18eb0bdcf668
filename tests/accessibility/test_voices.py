"""Voice choice per language, rate levels and volume steps (pure functions)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accessibility import voices

ESPEAK_LIKE = {"roa/fr", "roa/fr-be", "gmw/en", "gmw/en-us", "sem/ar", "sem/he", "roa/it"}


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "fr"), ("fr_FR", "fr"), ("fr-BE", "fr"), (" EN ", "en"), ("ar_MA.UTF-8", "ar")],
)
def test_language_codes_are_normalized(language: str, expected: str) -> None:
    assert voices.normalize_language(language) == expected


@pytest.mark.parametrize(
    ("language", "voice"), [("fr", "roa/fr"), ("en_GB", "gmw/en"), ("ar", "sem/ar")]
)
def test_each_language_gets_its_own_voice(language: str, voice: str) -> None:
    assert voices.choose_voice(language, ESPEAK_LIKE) == voice


def test_a_regional_voice_stands_in_when_the_main_one_is_missing() -> None:
    assert voices.choose_voice("fr", {"roa/fr-ch", "roa/fr-be"}) == "roa/fr-be"
    assert voices.choose_voice("en", {"GMW/EN-US"}) == "gmw/en-us"


def test_no_voice_of_another_language_is_ever_used() -> None:
    assert voices.choose_voice("ar", {"roa/fr", "gmw/en"}) is None
    assert voices.choose_voice("de", ESPEAK_LIKE) is None


def test_doctor_report_lists_every_supported_language() -> None:
    assert voices.voices_by_language({"roa/fr", "sem/ar"}) == {
        "fr": "roa/fr",
        "en": None,
        "ar": "sem/ar",
    }


def test_rate_levels_are_slow_by_default() -> None:
    assert voices.DEFAULT_RATE_WPM == voices.RateLevel.SLOW == 135
    assert voices.slower(135) == voices.RateLevel.SLOWER
    assert voices.faster(135) == voices.RateLevel.NORMAL
    assert voices.slower(voices.RateLevel.SLOWER) == voices.RateLevel.SLOWER  # floor
    assert voices.faster(voices.RateLevel.NORMAL) == voices.RateLevel.NORMAL  # ceiling
    assert voices.slower(150) == 135  # a configured rate between levels joins the next one
    assert voices.faster(150) == 165


def test_volume_steps() -> None:
    assert voices.louder(0.8) == 1.0
    assert voices.louder(1.0) == 1.0
    assert voices.quieter(0.2) == 0.2  # never silent by accident
    assert voices.quieter(0.5) == 0.4
    assert voices.volume_step_index(0.8) == 4
    assert voices.volume_step_index(0.2) == 1


@given(st.floats(min_value=0.0, max_value=1.0))
def test_volume_moves_one_step_within_bounds(volume: float) -> None:
    up, down = voices.louder(volume), voices.quieter(volume)
    assert up in voices.VOLUME_STEPS
    assert down in voices.VOLUME_STEPS
    assert down <= max(volume, min(voices.VOLUME_STEPS))
    assert up >= min(volume, max(voices.VOLUME_STEPS))
    # One step, not more: nothing lies strictly between the value and its neighbour.
    assert not any(volume < step < up for step in voices.VOLUME_STEPS)
    assert not any(down < step < volume for step in voices.VOLUME_STEPS)


@given(st.integers(min_value=80, max_value=300))
def test_rate_moves_one_level_within_bounds(rate: int) -> None:
    assert voices.faster(rate) in voices.RATE_LEVELS
    assert voices.slower(rate) in voices.RATE_LEVELS
    assert voices.slower(rate) <= voices.faster(rate)
