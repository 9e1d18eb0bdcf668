"""WcsConnector against the fake w.c.s. subprocess: what it sends, how every answer is
classified, and the look-up that keeps a re-send from making a second form."""

from __future__ import annotations

import json
import logging
import re
import socket

import pytest
import requests

from kiosk.connectors.wcs import WcsConnector, WcsField, WcsForm
from offline_queue.connector import Delivered, Rejected, RetryLater, Unauthorized
from tests.fakes.wcs_process import KEY, ORIG, RunningWcs, running_wcs
from tests.kiosk.connectors.connector_support import outgoing
from tests.kiosk.connectors.wcs_support import (
    DEMARCHE,
    FORM,
    SLUG,
    VARNAMES,
    connector,
    submission,
)

NO_UUID_SLUG = "sans-uuid"
DRAFT_SLUG = "signalement-franceconnect"  # a form with tracking codes
NO_CODE_SLUG = "sans-code-de-suivi"  # a form without
DRAFT = WcsForm(DRAFT_SLUG, FORM.fields, ignored=FORM.ignored, draft=True)


@pytest.fixture(scope="module")
def wcs() -> RunningWcs:
    forms = {SLUG: VARNAMES, NO_UUID_SLUG: VARNAMES[1:], DRAFT_SLUG: VARNAMES,
             NO_CODE_SLUG: VARNAMES}
    with running_wcs(forms, tracking_codes=[DRAFT_SLUG]) as started:
        yield started


@pytest.fixture(autouse=True)
def _no_fault_left(wcs: RunningWcs):
    yield
    wcs.faults(clear=True, clock_offset=0.0, keys={ORIG: KEY})


def _forms_of(wcs: RunningWcs, item_id: str, slug: str = SLUG) -> list[dict]:
    return [f for f in wcs.stored().get(slug, []) if f["data"].get("kiosk_uuid") == item_id]


def test_a_submission_becomes_one_form_with_its_uuid_and_mapped_values(wcs):
    sub = submission(1)
    outcome = connector(wcs).deliver(outgoing(sub))
    [form] = _forms_of(wcs, sub.id)
    assert form["data"] == {
        "kiosk_uuid": sub.id,
        "nature": "nid-de-poule",
        "jours": ["lundi", "jeudi"],
        "lieu": {"lat": "48.85", "lon": "2.35"},
        "danger": True,
        "personnes": 4,
        "details": "Devant l'école, n°1",
    }
    assert form["meta"] == {}  # never "backoffice-submission": see the next test
    assert form["context"] == {"channel": "counter"}
    assert outcome == Delivered(form["id"], f"{wcs.url}/{SLUG}/{form['id']}/")


def test_an_api_access_without_a_role_submits_too(wcs):
    """w.c.s. refuses ``meta.backoffice-submission`` to a signature without an API user
    ("User not authenticated."), and makes a form sent by an access with a role a
    back-office submission anyway: the kiosk never asks for it."""
    wcs.faults(keys={ORIG: KEY}, roleless=[ORIG])
    sub = submission(19)
    assert isinstance(connector(wcs).deliver(outgoing(sub)), Delivered)
    assert len(_forms_of(wcs, sub.id)) == 1


def test_a_draft_is_delivered_with_the_link_that_opens_it_on_a_phone(wcs):
    """A FranceConnect démarche: w.c.s. keeps a draft; only its tracking code opens it
    elsewhere, so the outcome's URL is the temporary link ``/api/code/<code>`` gives."""
    sub = submission(20)
    outcome = connector(wcs, form=DRAFT).deliver(outgoing(sub))
    [form] = _forms_of(wcs, sub.id, DRAFT_SLUG)
    assert form["meta"] == {"draft": True}
    assert form["status"] is None
    assert isinstance(outcome, Delivered)
    assert outcome.remote_reference == form["id"]
    assert outcome.remote_url is not None
    assert re.fullmatch(rf"{wcs.url}/code/[0-9a-f]{{64}}/load", outcome.remote_url)
    assert connector(wcs, form=DRAFT).longest_call == 3 * (2.0 + 2.0)


