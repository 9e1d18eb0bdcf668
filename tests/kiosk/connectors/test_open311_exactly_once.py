"""Exactly once over Open311, which has no idempotency (the machinery: exactly_once.py):
through every fault of the fake server, in both its modes, each submission is one request
(counted by the kiosk reference in its description), whose id or token the queue kept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import rule, run_state_machine_as_test

from kiosk.domain import Submission
from offline_queue.connector import Connector
from tests.fakes.open311_process import RunningOpen311, running_open311
from tests.fakes.open311_server import POST_FAULTS
from tests.kiosk.connectors.exactly_once import (
    DEADLINE,
    SETTINGS,
    ExactlyOnce,
    deliver_with_worker,
)
from tests.kiosk.connectors.open311_support import DEMARCHE, SERVICES, connector, submission

# Every way a POST can fail, before or after the server stored the request, and a token
# answer; a refused service would put the item aside (not this test's subject).
FAULTS = sorted(POST_FAULTS - {"bad-service"})
LOOK_UP_FAULTS = ("error", "drop", "hang")  # in passing: a server that cannot be searched
# puts items aside (test_open311.py)


@pytest.fixture(scope="module")
def server() -> RunningOpen311:
    with running_open311(SERVICES) as started:
        yield started


def requests_per_submission(
    server: RunningOpen311, subs: Sequence[Submission]
) -> dict[str, list[frozenset[str]]]:
    """Submission id -> the stored requests whose description holds its reference."""
    records = server.stored()
    return {
        sub.id: [
            frozenset({r["service_request_id"], *(["token:" + r["token"]] if "token" in r
                                                  else [])})
            for r in records if sub.reference in r["description"]
        ]
        for sub in subs
    }


class Open311ExactlyOnce(ExactlyOnce):
    """Faults and mode changes on the fake server besides the shared rules."""

    server: ClassVar[RunningOpen311]
    demarche = DEMARCHE

    def connector(self) -> Connector:
        return connector(self.server, deadline=DEADLINE)

    def submission(self, n: int) -> Submission:
        return submission(n)

    def clear_faults(self) -> None:
        self.server.control(clear=True)

    def stored(self, subs: Sequence[Submission]) -> dict[str, list[frozenset[str]]]:
        return requests_per_submission(self.server, subs)

    @rule(fault=st.sampled_from(FAULTS))
    def post_fails(self, fault: str) -> None:
        self.server.control(post=[fault])

    @rule(fault=st.sampled_from(LOOK_UP_FAULTS))
    def look_up_fails(self, fault: str) -> None:
        self.server.control(lookup=[fault])

    @rule(mode=st.sampled_from(["spec", "deviant"]))
    def server_behaves(self, mode: str) -> None:
        self.server.control(mode=mode)


def test_every_submission_is_one_request_whatever_fails(server):
    Open311ExactlyOnce.server = server
    try:
        run_state_machine_as_test(Open311ExactlyOnce, settings=SETTINGS)
    finally:
        server.control(clear=True, mode="spec")


def test_the_sync_worker_delivers_once_through_a_series_of_faults(server, tmp_path):
    subs = [submission(n) for n in range(6)]
    server.control(
        clear=True,
        post=["store-drop", "store-error", "trickle", "error", "store-hang", "hang"],
        lookup=["error", "drop"],
    )
    deliver_with_worker(tmp_path / "queue.sqlite3", connector(server, deadline=DEADLINE), subs,
                        DEMARCHE)
    stored = requests_per_submission(server, subs)
    assert [len(stored[sub.id]) for sub in subs] == [1] * 6
