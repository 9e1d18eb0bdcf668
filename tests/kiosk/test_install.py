"""Deployment: the systemd units say what the kiosk relies on, and a built wheel carries its
assets so that a non-editable install finds them."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.paths import asset

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "assets" / "deploy"
PACKAGES = ("wiring", "kiosk", "ui", "accessibility", "offline_queue")


def read_unit(name: str) -> configparser.ConfigParser:
    # strict=False: systemd allows a key several times (the last wins for most keys).
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    unit.read_string((DEPLOY / name).read_text(encoding="utf-8"), source=name)
    return unit


def test_the_kiosk_unit_restarts_watches_and_waits_for_ready():
    unit = read_unit("kiosk.service")
    service = unit["Service"]
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "all"  # READY/WATCHDOG come from cage's child
    assert service["Restart"] == "always"
    assert int(service["WatchdogSec"]) > 0
    assert service["ExecStart"].startswith("/usr/bin/cage -- ")
    assert service["ExecStart"].split(" -- ", 1)[1].split()[0].endswith("/kiosk")
    assert service["User"] == "kiosk"
    assert service["TTYPath"] == "/dev/tty1"
    assert unit["Unit"]["Conflicts"] == "getty@tty1.service"
    assert "WantedBy" in unit["Install"]


def test_the_kiosk_unit_is_hardened_without_closing_screen_input_or_sound():
    text = (DEPLOY / "kiosk.service").read_text(encoding="utf-8")
    settings = [line.strip() for line in text.splitlines() if not line.startswith("#")]
    for wanted in ("ProtectSystem=strict", "ReadWritePaths=/var/lib/kiosk", "PrivateTmp=yes",
                   "NoNewPrivileges=yes", "Environment=QT_QPA_PLATFORM=wayland"):
        assert wanted in settings
    # These would hide /dev/dri, /dev/input and /dev/snd from cage and the speech player.
    assert not any(s.startswith(("PrivateDevices=", "ProtectClock=", "DeviceAllow="))
                   for s in settings)


def unit_settings(name: str) -> list[str]:
    """The unit's ``Key=value`` lines, comments left out, in order (a key may repeat)."""
    text = (DEPLOY / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()
            if "=" in line and not line.lstrip().startswith("#")]


def test_the_kiosk_unit_drops_every_privilege_it_does_not_need():
    settings = unit_settings("kiosk.service")
    for wanted in ("CapabilityBoundingSet=", "ProtectProc=invisible", "PrivateMounts=yes",
                   "RemoveIPC=yes", "RestrictRealtime=yes", "SystemCallFilter=@system-service",
                   "ProtectKernelTunables=yes", "RestrictNamespaces=yes", "UMask=0077"):
        assert wanted in settings, wanted


def test_the_kiosk_does_not_wait_for_the_network_at_boot():
    """Offline-first: residents are served, and requests queued, before any network."""
    unit = "\n".join(unit_settings("kiosk.service"))
    assert "network-online" not in unit


def exposure(name: str) -> float:
    """``systemd-analyze security``'s overall exposure of a unit file (0 safe, 10 exposed)."""
    found = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", str(DEPLOY / name)],
        capture_output=True, text=True, check=False,
    )
    words = found.stdout.rsplit("Overall exposure level for", 1)[-1].split()
    if found.returncode not in (0, 1) or len(words) < 2:
        pytest.skip(f"systemd-analyze cannot rate units here: {found.stderr.strip()[:200]}")
    return float(words[1])


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed (systemd 250 or later has --offline)")
@pytest.mark.parametrize(("unit", "highest"), [("kiosk.service", 3.5),
                                                ("kiosk-receiver.service", 2.0)])
def test_systemd_rates_the_units_ok(unit, highest):
    assert exposure(unit) <= highest


def test_the_kiosk_unit_loads_each_secret_as_an_encrypted_credential():
    from kiosk.config import SecuritySection
    from kiosk.secrets import DATA_KEYS, TECHNICIAN_PIN, TERMINAL_SECRET

    text = (DEPLOY / "kiosk.service").read_text(encoding="utf-8")
    loaded = dict(
        line.split("=", 1)[1].split(":", 1)
        for line in text.splitlines()
        if line.startswith("LoadCredentialEncrypted=")
    )
    store = SecuritySection().credstore
    assert loaded == {
        f"kiosk.{name}": f"{store}/kiosk.{name}"
        for name in (*DATA_KEYS, TERMINAL_SECRET, TECHNICIAN_PIN)
    }
    deployed = load_config(DEPLOY / "kiosk.toml").security
    assert deployed.keyring_backend == "systemd-creds"
    assert deployed.deployed
    assert deployed.credstore == store


