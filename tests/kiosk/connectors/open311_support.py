"""What the Open311 connector tests share: a démarche mapped to a service, submissions of
it, and a connector pointed at the fake server."""

from __future__ import annotations

import datetime as dt
import uuid
from types import MappingProxyType
from typing import Any

from kiosk.connectors.open311 import Open311Connector
from kiosk.connectors.open311_mapping import Open311Attribute, Open311Place, Open311Service
from kiosk.domain import Submission
from tests.fakes.open311_process import API_KEY, RunningOpen311
from tests.kiosk.connectors.connector_support import make_submission, street_answers

CODE = "voirie-nid-de-poule"
SERVICES: dict[str, dict[str, Any]] = {
    CODE: {"service_name": "Voirie", "attributes": [
        {"code": "nature", "datatype": "singlevaluelist", "required": True, "order": 1},
        {"code": "jours", "datatype": "multivaluelist", "required": False, "order": 2},
        {"code": "danger", "datatype": "string", "required": False, "order": 3},
    ]},
    "eclairage": {"service_name": "Éclairage public", "attributes": []},
}
SERVICE = Open311Service(
    service_code=CODE,
    place_answer="lieu",
    places=MappingProxyType({
        "place-mairie": Open311Place(lat="48.8566", long="2.3522"),
        "rue-lilas": Open311Place(address="Rue des Lilas, Admiville"),
    }),
    description_answer="details",
    described=MappingProxyType({"personnes": "Personnes gênées"}),
    attributes=MappingProxyType({
        "nature": Open311Attribute("nature", MappingProxyType({"trou": "pothole",
                                                               "lampe": "light"})),
        "jours": Open311Attribute("jours"),
        "danger": Open311Attribute("danger"),
    }),
    contact=MappingProxyType({"email": "courriel", "last_name": "nom"}),
    contact_consent="rappel",
    ignored=frozenset({"photo_refusee"}),
)
DEMARCHE = "signalement-rue"


def submission(n: int = 0, **answers: object) -> Submission:
    """A submission of the mapped démarche, with a fresh UUID, created now."""
    base = {
        **street_answers(n),
        "lieu": MappingProxyType({"id": "place-mairie", "label": "Place de la Mairie"}),
        "rappel": False,
        "courriel": "jeanne@example.org",
        "nom": "Martin",
    }
    return make_submission(
        # The fake server lives for a whole module and the tests find a request by its
        # reference: a reference must never repeat (3 random hex digits did, now and then,
        # and a request stored by an earlier example was counted as a duplicate).
        DEMARCHE, {**base, **answers}, reference=f"ADM-{n:03d}-{uuid.uuid4().hex[:12].upper()}",
        personal=("details", "courriel", "nom"),
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


def connector(server: RunningOpen311, *, deadline: float = 2.0, api_key: str = API_KEY,
              service: Open311Service = SERVICE, jurisdiction_id: str = "") -> Open311Connector:
    return Open311Connector(server.url, api_key, {DEMARCHE: service}, deadline=deadline,
                            jurisdiction_id=jurisdiction_id)
