"""A blind resident with the tactile keypad and the voice only: letters typed through the
on-screen keyboard's spoken highlight, digits typed directly, every key said back (issue
12, items 1 and 3). Speech is checked through the recording synthesizer (the kiosk's own
Speaker, audio mode and privacy rules, with the synthesis replaced by a recorder)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from accessibility import qt_speech
from kiosk import secrets
from kiosk.config import SpeechSection
from kiosk.domain.submission import Submission
from kiosk.queue_file import QUEUE_FILE
from offline_queue.store import QueueStore
from tests.accessibility.conftest import QUICK_PLAYER, RecordingSynthesizer
from tests.e2e.keypad_user import KEYPAD, KeypadUser
from tests.e2e.resident import Resident, Role, settle
from ui.widgets.keyboard_layouts import KeyKind
from wiring.app import KioskApp

NAME = "Quel est votre nom et votre prénom ?"
DETAILS = "Voulez-vous dire autre chose ?"


@pytest.fixture
def user(make_kiosk: Callable[..., KioskApp], monkeypatch: pytest.MonkeyPatch) -> KeypadUser:
    """At a kiosk whose voice is recorded: the real Speaker, the synthesis replaced."""
    synth = RecordingSynthesizer()
    monkeypatch.setattr(qt_speech, "Synthesizer", lambda **_kwargs: synth)
    return KeypadUser(make_kiosk(speech=SpeechSection(player=QUICK_PLAYER)), synth.submitted)


@pytest.fixture
def kiosk(user: KeypadUser) -> KioskApp:
    return user.kiosk


def sent(data_dir: Path) -> Submission:
    """The one request waiting in the offline queue, decrypted."""
    with QueueStore(data_dir / QUEUE_FILE, secrets.get_key(secrets.QUEUE_DATA_KEY)) as store:
        outgoing = store.claim_next()
    assert outgoing is not None, "nothing was queued"
    return Submission.from_json(outgoing.payload)


def test_a_housing_request_typed_with_the_keypad_and_the_voice_only(
    kiosk: KioskApp, user: KeypadUser, data_dir: Path
) -> None:
    screen = Resident(kiosk)  # to read the screen, never to act
    user.press(Qt.Key.Key_Plus)  # the voice, from the welcome screen
    assert kiosk.narrator.audio_mode
    assert user.heard() == kiosk.welcome.spoken_text()
    user.press(Qt.Key.Key_5)  # "Commencer"
    user.move_to("Demande de logement")
    user.press(Qt.Key.Key_5)
    user.move_to("Suivant")  # the information page
    user.press(Qt.Key.Key_5)

    screen.asked(NAME)
    assert isinstance(user.focus, QLineEdit)  # the screen put the focus in the answer
    user.press(Qt.Key.Key_6)
    assert user.heard() == "a"  # the first move shows the highlight, on "a"
    user.type_letters("Hélène Dupré")
    assert screen.text_in(NAME) == "Hélène Dupré"
    # A name is personal: on the loudspeaker, what is typed is not said back...
    assert user.heard() == "Écrit."
    user.press(Qt.Key.Key_Period)
    assert "Hélène" not in user.heard()
    assert "casque" in user.heard()  # ...nor read back; headphones are offered
    user.validate()

    screen.asked("Combien de personnes vont vivre dans le logement, avec vous ?")
    QTest.keyClick(user.focus, Qt.Key.Key_5, KEYPAD)  # 5 pressed twice on "Valider"
    settle()
    assert screen.text_in(user.focus.accessibleName()) == ""  # dropped: not typed here
    user.digits("3")  # a digit box: the keypad's digits type
    assert screen.text_in(user.focus.accessibleName()) == "3"
    user.press(Qt.Key.Key_Enter)

    screen.asked("Où habitez-vous aujourd'hui ?")
    user.choose_and_go_on()
    screen.asked("De quoi avez-vous besoin ?")
    user.choose_and_go_on()

    screen.asked(DETAILS)
    assert isinstance(user.focus, QPlainTextEdit)
    kiosk.narrator.speaker.private_listening = True  # headphones: everything is said back
    user.type_letters("Un ascenseur")
    assert user.heard() == "r"
    user.go_to_key(user.key_for(KeyKind.CHARACTER, "\n"))
    assert user.heard() == "À la ligne"
    user.press(Qt.Key.Key_5)
    assert user.heard() == "À la ligne"  # said back
    user.type_letters("près de l'école")
    user.press(Qt.Key.Key_1)  # 1 erases the last letter, and says which
    assert user.heard() == "Effacé : e"
    user.type_letters("e")
    user.type_letters("?")
    assert user.heard() == "Point d'interrogation"  # said back by its name, not as "?"
    user.press(Qt.Key.Key_1)
    assert user.heard() == "Effacé : Point d'interrogation"
    user.press(Qt.Key.Key_Period)
    assert user.heard() == "Vous avez écrit : Un ascenseur\nprès de l'école"
    kiosk.narrator.speaker.private_listening = False
    user.validate()
    assert user.focus.accessibleName() == "Suivant"
    user.press(Qt.Key.Key_5)

    screen.asked("Quel est votre numéro de téléphone ?")
    user.digits("0612345678")
    user.press(Qt.Key.Key_Enter)
    screen.asked("J'accepte que la mairie utilise mes réponses pour ma demande.")
    user.choose_and_go_on()

    assert screen.at_review()
    user.move_to("Envoyer")
    user.press(Qt.Key.Key_5)
    assert screen.sees("Votre demande est enregistrée.", (Role.Heading,))
    answers = sent(data_dir).answers
    assert answers["nom"] == "Hélène Dupré"
    assert answers["precisions"] == "Un ascenseur\nprès de l'école"
    assert answers["telephone"] == "06 12 34 56 78" or "0612345678" in str(answers["telephone"])
    print(f"housing request with the keypad: {user.presses} key presses")


def test_every_option_of_the_panels_is_reached_and_the_focus_comes_back_said(
    kiosk: KioskApp, user: KeypadUser
) -> None:
    screen = Resident(kiosk)
    user.press(Qt.Key.Key_Plus)
    user.press(Qt.Key.Key_5)  # "Commencer"
    settings = "Aa : taille du texte et couleurs"
    user.move_to(settings, Qt.Key.Key_4)
    user.press(Qt.Key.Key_5)
    assert user.heard() == "Affichage"
    assert user.walk(7) == [
        "Grand", "Plus grand", "Très grand", "Clair", "Contraste fort", "Sombre", "Fermer"
    ]
    user.move_to("Sombre", Qt.Key.Key_4)
    user.press(Qt.Key.Key_5)
    assert user.heard() == "Sombre. Choisi."  # the change is said
    chosen = screen.element("Sombre").object()
    assert chosen.text() == "✓ Sombre\nchoisi"  # not by its colour alone
    assert screen.element("Clair").object().text() == "Clair"
    user.press(Qt.Key.Key_1)  # Back closes the panel
    assert not kiosk.window.settings_overlay.isVisible()
    assert user.focus.accessibleName() == settings  # where the resident was
    assert user.heard() == settings

    language = "Langue - Language - اللغة"
    user.move_to(language, Qt.Key.Key_6)
    user.press(Qt.Key.Key_5)
    assert user.heard() == "Choisir la langue"
    assert user.walk(4) == ["Français", "English", "العربية", "Fermer"]
    user.move_to("English", Qt.Key.Key_4)
    user.press(Qt.Key.Key_5)
    assert kiosk.language == "en"
    assert user.heard() == "English. Selected."
    assert screen.element("English").object().text() == "✓ English\nselected"
    user.move_to("Close")
    user.press(Qt.Key.Key_5)
    assert user.focus is kiosk.window.top_bar.language_button
    assert user.heard() == user.focus.accessibleName()


def test_plus_turns_the_voice_on_even_in_a_digit_box(kiosk: KioskApp, user: KeypadUser) -> None:
    screen = Resident(kiosk)
    screen.start()
    screen.open_demarche("Demande de logement")
    screen.next()
    screen.write(NAME, "Marie Dupont")
    screen.next()
    box = user.focus
    assert isinstance(box, QLineEdit)
    user.press(Qt.Key.Key_Plus)
    assert kiosk.narrator.audio_mode
    assert user.heard().endswith("Combien de personnes vont vivre dans le logement, avec vous ?")
    assert box.text() == ""  # nothing typed
    user.press(Qt.Key.Key_Plus)  # then louder
    assert user.heard().startswith("Volume ")
    user.press(Qt.Key.Key_Period)  # in a box, "." reads it back
    assert user.heard() == "La zone est vide."
    user.press(Qt.Key.Key_Slash)  # out of the box, then Back: the question before
    user.press(Qt.Key.Key_1)
    screen.asked(NAME)


def test_a_key_with_no_use_here_says_what_the_keys_do(kiosk: KioskApp, user: KeypadUser) -> None:
    user.press(Qt.Key.Key_Plus)
    count = len(user.heard_since(0))
    user.press(Qt.Key.Key_1)  # no "Retour" on the welcome screen
    assert user.heard().startswith("Pas de retour en arrière ici.")
    assert "4 et 6 vont d'un bouton à l'autre." in user.heard()
    assert len(user.heard_since(count)) == 1
    assert user.focus is kiosk.welcome.start_button  # nothing else happened


def test_the_address_box_is_entered_on_purpose_and_the_change_is_said(
    kiosk: KioskApp, user: KeypadUser
) -> None:
    screen = Resident(kiosk)
    user.press(Qt.Key.Key_Plus)
    screen.start()
    screen.open_demarche("Un problème dans la rue")
    screen.choose("Lampe de rue en panne")
    screen.next()
    user.move_to("Rue des Lilas")
    user.press(Qt.Key.Key_5)
    user.move_to("Adresse écrite")
    assert user.heard() == "Adresse écrite. Zone de texte. Pour écrire, appuyez sur 5."
    user.press(Qt.Key.Key_7)  # slower speech, not typing
    user.press(Qt.Key.Key_3)
    assert user.heard().startswith("Vous êtes sur une zone de texte. Appuyez sur 5")
    user.press(Qt.Key.Key_5)  # in, on purpose
    assert user.heard().startswith("Vous écrivez dans : Adresse écrite.")
    assert screen.is_chosen("Rue des Lilas")
    user.type_letters("8")
    assert screen.text_in("Adresse écrite") == "8"
    assert not screen.is_chosen("Rue des Lilas")
    assert user.heard() == "Rue des Lilas n'est plus choisi : l'adresse écrite compte."
    user.press(Qt.Key.Key_Asterisk)
    user.move_to("Rue des Lilas", Qt.Key.Key_4)
    user.press(Qt.Key.Key_5)
    assert screen.text_in("Adresse écrite") == ""
    assert user.heard() == "L'adresse écrite est effacée."
