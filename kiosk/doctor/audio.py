"""Speech and sound: a voice per configured language, the player, the sound card."""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Mapping
from pathlib import Path

from accessibility.headphones import AlsaHeadphoneJack, Control
from kiosk.config import Config
from kiosk.doctor.report import Check, CheckResult, Level, fail, ok, run_command, warn

PLAYER_PACKAGES: Mapping[str, str] = {
    "aplay": "alsa-utils",
    "pw-play": "pipewire-bin",
    "paplay": "pulseaudio-utils",
}


def check_voices(config: Config) -> CheckResult:
    """An espeak-ng voice for each configured language (EN 301 549: speech in the shown one)."""
    from accessibility.speech.engine import SynthesisError
    from accessibility.voices import available_voices

    name = "voices"
    try:
        voices = available_voices()
    except (SynthesisError, RuntimeError, OSError) as error:
        return fail(name, f"espeak-ng unavailable ({error}); apt-get install espeak-ng "
                           "libespeak-ng1 espeak-ng-data")
    chosen = {lang: voices.get(lang) for lang in config.kiosk.languages}
    described = ", ".join(f"{lang}={voice or 'NONE'}" for lang, voice in chosen.items())
    missing = [lang for lang, voice in chosen.items() if voice is None]
    if missing:
        level = Level.FAIL if config.speech.enabled else Level.WARN
        return CheckResult(level, name, f"{described}; no voice for {', '.join(missing)} "
                                        "(apt-get install espeak-ng-data)")
    if not config.speech.enabled:
        return warn(name, f"{described}; but speech is disabled ([speech] enabled = false)")
    return ok(name, described)


def check_audio_player(config: Config) -> CheckResult:
    """The first word of ``[speech] player`` is a program on PATH."""
    name = "audio-player"
    try:
        words = shlex.split(config.speech.player)
    except ValueError as error:
        return fail(name, f"[speech] player = {config.speech.player!r}: {error}")
    program = words[0] if words else ""
    found = shutil.which(program) if program else None
    if found:
        return ok(name, f"{program} ({found})")
    package = PLAYER_PACKAGES.get(Path(program).name)
    hint = f"; apt-get install {package}" if package else ""
    detail = f"'{program}' from [speech] player is not on PATH{hint}"
    return CheckResult(Level.FAIL if config.speech.enabled else Level.WARN, name, detail)


def check_audio_device(config: Config) -> CheckResult:
    """An ALSA sound card exists (``aplay -l``); WARN when none, or when it cannot be told."""
    name = "audio-device"
    aplay = shutil.which("aplay")
    if aplay is None:
        return warn(name, "aplay not found (apt-get install alsa-utils); cannot list cards")
    done = run_command([aplay, "-l"])
    if done is None:
        return warn(name, "aplay -l could not run; run `aplay -l` by hand to see why")
    cards = [line for line in done.stdout.splitlines() if line.startswith("card ")]
    if "no soundcards found" in done.stdout + done.stderr or (done.returncode == 0 and not cards):
        return warn(name, "no sound card found (aplay -l); speech will be silent")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        return warn(name, f"aplay -l: {last}")
    return ok(name, f"{len(cards)} playback device(s); first: {cards[0].split(':', 1)[1].strip()}")


# ---------------------------------------------------------------- all together

# In this order: the keyring check installs the configured backend the next two read.



def alsa_jack() -> AlsaHeadphoneJack:
    """The jacks the kiosk would follow (tests give theirs)."""
    return AlsaHeadphoneJack()


def check_headphones(config: Config) -> CheckResult:
    """Whether plugging headphones in can be detected (a headphone jack control on an ALSA
    card, read by amixer, followed by alsactl) and whether the loudspeaker is then muted."""
    name = "headphones"
    if config.speech.headphones == "none":
        return ok(name, 'not followed ([speech] headphones = "none"): private listening '
                        "only from the mediator panel")
    missing = [p for p in ("amixer", "alsactl") if shutil.which(p) is None]
    if missing:
        return warn(name, f"{' and '.join(missing)} not found: headphones cannot be "
                          "detected; apt-get install alsa-utils")
    alsa = alsa_jack()
    controls = [c for card in alsa.cards() for c in alsa.controls(card)]
    jacks = [c for c in controls if c.is_headphone_jack]
    if not jacks:
        return warn(name, "no sound card reports a headphone jack (amixer -c N contents): "
                          "plugging headphones in is not detected; use a card whose driver "
                          "reports it (HD-audio does), or the mediator panel's switch")

    def disabled(control: Control) -> bool:
        chosen = [control.items[int(v)] for v in control.values if v.isdigit()
                  and int(v) < len(control.items)]
        return control.name == "Auto-Mute Mode" and chosen == ["Disabled"]

    jack = jacks[0]
    found = f"card {jack.card}: '{jack.name}', {'plugged in' if jack.on else 'empty'} now"
    if any(disabled(c) for c in controls if c.card == jack.card):
        return warn(name, f"{found}, but the loudspeaker keeps playing with headphones in "
                          f"(Auto-Mute Mode is Disabled); amixer -c {jack.card} cset "
                          "name='Auto-Mute Mode' Enabled && alsactl store")
    return ok(name, f"{found}: plugging them in starts audio mode with private listening")


CHECKS: tuple[Check, ...] = (
    check_voices,
    check_audio_player,
    check_audio_device,
    check_headphones,
)
