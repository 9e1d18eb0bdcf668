"""The WAV cache of static text: keys, bound, eviction, and no way in for personal text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accessibility.speech import PersonalTextError, SpeechCache, Utterance
from tests.accessibility.conftest import make_wav


def static(text: str = "Bienvenue", **changes: object) -> Utterance:
    fields: dict[str, object] = {"voice": "roa/fr", "rate_wpm": 135, "volume": 0.8}
    fields.update(changes)
    return Utterance(text, **fields)  # type: ignore[arg-type]


def test_round_trip(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path / "c", engine_version="v1")
    audio = make_wav(0.05)
    assert cache.get(static()) is None
    cache.put(static(), audio)
    assert cache.get(static()) == audio
    assert static() in cache
    assert cache.size_bytes() == len(audio)


@pytest.mark.parametrize(
    "other",
    [
        static("Bienvenue !"),
        static(voice="roa/fr-be"),
        static(rate_wpm=115),
        static(volume=0.6),
    ],
)
def test_every_setting_is_part_of_the_key(tmp_path: Path, other: Utterance) -> None:
    cache = SpeechCache(tmp_path, engine_version="v1")
    cache.put(static(), make_wav(0.01))
    assert cache.get(other) is None


def test_an_engine_upgrade_renders_again(tmp_path: Path) -> None:
    SpeechCache(tmp_path, engine_version="v1").put(static(), make_wav(0.01))
    assert SpeechCache(tmp_path, engine_version="v2").get(static()) is None
    assert SpeechCache(tmp_path, engine_version="v1").get(static()) is not None


@given(st.text(max_size=30), st.text(max_size=30))
def test_distinct_texts_have_distinct_keys(first: str, second: str) -> None:
    cache = SpeechCache.__new__(SpeechCache)  # keys need no directory
    cache.engine_version = "v1"
    assert (cache.key(static(first)) == cache.key(static(second))) == (first == second)


def test_personal_text_cannot_enter(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path, engine_version="v1")
    secret = Utterance("Martine Dupont", "roa/fr", 135, 0.8, personal=True)
    with pytest.raises(PersonalTextError):
        cache.put(secret, make_wav(0.01, b"Martine Dupont"))
    with pytest.raises(PersonalTextError):
        cache.key(secret)
    assert list(tmp_path.iterdir()) == []  # not even a partial file
    # Once the same words are cached as static text, a personal request still misses.
    cache.put(static("Martine Dupont"), make_wav(0.01))
    assert cache.get(secret) is None
    assert secret not in cache


def test_size_stays_bounded_and_least_recently_used_goes_first(tmp_path: Path) -> None:
    audio = make_wav(0.05)  # ~2.2 kB
    cache = SpeechCache(tmp_path, engine_version="v1", max_bytes=len(audio) * 4)
    for number in range(3):
        cache.put(static(f"texte {number}"), audio)
    old = tmp_path.stat().st_mtime - 100
    for path in tmp_path.glob("*.wav"):
        os.utime(path, (old, old))  # all three look old...
    assert cache.get(static("texte 0")) is not None  # ...but this one was just used
    cache.put(static("texte 3"), audio)
    cache.put(static("texte 4"), audio)  # 5 entries > 4: down to 90 %, i.e. 3 entries
    assert [static(f"texte {n}") in cache for n in range(5)] == [True, False, False, True, True]
    for number in range(5, 12):
        cache.put(static(f"texte {number}"), audio)
        assert cache.size_bytes() <= cache.max_bytes
    assert cache.size_bytes() == sum(p.stat().st_size for p in tmp_path.glob("*.wav"))
    assert static("texte 11") in cache


def test_leftovers_of_an_interrupted_write_are_removed(tmp_path: Path) -> None:
    (tmp_path / ".partial-abc").write_bytes(b"half a file")
    SpeechCache(tmp_path, engine_version="v1")
    assert not (tmp_path / ".partial-abc").exists()


def test_clear(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path, engine_version="v1")
    cache.put(static(), make_wav(0.01))
    cache.clear()
    assert cache.get(static()) is None
    assert cache.size_bytes() == 0
