"""What the w.c.s. connector tests share: a démarche mapped to a form, submissions of it,
and a connector pointed at the fake w.c.s."""

from __future__ import annotations

from types import MappingProxyType

from kiosk.connectors.wcs import WcsConnector, WcsField, WcsForm
from kiosk.domain import Submission
from tests.fakes.wcs_process import KEY, ORIG, RunningWcs
from tests.kiosk.connectors.connector_support import make_submission, street_answers

SLUG = "signalement-voirie"
VARNAMES = ("kiosk_uuid", "nature", "jours", "lieu", "danger", "personnes", "details")
FORM = WcsForm(
    slug=SLUG,
    fields=MappingProxyType({
        "nature": WcsField("nature", MappingProxyType({"trou": "nid-de-poule", "lampe": "ecl"})),
        "jours": WcsField("jours"),
        "lieu": WcsField("lieu"),
        "danger": WcsField("danger"),
        "personnes": WcsField("personnes"),
        "details": WcsField("details"),
    }),
    ignored=frozenset({"photo_refusee"}),
)
DEMARCHE = "signalement-rue"


def submission(n: int = 0, **answers: object) -> Submission:
    """A submission of the mapped démarche, with a fresh UUID."""
    base = {**street_answers(n), "lieu": MappingProxyType({"lat": "48.85", "lon": "2.35"})}
    return make_submission(
        DEMARCHE, {**base, **answers}, reference=f"ADM-{n:03d}-TST", personal=("details",),
        created_at="2026-12-02T09:00:00+01:00",
    )


def connector(wcs: RunningWcs, *, deadline: float = 2.0, key: str = KEY, orig: str = ORIG,
              form: WcsForm = FORM) -> WcsConnector:
    return WcsConnector(wcs.url, orig, key, {DEMARCHE: form}, deadline=deadline)
