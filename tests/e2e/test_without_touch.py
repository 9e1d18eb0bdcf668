"""Whole démarches without touching the screen: a keyboard (Tab, Shift+Tab, arrows, Enter,
Space) or the tactile numeric keypad only. Every key goes to the focused widget, as a
real key would; after each one the focus must be visible, inside the window and on a
control with a name, and Tab must always lead somewhere else (no trap, 5.1.6.2)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from tests.e2e.resident import (
    REFERENCE,
    Resident,
    scroll_area_of,
    settle,
    type_keys,
    wait_until_settled,
)
from wiring.app import KioskApp

NO = Qt.KeyboardModifier.NoModifier
KEYPAD = Qt.KeyboardModifier.KeypadModifier
LIMIT = 40  # more key presses than any screen has controls
PRESSING_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_5})


class KeyUser:
    """Someone with keys only; looks at nothing but the focused control and the screen."""

    def __init__(self, kiosk: KioskApp) -> None:
        self.kiosk = kiosk
        self.window = kiosk.window
        self.screen = Resident(kiosk)  # to read the screen, never to act
        self.keys = 0

    @property
    def focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the focus"
        return widget

    def name(self) -> str:
        return self.focus.accessibleName()

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = NO) -> None:
        if key in PRESSING_KEYS:
            wait_until_settled(self.window)  # a key pressing a button is dropped until then
        QTest.keyClick(self.focus, key, modifier)
        settle()
        self.keys += 1
        self.check_focus()

    def check_focus(self) -> None:
        """The focused control is shown, in the window, and in view in its scroll area."""
        widget = self.focus
        assert widget.isVisible(), f"focus on a hidden {type(widget).__name__}"
        assert widget.window() is self.window, "focus left the kiosk window"
        where = QRect(widget.mapTo(self.window, QPoint(0, 0)), widget.size())
        assert self.window.rect().contains(where), f"{self.name()!r} is outside the window"
        area = scroll_area_of(widget)
        if area is not None:
            viewport = area.viewport()
            seen = QRect(viewport.mapTo(self.window, QPoint(0, 0)), viewport.size())
            assert seen.intersects(where), f"{self.name()!r} is scrolled out of view"
            if where.height() <= seen.height():
                assert seen.contains(where), f"{self.name()!r} is partly scrolled out of view"
        assert self.name() or (isinstance(widget, QAbstractButton) and widget.text()), (
            f"focus on an unnamed {type(widget).__name__}"
        )

    def move_to(self, name: str, forward_key: Qt.Key, modifier: Qt.KeyboardModifier = NO) -> None:
        """Press ``forward_key`` until the control called ``name`` has the focus."""
        visited = [self.name()]
        for _ in range(LIMIT):
            if self.name() == name:
                return
            before = self.focus
            self.key(forward_key, modifier)
            assert self.focus is not before or self.name() == name, (
                f"{forward_key.name} does not move the focus from {visited[-1]!r}"
            )
            visited.append(self.name())
        raise AssertionError(f"{name!r} never reached with {forward_key.name}: {visited}")

    def tab_to(self, name: str) -> None:
        self.move_to(name, Qt.Key.Key_Tab)

    def type(self, text: str) -> None:
        type_keys(self.focus, text)
        settle()


def test_a_street_problem_reported_with_the_keyboard_only(kiosk, queued):
    user = KeyUser(kiosk)
    screen = user.screen
    user.check_focus()
    assert user.name() == "Commencer"  # the welcome screen starts with the focus on it
    user.key(Qt.Key.Key_Space)

    user.tab_to("Un problème dans la rue")
    user.key(Qt.Key.Key_Return)
    screen.asked("Quel est le problème ?")
    user.move_to("Lampe de rue en panne", Qt.Key.Key_Right)  # arrows go through options
    user.key(Qt.Key.Key_Space)
    assert screen.is_chosen("Lampe de rue en panne")
    user.tab_to("Suivant")
    user.key(Qt.Key.Key_Space)

    screen.asked("Où est le problème ?")
    user.tab_to("Adresse écrite")  # after the first place: the address box
    user.type("3 place du Marché")
    user.key(Qt.Key.Key_Return)  # Enter in the box goes on

    description = "Décrivez le problème en quelques mots."
    screen.asked(description)
    assert isinstance(user.focus, QPlainTextEdit)
    user.type("Lampe")
    user.key(Qt.Key.Key_Return)  # a new line, not a way out
    user.type("éteinte depuis lundi")
    box = user.focus
    user.key(Qt.Key.Key_Tab)
    assert user.focus is not box, "Tab is trapped in the long text box"
    assert user.name() == "Abandonner"  # the next control in reading order
    user.key(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert user.focus is box, "Shift+Tab does not come back to the text box"
    user.key(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert user.focus is not box, "Shift+Tab is trapped in the long text box"
    user.tab_to("Suivant")
    user.key(Qt.Key.Key_Return)  # Enter presses a focused button too

    screen.asked("Est-ce dangereux pour les personnes ?")
    user.key(Qt.Key.Key_Space)  # the focus starts on the first answer, "Oui"
    assert screen.is_chosen("Oui")
    user.tab_to("Suivant")
    user.key(Qt.Key.Key_Space)

    screen.asked("Voulez-vous un appel quand c'est réparé ?")
    user.move_to("Non", Qt.Key.Key_Down)
    user.key(Qt.Key.Key_Space)
    user.tab_to("Suivant")
    user.key(Qt.Key.Key_Space)

    screen.asked("J'accepte que la mairie utilise mes réponses pour ce problème.")
    user.key(Qt.Key.Key_Space)
    user.tab_to("Suivant")
    user.key(Qt.Key.Key_Space)

    assert screen.review()[description] == "Lampe\néteinte depuis lundi"
    user.tab_to(f"Modifier : {description}")
    user.key(Qt.Key.Key_Space)
    screen.asked(description)
    user.type(", rue des Lilas")
    user.tab_to("Suivant")
    user.key(Qt.Key.Key_Space)
    assert screen.review()[description].endswith(", rue des Lilas")

    user.tab_to("Envoyer")
    user.key(Qt.Key.Key_Space)
    [item] = queued()
    assert user.name() == item.reference  # the focus starts on the reference
    assert any(REFERENCE.fullmatch(t) and t == item.reference for t in screen.texts())
    screen.wait_until_available("Terminer")
    user.tab_to("Terminer")
    user.key(Qt.Key.Key_Space)
    assert user.name() == "Commencer"


def test_a_birth_certificate_asked_with_the_numeric_keypad_only(kiosk, queued):
    """Keypad only: 4/6 previous/next control, 8/2 up/down, 5 press, Enter; digits type
    in digit boxes; in a box of letters 8/2/4/6 move the keyboard's highlight and 5 types
    the highlighted key (a whole name with accents, by ear: ``test_keypad_alone``)."""
    user = KeyUser(kiosk)
    screen = user.screen

    def pad(key: Qt.Key) -> None:
        user.key(key, KEYPAD)

    def pad_to(name: str, key: Qt.Key = Qt.Key.Key_6) -> None:
        user.move_to(name, key, KEYPAD)

    def pad_digits(digits: str) -> None:
        for digit in digits:
            pad(Qt.Key(ord(digit)) if digit != " " else Qt.Key.Key_Space)

    pad(Qt.Key.Key_5)  # "Commencer"
    pad_to("Acte de naissance, de mariage ou de décès")
    pad(Qt.Key.Key_5)

    screen.asked("Quel acte voulez-vous ?")
    pad_to("Acte de décès", Qt.Key.Key_2)  # 2: down through the options
    pad(Qt.Key.Key_5)
    assert screen.is_chosen("Acte de décès")
    pad_to("Suivant")
    pad(Qt.Key.Key_Enter)

    screen.asked("Voulez-vous une copie complète ou un extrait ?")
    pad(Qt.Key.Key_5)
    pad_to("Suivant")
    pad(Qt.Key.Key_5)

    screen.asked("L'acte est pour qui ?")
    pad(Qt.Key.Key_5)
    pad(Qt.Key.Key_4)  # back to the top bar, then forward again: no trap
    pad_to("Suivant")
    pad(Qt.Key.Key_5)

    name = "Quel est le nom et le prénom de la personne sur l'acte ?"
    screen.asked(name)
    assert isinstance(user.focus, QLineEdit)
    for key in "65656565":  # 6 shows the highlight on "a", then moves along the row
        pad(Qt.Key(ord(key)))
    assert screen.text_in(name) == "azer"
    for key in "2226":  # down to the space bar, then "Valider" beside it
        pad(Qt.Key(ord(key)))
    pad(Qt.Key.Key_5)  # "Valider": on to the next question

    date = "Quelle est la date de la naissance, du mariage ou du décès ?"
    screen.asked(date)
    pad_digits("31")
    pad(Qt.Key.Key_Enter)  # Enter goes to the next box
    pad_digits("04")
    pad(Qt.Key.Key_Enter)
    pad_digits("1990")
    pad(Qt.Key.Key_Enter)
    screen.refused("Ce jour n'existe pas dans ce mois. Vérifiez le jour.")
    assert screen.text_in(f"Jour - {date}") == "31"
    assert user.name() == f"Jour - {date}"  # the focus is back on the box to correct
    user.focus.selectAll()
    pad_digits("30")
    pad(Qt.Key.Key_Enter)
    pad(Qt.Key.Key_Enter)
    pad(Qt.Key.Key_Enter)

    screen.asked("Comment voulez-vous recevoir l'acte ?")
    pad_to("Je viens le chercher à la mairie", Qt.Key.Key_2)
    pad(Qt.Key.Key_5)
    pad_to("Suivant")
    pad(Qt.Key.Key_5)

    screen.asked("Quel est votre numéro de téléphone ?")
    pad_digits("0612345678")
    pad(Qt.Key.Key_Enter)

    screen.asked("J'accepte que la mairie utilise mes réponses pour ma demande.")
    pad(Qt.Key.Key_5)
    pad(Qt.Key.Key_Period)  # help: opens the help text of the question
    pad_to("Suivant")
    pad(Qt.Key.Key_5)

    review = screen.review()
    assert review[name] == "azer"
    assert review["Quel acte voulez-vous ?"] == "Acte de décès"
    pad_to("Modifier : Quel acte voulez-vous ?", Qt.Key.Key_4)
    pad(Qt.Key.Key_5)
    screen.asked("Quel acte voulez-vous ?")
    pad_to("Acte de naissance", Qt.Key.Key_8)  # 8: up
    pad(Qt.Key.Key_5)
    pad_to("Suivant")
    pad(Qt.Key.Key_5)
    assert screen.review()["Quel acte voulez-vous ?"] == "Acte de naissance"

    pad_to("Envoyer")
    pad(Qt.Key.Key_5)
    [item] = queued()
    assert any(t == item.reference for t in screen.texts())
    assert user.name() == item.reference  # while "Terminer" waits a moment


def test_the_keypad_star_leaves_a_long_text_box(kiosk):
    """A keypad user cannot Tab: in a box of several lines, where 5 and Enter type the
    keyboard's highlighted key, * leads out of it."""
    user = KeyUser(kiosk)
    screen = user.screen
    user.key(Qt.Key.Key_5, KEYPAD)
    user.move_to("Je ne sais pas à quel service m'adresser", Qt.Key.Key_6, KEYPAD)
    user.key(Qt.Key.Key_5, KEYPAD)
    user.key(Qt.Key.Key_5, KEYPAD)
    user.move_to("Suivant", Qt.Key.Key_6, KEYPAD)
    user.key(Qt.Key.Key_5, KEYPAD)
    user.key(Qt.Key.Key_5, KEYPAD)  # "Oui": urgent
    user.move_to("Suivant", Qt.Key.Key_6, KEYPAD)
    user.key(Qt.Key.Key_5, KEYPAD)
    screen.asked("Écrivez votre question.")
    box = user.focus
    assert isinstance(box, QPlainTextEdit)
    user.key(Qt.Key.Key_6, KEYPAD)  # the keyboard's highlight, on "a"
    user.key(Qt.Key.Key_5, KEYPAD)
    user.key(Qt.Key.Key_Enter, KEYPAD)  # Enter types the highlighted key too
    assert box.toPlainText() == "aa"
    user.key(Qt.Key.Key_Asterisk, KEYPAD)  # * leaves any box
    assert user.focus is not box
    assert box.toPlainText() == "aa"
    assert user.name() == "Abandonner"


