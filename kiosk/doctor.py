"""The checks of ``kiosk doctor``: one function per check, each returning a ``CheckResult``.

The doctor process never imports Qt: whatever needs Qt (can the platform plugin load, what
does the screen report, do the fonts register) runs in one short child process, so that a
broken Qt installation is reported as a FAIL line instead of killing the doctor. Nothing
here prints personal data: counts, names of packages, paths and versions only.
"""

from __future__ import annotations

import base64
import enum
import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import keyring

from accessibility.sizes import DEFAULT_MM_PER_PIXEL, TOUCH_TARGET_MM, mm_per_pixel_from_dpi
from kiosk import secrets
from kiosk.config import Config
from kiosk.connectors.addresses import address_problem
from kiosk.connectors.signing import DEFAULT_MAX_SKEW, fingerprint
from kiosk.doctor_backoffice import BACKOFFICE_CHECKS
from kiosk.security.pin import is_pin_hash
from kiosk.security.technician import technician_pin_hash

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

    from offline_queue.store import QueueStatus

MIB = 1024 * 1024
GIB = 1024 * MIB
DISK_WARN_BYTES = GIB
DISK_FAIL_BYTES = 100 * MIB
PROBE_SECRET = "doctor-probe"  # noqa: S105 - the name of a throw-away keyring entry
QT_PROBE_TIMEOUT_S = 30.0
COMMAND_TIMEOUT_S = 10.0
CLOCK_PROBE_TIMEOUT_S = 3.0
CLOCK_DRIFT_WARN_S = 30.0  # a back office refuses beyond DEFAULT_MAX_SKEW (300 s)

# Shared objects Qt's platform plugins need and the Debian package of each.
XCB_LIBRARIES: Mapping[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}
WAYLAND_LIBRARIES: Mapping[str, str] = {
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libxkbcommon.so.0": "libxkbcommon0",
}
# Debian packages of the usual speech players, to name what to install.
PLAYER_PACKAGES: Mapping[str, str] = {
    "aplay": "alsa-utils",
    "pw-play": "pipewire-bin",
    "paplay": "pulseaudio-utils",
}
_OFFSCREEN_PLATFORMS = frozenset({"offscreen", "minimal"})


class Level(enum.Enum):
    """How bad a finding is. Any FAIL makes ``kiosk doctor`` exit with 1."""

    OK = "OK"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: a level, the check's name and a one-line detail."""

    level: Level
    name: str
    detail: str

    def line(self) -> str:
        """``OK    name: detail``: the level padded so that the names line up."""
        return f"{self.level.value:<4}  {self.name}: {self.detail}"


Check = Callable[[Config], CheckResult]


def check_name(check: Check) -> str:
    """``check_data_dir`` -> ``data-dir``: the name of a check in messages about it."""
    return check.__name__.removeprefix("check_").replace("_", "-")


def _ok(name: str, detail: str) -> CheckResult:
    return CheckResult(Level.OK, name, detail)


def _warn(name: str, detail: str) -> CheckResult:
    return CheckResult(Level.WARN, name, detail)


def _fail(name: str, detail: str) -> CheckResult:
    return CheckResult(Level.FAIL, name, detail)


# ---------------------------------------------------------------- configuration and user


def check_config(config: Config) -> CheckResult:
    """Where the configuration came from; WARN on the demo defaults, FAIL on a back-office
    address the kiosk refuses (connectors.addresses: https unless on this machine)."""
    name = "config"
    if config.source == Config().source:
        return _warn(name, "embedded defaults (the Admiville demo); copy assets/kiosk.sample"
                           ".toml to /etc/kiosk/kiosk.toml and adapt it")
    problem = address_problem(config.backoffice.url)
    if config.backoffice.kind == "http" and problem:
        return _fail(name, f"{config.source}: [backoffice] url is not valid: expected {problem}")
    return _ok(name, f"{config.source} is valid")


