"""The review screen refills its rows from one review to the next: a shorter review
shows only its own answers, and a cleared review holds none."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.domain.session import ReviewItem
from tests.a11y import Role, find, names, press
from ui.screens.review import ReviewScreen

LONG = (
    ReviewItem("nom", "Votre nom", "Zéphyrine Quaglia", personal=True),
    ReviewItem("tel", "Votre téléphone", "06 99 88 77 66", personal=True),
    ReviewItem("message", "Votre message", "Le lampadaire clignote", personal=False),
)
SHORT = (ReviewItem("sujet", "Le sujet", "Rue, propreté, bruit", personal=False),)


@pytest.fixture
def review(qtbot) -> ReviewScreen:
    screen = ReviewScreen(ScreenMetrics())
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    return screen


def every_text(root: QWidget) -> str:
    """Each text the screen holds, shown or hidden, and every accessible name."""
    texts = [root.accessibleName()]
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLabel):
            texts.append(widget.text())
        texts.append(widget.accessibleName())
    return " | ".join(texts)


def test_a_shorter_review_shows_only_its_own_answers(review):
    review.show_items(LONG)
    review.show_items(SHORT)

    modify = [n for n in names(review) if n.startswith("Modifier")]
    assert modify == ["Modifier : Le sujet"]
    assert find(review, "Le sujet", Role.Border)
    assert "Zéphyrine" not in every_text(review)


def test_modifier_names_the_question_of_its_row_after_a_refill(review, qtbot):
    review.show_items(LONG)
    review.show_items(SHORT + LONG[2:])
    with qtbot.waitSignal(review.modify_requested) as asked:
        press(review, "Modifier : Votre message")
    assert asked.args == ["message"]


def test_clear_leaves_no_answer_in_any_row(review):
    review.show_items(LONG)
    assert "Zéphyrine Quaglia" in every_text(review)  # the check can see an answer

    review.clear()

    text = every_text(review)
    assert all(item.answer not in text and item.label not in text for item in LONG)
    assert not [n for n in names(review) if n.startswith("Modifier")]
