"""Where the bundled assets are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def assets_dir() -> Path:
    """The assets folder: inside the installed package, or at the top of a checkout."""
    installed = _PACKAGE_DIR / "assets"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "assets"


def asset(*parts: str) -> Path:
    """Path of one bundled asset, e.g. ``asset("kiosk.sample.toml")``."""
    return assets_dir().joinpath(*parts)