def check_user(config: Config) -> CheckResult:
    """WARN when run as root: the kiosk runs as its own user, whose rights matter."""
    if os.geteuid() == 0 and config.security.keyring_backend == secrets.SYSTEMD_CREDS:
        return _warn("user", "running as root, as systemd credentials need; the data-dir "
                             "check is the kiosk user's: sudo -u kiosk kiosk doctor")
    if os.geteuid() == 0:
        return _warn("user", "running as root; run as the kiosk's user for meaningful "
                             "data-dir and keyring checks (sudo -u kiosk kiosk doctor)")
    return _ok("user", f"uid {os.geteuid()}")


# ---------------------------------------------------------------- storage


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_data_dir(config: Config) -> CheckResult:
    """The data directory exists and a file can be created, synced and removed in it."""
    name = "data-dir"
    path = config.data_path()
    if not path.exists():
        parent = _existing_ancestor(path)
        if parent.is_dir() and os.access(parent, os.W_OK):
            return _warn(name, f"{path} does not exist yet; the kiosk creates it at start")
        return _fail(name, f"{path} does not exist and {parent} is not writable")
    if not path.is_dir():
        return _fail(name, f"{path} is not a directory")
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".doctor-") as probe:
            probe.write(b"doctor")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        return _fail(name, f"{path} is not writable ({error.strerror})")
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        return _warn(name, f"{path} is writable but open to others (mode {mode:04o}; 0700 wanted)")
    return _ok(name, f"{path} is writable (mode {mode:04o})")


def disk_level(free_bytes: int) -> Level:
    """FAIL under 100 MiB free, WARN under 1 GiB, else OK."""
    if free_bytes < DISK_FAIL_BYTES:
        return Level.FAIL
    if free_bytes < DISK_WARN_BYTES:
        return Level.WARN
    return Level.OK


def check_disk(config: Config) -> CheckResult:
    """Free space on the file system of the data directory."""
    where = _existing_ancestor(config.data_path())
    try:
        free = shutil.disk_usage(where).free
    except OSError as error:
        return _fail("disk", f"cannot measure free space on {where} ({error.strerror})")
    return CheckResult(disk_level(free), "disk", f"{free / GIB:.1f} GiB free on {where}")


# ---------------------------------------------------------------- secrets


def foreign_owner(config: Config) -> int | None:
    """The owner's uid when root runs the doctor on a data directory that is not root's.

    Root would then create root-owned keyring files there that the kiosk cannot read: the
    keyring, PIN and queue checks are skipped and the technician told to use the kiosk user.
    """
    path = config.data_path()
    if config.security.keyring_backend == secrets.SYSTEMD_CREDS:
        return None  # secrets outside the data directory, which root only reads
    if os.geteuid() != 0 or not path.is_dir():
        return None
    owner = path.stat().st_uid
    return owner if owner != 0 else None


def uses_kiosk_keyring(check: Check) -> Check:
    """Skip ``check`` (WARN) when ``foreign_owner`` says root would spoil the kiosk's keyring."""

    @functools.wraps(check)
    def guarded(config: Config) -> CheckResult:
        owner = foreign_owner(config)
        if owner is None:
            return check(config)
        return _warn(check_name(check), f"skipped: root must not write the keyring of uid "
                                        f"{owner}; run `sudo -u kiosk kiosk doctor`")

    return guarded


@uses_kiosk_keyring
def check_keyring(config: Config) -> CheckResult:
    """Install the configured backend (as the kiosk does), then store, read and delete a probe.

    WARN on a plaintext backend, FAIL on it when ``[security] deployed``; FAIL when it
    cannot be loaded or does not keep a secret. Encrypted credentials are only read
    (``check_credentials``): the doctor never writes them.
    """
    name = "keyring"
    try:  # creates no folder: the doctor leaves the data folder as it finds it
        backend = secrets.configure_keyring(config.security, config.data_path(),
                                            create_dirs=False)
    except (secrets.SecretsError, OSError) as error:
        return _fail(name, str(error))
    if config.security.keyring_backend == secrets.SYSTEMD_CREDS:
        return check_credentials(config)
    return probe_keyring(config, backend)


