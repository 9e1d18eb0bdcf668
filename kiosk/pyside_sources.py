"""Stop PySide from keeping the source text of every module the kiosk imports.

Once PySide6 is imported, it asks of every module imported after it whether its source
mentions "PySide6" (PYSIDE-2029, for its ``__feature__`` switches). It asks through
``inspect.getsource``, which reads the whole file through ``linecache`` and keeps every
line of it for the life of the process: about 10 MiB for the kiosk's 400 modules, a
tenth of its memory, and time at start-up. Freeing that cache later does not give the
memory back to the system.

``answer_from_file_bytes`` gives PySide the same answer from the file's bytes, which are
dropped at once. It replaces a private function of PySide: when a PySide release
renames it, nothing is replaced, the kiosk works as before (with the memory cost), a
warning says so in the journal, and tests/kiosk/test_startup.py fails so that the
next engineer looks again.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from types import ModuleType

_log = logging.getLogger(__name__)
FEATURE_MODULE = "shibokensupport.feature"  # PySide's module holding the check
CHECK_NAME = "_mod_uses_pyside"
_MARK = "_kiosk_reads_bytes"


def _reads_bytes(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    @functools.wraps(original)  # keeps the original as __wrapped__
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)  # built-in, compiled or source-less: PySide's own way

    setattr(uses_pyside, _MARK, True)
    return uses_pyside


def answer_from_file_bytes() -> bool:
    """Install the byte-reading check (call once PySide6 is imported). True if installed."""
    feature = sys.modules.get(FEATURE_MODULE)
    original = getattr(feature, CHECK_NAME, None)
    if feature is None or not callable(original):
        _log.warning(
            "PySide6 changed: %s.%s not found; module sources stay in memory",
            FEATURE_MODULE,
            CHECK_NAME,
        )
        return False
    if not getattr(original, _MARK, False):
        setattr(feature, CHECK_NAME, _reads_bytes(original))
    return True