def test_the_receiver_unit_reads_its_terminals_from_a_credential():
    service = read_unit("kiosk-receiver.service")["Service"]
    assert service["Restart"] == "always"
    assert "--terminals %d/terminals" in service["ExecStart"]
    assert service["LoadCredential"] == "terminals:/etc/kiosk/receiver-terminals"


def test_the_data_dir_belongs_to_the_kiosk_user_alone():
    users = (DEPLOY / "sysusers.d" / "kiosk.conf").read_text(encoding="utf-8").splitlines()
    assert any(line.split()[:2] == ["u", "kiosk"] for line in users)
    tmpfiles = (DEPLOY / "tmpfiles.d" / "kiosk.conf").read_text(encoding="utf-8").splitlines()
    rows = [row.split() for row in tmpfiles]
    assert ["d", "/var/lib/kiosk", "0700", "kiosk", "kiosk", "-"] in rows


def test_the_kiosk_runs_without_a_login_session():
    """A PAM session (PAMName=) has logind move cage into a session scope, where systemd
    ignores the kiosk's READY=1 (make image-test found it): seatd gives cage the screen and
    the input devices instead, and cage's Wayland socket is in the unit's own /run/kiosk."""
    settings = unit_settings("kiosk.service")
    assert not any(s.startswith("PAMName=") for s in settings)
    for wanted in ("Wants=seatd.service", "After=seatd.service",
                   "Environment=LIBSEAT_BACKEND=seatd", "RuntimeDirectory=kiosk",
                   "Environment=XDG_RUNTIME_DIR=/run/kiosk", "ProtectHome=yes"):
        assert wanted in settings, wanted
    users = (DEPLOY / "sysusers.d" / "kiosk.conf").read_text(encoding="utf-8").splitlines()
    assert "m kiosk video" in users  # seatd's socket is the video group's
    assert "m kiosk audio" in users  # speech and the headphone jack


def test_the_example_configuration_is_valid_and_uses_the_deployed_data_dir():
    config = load_config(asset("deploy", "kiosk.toml"))
    assert config.data_path() == Path("/var/lib/kiosk")
    assert config.backoffice.url.startswith("https://")


# ---------------------------------------------------------------- the wheel

_PROBE = textwrap.dedent(
    """
    import json, sys, tomllib
    import kiosk
    from kiosk.paths import asset, assets_dir
    catalog = json.loads(asset("catalog", "admiville.json").read_text(encoding="utf-8"))
    print(json.dumps({
        "package": kiosk.__file__,
        "assets": str(assets_dir()),
        "sample": sorted(tomllib.loads(asset("kiosk.sample.toml").read_text("utf-8"))),
        "logo": asset("logo-admiville.svg").read_text("utf-8").lstrip().startswith("<"),
        "catalog": bool(catalog),
        "unit": asset("deploy", "kiosk.service").is_file(),
    }))
    """
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=110,
    )
    [built] = out.glob("borne_citoyenne-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_holds_the_four_packages_and_the_assets(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in PACKAGES:
        assert f"{package}/__init__.py" in names
    for path in ("kiosk.sample.toml", "logo-admiville.svg", "deploy/kiosk.service"):
        assert f"kiosk/assets/{path}" in names
    if (ROOT / "assets" / "catalog").is_dir():
        shipped = {p.relative_to(ROOT / "assets").as_posix()
                   for p in (ROOT / "assets" / "catalog").rglob("*") if p.is_file()}
        assert {f"kiosk/assets/{p}" for p in shipped} <= names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "kiosk = wiring.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


@pytest.mark.slow
def test_an_installed_copy_finds_its_assets_without_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
         str(wheel)],
        check=True, capture_output=True, timeout=110,
    )
    # -S: no site-packages, so neither the checkout's editable install nor the checkout
    # itself (cwd is elsewhere) can answer; only the installed copy on PYTHONPATH can.
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-S", "-c", _PROBE], cwd=tmp_path, env=env,
        check=True, capture_output=True, text=True, timeout=60,
    )
    found = json.loads(done.stdout)
    assert Path(found["package"]).is_relative_to(site)
    assert Path(found["assets"]) == site / "kiosk" / "assets"
    assert found["sample"] == sorted(tomllib.loads(asset("kiosk.sample.toml").read_text("utf-8")))
    assert found["logo"]
    assert found["catalog"]
    assert found["unit"]
