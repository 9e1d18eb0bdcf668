"""The answer part of a question screen: one editor per kind of question
(``FieldEditor`` subclasses), handed out and taken back by an ``EditorShelf``."""

from ui.fields.base import FieldEditor
from ui.fields.shelf import EditorShelf

__all__ = ["EditorShelf", "FieldEditor"]
