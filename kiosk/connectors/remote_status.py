"""A request's status as w.c.s. and Open311 tell it, read into the kiosk's four statuses.

Both read outside input: anything unexpected (not JSON, another shape, an unknown
status) is None, which the status desk tells the resident as "try again later"; it never
raises and never shows the back office's text, except an Open311 ``status_notes``, which
GeoReport v2 publishes to anyone, as one short line.

w.c.s. (a form's JSON, ``GET /api/forms/<slug>/<id>/``; ``wcs/formdata.py``
``get_json_export_dict`` and ``wcs/workflows.py`` ``get_default_workflow`` in w.c.s.'s
source, see docs/back-office.md): ``workflow.status`` is the status the form's submitter
may see, ``{"id", "name", "endpoint", "first_arrival_datetime",
"latest_arrival_datetime"}`` (``workflow.real_status``, the agents' one, is not read: it
may be a status w.c.s. hides from the submitter). The default workflow's status ids are
``just_submitted`` and ``new`` (received), ``accepted`` (in progress), ``rejected`` and
``finished``; a commune's own workflow names its statuses as it likes, so any other
status is "in progress", or "done" when w.c.s. marks it as an end (``endpoint``). A form
with ``workflow`` but no visible status is a draft (a FranceConnect démarche the resident
has not finished: w.c.s. gives a draft no status) or waits in a status hidden from its
submitter: received.

Open311 (``GET requests/<id>.json``, a list of one record): ``status`` is ``open`` or
``closed`` (GeoReport v2); ``agency_responsible`` names the service in charge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import requests

from kiosk.connectors.bounded_http import Answer, describe_network_error
from kiosk.domain.request_status import (
    MAX_NOTE,
    MAX_SERVICE_NAME,
    RequestStatus,
    Status,
    StatusUnavailableError,
    UnknownReferenceError,
    one_line,
)

WCS_STATUSES = {
    "just_submitted": Status.RECEIVED,
    "new": Status.RECEIVED,
    "accepted": Status.IN_PROGRESS,
    "rejected": Status.REJECTED,
    "finished": Status.DONE,
}
OPEN311_STATUSES = {"open": Status.IN_PROGRESS, "closed": Status.DONE}
MAX_DATE = 64  # characters of a date kept as it came


def wcs_request_status(reply: Any) -> RequestStatus | None:
    """The status in a w.c.s. form's JSON, or None when it has none that can be read."""
    if not isinstance(reply, Mapping):
        return None
    workflow = reply.get("workflow")
    if not isinstance(workflow, Mapping):
        return None
    updated_at = one_line(reply.get("last_update_time"), MAX_DATE)
    status = workflow.get("status")
    if status is None:  # a draft, or a status hidden from the submitter
        return RequestStatus(Status.RECEIVED, updated_at=updated_at)
    if not isinstance(status, Mapping):
        return None
    status_id = status.get("id")
    if not isinstance(status_id, str) or not status_id:
        return None
    known = WCS_STATUSES.get(status_id)
    if known is None:
        known = Status.DONE if status.get("endpoint") is True else Status.IN_PROGRESS
    return RequestStatus(known, updated_at=updated_at)


def open311_request_status(reply: Any, remote_id: str) -> RequestStatus | None:
    """The status of request ``remote_id`` in an Open311 answer (a list of records, or
    one record), or None."""
    records = [reply] if isinstance(reply, Mapping) else reply
    if not isinstance(records, list):
        return None
    record = next(
        (r for r in records if isinstance(r, Mapping)
         and str(r.get("service_request_id")) == remote_id),
        None,
    )
    status = record.get("status") if record is not None else None
    known = OPEN311_STATUSES.get(status.lower()) if isinstance(status, str) else None
    if known is None or record is None:
        return None
    return RequestStatus(
        known,
        service=one_line(record.get("agency_responsible"), MAX_SERVICE_NAME),
        updated_at=one_line(record.get("updated_datetime"), MAX_DATE),
        note=one_line(record.get("status_notes"), MAX_NOTE),
    )


def asked_status(
    ask: Callable[[], Answer],
    read: Callable[[Any], RequestStatus | None],
    remote: str,
    reason: Callable[[Answer], str],
) -> RequestStatus:
    """The status in the answer to ``ask()``, read by ``read``: raises
    ``UnknownReferenceError`` on a 404 (no such request), ``StatusUnavailableError`` on
    network trouble or any answer without a readable status (``reason`` names it)."""
    try:
        answer = ask()
    except requests.RequestException as error:
        raise StatusUnavailableError(f"status: {describe_network_error(error)}") from None
    if answer.status == 404:
        raise UnknownReferenceError(remote)
    status = read(answer.json()) if answer.status == 200 else None
    if status is None:
        raise StatusUnavailableError(f"status: {reason(answer)}, no readable status")
    return status
