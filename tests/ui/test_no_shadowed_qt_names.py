"""No attribute of ours hides a Qt method: ``panel.close()`` must close the panel.

Two such traps were found by review: a Delivery signal named ``event`` (hiding
``QObject.event``, which Qt calls for every event) and a panel button stored as
``self.close`` (so ``panel.close()`` raised). This walks every QObject of a running
kiosk and every QObject class of ours (kiosk/, ui/, wiring/, accessibility/), with the
``self.<name> =`` assignments in their source, and names any attribute that hides one of
Qt's.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap

from PySide6.QtCore import QObject, SignalInstance

import accessibility
import kiosk
import ui
import wiring


def qt_names(cls: type) -> set[str]:
    """Every name Qt's own classes in ``cls``'s ancestry define."""
    return {
        name
        for base in cls.__mro__
        if base.__module__.startswith(("PySide6", "shiboken6"))
        for name in vars(base)
        if not name.startswith("__")
    }


def our_qobject_classes() -> list[type]:
    found = []
    for package in (kiosk, ui, wiring, accessibility):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".receiver" in info.name or info.name.endswith(("__main__", ".demo")):
                continue
            module = importlib.import_module(info.name)
            found += [
                cls for _, cls in inspect.getmembers(module, inspect.isclass)
                if issubclass(cls, QObject) and cls.__module__ == module.__name__
            ]
    return found


def test_no_class_of_ours_redefines_a_qt_name_as_something_else():
    hidden = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in our_qobject_classes()
        for name, value in vars(cls).items()
        # PySide gives every subclass its own staticMetaObject: that one is Qt's doing.
        if name in qt_names(cls) and name != "staticMetaObject" and not inspect.isfunction(value)
    ]
    assert not hidden, f"these hide a Qt method or property: {hidden}"


def assigned_on_self(cls: type) -> set[str]:
    """The names its methods assign as ``self.<name> = ...`` (instance attributes)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    return {
        target.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name) and target.value.id == "self"
    }


def test_the_walk_reaches_the_qt_wiring():
    names = {cls.__qualname__ for cls in our_qobject_classes()}
    assert {"Delivery", "MediatorPanelCard", "KioskApp"} <= names


def test_no_class_of_ours_assigns_a_qt_name_on_self():
    hidden = sorted(
        f"{cls.__module__}.{cls.__qualname__}: self.{name}"
        for cls in our_qobject_classes()
        for name in assigned_on_self(cls) & qt_names(cls)
    )
    assert not hidden, f"these instance attributes would hide a Qt method: {hidden}"


def test_no_object_of_a_running_kiosk_hides_a_qt_method(make_kiosk):
    app = make_kiosk()
    objects = [
        app, app.window, *app.window.findChildren(QObject), *app.findChildren(QObject),
        app.delivery,
    ]
    hidden = sorted({
        f"{type(obj).__qualname__}.{name}"
        for obj in objects
        for name, value in getattr(obj, "__dict__", {}).items()
        # PySide caches a bound signal in the object under the signal's own name.
        if name in qt_names(type(obj)) and not isinstance(value, SignalInstance)
    })
    assert not hidden, f"these instance attributes hide a Qt method: {hidden}"
