"""What start-up does for time and memory: PySide's source reading, the garbage collector."""

from __future__ import annotations

import gc
import importlib
import linecache
import sys
import uuid
from pathlib import Path

import pytest
from PySide6 import QtCore  # noqa: F401 - PySide installs its import hook on import

from kiosk.cli import main
from kiosk.commands.run import settle_after_startup
from kiosk.pyside_sources import CHECK_NAME, FEATURE_MODULE, answer_from_file_bytes


@pytest.fixture(autouse=True)
def pyside_check_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test installs in PySide is undone after it."""
    feature = sys.modules[FEATURE_MODULE]
    monkeypatch.setattr(feature, CHECK_NAME, getattr(feature, CHECK_NAME))


@pytest.fixture
def module_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def _import_new_module(folder: Path, source: str) -> str:
    name = f"probe_{uuid.uuid4().hex}"
    (folder / f"{name}.py").write_text(source, encoding="utf-8")
    importlib.invalidate_caches()
    exec(f"import {name}", {})  # an import statement: PySide hooks those, not import_module
    return name


def _feature() -> object:
    return sys.modules[FEATURE_MODULE]


def test_pyside_as_shipped_keeps_every_imported_source_in_memory(module_dir, monkeypatch):
    """The control: without the fix, an imported module's whole source stays cached."""
    assert answer_from_file_bytes()
    installed = getattr(_feature(), CHECK_NAME)
    monkeypatch.setattr(_feature(), CHECK_NAME, installed.__wrapped__)
    name = _import_new_module(module_dir, "VALUE = 1\n")
    assert str(module_dir / f"{name}.py") in linecache.cache
    linecache.clearcache()


def test_with_the_fix_no_source_is_kept_and_pyside_gets_the_same_answers(module_dir):
    assert answer_from_file_bytes()
    installed = getattr(_feature(), CHECK_NAME)
    assert answer_from_file_bytes()  # twice: installed once, not wrapped again
    assert getattr(_feature(), CHECK_NAME) is installed
    assert not hasattr(installed.__wrapped__, "__wrapped__")
    uses_qt = _import_new_module(module_dir, "import PySide6.QtCore\nVALUE = 1\n")
    plain = _import_new_module(module_dir, "VALUE = 2\n")
    assert str(module_dir / f"{uses_qt}.py") not in linecache.cache
    assert str(module_dir / f"{plain}.py") not in linecache.cache
    # PySide's record: 0 for a module that uses PySide ("no feature"), -1 "ignore".
    decisions = _feature().pyside_feature_dict  # type: ignore[attr-defined]
    assert decisions[uses_qt] == 0
    assert decisions[plain] == -1


def test_a_pyside_without_the_check_is_left_alone(monkeypatch, caplog):
    monkeypatch.delattr(_feature(), CHECK_NAME)
    assert not answer_from_file_bytes()
    assert "PySide6 changed" in caplog.text


def test_after_startup_the_collector_runs_again_and_startup_objects_are_set_aside():
    gc.disable()
    try:
        settle_after_startup()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_start_that_fails_leaves_the_collector_on(tmp_path: Path, capsys):
    bad = tmp_path / "kiosk.toml"
    bad.write_text("[kiosk]\nidle_seconds = -1\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["--config", str(bad)])
    assert gc.isenabled()
    assert "idle_seconds" in capsys.readouterr().err
