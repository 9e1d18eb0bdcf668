"""The data folder (owner, mode, writable) and the free space around it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from kiosk.config import Config
from kiosk.doctor.report import Check, CheckResult, Level, fail, ok, warn

MIB = 1024 * 1024


GIB = 1024 * MIB


DISK_WARN_BYTES = GIB


DISK_FAIL_BYTES = 100 * MIB


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
            return warn(name, f"{path} does not exist yet; the kiosk creates it at start")
        return fail(name, f"{path} does not exist and {parent} is not writable")
    if not path.is_dir():
        return fail(name, f"{path} is not a directory")
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".doctor-") as probe:
            probe.write(b"doctor")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        return fail(name, f"{path} is not writable ({error.strerror})")
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        return warn(name, f"{path} is writable but open to others (mode {mode:04o}; 0700 wanted)")
    return ok(name, f"{path} is writable (mode {mode:04o})")


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
        return fail("disk", f"cannot measure free space on {where} ({error.strerror})")
    return CheckResult(disk_level(free), "disk", f"{free / GIB:.1f} GiB free on {where}")



CHECKS: tuple[Check, ...] = (
    check_data_dir,
    check_disk,
)