def probe_keyring(config: Config, backend: KeyringBackend) -> CheckResult:
    """Store, read and delete a probe; a plaintext file not made yet is left unmade (the
    probe would make it, and the folders above it)."""
    name = "keyring"
    described = secrets.describe_backend(backend)
    keyring_file = getattr(backend, "file_path", None)
    if keyring_file and not Path(keyring_file).exists():
        return plaintext_verdict(config, f"{described}: plaintext ({keyring_file}, not made "
                                         "yet: the kiosk or `kiosk enroll` makes it)")
    token = base64.b64encode(os.urandom(12)).decode("ascii")
    try:
        secrets.set_secret(PROBE_SECRET, token)
        read_back = secrets.get_secret(PROBE_SECRET)
        keyring.delete_password(secrets.SERVICE, PROBE_SECRET)
    except Exception as error:  # keyring backends raise many kinds of errors
        return _fail(name, f"{described} cannot store a secret ({type(error).__name__}: {error})")
    if read_back != token:
        return _fail(name, f"{described} does not give back what it stored")
    if secrets.is_plaintext(backend):
        return plaintext_verdict(config, f"{described}: plaintext "
                                         f"({getattr(backend, 'file_path', 'a file')})")
    return _ok(name, f"{described} stores and reads secrets")


def plaintext_verdict(config: Config, described: str) -> CheckResult:
    """A plaintext keyring: WARN for development, FAIL on a deployed terminal."""
    if config.security.deployed:
        return _fail("keyring", f"{described} on a deployed terminal: a copy of the disk "
                                "decrypts every waiting request; set [security] "
                                'keyring_backend = "systemd-creds" and enrol again')
    return _warn("keyring", f"{described}, for development only; a terminal uses "
                            '[security] keyring_backend = "systemd-creds"')


def needed_secrets(config: Config) -> tuple[str, ...]:
    """The keys the kiosk cannot start without (the PIN has a default, the doctor's own check)."""
    needed = secrets.DATA_KEYS
    return needed if config.backoffice.kind == "none" else (*needed, secrets.TERMINAL_SECRET)


def check_credentials(config: Config) -> CheckResult:
    """Each key the kiosk needs is an encrypted credential that can be read back."""
    name = "keyring"
    where = f"systemd credentials in {config.security.credstore}"
    for secret in needed_secrets(config):
        try:
            secrets.get_key(secret)
        except secrets.MissingSecretError as error:
            return _fail(name, f"{where}: {error}")
        except secrets.SecretsError as error:
            return _warn(name, f"{where}: {error}; run `kiosk doctor` as root to read them")
    return _ok(name, f"{where}: {', '.join(needed_secrets(config))} enrolled and readable")


@uses_kiosk_keyring
def check_pairing(config: Config) -> CheckResult:
    """The terminal secret shared with the back office: its fingerprint, or, while none is
    enrolled, that requests are queued and none is sent (FAIL on a deployed terminal)."""
    name = "pairing"
    if config.backoffice.kind != "http":
        return _ok(name, f"no terminal secret ([backoffice] kind = {config.backoffice.kind})")
    try:
        secret = secrets.get_key(secrets.TERMINAL_SECRET)
    except secrets.MissingSecretError:
        level = Level.FAIL if config.security.deployed else Level.WARN
        return CheckResult(level, name, "no terminal secret: requests are queued and none is "
                                        "sent; pair the terminal: kiosk enroll terminal-secret")
    except secrets.SecretsError as error:
        return _warn(name, str(error))
    return _ok(name, f"{config.backoffice.terminal_id} {fingerprint(secret)}: the back office "
                     "lists the same (kiosk-receiver terminal list)")


