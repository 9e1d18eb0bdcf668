"""Find and press widgets the way a screen reader does: by accessible name and role."""

from __future__ import annotations

from collections.abc import Iterator

import shiboken6
from PySide6.QtCore import QDeadlineTimer
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QWidget

Role = QAccessible.Role


def walk(root: QWidget) -> Iterator[QAccessibleInterface]:
    """Every visible accessible element under ``root``, depth first."""
    stack = [QAccessible.queryAccessibleInterface(root)]
    while stack:
        iface = stack.pop()
        if iface is None or not iface.isValid():
            continue
        if iface.state().invisible:
            continue
        yield iface
        stack.extend(iface.child(i) for i in reversed(range(iface.childCount())))


def find(root: QWidget, name: str, role: QAccessible.Role = Role.Button) -> QAccessibleInterface:
    """The one visible element called ``name`` with ``role``; fails the test otherwise."""
    matches = [i for i in walk(root) if i.role() == role and i.text(QAccessible.Text.Name) == name]
    names = sorted({i.text(QAccessible.Text.Name) for i in walk(root) if i.role() == role})
    assert len(matches) == 1, f"{len(matches)} {role.name} named {name!r}; there are: {names}"
    return matches[0]


def find_widget(root: QWidget, name: str, role: QAccessible.Role = Role.Button) -> QWidget:
    widget = find(root, name, role).object()
    assert isinstance(widget, QWidget)
    return widget


def press(root: QWidget, name: str) -> None:
    """Press the button called ``name`` through its accessible action, as Orca would."""
    iface = find(root, name)
    actions = iface.actionInterface()
    assert actions is not None, f"{name!r} offers no action"
    actions.doAction(actions.pressAction())
    pressed = iface.object()
    del iface, actions  # see wait_for_release
    wait_for_release(pressed, name)


def wait_for_release(button: object, name: str) -> None:
    """A button's accessible press is animateClick(): it clicks when released, 100 ms later.

    A button may delete itself on click (a list redrawn): then it is done. Callers pass
    the widget, not its accessible interface, and hold no interface while events run: Qt
    deletes an interface with its widget without telling PySide, and a wrapper left
    behind at a reused address can crash a later deletion (seen as a rare segfault in
    shiboken's releaseWrapper in the e2e tests).
    """
    if not isinstance(button, QAbstractButton):
        return
    # shiboken6.isValid() can miss a deletion made on the C++ side (a parent deleting
    # its children), and isDown() on such a wrapper crashes: watch destroyed() too.
    gone: list[bool] = []
    button.destroyed.connect(lambda: gone.append(True))

    def down() -> bool:
        return not gone and shiboken6.isValid(button) and button.isDown()

    deadline = QDeadlineTimer(2000)
    while down() and not deadline.hasExpired():
        QTest.qWait(5)
    assert not down(), f"{name!r} stayed down"


def names(root: QWidget, role: QAccessible.Role = Role.Button) -> list[str]:
    return [i.text(QAccessible.Text.Name) for i in walk(root) if i.role() == role]


def name_of(iface: QAccessibleInterface) -> str:
    return iface.text(QAccessible.Text.Name)


def role_of(widget: QWidget) -> QAccessible.Role:
    """The role a screen reader is told for ``widget``."""
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None, f"{widget!r} has no accessible element"
    return iface.role()


def group_of(iface: QAccessibleInterface) -> QAccessibleInterface | None:
    """The nearest group (panel) around ``iface``: what names a radio button's group."""
    parent = iface.parent()
    while parent is not None and parent.isValid():
        if parent.role() in (Role.Grouping, Role.Pane, Role.Border):
            return parent
        parent = parent.parent()
    return None


def children(iface: QAccessibleInterface) -> list[QAccessibleInterface]:
    """The visible elements right under ``iface`` (what Orca lists inside it)."""
    found = (iface.child(i) for i in range(iface.childCount()))
    return [c for c in found if c is not None and c.isValid() and not c.state().invisible]
