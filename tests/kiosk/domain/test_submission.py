"""Submissions serialise canonically; references are short, grouped and unambiguous."""

from __future__ import annotations

import dataclasses
import json
from types import MappingProxyType

from hypothesis import given
from hypothesis import strategies as st

from kiosk.audit.head import JournalHead
from kiosk.domain import Submission, new_reference, normalise_reference
from kiosk.domain.reference import ALPHABET

SUBMISSION = Submission(
    id="12345678-1234-4678-9234-567812345678",
    reference="ADM-7K3-Q9P",
    demarche_id="signalement-rue",
    demarche_version=2,
    service_id="voirie",
    answers=MappingProxyType({
        "jours": ("lundi", "jeudi"),
        "lieu": MappingProxyType({"text": "Devant l'école"}),
        "danger": True,
        "personnes": 4,
    }),
    personal_fields=("lieu",),
    language="fr",
    created_at="2025-06-15T09:30:00+00:00",
    assisted=False,
)


def test_json_is_canonical_and_reads_back() -> None:
    raw = SUBMISSION.to_json()
    assert raw == SUBMISSION.to_json()
    assert b" " not in raw.replace(b"Devant l'\xc3\xa9cole", b"")
    assert "Devant l'école".encode() in raw  # UTF-8, not \u escapes
    data = json.loads(raw)
    assert list(data) == sorted(data)
    assert data["demarche"] == {"id": "signalement-rue", "version": 2}
    assert data["answers"]["jours"] == ["lundi", "jeudi"]
    assert data["consent"] == {}
    again = Submission.from_json(raw)
    assert again == SUBMISSION
    assert again.to_json() == raw


def test_the_journal_head_travels_only_when_known() -> None:
    assert "journal_head" not in json.loads(SUBMISSION.to_json())
    anchored = dataclasses.replace(SUBMISSION, journal_head=JournalHead(116, "9f" * 32))
    data = json.loads(anchored.to_json())
    assert data["journal_head"] == {"seq": 116, "hash": "9f" * 32}
    assert Submission.from_json(anchored.to_json()) == anchored


def test_answer_order_does_not_change_the_bytes() -> None:
    reordered = Submission(**{
        **SUBMISSION.__dict__,
        "answers": MappingProxyType(dict(reversed(list(SUBMISSION.answers.items())))),
    })
    assert reordered.to_json() == SUBMISSION.to_json()


def test_reference_example_is_readable() -> None:
    assert normalise_reference("adm 7k3 q9p") == "ADM-7K3-Q9P"
    assert normalise_reference("ADM-0K3-Q9P") is None  # 0 is never used
    assert normalise_reference("short") is None


@given(st.from_regex(r"[A-Z]{2,5}", fullmatch=True))
def test_references_use_only_unambiguous_characters(prefix: str) -> None:
    reference = new_reference(prefix)
    head, first, second = reference.split("-")
    assert head == prefix
    assert len(first) == len(second) == 3
    assert set(first + second) <= set(ALPHABET)
    assert not set(first + second) & set("0O1IL")
    assert normalise_reference(reference) == reference
    assert normalise_reference(reference.lower().replace("-", " ")) == reference


def test_alphabet_has_no_look_alikes_and_references_vary() -> None:
    assert not set(ALPHABET) & set("0O1ILU")
    assert len(set(ALPHABET)) == len(ALPHABET) == 30
    assert len({new_reference("ADM") for _ in range(200)}) > 190
