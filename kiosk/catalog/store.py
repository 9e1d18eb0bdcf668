"""Keeping the last good catalog: a broken new catalog never reaches the screen.

``CatalogStore.offer()`` checks a new catalog; when it is good it becomes ``current`` (and
is copied to the cache file, when there is one, so the next start has it even if the
source is broken then); when it is bad, ``current`` does not change and the error is
returned and kept in ``last_error`` for logs and ``kiosk doctor``. ``offer()`` is
``check()`` then ``use()`` or ``refuse()``: a caller may check on another thread and
apply the result on the thread that reads ``current``.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.catalog.model import Catalog
from kiosk.catalog.parser import CatalogError, load_catalog_bytes
from kiosk.catalog.version import catalog_version
from kiosk.paths import asset

log = logging.getLogger(__name__)


def bundled_catalog_path() -> Path:
    """The demo catalog of Admiville shipped with the kiosk."""
    return asset("catalog", "admiville.json")


def pictograms_dir() -> Path:
    """The folder of bundled pictograms that catalogs name."""
    return asset("pictograms")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: for checking a catalog.

    Checking an 8 MiB catalog makes about a million objects; the collector would walk them
    again and again, each walk holding the GIL, a third of the check's time, and stop the
    GUI thread for 60 to 150 ms at a time while another thread checks (bench/catalog.py).
    What the check throws away is freed by reference counting as usual, and any cycle by
    the first collection after it. Left off if it was off (during start-up, see wiring.cli).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class CatalogStore:
    """Holds the catalog in use; replaces it only with a catalog that passed every check."""

    def __init__(self, cache_path: Path | None = None, pictogram_dir: Path | None = None) -> None:
        self.cache_path = cache_path
        self.pictogram_dir = pictogram_dir if pictogram_dir is not None else pictograms_dir()
        self.current: Catalog | None = None
        self.version: str | None = None  # catalog_version() of the current catalog's bytes
        self.last_error: CatalogError | None = None

    def check(self, raw: bytes) -> Catalog:
        """``raw`` as a checked catalog, or ``CatalogError``; changes nothing.

        Safe on any thread: the back-office link checks a download on its own thread (an
        8 MiB catalog takes a second) and hands the result to ``use()`` on the GUI thread.
        """
        with _collector_paused():
            return load_catalog_bytes(raw, pictogram_dir=self.pictogram_dir)

    def use(self, catalog: Catalog, raw: bytes) -> None:
        """Put a catalog that passed ``check()`` in use, and cache its bytes."""
        self.current = catalog
        self.version = catalog_version(raw)
        self.last_error = None
        self._write_cache(raw)

    def refuse(self, error: CatalogError, source: str) -> None:
        """Keep the current catalog, and ``error`` for logs and ``kiosk doctor``."""
        self.last_error = error
        log.warning("catalog from %s refused, keeping the last good one: %s", source, error)

    def offer(self, raw: bytes, source: str = "catalog") -> CatalogError | None:
        """Use ``raw`` if it is a good catalog; otherwise keep the current one and say why."""
        try:
            catalog = self.check(raw)
        except CatalogError as error:
            self.refuse(error, source)
            return error
        self.use(catalog, raw)
        return None

    def offer_file(self, path: Path) -> CatalogError | None:
        """``offer()`` the content of a file; an unreadable file is an error too."""
        try:
            raw = path.read_bytes()
        except OSError as error:
            self.last_error = CatalogError(f"cannot read {path}: {error.strerror}")
            return self.last_error
        return self.offer(raw, str(path))

    def load(self, path: Path | None = None) -> Catalog:
        """At start: the catalog at ``path`` (default: bundled), else the cached last good one.

        Raises the ``CatalogError`` of the source when neither can be used.
        """
        error = self.offer_file(path or bundled_catalog_path())
        if error is not None and self.cache_path is not None and self.cache_path.is_file():
            cached_error = self.offer(self.cache_path.read_bytes(), str(self.cache_path))
            if cached_error is None:
                self.last_error = error  # still report why the source was refused
        if self.current is None:
            raise error or CatalogError("no catalog")
        return self.current

    def _write_cache(self, raw: bytes) -> None:
        if self.cache_path is None:
            return
        # Write then rename, so a crash never leaves half a catalog in the cache.
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.cache_path.with_suffix(".tmp")
        temporary.write_bytes(raw)
        os.replace(temporary, self.cache_path)
