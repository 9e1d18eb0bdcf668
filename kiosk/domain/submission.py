"""The Submission: what one finished démarche sends to the town hall, as a frozen value.

``id`` is a UUID4 string and the idempotency key end to end (queue, back office);
``reference`` is for people (``ADM-7K3-Q9P``). ``to_json()`` gives canonical bytes (sorted
keys, no spaces, UTF-8), so the same submission always gives the same bytes, and
``Submission.from_json()`` reads them back.

``journal_head`` is the terminal journal's last seq and hash when the submission was stored
(``kiosk.audit.head``): the back office keeps the highest it sees, the anchor that shows an
older copy of the journal put back on the terminal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from kiosk.audit.head import JournalHead
from kiosk.catalog.validators import AnswerValue

FORMAT_VERSION = 1


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Submission:
    """One démarche ready to queue; answers are normalised and only of shown questions."""

    id: str
    reference: str
    demarche_id: str
    demarche_version: int
    service_id: str  # the destination after routing
    answers: Mapping[str, AnswerValue]
    personal_fields: tuple[str, ...]  # answers that are personal data (never logged)
    language: str
    created_at: str  # ISO 8601 with time zone
    assisted: bool  # filled in with a mediator
    consent: Mapping[str, str] = field(default_factory=_empty)  # mediator consent record
    journal_head: JournalHead | None = None  # the terminal's journal when it was stored

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (tuples become lists); ``journal_head`` only when known."""
        data = {
            "format": FORMAT_VERSION,
            "id": self.id,
            "reference": self.reference,
            "demarche": {"id": self.demarche_id, "version": self.demarche_version},
            "service": self.service_id,
            "answers": {key: _plain(value) for key, value in self.answers.items()},
            "personal_fields": list(self.personal_fields),
            "language": self.language,
            "created_at": self.created_at,
            "assisted": self.assisted,
            "consent": dict(self.consent),
        }
        if self.journal_head is not None:
            data["journal_head"] = self.journal_head.to_dict()
        return data

    def to_json(self) -> bytes:
        """Canonical UTF-8 JSON: sorted keys, no spaces; the same value gives the same bytes."""
        return json.dumps(
            self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
            allow_nan=False,
        ).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Submission:
        """Read back what ``to_json()`` wrote (ValueError/KeyError when it is not that)."""
        data = json.loads(raw)
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"unknown submission format {data.get('format')!r}")
        return cls(
            id=data["id"],
            reference=data["reference"],
            demarche_id=data["demarche"]["id"],
            demarche_version=data["demarche"]["version"],
            service_id=data["service"],
            answers=MappingProxyType(
                {key: _frozen(value) for key, value in data["answers"].items()}
            ),
            personal_fields=tuple(data["personal_fields"]),
            language=data["language"],
            created_at=data["created_at"],
            assisted=data["assisted"],
            consent=MappingProxyType(dict(data["consent"])),
            journal_head=(
                JournalHead.from_dict(data["journal_head"]) if "journal_head" in data else None
            ),
        )


def _plain(value: AnswerValue) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _frozen(value: Any) -> AnswerValue:
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return MappingProxyType(value)
    if isinstance(value, str | int | float | bool):
        return value
    raise ValueError(f"unexpected answer of type {type(value).__name__}")