def test_a_draft_without_its_link_is_delivered_all_the_same(wcs, caplog):
    """No tracking code (the form has none) or no answer for it: the draft is stored, so
    it is delivered, without a link (a re-send would store a second draft)."""
    without_codes = WcsForm(NO_CODE_SLUG, FORM.fields, ignored=FORM.ignored, draft=True)
    sub = submission(21)
    with caplog.at_level(logging.WARNING, "kiosk.connectors.wcs"):
        outcome = connector(wcs, form=without_codes).deliver(outgoing(sub))
    [form] = _forms_of(wcs, sub.id, NO_CODE_SLUG)
    assert outcome == Delivered(form["id"], None)
    assert "enable tracking codes" in caplog.text
    assert sub.id not in caplog.text
    wcs.faults(code=["drop"])
    lost = submission(22)
    assert connector(wcs, form=DRAFT).deliver(outgoing(lost)) == Delivered(
        _forms_of(wcs, lost.id, DRAFT_SLUG)[0]["id"], None)
    assert len(_forms_of(wcs, lost.id, DRAFT_SLUG)) == 1


def test_the_look_up_cannot_see_a_draft(wcs):
    """The remaining risk for drafts (docs/back-office.md): w.c.s. never lists them, so
    after an unknown outcome a re-send stores a second draft, which no agent sees."""
    sub = submission(23)
    wcs.faults(submit=["store-drop"])
    assert isinstance(connector(wcs, form=DRAFT).deliver(outgoing(sub)), RetryLater)
    assert isinstance(connector(wcs, form=DRAFT).deliver(outgoing(sub, attempt=2)), Delivered)
    assert len(_forms_of(wcs, sub.id, DRAFT_SLUG)) == 2


def test_an_ignored_answer_is_left_out_and_an_unmapped_one_refused_before_sending(wcs):
    sub = submission(2, photo_refusee="oui")
    assert isinstance(connector(wcs).deliver(outgoing(sub)), Delivered)
    assert "photo_refusee" not in _forms_of(wcs, sub.id)[0]["data"]
    before = wcs.submit_requests()
    outcome = connector(wcs).deliver(outgoing(submission(3, inconnue="x")))
    assert outcome == Rejected(f"answer 'inconnue' has no field in w.c.s. form {SLUG}")
    unknown_choice = connector(wcs).deliver(outgoing(submission(4, nature="autre")))
    assert unknown_choice == Rejected("answer 'nature': a choice has no w.c.s. value")
    assert wcs.submit_requests() == before


def test_a_payload_of_another_demarche_or_not_a_submission_goes_aside(wcs):
    other = WcsConnector(wcs.url, ORIG, KEY, {"autre": FORM}, deadline=2.0)
    assert other.deliver(outgoing(submission(5))) == Rejected(
        f"no w.c.s. form for démarche {DEMARCHE!r}"
    )
    item = outgoing(submission(6))
    broken = type(item)(item.item_id, item.reference, b"{not json", 1)
    assert connector(wcs).deliver(broken) == Rejected("payload is not a kiosk submission")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"key": "une-autre-cle"}, "refused the signature"),
        ({"orig": "inconnue"}, "does not know this API access"),
    ],
)
def test_refused_credentials_pause_the_queue_with_the_reason(wcs, change, reason):
    sub = submission(7)
    outcome = connector(wcs, **change).deliver(outgoing(sub))
    assert isinstance(outcome, Unauthorized)
    assert outcome.reason.startswith("submit: HTTP 403 access-denied: ")
    assert reason in outcome.reason
    assert _forms_of(wcs, sub.id) == []


def test_a_clock_out_of_the_30_s_window_is_a_passing_failure(wcs):
    wcs.faults(clock_offset=120.0)
    outcome = connector(wcs).deliver(outgoing(submission(8)))
    assert isinstance(outcome, RetryLater)
    assert "clock is more than 30 s away" in outcome.reason


def test_an_unknown_form_or_a_refused_field_goes_aside_with_the_reason(wcs):
    gone = WcsForm("supprimee", FORM.fields)
    outcome = connector(wcs, form=gone).deliver(outgoing(submission(9)))
    assert outcome == Rejected("submit: HTTP 404 not-found: w.c.s. has no such form")
    wcs.faults(submit=["bad-field"])
    assert connector(wcs).deliver(outgoing(submission(10))) == Rejected(
        "submit: HTTP 400 invalid-request"
    )


@pytest.mark.parametrize(
    "fault", ["store-error", "store-drop", "store-hang", "trickle", "store-stall"]
)
def test_an_unknown_outcome_is_looked_up_and_never_sent_twice(wcs, fault):
    sub = submission(11)
    wcs.faults(submit=[fault])
    first = connector(wcs, deadline=1.0).deliver(outgoing(sub))
    assert isinstance(first, RetryLater)
    [stored] = _forms_of(wcs, sub.id)
    before = wcs.submit_requests()
    second = connector(wcs).deliver(outgoing(sub, attempt=2))
    assert second == Delivered(stored["id"], f"{wcs.url}/{SLUG}/{stored['id']}/")
    assert wcs.submit_requests() == before
    assert len(_forms_of(wcs, sub.id)) == 1