@uses_kiosk_keyring
def check_technician_pin(config: Config) -> CheckResult:
    """FAIL while the default technician PIN is active or the configured hash is unusable."""
    name = "technician-pin"
    if config.security.technician_pin_hash:
        if not is_pin_hash(config.security.technician_pin_hash):
            return _fail(name, "[security] technician_pin_hash is not a hash made by "
                               "`kiosk enroll technician`: no PIN can open the kiosk")
        return _ok(name, "enrolled ([security] technician_pin_hash)")
    try:
        stored = technician_pin_hash(config)
    except Exception as error:  # the keyring check above says more
        return _fail(name, f"cannot read the keyring ({type(error).__name__})")
    if stored is None:
        return _fail(name, "not enrolled: the default PIN is active; "
                           "run `kiosk enroll technician`")
    if not is_pin_hash(stored):
        return _fail(name, "the keyring entry is not a PIN hash; run `kiosk enroll technician`")
    return _ok(name, "enrolled (keyring)")


def queue_status(config: Config, name: str) -> QueueStatus | CheckResult:
    """The offline queue's status, or the result to give when it cannot be read (never
    creates the file; reads the keyring: see ``uses_kiosk_keyring``)."""
    from kiosk.commands.queue import queue_path
    from offline_queue.store import QueueStore

    path = queue_path(config)
    if not path.exists():
        return _ok(name, f"no queue yet ({path})")
    stored_key = secrets.get_secret(secrets.QUEUE_DATA_KEY)
    if not stored_key:
        return _fail(name, f"{path} exists but its data key is missing from the keyring")
    try:
        key = base64.b64decode(stored_key, validate=True)
        with QueueStore(path, key, retention_seconds=config.queue.retention_days * 86400) as q:
            return q.status()
    except Exception as error:  # a wrong key, a damaged file, a newer schema...
        return _fail(name, f"{path}: {type(error).__name__}: {error}")


@uses_kiosk_keyring
def check_queue(config: Config) -> CheckResult:
    """A summary of the offline queue when its file exists (never creates it)."""
    from kiosk.commands.queue import describe_pause
    from offline_queue.store import State

    name = "queue"
    status = queue_status(config, name)
    if isinstance(status, CheckResult):
        return status
    counts = ", ".join(f"{state.value} {status.counts[state]}" for state in State)
    if status.paused:
        return _fail(name, f"deliveries {describe_pause(status)}; {counts}")
    if status.counts[State.DEAD] or status.expiring_soon:
        return _warn(name, f"{counts}; {status.expiring_soon} expiring soon; "
                           "see `kiosk queue list --state dead`")
    return _ok(name, counts)


# ---------------------------------------------------------------- clock


def ntp_synchronized() -> bool | None:
    """``timedatectl``'s NTPSynchronized, or None when it cannot say (no systemd)."""
    timedatectl = shutil.which("timedatectl")
    if timedatectl is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603 - a fixed system program
            [timedatectl, "show", "--property=NTPSynchronized", "--value"],
            capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return {"yes": True, "no": False}.get(done.stdout.strip())


def back_office_skew(config: Config) -> float | None:
    """The back office's clock minus ours, from its health answer; None without one."""
    from kiosk.connectors.http_api import back_office_clock_skew

    if config.backoffice.kind != "http":
        return None
    return back_office_clock_skew(config.backoffice.url, timeout=CLOCK_PROBE_TIMEOUT_S)


