"""A resident at the kiosk, as a screen reader would drive it.

Everything goes through what is on screen: elements are found by their accessible name
and role among the visible ones (``tests.a11y.walk``), pressed through their accessible
action (what Orca does), text is typed with key events into the field found by name, or
on the kiosk's own on-screen keyboard. Nothing calls the guide or the session directly.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QDeadlineTimer, QEvent, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)

from tests.a11y import wait_for_release, walk
from ui.main_window import KioskWindow
from ui.typography import NO_BREAK_SPACE
from ui.widget_tree import enclosing
from wiring.app import KioskApp

Role = QAccessible.Role
Roles = tuple[QAccessible.Role, ...]
PRESSABLE: Roles = (Role.Button, Role.CheckBox, Role.RadioButton)
TEXT: Roles = (Role.StaticText, Role.Heading, Role.AlertMessage)  # what is there to read
GROUP = "[23456789ABCDEFGHJKMNPQRSTVWXYZ]{3}"  # no 0/O, no 1/I
REFERENCE = re.compile(f"ADM-{GROUP}-{GROUP}")


def settle() -> None:
    """Let queued signals, layouts and deferred deletions run."""
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QApplication.processEvents()


def wait_until_settled(window: KioskWindow) -> None:
    """Taps and pressing keys are dropped for a moment after the screen changes
    (``ui.tap_guard``): wait that moment, as a person looking at the new screen does."""
    deadline = QDeadlineTimer(5_000)
    while window.tap_guard.settling() and not deadline.hasExpired():
        QTest.qWait(20)
    assert not window.tap_guard.settling(), "the window never settles"


def scroll_area_of(widget: QWidget) -> QScrollArea | None:
    """The scroll area ``widget`` is shown in, if any."""
    return enclosing(widget, QScrollArea)


def type_keys(widget: QWidget, text: str) -> None:
    """Key presses and releases carrying each character (accented letters too)."""
    for char in text:
        if char.isascii():
            QTest.keyClick(widget, char)
            continue
        # QTest.keyClick only maps ASCII to keys; a French keyboard sends é as such.
        key = Qt.Key(ord(char.upper())) if char.isalpha() else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


class Resident:
    """One visit, step by step, through the kiosk's window only."""

    def __init__(self, kiosk: KioskApp) -> None:
        self.kiosk = kiosk
        self.window = kiosk.window

    # ------------------------------------------------------------ finding things

    def elements(self, roles: Roles, name: str) -> list[QAccessibleInterface]:
        return [
            iface
            for iface in walk(self.window)
            if iface.role() in roles and iface.text(QAccessible.Text.Name) == name
        ]

    def names(self, roles: tuple[QAccessible.Role, ...] = PRESSABLE) -> list[str]:
        return [i.text(QAccessible.Text.Name) for i in walk(self.window) if i.role() in roles]

    def element(self, name: str, roles: Roles = PRESSABLE) -> QAccessibleInterface:
        found = self.elements(roles, name)
        assert len(found) == 1, (
            f"{len(found)} element(s) named {name!r} on screen; there are: {self.names(roles)}"
        )
        return found[0]

    def sees(self, name: str, roles: tuple[QAccessible.Role, ...] = PRESSABLE) -> bool:
        return bool(self.elements(roles, name))

    def field(self, name: str) -> QLineEdit | QPlainTextEdit:
        widget = self.element(name, (Role.EditableText,)).object()
        assert isinstance(widget, QLineEdit | QPlainTextEdit), type(widget)
        return widget

    def texts(self) -> list[str]:
        """Every text a sighted resident reads on screen now."""
        return [
            i.text(QAccessible.Text.Name) for i in walk(self.window) if i.role() in TEXT
        ]

    # ------------------------------------------------------------ acting

    def press(self, name: str) -> None:
        """Activate the button (or choice) called ``name`` by its first accessible action."""
        iface = self.element(name)
        actions = iface.actionInterface()
        assert actions is not None, f"{name!r} offers no action"
        assert actions.actionNames(), f"{name!r} offers no action"
        actions.doAction(actions.actionNames()[0])
        pressed = iface.object()
        del iface, actions  # held during the wait, they could outlive their widget
        wait_for_release(pressed, name)
        settle()

    def wait_until_available(self, name: str) -> None:
        """Wait, as a resident would, for the greyed button called ``name`` to come alive."""
        deadline = QDeadlineTimer(10_000)
        while self.element(name).state().disabled and not deadline.hasExpired():
            QTest.qWait(20)
        assert not self.element(name).state().disabled, f"{name!r} stays unavailable"

    def finish(self) -> None:
        """"Terminer" on the receipt, once it can be pressed (it waits a moment)."""
        self.wait_until_available("Terminer")
        self.press("Terminer")

    def choose(self, option: str) -> None:
        """Pick an option; it must then read as chosen to a screen reader."""
        self.press(option)
        assert self.element(option).state().checked, f"{option!r} is not shown as chosen"

    def is_chosen(self, option: str) -> bool:
        return bool(self.element(option).state().checked)

    def write(self, field_name: str, text: str) -> None:
        """Type ``text`` at the end of the field called ``field_name``, key by key."""
        widget = self.field(field_name)
        widget.setFocus()
        type_keys(widget, text)
        settle()

    def erase(self, field_name: str) -> None:
        widget = self.field(field_name)
        widget.setFocus()
        widget.selectAll()
        QTest.keyClick(widget, "\b")  # Backspace on the selection
        settle()
        assert self.text_in(field_name) == ""

    def write_on_screen_keyboard(self, field_name: str, text: str) -> None:
        """Touch the field, then each key of the kiosk's keyboard, by its spoken name."""
        widget = self.field(field_name)
        widget.setFocus()
        settle()
        assert self.sees("Valider"), "the on-screen keyboard did not open for the field"
        named = {" ": "Espace", "@": "Arobase", ".": "Point", "-": "Tiret", "'": "Apostrophe"}
        for char in text:
            if char.isalpha() and char != char.lower():
                self.press("Majuscules")  # one capital: the keys now read as capitals
            self.press(named.get(char, char))
        assert self.text_in(field_name).endswith(text)

    def text_in(self, field_name: str) -> str:
        widget = self.field(field_name)
        return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()

    # ------------------------------------------------------------ the guide's screens

    def start(self) -> None:
        self.press("Commencer")
        assert self.sees("Que voulez-vous faire ?", (Role.Heading,))

    def open_demarche(self, title: str) -> None:
        self.press(title)

    def question(self) -> str:
        """The question asked on screen (the large title), or "" when none is."""
        screen = self.window.screens.currentWidget()
        label = getattr(screen, "label", None)
        if screen is not self.kiosk.guide.question or not isinstance(label, QLabel):
            return ""
        return label.text().replace(NO_BREAK_SPACE, " ")  # as written in the catalog

    def asked(self, question: str) -> None:
        assert self.question() == question, f"asked {self.question()!r}, expected {question!r}"
        assert self.sees(question, (Role.Heading,))

    def next(self) -> None:
        self.press("Suivant")

    def error(self) -> str:
        """The error shown next to the answer (its text, without "Attention : ")."""
        shown = [t for t in self.texts() if t.startswith("Attention : ")]
        assert len(shown) <= 1, shown
        return shown[0].removeprefix("Attention : ") if shown else ""

    def refused(self, message: str) -> None:
        """"Suivant" was refused with ``message`` shown, and the question stayed."""
        assert self.error() == message, f"error shown: {self.error()!r}, expected {message!r}"

    def at_review(self) -> bool:
        return self.sees("Vérifiez vos réponses", (Role.Heading,))

    def review(self) -> dict[str, str]:
        """Question -> answer, as the review shows them (each answer under its question)."""
        assert self.at_review()
        questions = [
            name.removeprefix("Modifier : ")
            for name in self.names((Role.Button,))
            if name.startswith("Modifier : ")
        ]
        texts = self.texts()
        return {question: texts[texts.index(question) + 1] for question in questions}

    def modify(self, question: str) -> None:
        self.press(f"Modifier : {question}")
        self.asked(question)

    def send(self) -> str:
        """"Envoyer"; the reference shown on the receipt."""
        self.press("Envoyer")
        assert self.sees("Votre demande est enregistrée.", (Role.Heading,)), self.texts()
        references = [t for t in self.texts() if REFERENCE.fullmatch(t)]
        assert len(references) == 1, f"references shown: {references}"
        return references[0]


# Each answer of the street report: an option to choose, or a field and what to write.
STREET_REPORT: tuple[tuple[str, ...], ...] = (
    ("Déchets ou objets jetés",),
    ("Adresse écrite", "3 place du Marché"),
    ("Décrivez le problème en quelques mots.", "Un banc cassé"),
    ("Oui",),
    ("Non",),
    ("J'accepte",),
)


def answer_street_report(
    resident: Resident, answers: tuple[tuple[str, ...], ...] = STREET_REPORT
) -> None:
    """Answer the street report (open), one screen at a time, up to the review: an
    option to choose, or a field's name and the text to write in it, per screen."""
    for answer in answers:
        if len(answer) == 1:
            resident.choose(answer[0])
        else:
            resident.write(*answer)
        resident.next()
    assert resident.at_review()
