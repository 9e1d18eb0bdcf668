"""Exactly once over w.c.s., which has no idempotency (the machinery: exactly_once.py): at
the end each submission is one form, whose id the queue kept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import rule, run_state_machine_as_test

from kiosk.domain import Submission
from offline_queue.connector import Connector
from tests.fakes.wcs_process import RunningWcs, running_wcs
from tests.fakes.wcs_server import LIST_FAULTS
from tests.kiosk.connectors.exactly_once import (
    DEADLINE,
    SETTINGS,
    ExactlyOnce,
    deliver_with_worker,
)
from tests.kiosk.connectors.wcs_support import DEMARCHE, SLUG, VARNAMES, connector, submission

# Every way a submit can fail, before or after w.c.s. stored the form.
SUBMIT_FAULTS = (
    "refuse", "error", "store-error", "store-drop", "hang", "store-hang", "trickle", "store-stall"
)


@pytest.fixture(scope="module")
def wcs() -> RunningWcs:
    with running_wcs({SLUG: VARNAMES}) as started:
        yield started


def forms_per_uuid(wcs: RunningWcs) -> dict[str, list[frozenset[str]]]:
    stored: dict[str, list[frozenset[str]]] = {}
    for form in wcs.stored().get(SLUG, []):
        stored.setdefault(form["data"].get("kiosk_uuid"), []).append(frozenset({form["id"]}))
    return stored


class WcsExactlyOnce(ExactlyOnce):
    """Faults queued on the fake w.c.s. besides the shared rules."""

    wcs: ClassVar[RunningWcs]
    demarche = DEMARCHE

    def connector(self) -> Connector:
        return connector(self.wcs, deadline=DEADLINE)

    def submission(self, n: int) -> Submission:
        return submission(n)

    def clear_faults(self) -> None:
        self.wcs.faults(clear=True)

    def stored(self, subs: Sequence[Submission]) -> dict[str, list[frozenset[str]]]:
        return forms_per_uuid(self.wcs)

    @rule(fault=st.sampled_from(SUBMIT_FAULTS))
    def submit_fails(self, fault: str) -> None:
        self.wcs.faults(submit=[fault])

    @rule(fault=st.sampled_from(sorted(LIST_FAULTS)))
    def look_up_fails(self, fault: str) -> None:
        self.wcs.faults(lookup=[fault])


def test_every_submission_is_one_form_whatever_fails(wcs):
    WcsExactlyOnce.wcs = wcs
    run_state_machine_as_test(WcsExactlyOnce, settings=SETTINGS)


def test_the_sync_worker_delivers_once_through_a_series_of_faults(wcs, tmp_path):
    subs = [submission(n) for n in range(6)]
    wcs.faults(
        clear=True,
        submit=["store-drop", "store-error", "trickle", "error", "store-hang", "hang"],
        lookup=["error", "drop"],
    )
    deliver_with_worker(tmp_path / "queue.sqlite3", connector(wcs, deadline=DEADLINE), subs,
                        DEMARCHE)
    stored = forms_per_uuid(wcs)
    assert [len(stored[sub.id]) for sub in subs] == [1] * 6