def check_clock(config: Config) -> CheckResult:
    """The terminal's clock: close to the back office's now (the ``Date`` of its health
    answer), not refused by it lately (recorded in the queue), NTP-synchronised.

    FAIL when the back office refuses it (requests wait), WARN when it drifts or is not
    synchronised, or when a refusal is recorded but the clock is right by now.
    """
    from kiosk.commands.queue import CHECK_NTP, describe_clock_error, describe_skew

    name = "clock"
    recorded = None if foreign_owner(config) is not None else queue_status(config, name)
    refused = None  # the queue check reports a queue that cannot be read
    if recorded is not None and not isinstance(recorded, CheckResult):
        refused = describe_clock_error(recorded)
    skew = back_office_skew(config)
    if skew is not None and abs(skew) > DEFAULT_MAX_SKEW:
        return _fail(name, f"{describe_skew(skew)}, which refuses requests more than "
                           f"{DEFAULT_MAX_SKEW:.0f} s off: requests wait; {CHECK_NTP}")
    if refused is not None:
        if skew is None:
            return _fail(name, refused)
        return _warn(name, f"{refused}. Right by now ({describe_skew(skew)}): the waiting "
                           "requests go at their next retry ('Envoyer maintenant': at once)")
    if ntp_synchronized() is False:
        return _warn(name, f"not synchronised by NTP; {CHECK_NTP}")
    if skew is None:
        return _ok(name, "no refusal recorded; the back office does not answer to compare")
    drifting = abs(skew) > CLOCK_DRIFT_WARN_S
    detail = describe_skew(skew) + (f": drifting; {CHECK_NTP}" if drifting else "")
    return CheckResult(Level.WARN if drifting else Level.OK, name, detail)


def check_demarches(config: Config) -> CheckResult:
    """Which démarches the configured back office cannot take (residents are not offered
    them: ``Catalog.offered``); the catalog checked is the one the kiosk starts with."""
    from kiosk.catalog.model import BACKOFFICE_KINDS
    from kiosk.catalog.parser import CatalogError, load_catalog
    from kiosk.catalog.store import bundled_catalog_path, pictograms_dir

    name = "demarches"
    path = Path(config.catalog.path) if config.catalog.path else bundled_catalog_path()
    try:
        catalog = load_catalog(path, pictogram_dir=pictograms_dir())
    except CatalogError as error:
        return _fail(name, f"{path}: {error} (`kiosk catalog check` names every problem)")
    kind = config.backoffice.kind
    count = len(catalog.demarches)
    if kind not in BACKOFFICE_KINDS:
        return _ok(name, f"{count} offered (the {kind} back office needs no mapping)")
    unmapped = [d.id for d in catalog.unmapped(kind)]
    if len(unmapped) == count:
        return _fail(name, f"no démarche is mapped to {kind}: residents are offered none")
    if unmapped:
        return _warn(name, f"{count - len(unmapped)} offered; not offered (no {kind} mapping): "
                           + ", ".join(unmapped))
    return _ok(name, f"{count} offered, all mapped to {kind}")


# ---------------------------------------------------------------- Qt, display, fonts


def target_platform(environ: Mapping[str, str] | None = None) -> str | None:
    """The Qt platform the kiosk would use, or None when there is no display at all."""
    env = os.environ if environ is None else environ
    if env.get("QT_QPA_PLATFORM"):
        return env["QT_QPA_PLATFORM"].split(":", 1)[0]
    if env.get("WAYLAND_DISPLAY"):
        return "wayland"
    if env.get("DISPLAY"):
        return "xcb"
    return None