def test_an_answer_that_stops_halfway_is_a_network_failure(wcs):
    wcs.faults(submit=["store-stall"])
    outcome = connector(wcs, deadline=1.0).deliver(outgoing(submission(17)))
    assert outcome == RetryLater("network: read timeout")


def test_a_form_without_back_office_submission_roles_goes_aside_alone(wcs):
    wcs.faults(submit=["no-bo-role"])
    outcome = connector(wcs).deliver(outgoing(submission(18)))
    assert outcome == Rejected(
        "submit: HTTP 403 no-backoffice-submission-role: "
        "the form has no back-office submission role"
    )


@pytest.mark.parametrize("fault", ["error", "hang"])
def test_a_failure_before_storing_is_sent_again_after_the_look_up(wcs, fault):
    sub = submission(12)
    wcs.faults(submit=[fault])
    assert isinstance(connector(wcs, deadline=1.0).deliver(outgoing(sub)), RetryLater)
    assert _forms_of(wcs, sub.id) == []
    assert isinstance(connector(wcs).deliver(outgoing(sub, attempt=2)), Delivered)
    assert len(_forms_of(wcs, sub.id)) == 1


@pytest.mark.parametrize("fault", ["error", "drop", "hang"])
def test_when_the_look_up_fails_nothing_is_sent(wcs, fault):
    sub = submission(13)
    wcs.faults(lookup=[fault])
    before = wcs.submit_requests()
    outcome = connector(wcs, deadline=1.0).deliver(outgoing(sub, attempt=2))
    assert isinstance(outcome, RetryLater)
    assert outcome.reason.startswith(("look-up: HTTP 500", "network: "))
    assert wcs.submit_requests() == before


def test_a_form_without_the_uuid_field_goes_aside_at_the_look_up(wcs):
    form = WcsForm(NO_UUID_SLUG, FORM.fields)
    outcome = connector(wcs, form=form).deliver(outgoing(submission(14), attempt=2))
    assert outcome == Rejected(
        "look-up: HTTP 400 invalid-request: the form has no field for the submission's UUID"
    )


def test_a_refused_api_access_pauses_and_the_next_attempt_looks_up_first(wcs):
    sub = submission(15)
    wcs.faults(submit=["refuse"])
    assert isinstance(connector(wcs).deliver(outgoing(sub)), Unauthorized)
    assert isinstance(connector(wcs).deliver(outgoing(sub, attempt=2)), Delivered)
    assert len(_forms_of(wcs, sub.id)) == 1


def test_the_fake_refuses_a_body_without_the_json_content_type(wcs):
    """What the real w.c.s. does, and why the connector always names the type."""
    from kiosk.connectors.wcs_signing import signed_query

    answer = requests.post(
        f"{wcs.url}/api/formdefs/{SLUG}/submit?{signed_query([], ORIG, KEY)}",
        data=json.dumps({"data": {}}),
        headers={"Content-Type": "text/plain"},
        timeout=5,
    )
    assert answer.status_code == 400
    assert answer.json()["err_desc"] == "Expected JSON but missing appropriate content-type."


def test_reachable_says_whether_w_c_s_answers(wcs):
    assert connector(wcs).reachable()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    away = WcsConnector(f"http://127.0.0.1:{port}", ORIG, KEY, {}, deadline=1.0)
    assert not away.reachable()
    assert isinstance(away.deliver(outgoing(submission(16))), Rejected)  # no form for it


def test_mappings_that_cannot_work_are_refused_when_built():
    with pytest.raises(ValueError, match="varname"):
        WcsField("Nom Complet")
    with pytest.raises(ValueError, match="slug"):
        WcsForm("../admin", {})
    with pytest.raises(ValueError, match="same w"):
        WcsForm(SLUG, {"a": WcsField("x"), "b": WcsField("x")})
    with pytest.raises(ValueError, match="same w"):
        WcsForm(SLUG, {"a": WcsField("kiosk_uuid")})
    with pytest.raises(ValueError, match="http"):
        WcsConnector("ftp://mairie", ORIG, KEY, {}, deadline=1.0)
    with pytest.raises(ValueError, match="orig"):
        WcsConnector("https://mairie.example", "", KEY, {}, deadline=1.0)
