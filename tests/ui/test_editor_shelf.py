"""Editors of tiles are kept between questions, with nothing of the last answer in them;
editors of typed text never are."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from accessibility.sizes import ScreenMetrics, TextSize
from kiosk.catalog import FieldType
from kiosk.domain.session import Choice, Question
from kiosk.i18n import current_language, set_language
from kiosk.sample_answers import sample_answer
from tests.a11y import Role, find, names
from ui import screen_reader
from ui.fields import EditorShelf, FieldEditor
from ui.screens.frame import tab_stops

PLACES = (Choice("mairie", "Place de la mairie", None), Choice("gare", "Rue de la gare", None))


def question(kind: FieldType, raw: object = None, **changes: object) -> Question:
    values: dict[str, object] = {
        "id": "q", "type": kind, "label": "Où est le problème ?", "help": "",
        "choices": PLACES, "required": True, "personal": False, "raw": raw, "error": None,
        "step_number": 2, "step_total": 5, "step_text": "Étape 2 sur 5",
    }
    values.update(changes)
    return Question(**values)  # type: ignore[arg-type]


def destroy_deferred() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


@pytest.fixture
def shelf(qtbot) -> Iterator[tuple[EditorShelf, QWidget]]:
    screen_reader.install()  # as the kiosk does: options are radio buttons
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    yield EditorShelf(ScreenMetrics(), parent), parent
    set_language("fr")


def test_a_choice_comes_back_for_the_same_question_with_nothing_chosen(shelf):
    editors, _parent = shelf
    first = editors.take(question(FieldType.SINGLE_CHOICE, raw="gare"))
    assert first.value() == "gare"
    editors.put_back(first)

    again = editors.take(question(FieldType.SINGLE_CHOICE, step_number=4))  # another visit

    again.show()
    assert again is first
    assert again.value() is None
    assert not find(again, "Rue de la gare", Role.RadioButton).state().checked
    assert "✓" not in " ".join(label.text() for label in again.findChildren(QLabel))


def test_a_question_of_another_shape_gets_its_own_editor(shelf):
    editors, _parent = shelf
    kept = editors.take(question(FieldType.SINGLE_CHOICE))
    editors.put_back(kept)
    other = editors.take(question(FieldType.SINGLE_CHOICE, label="Quel service ?"))
    assert other is not kept


def test_typed_text_is_never_kept(shelf):
    editors, _parent = shelf
    typed = editors.take(question(FieldType.SHORT_TEXT, raw="Zéphyrine Quaglia"))
    editors.put_back(typed)
    destroy_deferred()

    assert not shiboken6.isValid(typed)
    assert len(editors) == 0


def test_a_place_is_kept_but_the_address_typed_in_it_is_destroyed(shelf):
    editors, parent = shelf
    place = question(FieldType.PLACE, free_text=True)
    editor = editors.take(dataclasses.replace(place, raw={"text": "17 bis rue des Lilas"}))
    editor.show()
    [typed] = editor.findChildren(QLineEdit)
    editors.put_back(editor)

    again = editors.take(place)  # at once, as "Modifier" on the review does
    again.show()

    assert again is editor
    assert typed.isHidden()  # until it is destroyed
    assert typed not in tab_stops(again)
    destroy_deferred()
    boxes = again.findChildren(QLineEdit)
    assert [box.text() for box in boxes] == [""]
    assert [w for w in tab_stops(again) if isinstance(w, QLineEdit)] == boxes
    assert find(parent, "Adresse écrite", Role.EditableText)


def test_a_kept_editor_holds_nothing_of_the_answer_it_was_first_made_with(shelf):
    editors, _parent = shelf
    asked = question(FieldType.PLACE, free_text=True, raw={"text": "17 bis rue des Lilas"},
                     error="Écrivez une adresse plus courte.")
    editor = editors.take(asked)
    editors.put_back(editor)

    assert (editor.question.raw, editor.question.error) == (None, None)
    assert editor.question.step_text == ""


def test_an_editor_kept_in_one_language_is_not_given_in_another(shelf):
    editors, _parent = shelf
    set_language("fr")
    french = editors.take(question(FieldType.YES_NO))
    editors.put_back(french)

    set_language("en")
    assert current_language() == "en"
    english = editors.take(question(FieldType.YES_NO))
    english.show()

    assert english is not french
    assert names(english, Role.RadioButton) == ["Yes", "No"]


def test_kept_editors_are_destroyed_before_the_window_is_restyled(make_kiosk):
    kiosk = make_kiosk()
    kiosk.start_visit()
    guide = kiosk.guide
    guide.start_demarche("signalement-rue")
    while guide.session is not None and guide.session.current is not None:
        editor = guide.question.editor
        assert editor is not None
        editor.set_value(sample_answer(guide.session.current))
        guide.question.navigation.next.click()
    destroy_deferred()
    assert len(kiosk.window.findChildren(FieldEditor)) > 1  # kept ones are there

    kiosk.set_appearance(kiosk.appearance._replace(text_size=TextSize.LARGEST))

    assert kiosk.window.findChildren(FieldEditor) == [guide.question.editor]  # the last one
