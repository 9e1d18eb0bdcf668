"""The last good catalog stays in use when a broken one is offered."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from kiosk.catalog import CatalogError, CatalogStore, bundled_catalog_path
from tests.kiosk.catalog.samples import sample


def _good_bytes() -> bytes:
    return bundled_catalog_path().read_bytes()


def test_a_broken_catalog_never_replaces_the_good_one(tmp_path: Path) -> None:
    store = CatalogStore(cache_path=tmp_path / "cache" / "catalog.json")
    assert store.offer(_good_bytes()) is None
    good = store.current
    broken = json.loads(_good_bytes())
    broken["demarches"][0]["fields"][0]["type"] = "hologram"
    error = store.offer(json.dumps(broken).encode())
    assert isinstance(error, CatalogError)
    assert error.demarche_id == "acte-etat-civil"
    assert store.current is good
    assert store.last_error is error


def test_the_version_is_the_one_of_the_catalog_in_use(tmp_path: Path) -> None:
    store = CatalogStore()
    assert store.version is None
    store.offer(_good_bytes())
    first = hashlib.sha256(_good_bytes()).hexdigest()[:32]
    assert store.version == first
    changed = json.loads(_good_bytes())
    changed["demarches"][0]["title"]["fr"] = "Acte d'état civil (nouveau)"
    raw = json.dumps(changed).encode()
    store.offer(raw)
    assert store.version == hashlib.sha256(raw).hexdigest()[:32] != first
    store.offer(b"{ broken")
    assert store.version == hashlib.sha256(raw).hexdigest()[:32]  # still the one in use


def test_start_falls_back_to_the_cached_last_good_catalog(tmp_path: Path) -> None:
    cache = tmp_path / "catalog.json"
    CatalogStore(cache_path=cache).offer(_good_bytes())
    source = tmp_path / "source.json"
    source.write_text("{ broken", encoding="utf-8")
    store = CatalogStore(cache_path=cache)
    catalog = store.load(source)
    assert catalog.demarche("quel-service")
    assert store.last_error is not None
    assert "not valid JSON" in store.last_error.problem


def test_start_without_any_good_catalog_raises(tmp_path: Path) -> None:
    store = CatalogStore(cache_path=tmp_path / "none.json", pictogram_dir=tmp_path)
    source = tmp_path / "source.json"
    source.write_text(json.dumps(sample()), encoding="utf-8")
    with pytest.raises(CatalogError, match="no pictogram file"):
        store.load(source)
    assert store.current is None


def test_unreadable_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    store = CatalogStore()
    error = store.offer_file(tmp_path / "missing.json")
    assert error is not None
    assert "cannot read" in error.problem


def test_a_check_changes_nothing_until_the_catalog_is_used(tmp_path: Path) -> None:
    cache = tmp_path / "catalog.json"
    store = CatalogStore(cache_path=cache)
    catalog = store.check(_good_bytes())
    with pytest.raises(CatalogError):
        store.check(b"{ broken")
    assert (store.current, store.last_error, cache.exists()) == (None, None, False)
    store.use(catalog, _good_bytes())
    assert store.current is catalog
    assert cache.read_bytes() == _good_bytes()
