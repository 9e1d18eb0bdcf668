"""What start-up does for time and memory: PySide's source reading, the garbage collector,
and what the welcome screen may not touch."""

from __future__ import annotations

import gc
import importlib
import linecache
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from PySide6 import QtCore  # noqa: F401 - PySide installs its import hook on import

from kiosk.pyside_sources import CHECK_NAME, FEATURE_MODULE, answer_from_file_bytes
from wiring.cli import main
from wiring.commands.run import settle_after_startup


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


# Starts the kiosk as the ``kiosk`` command does and reports, at READY=1, whether PySide
# has built its ``Qt`` namespace: the first ``Qt.`` constant builds all 93 of its enums,
# about 15 ms of the start (docs/performance.md).
QT_NAMESPACE_PROBE = """
import os, sys
import PySide6.QtCore
import wiring.app
shown = wiring.app.KioskApp.show
def show(self):
    shown(self)
    print("Qt namespace built:", "Qt" in vars(PySide6.QtCore), flush=True)
    os._exit(0)
wiring.app.KioskApp.show = show
from wiring.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _qt_namespace_built_before_ready(tmp_path: Path, *argv: str) -> bool:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\nhide_cursor = true\n'
        '[backoffice]\nkind = "none"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", QT_NAMESPACE_PROBE, "--config", str(config), *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Qt namespace built:" in done.stdout, done.stderr
    return "Qt namespace built: True" in done.stdout


@pytest.mark.slow
def test_the_welcome_screen_is_shown_without_building_the_qt_namespace(tmp_path: Path):
    """Code that runs before READY=1 (the kiosk's window and welcome screen, the start of
    wiring.app) must not use ``Qt.``: see ui/screens/welcome.py for how it does without."""
    assert not _qt_namespace_built_before_ready(tmp_path), (
        "the Qt namespace is built before the welcome screen is shown: a module on the way"
        " to READY=1 uses Qt. (15 ms of start-up, see ui/screens/welcome.py)"
    )


@pytest.mark.slow
def test_the_probe_sees_the_qt_namespace_when_it_is_built(tmp_path: Path):
    """The control: a windowed kiosk is made frameless with ``Qt.WindowType`` first."""
    assert _qt_namespace_built_before_ready(tmp_path, "--windowed")
