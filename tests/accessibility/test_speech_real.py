"""Real espeak-ng synthesis through pyttsx3: format, signal, duration, voices per language."""

from __future__ import annotations

import array
import io
import math
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from accessibility.speech import Pyttsx3Engine, SpeechCache, Synthesizer, Utterance, engine_version
from accessibility.voices import RateLevel, available_voices

pytestmark = pytest.mark.speech
WAIT = 10.0
SENTENCE = "Bonjour. Bienvenue à la mairie."


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesizer]:
    cache = SpeechCache(tmp_path_factory.mktemp("speech-cache"), engine_version=engine_version())
    synthesizer = Synthesizer(Pyttsx3Engine(), cache=cache)
    yield synthesizer
    synthesizer.close()


def render(synth: Synthesizer, text: str, language: str = "fr", **settings: object) -> bytes:
    voice = synth.voice_for(language)
    assert voice is not None
    fields: dict[str, object] = {"rate_wpm": 135, "volume": 0.8, "personal": True}
    fields.update(settings)
    return synth.submit(Utterance(text, voice, **fields)).result(WAIT)  # type: ignore[arg-type]


def read_wav(audio: bytes) -> tuple[wave._wave_params, array.array[int]]:
    with wave.open(io.BytesIO(audio), "rb") as wav:
        params = wav.getparams()
        samples = array.array("h", wav.readframes(params.nframes))
    return params, samples


def rms(samples: array.array[int]) -> float:
    return math.sqrt(sum(s * s for s in samples) / max(len(samples), 1))


def test_a_sentence_renders_to_a_plausible_wav(synth: Synthesizer) -> None:
    audio = render(synth, SENTENCE)
    assert audio[:4] == b"RIFF"
    assert audio[8:12] == b"WAVE"
    params, samples = read_wav(audio)
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, 22050)
    assert params.comptype == "NONE"  # PCM
    assert 0.5 <= params.nframes / params.framerate <= 6.0
    assert rms(samples) > 500  # speech, not silence (full scale is 32767)


def test_slower_rate_gives_longer_speech(synth: Synthesizer) -> None:
    slow, _ = read_wav(render(synth, SENTENCE, rate_wpm=RateLevel.SLOWER))
    fast, _ = read_wav(render(synth, SENTENCE, rate_wpm=RateLevel.NORMAL))
    assert slow.nframes > fast.nframes * 1.2


def test_lower_volume_gives_a_quieter_signal(synth: Synthesizer) -> None:
    _, loud = read_wav(render(synth, SENTENCE, volume=1.0))
    _, soft = read_wav(render(synth, SENTENCE, volume=0.2))
    assert rms(soft) < rms(loud) * 0.5


def test_each_language_gets_its_voice(synth: Synthesizer) -> None:
    assert available_voices() == {"fr": "roa/fr", "en": "gmw/en", "ar": "sem/ar"}
    assert synth.voice_for("fr_FR") == "roa/fr"
    assert synth.voice_for("en") == "gmw/en"
    assert synth.voice_for("ar") == "sem/ar"


def test_the_voice_really_changes_the_speech(synth: Synthesizer) -> None:
    digits = "1 2 3 4"
    french, arabic, english = (render(synth, digits, lang) for lang in ("fr", "ar", "en"))
    assert len({french, arabic, english}) == 3
    # Arabic digit names are longer than French ones ("wahid, ithnan..." vs "un, deux...").
    assert read_wav(arabic)[0].nframes > read_wav(french)[0].nframes


def test_personal_text_is_rendered_in_memory_only(
    synth: Synthesizer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # a stray relative file would land here
    audio = render(synth, "Martine Dupont, 12 rue des Lilas", personal=True)
    assert read_wav(audio)[0].nframes > 0
    assert synth.wait_idle(WAIT)
    assert list(tmp_path.iterdir()) == []
    assert synth.cache is not None
    assert all(audio != p.read_bytes() for p in synth.cache.directory.iterdir())
    assert "Audio saved" not in capfd.readouterr().out  # pyttsx3's print is silenced


def test_settings_apply_to_every_utterance_in_a_row(synth: Synthesizer) -> None:
    # Regression: espeak queues parameter changes, and runAndWait() could cancel them, so an
    # utterance was sometimes spoken with the previous one's rate (or voice).
    lengths = {
        rate: [read_wav(render(synth, SENTENCE, rate_wpm=rate))[0].nframes for _ in range(4)]
        for rate in (80, 300)
    }
    slow, fast = lengths[80], lengths[300]
    order = [render(synth, SENTENCE, rate_wpm=rate) for rate in (80, 300, 80, 300)]
    frames = [read_wav(audio)[0].nframes for audio in order]
    assert min(slow) > 2 * max(fast)
    assert frames[0] > 2 * frames[1] < frames[2] > 2 * frames[3]


def test_a_french_name_inside_arabic_is_said_with_the_french_voice(synth: Synthesizer) -> None:
    arabic, french = synth.voice_for("ar"), synth.voice_for("fr")
    assert arabic is not None
    assert french is not None
    mixed = synth.submit(Utterance(
        "الشارع: \u2068Rue des Lilas\u2069. مختار.", arabic, 135, 0.8, True, embedded_voice=french,
    )).result(WAIT)
    parts = [render(synth, text, language) for text, language in
             (("الشارع: ", "ar"), ("Rue des Lilas", "fr"), (". مختار.", "ar"))]
    # One WAV holding the three parts in a row (espeak-ng's samples vary a little from
    # one rendering to the next: lengths are compared).
    assert len(read_wav(mixed)[1]) == pytest.approx(
        sum(len(read_wav(part)[1]) for part in parts), rel=0.02)
    # Without the French voice, espeak-ng's Arabic voice reads the Latin letters in English.
    alone = render(synth, "الشارع: \u2068Rue des Lilas\u2069. مختار.", "ar")
    assert len(read_wav(alone)[1]) != pytest.approx(len(read_wav(mixed)[1]), rel=0.03)
