"""Touch and confirm (issue 12, item 2): with the mode on, the first touch on a control
says what it is and outlines it, and never acts; a second tap, or the keypad's 5, acts.
Taps come through the window, as a finger's do."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from accessibility.sizes import TextSize
from tests.e2e.resident import (
    PRESSABLE,
    REFERENCE,
    Resident,
    Role,
    Roles,
    scroll_area_of,
    settle,
    wait_until_settled,
)
from tests.e2e.test_mediator import record_speech
from ui.touch_explore import EXPLORED_PROPERTY
from wiring.app import KioskApp

NO = Qt.KeyboardModifier.NoModifier
KEYPAD = Qt.KeyboardModifier.KeypadModifier
TOUCH_MODE = "Toucher pour entendre"


class Finger:
    """A resident who only touches the screen; reads it through ``Resident``."""

    def __init__(self, kiosk: KioskApp) -> None:
        self.kiosk = kiosk
        self.window = kiosk.window
        self.screen = Resident(kiosk)
        self.speech = record_speech(kiosk)
        self.taps = 0

    def widget(self, name: str, roles: Roles = PRESSABLE) -> QWidget:
        widget = self.screen.element(name, roles).object()
        assert isinstance(widget, QWidget)
        return widget

    def tap(self, widget: QWidget) -> None:
        """One tap in the middle of ``widget``, scrolled into view first (as a finger
        drags the list up to reach it)."""
        area = scroll_area_of(widget)
        if area is not None:
            area.ensureWidgetVisible(widget, 0, 0)
            settle()
        wait_until_settled(self.window)
        where = widget.mapTo(self.window, widget.rect().center())
        QTest.mouseClick(self.window.windowHandle(), Qt.MouseButton.LeftButton, NO, where)
        settle()
        self.taps += 1

    def explore(self, name: str, roles: Roles = PRESSABLE) -> QWidget:
        """The first touch: it is said and outlined, and does nothing."""
        widget = self.widget(name, roles)
        acted: list[bool] = []
        if isinstance(widget, QAbstractButton):
            widget.clicked.connect(lambda: acted.append(True))
        focus = QApplication.focusWidget()
        self.speech.texts.clear()
        self.tap(widget)
        assert not acted, f"the first touch on {name!r} acted"
        assert QApplication.focusWidget() is focus, f"the first touch on {name!r} moved the focus"
        assert widget.property(EXPLORED_PROPERTY), f"{name!r} is not outlined"
        assert self.speech.texts, f"nothing was said on touching {name!r}"
        said = self.speech.texts[-1]
        assert said.startswith(name), f"said {said!r} for {name!r}"
        return widget

    def choose(self, name: str, roles: Roles = PRESSABLE) -> None:
        """Explore, then confirm with a second tap on the same place."""
        widget = self.explore(name, roles)
        self.tap(widget)


def touch_mode_on(finger: Finger) -> None:
    finger.tap(finger.widget(TOUCH_MODE))  # the mode is off: this tap acts
    assert finger.kiosk.touch.active
    assert finger.screen.sees(f"{TOUCH_MODE} : activé")
    assert "Touchez l'écran" in " ".join(finger.speech.texts)


def test_a_street_report_by_touch_and_confirm_only(kiosk: KioskApp, queued) -> None:
    finger = Finger(kiosk)
    touch_mode_on(finger)
    finger.choose("Commencer")
    finger.choose("Un problème dans la rue")
    finger.choose("Déchets ou objets jetés")
    finger.choose("Suivant")
    finger.screen.asked("Où est le problème ?")
    finger.choose("Rue des Lilas")
    finger.choose("Suivant")
    finger.choose("Décrivez le problème en quelques mots.", (Role.EditableText,))
    assert finger.screen.sees("Valider"), "the confirmed box did not open the keyboard"
    kiosk.narrator.speaker.private_listening = True  # headphones: the keys may be said
    for letter in "trous":
        finger.choose(letter)
    assert finger.screen.text_in("Décrivez le problème en quelques mots.") == "trous"
    finger.choose("Suivant")
    finger.choose("Oui")
    finger.choose("Suivant")
    finger.choose("Non")
    finger.choose("Suivant")
    finger.choose("J'accepte")
    finger.choose("Suivant")
    assert finger.screen.at_review()
    finger.choose("Envoyer")

    assert finger.screen.sees("Votre demande est enregistrée.", (Role.StaticText,))
    [item] = queued()
    assert finger.screen.sees(item.reference, (Role.StaticText,))
    assert REFERENCE.fullmatch(item.reference)
    assert finger.taps == 2 * 20 + 1  # docs/accessibility.md: touches per démarche


def test_a_touch_elsewhere_moves_the_explored_control(kiosk: KioskApp) -> None:
    finger = Finger(kiosk)
    touch_mode_on(finger)
    finger.choose("Commencer")
    first = finger.explore("Un problème dans la rue")
    second = finger.explore("Retour")
    assert not first.property(EXPLORED_PROPERTY)
    assert second.property(EXPLORED_PROPERTY)
    finger.explore("Un problème dans la rue")  # back: explored again, still not acting
    assert finger.screen.sees("Que voulez-vous faire ?", (Role.StaticText,))


def test_a_text_is_read_and_never_confirmed(kiosk: KioskApp) -> None:
    finger = Finger(kiosk)
    touch_mode_on(finger)
    title = finger.widget("Bonjour !", (Role.StaticText,))
    finger.tap(title)
    finger.tap(title)
    assert finger.speech.texts[-1] == "Bonjour !"
    assert title.property(EXPLORED_PROPERTY)


def test_the_keypad_5_confirms_what_was_touched(kiosk: KioskApp) -> None:
    finger = Finger(kiosk)
    touch_mode_on(finger)
    finger.explore("Commencer")
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, Qt.Key.Key_5, KEYPAD)
    settle()
    assert finger.screen.sees("Que voulez-vous faire ?", (Role.StaticText,))


def test_a_key_forgets_what_was_touched(kiosk: KioskApp) -> None:
    finger = Finger(kiosk)
    touch_mode_on(finger)
    finger.choose("Commencer")
    finger.explore("Un problème dans la rue")
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, Qt.Key.Key_6, KEYPAD)  # the keypad moves on: 5 is for the focus
    settle()
    assert kiosk.touch.explored_widget() is None
    assert not finger.widget("Un problème dans la rue").property(EXPLORED_PROPERTY)


def test_the_keypad_3_turns_the_mode_on_and_off(kiosk: KioskApp) -> None:
    finger = Finger(kiosk)
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, Qt.Key.Key_3, KEYPAD)
    settle()
    assert kiosk.touch.active
    assert finger.screen.sees(f"{TOUCH_MODE} : activé")
    QTest.keyClick(focus, Qt.Key.Key_3, KEYPAD)
    settle()
    assert not kiosk.touch.active
    assert finger.speech.texts[-1] == f"{TOUCH_MODE} : arrêté."


def test_the_mode_is_announced_on_the_welcome_screen(kiosk: KioskApp) -> None:
    spoken = kiosk.welcome.spoken_text()
    assert TOUCH_MODE in spoken
    assert "touche 3" in spoken


def test_the_mode_ends_with_the_visit(kiosk: KioskApp) -> None:
    finger = Finger(kiosk)
    touch_mode_on(finger)
    finger.choose("Commencer")
    explored = finger.explore("Un problème dans la rue")
    finger.choose("Retour")  # the list's way back ends the visit
    assert finger.screen.sees("Commencer")
    assert not kiosk.touch.active
    assert not explored.property(EXPLORED_PROPERTY)
    assert finger.screen.sees(TOUCH_MODE)

    start = finger.widget("Commencer")
    finger.tap(start)  # the next resident's first tap acts at once
    assert finger.screen.sees("Que voulez-vous faire ?", (Role.StaticText,))


def test_a_key_typing_into_a_personal_box_is_not_said_on_the_loudspeaker(
    kiosk: KioskApp,
) -> None:
    finger = Finger(kiosk)
    touch_mode_on(finger)
    for name in ("Commencer", "Un problème dans la rue", "Déchets ou objets jetés", "Suivant"):
        finger.choose(name)
    finger.choose("Rue des Lilas")
    finger.choose("Suivant")
    finger.choose("Décrivez le problème en quelques mots.", (Role.EditableText,))
    key = finger.widget("b")
    finger.speech.texts.clear()
    finger.tap(key)
    assert finger.speech.texts == ["Une touche du clavier."]
    kiosk.narrator.speaker.private_listening = True
    finger.explore("c")


def test_a_pin_pad_digit_is_said_only_as_a_digit(kiosk: KioskApp) -> None:
    finger = Finger(kiosk)
    touch_mode_on(finger)
    kiosk.window.technician_overlay.open()
    settle()
    digit = finger.widget("7")
    finger.speech.texts.clear()
    finger.tap(digit)
    assert finger.speech.texts == ["Un chiffre."]
    assert kiosk.window.technician_pad.entered_length == 0
    finger.tap(digit)
    assert kiosk.window.technician_pad.entered_length == 1


def test_the_technician_gesture_still_counts_explored_taps(kiosk: KioskApp) -> None:
    finger = Finger(kiosk)
    touch_mode_on(finger)
    logo = kiosk.window.top_bar.logo
    corner = logo.mapTo(kiosk.window, QPoint(2, 2))
    wait_until_settled(kiosk.window)
    for _ in range(5):
        QTest.mouseClick(kiosk.window.windowHandle(), Qt.MouseButton.LeftButton, NO, corner)
        settle()
    assert kiosk.window.technician_overlay.isVisible()


def test_the_text_size_panel_by_touch_and_confirm(kiosk: KioskApp) -> None:
    finger = Finger(kiosk)
    touch_mode_on(finger)
    finger.choose("Aa : taille du texte et couleurs")
    assert kiosk.window.settings_overlay.isVisible()
    finger.explore("Très grand")
    assert kiosk.appearance.text_size is TextSize.NORMAL
    finger.tap(finger.widget("Très grand"))
    assert kiosk.appearance.text_size is TextSize.LARGEST
    finger.choose("Fermer")
    assert not kiosk.window.settings_overlay.isVisible()