def test_walking_past_the_address_box_never_types_into_it(kiosk):
    """Issue 12: on the place question, 6 walked into the address box and the next 6 typed
    "6" there, silently replacing the chosen street; "6" was sent."""
    user = KeyUser(kiosk)
    screen = user.screen
    user.key(Qt.Key.Key_5, KEYPAD)
    user.move_to("Un problème dans la rue", Qt.Key.Key_6, KEYPAD)
    user.key(Qt.Key.Key_5, KEYPAD)
    user.key(Qt.Key.Key_5, KEYPAD)  # the first problem
    user.move_to("Suivant", Qt.Key.Key_6, KEYPAD)
    user.key(Qt.Key.Key_5, KEYPAD)
    screen.asked("Où est le problème ?")
    user.move_to("Rue des Lilas", Qt.Key.Key_6, KEYPAD)
    user.key(Qt.Key.Key_5, KEYPAD)
    user.move_to("Adresse écrite", Qt.Key.Key_6, KEYPAD)
    box = user.focus
    user.key(Qt.Key.Key_6, KEYPAD)  # walks on past the box
    assert user.focus is not box
    assert screen.text_in("Adresse écrite") == ""
    assert screen.is_chosen("Rue des Lilas")
    user.key(Qt.Key.Key_4, KEYPAD)  # back onto it: still not typed into
    assert user.focus is box
    user.key(Qt.Key.Key_2, KEYPAD)
    assert user.focus is not box
    assert screen.text_in("Adresse écrite") == ""
    user.move_to("Suivant", Qt.Key.Key_6, KEYPAD)
    user.key(Qt.Key.Key_5, KEYPAD)
    screen.asked("Décrivez le problème en quelques mots.")
