"""The synthesis worker, with a fake engine: order, cancellation, cache filling, failures."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import CancelledError
from pathlib import Path

import pytest

from accessibility.speech import SpeechCache, SynthesisError, Synthesizer, Utterance
from tests.accessibility.conftest import BrokenEngine, FakeEngine

WAIT = 5.0


def said(text: str, personal: bool = False) -> Utterance:
    return Utterance(text, "roa/fr", 135, 0.8, personal=personal)


@pytest.fixture
def cache(tmp_path: Path) -> SpeechCache:
    return SpeechCache(tmp_path / "speech-cache", engine_version="fake 1")


@pytest.fixture
def synth(fake_engine: FakeEngine, cache: SpeechCache) -> Iterator[Synthesizer]:
    synthesizer = Synthesizer(fake_engine, cache=cache)
    yield synthesizer
    if fake_engine.gate is not None:
        fake_engine.gate.set()
    synthesizer.close()


def test_renders_to_wav_bytes_and_caches_only_prerendered_text(synth: Synthesizer) -> None:
    audio = synth.submit(said("Bonjour")).result(WAIT)
    assert audio.startswith(b"RIFF")
    assert synth.wait_idle(WAIT)
    # Said on demand, it may quote an answer: not written to disk.
    assert synth.cached(said("Bonjour")) is None
    assert synth.prerender([said("Bonjour")]) == 1
    assert synth.wait_idle(WAIT)
    assert synth.cached(said("Bonjour")) == audio


def test_voice_choice_comes_from_the_engine(synth: Synthesizer) -> None:
    assert synth.voice_for("fr_FR") == "roa/fr"
    assert synth.voice_for("ar") == "sem/ar"
    assert synth.voice_for("de") is None


def test_a_new_request_cancels_older_pending_ones(
    synth: Synthesizer, fake_engine: FakeEngine
) -> None:
    fake_engine.gate = threading.Event()
    first = synth.submit(said("écran 1"))
    assert fake_engine.started.wait(WAIT)  # the worker is busy with "écran 1"
    second = synth.submit(said("écran 2"))
    third = synth.submit(said("écran 3"))
    assert second.cancelled()
    fake_engine.gate.set()
    assert first.result(WAIT)  # what was rendering completes
    assert third.result(WAIT)
    with pytest.raises(CancelledError):
        second.result(0)
    assert [u.text for u in fake_engine.rendered] == ["écran 1", "écran 3"]


def test_foreground_goes_before_prerendering(synth: Synthesizer, fake_engine: FakeEngine) -> None:
    fake_engine.gate = threading.Event()
    synth.submit(said("occupé"))
    assert fake_engine.started.wait(WAIT)
    assert synth.prerender([said(f"catalogue {n}") for n in range(3)]) == 3
    urgent = synth.submit(said("maintenant"))
    fake_engine.gate.set()
    urgent.result(WAIT)
    assert synth.wait_idle(WAIT)
    texts = [u.text for u in fake_engine.rendered]
    assert texts[:2] == ["occupé", "maintenant"]
    assert sorted(texts[2:]) == ["catalogue 0", "catalogue 1", "catalogue 2"]


def test_prerender_fills_the_cache_once_and_skips_personal_text(
    synth: Synthesizer, fake_engine: FakeEngine, cache: SpeechCache
) -> None:
    texts = [said("Suivant"), said("Précédent"), said("Jean Martin", personal=True)]
    assert synth.prerender(texts) == 2
    assert synth.wait_idle(WAIT)
    assert said("Suivant") in cache
    assert said("Précédent") in cache
    synth.prerender([said("Suivant")])
    assert synth.wait_idle(WAIT)
    assert [u.text for u in fake_engine.rendered] == ["Suivant", "Précédent"]


def test_personal_audio_is_returned_but_never_written(
    synth: Synthesizer, cache: SpeechCache
) -> None:
    secret = "12 rue des Lilas"
    audio = synth.submit(said(secret, personal=True)).result(WAIT)
    assert secret.encode() in audio  # the fake engine's WAV carries the text...
    synth.prerender([said("Votre adresse")])
    assert synth.wait_idle(WAIT)
    files = [p for p in cache.directory.rglob("*") if p.is_file()]
    assert len(files) == 1  # ...the static text was cached, so the cache does work
    assert all(secret.encode() not in p.read_bytes() for p in files)


def test_a_failed_rendering_fails_its_future_only(
    synth: Synthesizer, fake_engine: FakeEngine
) -> None:
    fake_engine.fail_on = "cassé"
    with pytest.raises(SynthesisError):
        synth.submit(said("cassé")).result(WAIT)
    assert synth.submit(said("réparé")).result(WAIT)


def test_without_an_engine_the_kiosk_is_silent_not_broken(cache: SpeechCache) -> None:
    synthesizer = Synthesizer(BrokenEngine(), cache=cache)
    try:
        assert synthesizer.voice_for("fr") is None
        assert synthesizer.failure is not None
        assert "libespeak" in synthesizer.failure
    finally:
        synthesizer.close()


def test_close_cancels_what_waits(fake_engine: FakeEngine, cache: SpeechCache) -> None:
    fake_engine.gate = threading.Event()
    synthesizer = Synthesizer(fake_engine, cache=cache)
    synthesizer.submit(said("en cours"))
    assert fake_engine.started.wait(WAIT)
    waiting = synthesizer.submit(said("en attente"))
    closer = threading.Thread(target=synthesizer.close)
    closer.start()  # close() cancels at once, then waits for the rendering to end
    try:
        with pytest.raises(CancelledError):
            waiting.result(WAIT)
    finally:
        fake_engine.gate.set()
        closer.join(WAIT)
    assert not closer.is_alive()
    assert synthesizer.submit(said("après")).cancelled()
