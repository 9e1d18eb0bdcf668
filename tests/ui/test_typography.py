"""French punctuation stays on the line of the word before it ("acte ?" never wraps as
"acte" / "?"), while screen readers and speech get the text as the catalog wrote it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QFont, QFontMetricsF, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication

from accessibility.sizes import TextSize
from tests.e2e.module_kiosk import shared_kiosk
from tests.e2e.resident import settle
from ui.style import Appearance
from ui.typography import NO_BREAK_SPACE, unbreakable_punctuation
from wiring.app import KioskApp
from wiring.screenshots import all_scenes

QUESTION = "Quel est le nom et le prénom de la personne sur l'acte ?"


@pytest.fixture(scope="module")
def kiosk(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KioskApp]:
    yield from shared_kiosk(qapp, tmp_path_factory.mktemp("typography-data"))


def wrapped_lines(text: str, font: QFont, width: float) -> list[str]:
    """The lines Qt breaks ``text`` into at ``width`` (as a word-wrapping label does)."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(text[line.textStart() : line.textStart() + line.textLength()])
    layout.endLayout()
    return lines


def test_the_question_mark_stays_with_its_word_on_the_question_screen(kiosk):
    scene = next(s for s in all_scenes(kiosk) if s.name == "acte-etat-civil-04")
    scene.enter(kiosk)
    kiosk.set_language("fr")
    kiosk.set_appearance(Appearance(text_size=TextSize.LARGEST))
    settle()
    label = kiosk.guide.question.label
    assert label.accessibleName() == QUESTION  # what a screen reader says: unchanged
    assert kiosk.guide.question.spoken_text().startswith(kiosk.guide.question.step.text())
    assert QUESTION in kiosk.guide.question.spoken_text()
    # A width where the line is full just before " ?": the ordinary space breaks there.
    font = label.font()
    width = QFontMetricsF(font).horizontalAdvance(QUESTION.removesuffix(" ?")) + 2
    assert wrapped_lines(QUESTION, font, width)[-1].strip() == "?"  # the defect, shown
    lines = wrapped_lines(label.text(), font, width)
    assert lines[-1].strip() != "?", lines
    assert lines[-1].endswith(f"acte{NO_BREAK_SPACE}?"), lines


def test_french_spaces_before_punctuation_and_inside_quotes_do_not_break():
    assert unbreakable_punctuation("Quoi ? Oui ! Note : ceci ; « cela »") == (
        "Quoi\u00a0? Oui\u00a0! Note\u00a0: ceci\u00a0; «\u00a0cela\u00a0»"
    )
    assert unbreakable_punctuation("What? ما هذا؟ 12, rue") == "What? ما هذا؟ 12, rue"


@given(st.text(alphabet=" \tab?!:;«»\u00a0\n", max_size=30))
def test_only_spaces_next_to_punctuation_change(text: str):
    shown = unbreakable_punctuation(text)

    def letters(t: str) -> str:
        return "".join(c for c in t if c not in " \t\u00a0")

    assert letters(shown) == letters(text)
    assert not any(f"{space}{mark}" in shown for space in " \t" for mark in "?!:;»")
    assert not any(f"«{space}" in shown for space in " \t")
