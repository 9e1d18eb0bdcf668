"""Every screen as a screen reader (Orca, through QAccessible) finds it: each control has
a name and the role that says what it does, no two buttons on one screen share a name,
every screen, panel, dialog and image has a name, an option of a choice of one is a radio
button in a group named by its question, and a button is one element, never an unnamed
image and labels repeating its name (EN 301 549 11.5.2.5, 11.5.2.12; 5.1.3.3, 5.1.3.6)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QTextEdit,
    QWidget,
)

from tests.a11y import children, group_of, name_of, walk
from tests.e2e.module_kiosk import shared_kiosk
from tests.e2e.resident import settle
from ui.overlays import Overlay
from ui.screen_reader import OptionGroup
from wiring.app import KioskApp
from wiring.screenshots import Scene, all_scenes

Role = QAccessible.Role
LANGUAGES = ("fr", "ar")
# What a screen reader announces by its name: without one, Orca says "panel" or "image".
NAMED_ROLES = frozenset(
    {Role.Window, Role.Dialog, Role.Grouping, Role.Border, Role.Pane, Role.Graphic}
)
BUTTON_ROLES = frozenset({Role.Button, Role.CheckBox, Role.RadioButton})
TEXT_FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)
INTERACTIVE_ROLES = frozenset(
    {
        Role.Button,
        Role.CheckBox,
        Role.RadioButton,
        Role.EditableText,
        Role.ComboBox,
        Role.Slider,
        Role.SpinBox,
        Role.Link,
        Role.MenuItem,
        Role.PageTab,
        Role.ListItem,
    }
)


@pytest.fixture(scope="module")
def kiosk(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KioskApp]:
    yield from shared_kiosk(qapp, tmp_path_factory.mktemp("a11y-data"))


def button_role(button: QAbstractButton) -> QAccessible.Role:
    """A checkable button is an option: a radio button in a choice of one (a screen reader
    says the group's name and "1 of 3"), a check box otherwise; it says "chosen" or "not
    chosen". Any other button is a push button."""
    if not button.isCheckable():
        return Role.Button
    group = button.parentWidget()
    single = isinstance(group, OptionGroup) and group.exclusive
    return Role.RadioButton if single else Role.CheckBox


def expected_roles(widget: QWidget) -> tuple[QAccessible.Role, ...] | None:
    """The roles a control of this kind may show, or None for a widget that is no control."""
    if isinstance(widget, QAbstractButton):
        return (button_role(widget),)
    if isinstance(widget, TEXT_FIELDS):
        return (Role.EditableText, Role.SpinBox) if isinstance(widget, QAbstractSpinBox) else (
            Role.EditableText,
        )
    if isinstance(widget, QComboBox):
        return (Role.ComboBox,)
    if isinstance(widget, QAbstractSlider):
        return (Role.Slider, Role.ScrollBar)
    if isinstance(widget, QProgressBar):
        return (Role.ProgressBar,)
    return None


def in_open_overlay(widget: QWidget) -> bool:
    parent: QWidget | None = widget
    while parent is not None:
        if isinstance(parent, Overlay):
            return True
        parent = parent.parentWidget()
    return False


def problems_of_screen(window: QWidget) -> list[str]:
    """What a screen reader user would stumble on in ``window`` as it is now (buttons
    disabled behind an open card are not usable, so they share names harmlessly)."""
    problems = []
    buttons: dict[str, list[QWidget]] = {}
    for iface in walk(window):
        role = iface.role()
        name = iface.text(QAccessible.Text.Name).strip()
        widget = iface.object()
        kind = type(widget).__name__
        expected = expected_roles(widget) if isinstance(widget, QWidget) else None
        if expected is not None and role not in expected:
            problems.append(f"{kind} {name!r} has role {role.name}, expected {expected[0].name}")
        needs_name = role in INTERACTIVE_ROLES or (
            expected is not None and not isinstance(widget, QAbstractSlider)
        )  # a scroll bar is announced by its role and position; Qt gives it no name
        if needs_name and not name:
            text = widget.text() if isinstance(widget, QAbstractButton) else ""
            problems.append(f"{kind} (text {text!r}) with role {role.name} has no name")
        pressable = role in (Role.Button, Role.CheckBox) and not iface.state().disabled
        if pressable and name and isinstance(widget, QWidget):
            buttons.setdefault(name, []).append(widget)
    for name, same in buttons.items():
        if len(same) > 1:
            problems.append(f"{len(same)} buttons share the name {name!r}")
    return problems + problems_of_structure(window)


def problems_of_structure(window: QWidget) -> list[str]:
    """Unnamed screens, panels and images; buttons with parts; radio buttons outside a
    named group; a window that is not one."""
    problems = []
    for iface in walk(window):
        role, name = iface.role(), name_of(iface).strip()
        if role in NAMED_ROLES and not name:
            problems.append(f"a {role.name} without a name: {iface.object()!r}")
        if role == Role.LayeredPane:  # the stack of screens: the one shown has a name
            problems.extend(
                f"screen {screen.object()!r} without a name"
                for screen in children(iface)
                if not name_of(screen).strip()
            )
        if role in BUTTON_ROLES and children(iface):
            parts = [f"{c.role().name} {name_of(c)!r}" for c in children(iface)]
            problems.append(f"{role.name} {name!r} has parts of its own: {parts}")
        if role == Role.RadioButton:
            group = group_of(iface)
            if group is None or not name_of(group).strip():
                problems.append(f"radio button {name!r} is not in a named group")
    root = QAccessible.queryAccessibleInterface(window)
    if root is not None and root.role() != Role.Window:
        problems.append(f"the window is a {root.role().name}, not a Window (frame)")
    return problems


def scenes_of(kiosk: KioskApp) -> list[Scene]:
    return all_scenes(kiosk)


def test_every_scene_covers_every_question_of_every_demarche(kiosk):
    names = [scene.name for scene in scenes_of(kiosk)]
    for demarche in kiosk.catalog().demarches:
        steps = [n for n in names if n.startswith(f"{demarche.id}-")]
        assert len(steps) >= 3, f"{demarche.id}: {steps}"  # questions, review, receipt
    for fixed in ("welcome", "idle", "technician-pin", "settings", "language", "demarches"):
        assert fixed in names


def test_every_control_of_every_screen_has_a_name_and_the_right_role(kiosk):
    failures = []
    checked = 0
    for scene in scenes_of(kiosk):
        for language in LANGUAGES:
            scene.enter(kiosk)
            kiosk.set_language(language)
            settle()  # as the event loop would: deferred deletions included
            checked += 1
            failures.extend(
                f"{scene.name} [{language}]: {problem}"
                for problem in problems_of_screen(kiosk.window)
            )
    assert checked > 50
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


def test_the_check_sees_a_nameless_button_and_a_duplicate(kiosk, qtbot):
    """The walk above is able to fail: a button without a name, two with the same name."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    panel = QWidget()
    qtbot.addWidget(panel)
    layout = QVBoxLayout(panel)
    for text in ("", "Suivant", "Suivant"):
        layout.addWidget(QPushButton(text, panel))
    panel.show()
    problems = problems_of_screen(panel)
    assert any("has no name" in p for p in problems), problems
    assert any("share the name 'Suivant'" in p for p in problems), problems


@pytest.mark.parametrize("overlay", ["language_overlay", "settings_overlay"])
def test_an_open_overlay_hides_the_screen_behind_it(kiosk, overlay):
    """Modal cards: nothing behind the backdrop is listed as usable or reached by Tab."""
    qt_app = QApplication.instance()
    kiosk.wipe_session()
    getattr(kiosk.window, overlay).open()
    qt_app.processEvents()
    behind = [
        iface.text(QAccessible.Text.Name)
        for iface in walk(kiosk.window)
        if iface.role() in (Role.Button, Role.CheckBox)
        and not iface.state().disabled
        and not in_open_overlay(iface.object())
    ]
    escaped = []
    for _ in range(30):
        focus = QApplication.focusWidget()
        if focus is not None and not in_open_overlay(focus):
            escaped.append(focus.accessibleName())
        QTest.keyClick(focus or kiosk.window, Qt.Key.Key_Tab)
        qt_app.processEvents()
    kiosk.wipe_session()
    assert behind == [], f"enabled behind the card: {behind}"
    assert escaped == [], f"Tab reached behind the card: {escaped}"
