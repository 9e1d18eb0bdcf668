"""The reference receiver with its console, as a real subprocess, and staff logged in."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.receiver_process import RunningReceiver, running_receiver

PASSWORD = "un mot de passe assez long"
ROLES = ("agent", "admin", "dpo")
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def receiver_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``kiosk-receiver ARGS`` with ``stdin``."""
    return subprocess.run([sys.executable, "-m", "kiosk.receiver.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=60, check=False)


def add_staff(db: Path, name: str, role: str, password: str = PASSWORD) -> None:
    """Create an account as a commune's technician would."""
    done = receiver_cli("staff", "add", "--role", role, name, "--db", str(db),
                        stdin=password + "\n")
    assert done.returncode == 0, done.stderr


@dataclass
class Console:
    """A running receiver whose database has one account per role (named after it)."""

    receiver: RunningReceiver

    @property
    def url(self) -> str:
        return self.receiver.url + "/console"

    def login(self, name: str, password: str = PASSWORD) -> requests.Session:
        """A session logged in as ``name`` (fails the test if the login fails)."""
        session = requests.Session()
        answer = self.try_login(session, name, password)
        assert answer.url.endswith(("/terminaux", "/statistiques")), answer.text
        return session

    def try_login(
        self, session: requests.Session, name: str, password: str
    ) -> requests.Response:
        form = session.get(self.url + "/connexion", timeout=10)
        return session.post(self.url + "/connexion", timeout=30, data={
            "csrf": csrf_of(form.text), "name": name, "password": password})

    def heartbeat(self, terminal_id_body: dict[str, object]) -> None:
        """A signed heartbeat from the enrolled terminal."""
        body = json.dumps(terminal_id_body).encode()
        headers = self.receiver.signed_headers("POST", "/v1/heartbeat", body)
        headers["Content-Type"] = "application/json"
        answer = requests.post(self.receiver.url + "/v1/heartbeat", data=body, headers=headers,
                               timeout=10)
        assert answer.status_code == 200, answer.text

    def mediator_usage(self, body: bytes) -> requests.Response:
        """A signed mediator usage report from the enrolled terminal (its answer)."""
        path = "/v1/mediators/usage"
        headers = self.receiver.signed_headers("POST", path, body)
        headers["Content-Type"] = "application/json"
        return requests.post(self.receiver.url + path, data=body, headers=headers, timeout=10)

    def mediator_id(self, name: str) -> str:
        """The id of the mediator called ``name`` in the roster the terminals get."""
        path = "/v1/mediators"
        answer = requests.get(self.receiver.url + path, timeout=10,
                              headers=self.receiver.signed_headers("GET", path))
        return next(str(m["id"]) for m in answer.json()["mediators"] if m["name"] == name)

    def submit(self, reference: str, demarche: str = "carte-grise") -> None:
        """A signed submission carrying ``reference``."""
        body = json.dumps({"reference": reference, "demarche": {"id": demarche, "version": 1},
                           "answers": {"nom": "Jeanne Martin"}}).encode()
        headers = self.receiver.signed_headers("POST", "/v1/submissions", body)
        headers |= {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
        answer = requests.post(self.receiver.url + "/v1/submissions", data=body,
                               headers=headers, timeout=10)
        assert answer.status_code == 201, answer.text

    def status_seen_by_kiosk(self, reference: str) -> str:
        """What "Où en est ma demande ?" is told for ``reference``."""
        path = f"/v1/requests/{reference}/status"
        answer = requests.get(self.receiver.url + path, timeout=10,
                              headers=self.receiver.signed_headers("GET", path))
        return str(answer.json()["status"])


def csrf_of(page: str) -> str:
    """The CSRF token of a page's (first) form."""
    found = _CSRF.search(page)
    assert found is not None, page
    return found.group(1)


@contextmanager
def running_console(directory: Path) -> Iterator[Console]:
    """The receiver with an account per role (agent, admin, dpo; password ``PASSWORD``)."""
    directory.mkdir(parents=True, exist_ok=True)
    for role in ROLES:
        add_staff(directory / "received.sqlite3", role, role)
    with running_receiver(directory) as receiver:
        yield Console(receiver)
