"""The six démarches of the bundled catalog, each as one resident's answers, and two ways
to go through them from the welcome screen to the receipt without sight (issue 12, item
9): the tactile keypad alone with the voice (``by_keypad``), and touch and confirm
(``by_touch``, or one plain tap per control for comparison).

Used by ``tests/e2e/test_every_demarche_alone.py`` (which checks what was queued and what
was said) and by ``bench/accessible_journeys.py`` (which prints the counts that
docs/accessibility.md quotes). A step names the question the screen must ask, then either
the options to choose or the texts to type, one per box (letters go through the
on-screen keyboard, digits straight from the keypad or the digit keys).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QDeadlineTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from accessibility.speech import Utterance
from kiosk.domain.reference import spell_reference
from tests.e2e.keypad_user import KeypadUser, key_on, shown_keyboard
from tests.e2e.resident import REFERENCE, TEXT, Resident, scroll_area_of, settle, wait_until_settled
from ui.main_window import KioskWindow
from ui.touch_explore import EXPLORED_PROPERTY
from ui.widgets.keyboard import KeyboardKey, OnScreenKeyboard
from ui.widgets.keyboard_layouts import KeyKind
from wiring.app import KioskApp

NEXT = "Suivant"
SEND = "Envoyer"
RECEIPT = "Votre demande est enregistrée."
STATUS_BUTTON = "Où en est ma demande ?"
WAITING = "Votre demande attend sur la borne. Elle partira dès que possible."
TOUCH_MODE = "Toucher pour entendre"
CONSENT_DEMANDE = "J'accepte que la mairie utilise mes réponses pour ma demande."


@dataclass(frozen=True)
class Step:
    """One screen: the question asked, then options chosen or one text per box."""

    question: str
    choose: tuple[str, ...] = ()
    type: tuple[str, ...] = ()


@dataclass(frozen=True)
class Journey:
    demarche: str  # its id in the catalog
    title: str  # its tile on the list of démarches
    steps: tuple[Step, ...]
    sent: Mapping[str, object] = field(default_factory=dict)  # answers expected queued


JOURNEYS: tuple[Journey, ...] = (
    Journey(
        "acte-etat-civil",
        "Acte de naissance, de mariage ou de décès",
        (
            Step("Quel acte voulez-vous ?", choose=("Acte de naissance",)),
            Step("Voulez-vous une copie complète ou un extrait ?", choose=("Copie complète",)),
            Step("L'acte est pour qui ?", choose=("Pour moi",)),
            Step("Quel est le nom et le prénom de la personne sur l'acte ?", type=("Léa Roy",)),
            Step(
                "Quelle est la date de la naissance, du mariage ou du décès ?",
                type=("14", "07", "1950"),
            ),
            Step("Comment voulez-vous recevoir l'acte ?", choose=("Par la poste, chez moi",)),
            Step("À quelle adresse envoyer l'acte ?", type=("2 rue haute", "72999", "Admiville")),
            Step(CONSENT_DEMANDE, choose=("J'accepte",)),
        ),
        {"nom-personne": "Léa Roy", "acte": "naissance", "reception": "courrier"},
    ),
    Journey(
        "demande-logement",
        "Demande de logement",
        (
            Step("Cette demande aide la mairie à connaître vos besoins."),
            Step("Quel est votre nom et votre prénom ?", type=("Léa Roy",)),
            Step("Combien de personnes vont vivre dans le logement, avec vous ?", type=("3",)),
            Step("Où habitez-vous aujourd'hui ?", choose=("Je loue un logement",)),
            Step(
                "De quoi avez-vous besoin ?",
                choose=("Un logement plus grand", "Un loyer moins cher"),
            ),
            Step("Voulez-vous dire autre chose ?", type=("Au calme",)),
            Step("Quel est votre numéro de téléphone ?", type=("0612345678",)),
            Step(CONSENT_DEMANDE, choose=("J'accepte",)),
        ),
        {"nom": "Léa Roy", "precisions": "Au calme"},
    ),
    Journey(
        "reclamation-suggestion",
        "Une plainte ou une idée pour la mairie",
        (
            Step("Que voulez-vous faire ?", choose=("Proposer une idée",)),
            Step("Votre message parle de quoi ?", choose=("Rues, propreté, lumières",)),
            Step("Que s'est-il passé ? Écrivez avec vos mots.", type=("Plus de bancs",)),
            Step("Comment voulez-vous recevoir la réponse ?", choose=("Par téléphone",)),
            Step("Quel est votre nom et votre prénom ?", type=("Léa Roy",)),
            Step("Quel est votre numéro de téléphone ?", type=("0612345678",)),
            Step(
                "J'accepte que la mairie utilise mes réponses pour mon message.",
                choose=("J'accepte",),
            ),
        ),
        {"message": "Plus de bancs", "genre": "idee"},
    ),
    Journey(
        "signalement-rue",
        "Un problème dans la rue",
        (
            Step("Quel est le problème ?", choose=("Lampe de rue en panne",)),
            Step("Où est le problème ?", choose=("Rue des Lilas",)),
            Step("Décrivez le problème en quelques mots.", type=("Elle clignote",)),
            Step("Est-ce dangereux pour les personnes ?", choose=("Non",)),
            Step("Voulez-vous un appel quand c'est réparé ?", choose=("Non",)),
            Step(
                "J'accepte que la mairie utilise mes réponses pour ce problème.",
                choose=("J'accepte",),
            ),
        ),
        {"description": "Elle clignote", "probleme": "eclairage"},
    ),
    Journey(
        "portail-famille",
        "École, cantine, garderie et vacances",
        (
            Step("Que voulez-vous faire ?", choose=("Inscrire mon enfant à l'école",)),
            Step("Quel est le nom et le prénom de l'enfant ?", type=("Théo Roy",)),
            Step("Quelle est la date de naissance de l'enfant ?", type=("03", "09", "2021")),
            Step("Dans quelle école ?", choose=("École maternelle",)),
            Step("Quel est votre nom et votre prénom ?", type=("Léa Roy",)),
            Step("Quel est votre numéro de téléphone ?", type=("0612345678",)),
            Step(CONSENT_DEMANDE, choose=("J'accepte",)),
        ),
        {"enfant-nom": "Théo Roy", "parent-nom": "Léa Roy", "classe": "maternelle"},
    ),
    Journey(
        "quel-service",
        "Je ne sais pas à quel service m'adresser",
        (
            Step("Votre question parle de quoi ?", choose=("Logement",)),
            Step("Est-ce urgent ?", choose=("Non",)),
            Step("Écrivez votre question.", type=("Où est la poste",)),
            Step("Comment voulez-vous recevoir la réponse ?", choose=("Par e-mail",)),
            Step("Quel est votre nom et votre prénom ?", type=("Léa Roy",)),
            Step("Quelle est votre adresse e-mail ?", type=("lea@roy.fr",)),
            Step(
                "J'accepte que la mairie utilise mes réponses pour ma question.",
                choose=("J'accepte",),
            ),
        ),
        {"question": "Où est la poste", "email": "lea@roy.fr"},
    ),
)


@dataclass
class Walked:
    """What a journey left: the reference on the receipt and the steps not heard."""

    reference: str
    unheard: list[str]


def _letters(keyboard: OnScreenKeyboard) -> bool:
    """Whether the keyboard shown types letters (the highlight), not only digits."""
    shown = keyboard.keys()
    return any(k.spec.kind is KeyKind.CHARACTER and k.spec.text == "a" for k in shown)


def _heard(said: list[Utterance], since: int, text: str) -> bool:
    return any(text in utterance.text for utterance in said[since:])


# ------------------------------------------------------------------ the keypad alone


def by_keypad(user: KeypadUser, said: list[Utterance], journey: Journey) -> Walked:
    """From the welcome screen to the receipt with keypad keys only, the voice on."""
    key = Qt.Key
    screen = Resident(user.kiosk)  # to read the screen, never to act
    unheard: list[str] = []
    user.press(key.Key_Plus)  # the voice on
    user.press(key.Key_5)  # "Commencer"
    user.move_to(journey.title)
    mark = len(said)
    user.press(key.Key_5)
    for step in journey.steps:
        screen.asked(step.question)
        if not _heard(said, mark, step.question):
            unheard.append(step.question)
        mark = len(said)
        for option in step.choose:
            user.move_to(option)
            user.press(key.Key_5)
            assert screen.is_chosen(option), option
        for text in step.type:
            assert isinstance(user.focus, QLineEdit | QPlainTextEdit), user.focus
            if _letters(user.keyboard()):
                user.type_letters(text)
                user.validate()
            else:
                user.digits(text)
                user.press(key.Key_Enter)
        if screen.question() == step.question:
            user.move_to(NEXT)
            user.press(key.Key_5)
    assert screen.at_review(), screen.texts()
    user.move_to(SEND)
    mark = len(said)
    user.press(key.Key_5)
    reference = _receipt(screen)
    if not _heard(said, mark, spell_reference(reference, "fr")):
        unheard.append(RECEIPT)
    return Walked(reference, unheard)


def _receipt(screen: Resident) -> str:
    assert screen.sees(RECEIPT, TEXT), screen.texts()
    [reference] = [t for t in screen.texts() if REFERENCE.fullmatch(t)]
    return reference


def status_by_keypad(user: KeypadUser, said: list[Utterance], reference: str) -> None:
    """From the welcome screen, "Où en est ma demande ?", the reference typed with the
    keyboard's highlight as copied from a receipt (small letters, no dashes)."""
    user.press(Qt.Key.Key_Plus)  # the voice on
    user.move_to(STATUS_BUTTON)
    user.press(Qt.Key.Key_5)
    assert _letters(user.keyboard())
    user.type_letters(reference.lower().replace("-", ""))
    mark = len(said)
    user.validate()  # "Valider" asks
    deadline = QDeadlineTimer(20_000)
    while user.focus.accessibleName() != WAITING and not deadline.hasExpired():
        QTest.qWait(20)
    assert user.focus.accessibleName() == WAITING  # the answer takes the focus
    deadline = QDeadlineTimer(5_000)
    while not _heard(said, mark, WAITING) and not deadline.hasExpired():
        QTest.qWait(20)
    assert _heard(said, mark, WAITING), [u.text for u in said[mark:]]


