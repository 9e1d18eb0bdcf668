"""Qt's platform plugin and its libraries, the screen, the fonts.

The doctor never imports Qt: whatever needs Qt (can the platform plugin load, what does
the screen report, do the fonts register) runs in one short child process, so that a
broken Qt installation is reported as a FAIL line instead of killing the doctor.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from accessibility.sizes import DEFAULT_MM_PER_PIXEL, TOUCH_TARGET_MM, mm_per_pixel_from_dpi
from kiosk.config import Config
from kiosk.doctor.report import Check, CheckResult, Level, fail, ok, run_command, warn

QT_PROBE_TIMEOUT_S = 30.0


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


_OFFSCREEN_PLATFORMS = frozenset({"offscreen", "minimal"})


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
        return fail(name, f"Qt cannot start on '{probe.platform}': {probe.error} "
                           "(QT_DEBUG_PLUGINS=1 shows details)")
    if not has_display():
        return warn(name, f"no display; offscreen only ('{probe.platform}' loads)")
    return ok(name, f"'{probe.platform}' loads")


def shared_libraries() -> frozenset[str] | None:
    """Sonames the dynamic linker knows (``ldconfig -p``), or None when it cannot say."""
    ldconfig = shutil.which("ldconfig") or next(
        (p for p in ("/usr/sbin/ldconfig", "/sbin/ldconfig") if os.access(p, os.X_OK)), None
    )
    if ldconfig is None:
        return None
    done = run_command([ldconfig, "-p"])
    if done is None:
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
        return ok(name, f"the {platform} platform's libraries are installed")
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
        return ok(name, f"{size}[screen] mm_per_pixel = {target(configured)}")
    if screen is None:
        where = "no screen" if probe is None else "the screen gives no size"
        return warn(name, f"{where}; assuming a 21.5-inch 1920x1080 panel: "
                           f"{target(DEFAULT_MM_PER_PIXEL)}; set [screen] mm_per_pixel otherwise")
    mm_per_px = mm_per_pixel_from_dpi(screen[2])
    if mm_per_px == DEFAULT_MM_PER_PIXEL:
        return warn(name, f"{size}implausible, assuming a 21.5-inch panel: "
                           f"{target(mm_per_px)}; set [screen] mm_per_pixel")
    return ok(name, f"{size}{target(mm_per_px)}")


def font_families_from_fontconfig() -> frozenset[str]:
    """Families fontconfig knows (``fc-list``), for when Qt could not start."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    done = run_command([fc_list, ":", "family"])
    if done is None:
        return frozenset()
    return frozenset(f.strip() for line in done.stdout.splitlines() for f in line.split(","))


def languages_without_font(languages: Iterable[str]) -> list[str]:
    """The languages no installed font can write, as fontconfig says (``fc-list :lang=ar``);
    none when fontconfig cannot be asked."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    missing = []
    for language in languages:
        done = run_command([fc_list, f":lang={language}", "family"])
        if done is not None and done.returncode == 0 and not done.stdout.strip():
            missing.append(language)
    return missing


def check_fonts(config: Config) -> CheckResult:
    """Atkinson Hyperlegible registers from its package; DejaVu Sans (Arabic fallback) exists;
    each configured language has a font that writes it."""
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
    unwritten = languages_without_font(config.kiosk.languages)
    if unwritten:
        problems.append(f"no font writes {', '.join(unwritten)}: its text would show as "
                        "boxes (apt-get install fonts-dejavu-core)")
    if not problems:
        return ok(name, f"Atkinson Hyperlegible ({len(files)} files), DejaVu Sans, a font "
                        f"for {', '.join(config.kiosk.languages)}")
    level = Level.FAIL if "DejaVu Sans" not in families or unwritten else Level.WARN
    return CheckResult(level, name, "; ".join(problems))


CHECKS: tuple[Check, ...] = (
    check_qt_platform,
    check_xcb_libraries,
    check_wayland_libraries,
    check_display,
    check_fonts,
)