def has_display(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the kiosk would draw on a real screen (not an offscreen platform)."""
    platform = target_platform(environ)
    return platform is not None and platform not in _OFFSCREEN_PLATFORMS


def atkinson_font_files() -> tuple[str, ...]:
    """The TrueType files of Atkinson Hyperlegible from the fontpkg package, if installed."""
    try:
        import fontpkg_atkinson_hyperlegible as atkinson
    except ImportError:
        return ()
    return tuple(str(p) for p in sorted((Path(atkinson.ROOT) / "files").glob("*.ttf")))


_QT_PROBE = """
import json, sys
from PySide6.QtGui import QFontDatabase, QGuiApplication
app = QGuiApplication(sys.argv[:1])
screens = [{"width": s.size().width(), "height": s.size().height(),
            "dpi": s.physicalDotsPerInch()} for s in app.screens()]
registered = [QFontDatabase.addApplicationFont(f) >= 0 for f in sys.argv[1:]]
families = sorted(set(QFontDatabase.families()) & {"Atkinson Hyperlegible", "DejaVu Sans"})
print(json.dumps({"platform": app.platformName(), "screens": screens,
                  "fonts_registered": all(registered) and bool(registered),
                  "families": families}))
"""


@dataclass(frozen=True)
class QtProbe:
    """What a child process found when it started Qt on the target platform."""

    platform: str
    ok: bool
    error: str = ""
    screens: tuple[tuple[int, int, float], ...] = ()  # width, height, dpi
    fonts_registered: bool = False
    families: frozenset[str] = field(default_factory=frozenset)


def _missing_libraries(stderr: str) -> list[str]:
    return sorted(set(re.findall(r"(\S+\.so[.\d]*): cannot open shared object file", stderr)))


@functools.cache
def run_qt_probe(platform: str, font_files: tuple[str, ...]) -> QtProbe:
    """Start a QGuiApplication on ``platform`` in a child process (once per platform)."""
    env = dict(os.environ, QT_QPA_PLATFORM=platform, QT_DEBUG_PLUGINS="1")
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", _QT_PROBE, *font_files],
            env=env, capture_output=True, text=True, timeout=QT_PROBE_TIMEOUT_S, check=False,
        )
    except subprocess.TimeoutExpired:
        return QtProbe(platform, False, f"Qt did not start within {QT_PROBE_TIMEOUT_S:.0f} s")
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        missing = _missing_libraries(done.stderr)
        if missing:
            return QtProbe(platform, False, "missing " + ", ".join(missing))
        reasons = [ln for ln in done.stderr.splitlines()
                   if "Could not" in ln or "xcb-cursor0" in ln or "Error" in ln]
        return QtProbe(platform, False, (reasons or [f"exit code {done.returncode}"])[-1])
    found = json.loads(lines[-1])
    screens = tuple((s["width"], s["height"], float(s["dpi"])) for s in found["screens"])
    return QtProbe(found["platform"], True, "", screens, bool(found["fonts_registered"]),
                   frozenset(found["families"]))


def qt_probe() -> QtProbe:
    """The probe for the platform the kiosk would use (offscreen when there is no display)."""
    return run_qt_probe(target_platform() or "offscreen", atkinson_font_files())


def check_qt_platform(config: Config) -> CheckResult:
    """The Qt platform plugin loads: xcb/wayland with a display, else offscreen (WARN)."""
    name = "qt-platform"
    probe = qt_probe()
    if not probe.ok:
        return _fail(name, f"Qt cannot start on '{probe.platform}': {probe.error} "
                           "(QT_DEBUG_PLUGINS=1 shows details)")
    if not has_display():
        return _warn(name, f"no display; offscreen only ('{probe.platform}' loads)")
    return _ok(name, f"'{probe.platform}' loads")


def shared_libraries() -> frozenset[str] | None:
    """Sonames the dynamic linker knows (``ldconfig -p``), or None when it cannot say."""
    ldconfig = shutil.which("ldconfig") or next(
        (p for p in ("/usr/sbin/ldconfig", "/sbin/ldconfig") if os.access(p, os.X_OK)), None
    )
    if ldconfig is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603 - a fixed system program
            [ldconfig, "-p"], capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return frozenset(line.split()[0] for line in done.stdout.splitlines()[1:] if line.strip())


def missing_libraries(wanted: Iterable[str], known: frozenset[str] | None) -> list[str]:
    """The sonames of ``wanted`` the system lacks (ctypes' lookup when ldconfig is absent)."""
    if known is not None:
        return [soname for soname in wanted if soname not in known]
    import ctypes.util

    return [s for s in wanted if ctypes.util.find_library(s[3:].split(".so")[0]) != s]


def _check_libraries(name: str, platform: str, libraries: Mapping[str, str]) -> CheckResult:
    missing = missing_libraries(libraries, shared_libraries())
    if not missing:
        return _ok(name, f"the {platform} platform's libraries are installed")
    packages = " ".join(libraries[soname] for soname in missing)
    detail = (f"missing {', '.join(missing)}; install: apt-get install {packages}")
    needed = target_platform() == platform
    return CheckResult(Level.FAIL if needed else Level.WARN, name, detail)


def check_xcb_libraries(config: Config) -> CheckResult:
    """Qt's xcb plugin (X11, the fallback) needs libraries a bare Debian lacks."""
    return _check_libraries("xcb-libraries", "xcb", XCB_LIBRARIES)


def check_wayland_libraries(config: Config) -> CheckResult:
    """Qt's wayland plugin (under cage, the deployed set-up) needs its client libraries."""
    return _check_libraries("wayland-libraries", "wayland", WAYLAND_LIBRARIES)


def check_display(config: Config) -> CheckResult:
    """Screen size, DPI and the millimetres per pixel every size in the kiosk is built on."""
    name = "display"
    configured = config.screen.mm_per_pixel
    probe = qt_probe() if has_display() else None
    screen = probe.screens[0] if probe is not None and probe.ok and probe.screens else None
    size = f"{screen[0]}x{screen[1]} px, {screen[2]:.0f} dpi reported; " if screen else ""

    def target(mm_per_px: float) -> str:
        return f"{mm_per_px:.3f} mm/px ({TOUCH_TARGET_MM:.0f} mm = " \
               f"{round(TOUCH_TARGET_MM / mm_per_px)} px)"

    if configured > 0:
        return _ok(name, f"{size}[screen] mm_per_pixel = {target(configured)}")
    if screen is None:
        where = "no screen" if probe is None else "the screen gives no size"
        return _warn(name, f"{where}; assuming a 21.5-inch 1920x1080 panel: "
                           f"{target(DEFAULT_MM_PER_PIXEL)}; set [screen] mm_per_pixel otherwise")
    mm_per_px = mm_per_pixel_from_dpi(screen[2])
    if mm_per_px == DEFAULT_MM_PER_PIXEL:
        return _warn(name, f"{size}implausible, assuming a 21.5-inch panel: "
                           f"{target(mm_per_px)}; set [screen] mm_per_pixel")
    return _ok(name, f"{size}{target(mm_per_px)}")


def font_families_from_fontconfig() -> frozenset[str]:
    """Families fontconfig knows (``fc-list``), for when Qt could not start."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    try:
        done = subprocess.run(  # noqa: S603 - a fixed system program
            [fc_list, ":", "family"], capture_output=True, text=True,
            timeout=COMMAND_TIMEOUT_S, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(f.strip() for line in done.stdout.splitlines() for f in line.split(","))


def check_fonts(config: Config) -> CheckResult:
    """Atkinson Hyperlegible registers from its package; DejaVu Sans (Arabic fallback) exists."""
    name = "fonts"
    files = atkinson_font_files()
    probe = qt_probe()
    families = probe.families if probe.ok else font_families_from_fontconfig()
    problems = []
    if not files:
        problems.append("Atkinson Hyperlegible missing (pip package "
                        "fontpkg-atkinson-hyperlegible)")
    elif probe.ok and not probe.fonts_registered:
        problems.append("Qt cannot register Atkinson Hyperlegible")
    if "DejaVu Sans" not in families:
        problems.append("DejaVu Sans missing (apt-get install fonts-dejavu-core)")
    if not problems:
        return _ok(name, f"Atkinson Hyperlegible ({len(files)} files), DejaVu Sans")
    level = Level.FAIL if "DejaVu Sans" not in families else Level.WARN
    return CheckResult(level, name, "; ".join(problems))


# ---------------------------------------------------------------- speech and audio


def check_voices(config: Config) -> CheckResult:
    """An espeak-ng voice for each configured language (EN 301 549: speech in the shown one)."""
    from accessibility.speech.engine import SynthesisError
    from accessibility.voices import available_voices

    name = "voices"
    try:
        voices = available_voices()
    except (SynthesisError, RuntimeError, OSError) as error:
        return _fail(name, f"espeak-ng unavailable ({error}); apt-get install espeak-ng "
                           "libespeak-ng1 espeak-ng-data")
    chosen = {lang: voices.get(lang) for lang in config.kiosk.languages}
    described = ", ".join(f"{lang}={voice or 'NONE'}" for lang, voice in chosen.items())
    missing = [lang for lang, voice in chosen.items() if voice is None]
    if missing:
        level = Level.FAIL if config.speech.enabled else Level.WARN
        return CheckResult(level, name, f"{described}; no voice for {', '.join(missing)} "
                                        "(apt-get install espeak-ng-data)")
    if not config.speech.enabled:
        return _warn(name, f"{described}; but speech is disabled ([speech] enabled = false)")
    return _ok(name, described)


def check_audio_player(config: Config) -> CheckResult:
    """The first word of ``[speech] player`` is a program on PATH."""
    name = "audio-player"
    try:
        words = shlex.split(config.speech.player)
    except ValueError as error:
        return _fail(name, f"[speech] player = {config.speech.player!r}: {error}")
    program = words[0] if words else ""
    found = shutil.which(program) if program else None
    if found:
        return _ok(name, f"{program} ({found})")
    package = PLAYER_PACKAGES.get(Path(program).name)
    hint = f"; apt-get install {package}" if package else ""
    detail = f"'{program}' from [speech] player is not on PATH{hint}"
    return CheckResult(Level.FAIL if config.speech.enabled else Level.WARN, name, detail)


def check_audio_device(config: Config) -> CheckResult:
    """An ALSA sound card exists (``aplay -l``); WARN when none, or when it cannot be told."""
    name = "audio-device"
    aplay = shutil.which("aplay")
    if aplay is None:
        return _warn(name, "aplay not found (apt-get install alsa-utils); cannot list cards")
    try:
        done = subprocess.run(  # noqa: S603 - a fixed system program
            [aplay, "-l"], capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return _warn(name, f"aplay -l failed ({error})")
    cards = [line for line in done.stdout.splitlines() if line.startswith("card ")]
    if "no soundcards found" in done.stdout + done.stderr or (done.returncode == 0 and not cards):
        return _warn(name, "no sound card found (aplay -l); speech will be silent")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        return _warn(name, f"aplay -l: {last}")
    return _ok(name, f"{len(cards)} playback device(s); first: {cards[0].split(':', 1)[1].strip()}")


# ---------------------------------------------------------------- all together

# In this order: the keyring check installs the configured backend the next two read.
ALL_CHECKS: tuple[Check, ...] = (
    check_config,
    check_user,
    check_data_dir,
    check_disk,
    check_keyring,
    check_pairing,
    check_technician_pin,
    check_queue,
    check_clock,
    check_demarches,
    *BACKOFFICE_CHECKS,  # w.c.s. and Open311 asked for real
    check_qt_platform,
    check_xcb_libraries,
    check_wayland_libraries,
    check_display,
    check_fonts,
    check_voices,
    check_audio_player,
    check_audio_device,
)


def run_checks(config: Config, checks: Iterable[Check] = ALL_CHECKS) -> list[CheckResult]:
    """Run every check; a check that crashes is a FAIL line, never the end of the doctor."""
    results = []
    for check in checks:
        try:
            results.append(check(config))
        except Exception as error:
            results.append(_fail(check_name(check), f"the check crashed: "
                                                    f"{type(error).__name__}: {error}"))
    return results