# ------------------------------------------------------------------ touch


def tap(window: KioskWindow, widget: QWidget) -> None:
    """One tap in the middle of ``widget``, through the window as a finger's, scrolled
    into view first (as a finger drags the list up to reach it)."""
    area = scroll_area_of(widget)
    if area is not None:
        area.ensureWidgetVisible(widget, 0, 0)
        settle()
    wait_until_settled(window)
    where = widget.mapTo(window, widget.rect().center())
    QTest.mouseClick(
        window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where
    )
    settle()


class TouchUser:
    """A resident who only touches the screen. With ``confirm`` (touch and confirm), each
    control is touched twice: the first touch is said and outlined and does nothing, the
    second acts. Without it, one tap per control, for comparison."""

    def __init__(self, kiosk: KioskApp, said: list[Utterance], confirm: bool) -> None:
        self.kiosk = kiosk
        self.window = kiosk.window
        self.screen = Resident(kiosk)
        self._said = said
        self.confirm = confirm
        self.taps = 0

    def tap(self, widget: QWidget) -> None:
        tap(self.window, widget)
        self.taps += 1

    def act(self, widget: QWidget) -> None:
        if self.confirm:
            focus = QApplication.focusWidget()
            before = len(self._said)
            self.tap(widget)
            name = widget.accessibleName()
            assert widget.property(EXPLORED_PROPERTY), f"{name!r} is not outlined"
            assert QApplication.focusWidget() is focus, f"the first touch on {name!r} acted"
            assert len(self._said) > before, f"nothing was said on touching {name!r}"
        self.tap(widget)

    def press(self, name: str) -> None:
        widget = self.screen.element(name).object()
        assert isinstance(widget, QWidget)
        self.act(widget)

    def key(self, kind: KeyKind, text: str = "") -> KeyboardKey:
        return key_on(shown_keyboard(self.window), kind, text)

    def type(self, text: str) -> None:
        """Each character on the on-screen keyboard; "Majuscules" first for a capital."""
        for char in text:
            if char != char.lower():
                self.act(self.key(KeyKind.SHIFT))
            self.act(self.key(KeyKind.CHARACTER, char.lower()))
        self.act(self.key(KeyKind.OK))


def by_touch(user: TouchUser, journey: Journey) -> str:
    """From the welcome screen to the receipt with touches only; the reference."""
    screen = user.screen
    if user.confirm:
        user.tap(screen.element(TOUCH_MODE).object())  # the mode is off: this tap acts
        assert user.kiosk.touch.active
    user.press("Commencer")
    user.press(journey.title)
    for step in journey.steps:
        screen.asked(step.question)
        for option in step.choose:
            user.press(option)
            assert screen.is_chosen(option), option
        for text in step.type:
            focus = QApplication.focusWidget()
            assert isinstance(focus, QLineEdit | QPlainTextEdit), focus
            user.type(text)
        if screen.question() == step.question:
            user.press(NEXT)
    assert screen.at_review(), screen.texts()
    user.press(SEND)
    return _receipt(screen)
