"""The domain of one visit, free of Qt: session, answer checks, conditions, submission.

Public API:

- ``DemarcheSession`` (``kiosk.domain.session``): ``start(catalog, demarche_id)``,
  ``question()``, ``answer(field_id, raw)``, ``next()``, ``back()``, ``go_to(field_id)``,
  ``review_items()``, ``build_submission(...)``, ``wipe()``.
- ``Submission`` (frozen, ``to_json()`` canonical bytes, ``from_json()``).
- ``check_answer(field, raw, today=..., language=...)`` -> ``Validation``.
- ``new_reference(prefix)`` -> ``"ADM-7K3-Q9P"``; ``format_answer(field, value, language)``.
"""

from kiosk.catalog.validators import Validation
from kiosk.domain.answers import RawAnswer, check_answer
from kiosk.domain.conditions import destination_service, visible_fields
from kiosk.domain.reference import new_reference, normalise_reference
from kiosk.domain.review import format_answer, format_date
from kiosk.domain.session import (
    Choice,
    DemarcheSession,
    Question,
    ReviewItem,
    SessionIncompleteError,
)
from kiosk.domain.submission import Submission

__all__ = [
    "Choice",
    "DemarcheSession",
    "Question",
    "RawAnswer",
    "ReviewItem",
    "SessionIncompleteError",
    "Submission",
    "Validation",
    "check_answer",
    "destination_service",
    "format_answer",
    "format_date",
    "new_reference",
    "normalise_reference",
    "visible_fields",
]
