"""The receiver and docs/api/openapi.yaml agree, checked from outside by an OpenAPI fuzzer.

Schemathesis reads the spec, generates valid and invalid requests for every operation
(examples, coverage and fuzzing phases), sends them, signed as the kiosk signs them
(schemathesis_signing.py), to a real receiver subprocess on 127.0.0.1, and runs all its
checks: no 5xx, every status, header, content type and body as documented, invalid data
refused, valid data accepted, refused without credentials. Bounded by a fixed seed and a
small number of examples per operation, so it runs in seconds; set KIOSK_FUZZ_EXAMPLES
(and KIOSK_FUZZ_SEED) to fuzz longer by hand.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.receiver_process import TERMINAL_ID, RunningReceiver, running_receiver

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent


EXAMPLE_REFERENCE = "ADM-7K3-Q9P"  # the spec's example: its status is then found


def deliver_the_example(rx: RunningReceiver) -> None:
    """A request with the spec's example reference, so that the status endpoint is also
    fuzzed past its 404 (schemathesis warns about an operation that only answers 404)."""
    body = b'{"reference": "%s"}' % EXAMPLE_REFERENCE.encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": "schemathesis-seed",
               **rx.signed_headers("POST", "/v1/submissions", body)}
    answer = requests.post(rx.url + "/v1/submissions", data=body, headers=headers, timeout=10)
    assert answer.status_code == 201


@pytest.mark.slow
def test_schemathesis_finds_no_difference_between_the_receiver_and_its_spec(tmp_path):
    with running_receiver(tmp_path / "receiver") as rx:
        deliver_the_example(rx)
        env = dict(os.environ, KIOSK_FUZZ_TERMINAL=TERMINAL_ID, KIOSK_FUZZ_SECRET=rx.secret.hex(),
                   SCHEMATHESIS_HOOKS="tests.kiosk.receiver.schemathesis_signing",
                   PYTHONPATH=str(ROOT))
        run = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli",
             "--config-file", str(HERE / "schemathesis.toml"), "run",
             str(ROOT / "docs" / "api" / "openapi.yaml"), "--url", rx.url,
             "--checks", "all", "--workers", "1", "--request-timeout", "10",
             "--max-examples", os.environ.get("KIOSK_FUZZ_EXAMPLES", "30"),
             "--seed", os.environ.get("KIOSK_FUZZ_SEED", "20261202")],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=110, check=False,
        )
        receiver_output = rx.output()
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-4000:]
    assert "No issues found" in run.stdout
    assert "Traceback" not in receiver_output
