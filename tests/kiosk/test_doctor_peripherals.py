"""`kiosk doctor`: the headphone jack, the receipt printer, the mediator accounts, a font
for each language. System programs (amixer, lpstat) are stand-in scripts on PATH that
print what the real ones print."""

from __future__ import annotations

import stat
import textwrap
from pathlib import Path

import pytest

from accessibility.headphones import AlsaHeadphoneJack
from kiosk.config import Config, KioskSection, SpeechSection
from kiosk.doctor import ALL_CHECKS, Level, audio, check_name, display, mediators, printer
from kiosk.mediator.accounts import MEDIATORS_FILE, MediatorRegistry
from kiosk.mediator.lockout import MAX_FAILURES

ALSA = Path(__file__).parents[1] / "accessibility" / "alsa"
PIN = "482913"


@pytest.fixture
def config(data_dir: Path) -> Config:
    return Config(kiosk=KioskSection(data_dir=str(data_dir)))


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder first on PATH, for stand-ins of system programs."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    return folder


def stand_in(folder: Path, program: str, body: str) -> Path:
    path = folder / program
    path.write_text("#!/bin/sh\n" + textwrap.dedent(body), encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def with_kiosk(config: Config, **keys: object) -> Config:
    return config._replace(kiosk=config.kiosk._replace(**keys))


def test_the_new_checks_run_with_the_others():
    names = [check_name(check) for check in ALL_CHECKS]
    for wanted in ("headphones", "printer", "mediators", "fonts", "voices"):
        assert wanted in names


# ---------------------------------------------------------------- headphones


def alsa_with(tmp_path: Path, bin_dir: Path, contents: str,
              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cards").write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n",
                                    encoding="utf-8")
    (tmp_path / "contents.txt").write_text(contents, encoding="utf-8")
    amixer = stand_in(bin_dir, "amixer", f"cat {tmp_path / 'contents.txt'}\n")
    stand_in(bin_dir, "alsactl", "exit 0\n")
    monkeypatch.setattr(audio, "alsa_jack", lambda: AlsaHeadphoneJack(
        cards_file=tmp_path / "cards", amixer=str(amixer)))


def test_headphones_detectable_on_an_hda_card(tmp_path, bin_dir, config, monkeypatch):
    alsa_with(tmp_path, bin_dir, (ALSA / "contents-hda.txt").read_text("utf-8"), monkeypatch)
    result = audio.check_headphones(config)
    assert result.level is Level.OK, result.detail
    assert "card 0: 'Headphone Jack', empty now" in result.detail


def test_headphones_warn_when_the_loudspeaker_is_not_muted(tmp_path, bin_dir, config,
                                                           monkeypatch):
    contents = (ALSA / "contents-hda.txt").read_text("utf-8")
    automute_off = contents.replace("  ; Item #1 'Enabled'\n  : values=1",
                                    "  ; Item #1 'Enabled'\n  : values=0")
    assert automute_off != contents
    alsa_with(tmp_path, bin_dir, automute_off, monkeypatch)
    result = audio.check_headphones(config)
    assert result.level is Level.WARN
    assert "amixer -c 0 cset name='Auto-Mute Mode' Enabled" in result.detail


def test_headphones_warn_without_a_jack_control(tmp_path, bin_dir, config, monkeypatch):
    no_jack = "numid=1,iface=MIXER,name='Master Playback Switch'\n  : values=on\n"
    alsa_with(tmp_path, bin_dir, no_jack, monkeypatch)
    result = audio.check_headphones(config)
    assert result.level is Level.WARN
    assert "not detected" in result.detail


def test_headphones_warn_without_alsa_utils(tmp_path, monkeypatch, config):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = audio.check_headphones(config)
    assert result.level is Level.WARN
    assert "apt-get install alsa-utils" in result.detail


def test_headphones_not_followed_when_configured_so(config):
    result = audio.check_headphones(config._replace(speech=SpeechSection(headphones="none")))
    assert result.level is Level.OK
    assert "mediator panel" in result.detail


# ---------------------------------------------------------------- printer


def test_no_printer_is_fine(config):
    assert printer.check_printer(with_kiosk(config, printer="")).level is Level.OK


def test_pdf_receipts_in_the_data_folder(config, data_dir):
    folder = data_dir / "receipts"
    assert printer.check_printer(with_kiosk(config, printer=f"pdf:{folder}")).level \
        is Level.FAIL  # not made yet
    folder.mkdir(parents=True)
    assert printer.check_printer(with_kiosk(config, printer=f"pdf:{folder}")).level is Level.OK


def test_pdf_receipts_outside_the_data_folder_warn(config, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = printer.check_printer(with_kiosk(config, printer=f"pdf:{outside}"))
    assert result.level is Level.WARN
    assert "ReadWritePaths=" in result.detail


LPSTAT = """\
case "$2" in
  Recus) echo 'printer Recus is idle.  enabled since Wed 02 Dec 2026 09:12:01 CET' ;;
  Panne) echo 'printer Panne disabled since Wed 02 Dec 2026 09:12:01 CET -'
         echo '	reason unknown' ;;
  *) echo "lpstat: Invalid destination name in list \\"$2\\"." >&2; exit 1 ;;
esac
"""


@pytest.mark.parametrize(("name", "level", "said"), [
    ("Recus", Level.OK, "printer Recus is idle."),
    ("Panne", Level.FAIL, "cupsenable Panne"),
    ("Inconnue", Level.FAIL, "Invalid destination name"),
])
def test_a_cups_printer_is_known_and_enabled(config, bin_dir, name, level, said):
    stand_in(bin_dir, "lpstat", LPSTAT)
    result = printer.check_printer(with_kiosk(config, printer=name))
    assert result.level is level
    assert said in result.detail


def test_a_cups_printer_without_cups(config, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = printer.check_printer(with_kiosk(config, printer="Recus"))
    assert result.level is Level.FAIL
    assert "apt-get install cups" in result.detail


# ---------------------------------------------------------------- mediators


def test_mediators_warn_until_one_is_added(config, data_dir):
    result = mediators.check_mediators(config)
    assert result.level is Level.WARN
    assert "kiosk mediator add" in result.detail
    assert not (data_dir / MEDIATORS_FILE).exists()  # the doctor creates nothing

    with MediatorRegistry(data_dir / MEDIATORS_FILE) as registry:
        camille = registry.add("Camille", PIN)
    result = mediators.check_mediators(config)
    assert (result.level, result.detail) == (Level.OK, "1 active account(s)")
    assert "Camille" not in result.detail

    with MediatorRegistry(data_dir / MEDIATORS_FILE) as registry:
        for _ in range(MAX_FAILURES):
            registry.authenticate(camille.id, "000000")
    result = mediators.check_mediators(config)
    assert result.level is Level.WARN
    assert "1 locked" in result.detail

    with MediatorRegistry(data_dir / MEDIATORS_FILE) as registry:
        registry.disable(camille.id)
    result = mediators.check_mediators(config)
    assert result.level is Level.WARN
    assert "none active" in result.detail


# ---------------------------------------------------------------- fonts per language


def test_each_configured_language_has_a_font_here():
    # fonts-dejavu-core (scripts/bootstrap.sh) writes French, English and Arabic.
    assert display.languages_without_font(["fr", "en", "ar"]) == []


def test_a_language_no_font_writes_fails(config, monkeypatch):
    monkeypatch.setattr(display, "languages_without_font", lambda languages: ["ar"])
    result = display.check_fonts(config._replace(kiosk=KioskSection(languages=("fr", "ar"))))
    assert result.level is Level.FAIL
    assert "no font writes ar" in result.detail
