"""What the tests of every connector to a back office share: submissions of a démarche,
their queued form, and the hostile answer bodies a server could give."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from hypothesis import strategies as st

from kiosk.catalog.model import Catalog
from kiosk.domain import Submission
from kiosk.domain.session import DemarcheSession
from offline_queue.connector import Outgoing


def make_submission(
    demarche: str,
    answers: Mapping[str, object],
    *,
    reference: str,
    personal: Sequence[str],
    created_at: str,
) -> Submission:
    """A submission with a fresh UUID; answers that are None are left out (not shown)."""
    return Submission(
        id=str(uuid.uuid4()),
        reference=reference,
        demarche_id=demarche,
        demarche_version=1,
        service_id="voirie",
        answers=MappingProxyType({k: v for k, v in answers.items() if v is not None}),  # type: ignore[misc]
        personal_fields=tuple(personal),
        language="fr",
        created_at=created_at,
        assisted=False,
    )


def outgoing(sub: Submission, attempt: int = 1) -> Outgoing:
    return Outgoing(sub.id, sub.reference, sub.to_json(), attempt)


def hostile_bodies(keys: Sequence[str], secret: str, *examples: object) -> st.SearchStrategy[bytes]:
    """Any bytes, any JSON made of ``keys`` (and ``secret``, standing for personal data a
    server could echo), and the ``examples`` as JSON."""
    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.just(secret),
        lambda inner: st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(list(keys)), inner, max_size=4),
        max_leaves=12,
    )
    return (
        st.binary(max_size=500)
        | values.map(lambda value: json.dumps(value).encode())
        | st.sampled_from([json.dumps(example).encode() for example in examples])
    )


def street_answers(n: int) -> dict[str, object]:
    """The answers of a street report, the démarche every connector test maps (but its
    place, which each back office takes in its own way)."""
    return {
        "nature": "trou",
        "jours": ("lundi", "jeudi"),
        "danger": True,
        "personnes": 4,
        "details": f"Devant l'école, n°{n}",
    }


def catalog_street_report(catalog: Catalog, place: str) -> Submission:
    """A resident's "Un problème dans la rue" of the bundled catalog, answered as on
    screen, asking to be called back (a phone number, and the consent)."""
    session = DemarcheSession.start(catalog, "signalement-rue")
    for field_id, raw in (("probleme", "eclairage"), ("lieu", place),
                          ("description", "Le lampadaire clignote."), ("danger", False),
                          ("rappel", True), ("telephone", "06 12 34 56 78"),
                          ("accord", True)):
        assert session.answer(field_id, raw).ok, field_id
    return session.build_submission()
