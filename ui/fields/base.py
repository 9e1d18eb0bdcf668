"""What every question editor offers the question screen."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.domain.answers import RawAnswer
from kiosk.domain.session import Question


class FieldEditor(QWidget):
    """Collects one raw answer; it never judges it (the domain does).

    Signals:
        changed: the answer changed.
        submitted: the resident pressed Enter or "Valider" on the keyboard.
        notice(str): a change of the answer the resident did not make directly (one part
            cleared by another), to be said; never personal.
    """

    changed = Signal()
    submitted = Signal()
    notice = Signal(str)

    def __init__(self, question: Question, metrics: ScreenMetrics, parent: QWidget) -> None:
        super().__init__(parent)
        self.question = question
        self.metrics = metrics
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(metrics.px(4))

    def value(self) -> RawAnswer:
        raise NotImplementedError

    def set_value(self, raw: RawAnswer) -> None:
        raise NotImplementedError

    def focus_first(self) -> None:
        """Put the focus where the resident starts answering."""
        self.focusNextChild()

    def reusable(self) -> bool:
        """True when the editor holds nothing typed, so that it can be kept for the next
        time its question is shown (``EditorShelf``) once its answer is cleared."""
        return False

    def clear_answer(self) -> None:
        """Forget the answer shown (only called on a ``reusable`` editor)."""
        raise NotImplementedError

    def tell(self, text: str) -> None:
        """Emit ``notice`` once the key or touch that caused it has been handled: it is
        then said after that key's own echo, which would otherwise replace it."""
        QTimer.singleShot(0, self, lambda: self.notice.emit(text))


class InfoEditor(FieldEditor):
    """An information page: nothing to answer."""

    def value(self) -> RawAnswer:
        return None

    def set_value(self, raw: RawAnswer) -> None:
        del raw

    def focus_first(self) -> None:
        """Nothing to focus: "Suivant" keeps the focus."""

    def reusable(self) -> bool:
        return True

    def clear_answer(self) -> None:
        """Nothing to forget."""
