"""End to end: a mediator made in the console logs in on a terminal, is locked there by
wrong PINs, which the console shows and lifts, then is refused there once disabled in the
console (a real receiver subprocess, the kiosk's own connector)."""

from __future__ import annotations

import re

from kiosk.connectors.http_api import HttpApiConnector
from kiosk.mediator.accounts import MEDIATORS_FILE, AuthOutcome
from kiosk.mediator.console_sync import RosterSync, SyncedRegistry
from kiosk.mediator.lockout import MAX_FAILURES
from tests.console.console_process import Console, csrf_of

PIN = "582047"


def test_a_console_mediator_logs_in_on_a_terminal_until_the_console_disables_it(
    console: Console, tmp_path
):
    admin = console.login("admin")
    page = admin.get(console.url + "/mediateurs", timeout=10).text
    made = admin.post(console.url + "/mediateurs", timeout=30, data={
        "csrf": csrf_of(page), "name": "Sacha Volontaire", "pin": PIN, "pin2": PIN})
    assert "Médiateur créé" in made.text
    rx = console.receiver
    connector = HttpApiConnector(rx.url, rx.terminal_id, rx.secret, timeout=10)
    with SyncedRegistry(tmp_path / MEDIATORS_FILE) as registry:
        sync = RosterSync(connector, registry)
        local = registry.add("Technicien Local", "904172")
        report = sync.run()
        assert report is not None
        assert len(report.added) == 1
        sacha = registry.find("Sacha Volontaire")
        assert sacha.managed
        assert registry.authenticate(sacha.id, PIN).ok

        sync.run()  # tells the receiver of the login
        listed = admin.get(console.url + "/mediateurs", timeout=10).text
        row = re.search(r"Sacha Volontaire</th>\s*<td>Actif</td>\s*<td>([^<]+)</td>", listed)
        assert row is not None, listed
        assert row.group(1) != "jamais"
        assert "Lever le blocage" not in listed

        for _ in range(MAX_FAILURES):
            registry.authenticate(sacha.id, "190837")
        assert registry.authenticate(sacha.id, PIN).outcome is AuthOutcome.LOCKED
        sync.run()  # tells the receiver of the lock
        listed = admin.get(console.url + "/mediateurs", timeout=10).text
        assert f"Bloqué sur : {rx.terminal_id} depuis" in listed
        admin.post(f"{console.url}/mediateurs/{sacha.id}/debloquer", timeout=10,
                   data={"csrf": csrf_of(listed)})
        assert sacha.id in sync.run().unlocked
        assert registry.authenticate(sacha.id, PIN).ok
        listed = admin.get(console.url + "/mediateurs", timeout=10).text
        assert "Bloqué sur" not in listed
        assert "Lever le blocage" not in listed

        page = admin.get(f"{console.url}/mediateurs/{sacha.id}/desactiver", timeout=10).text
        assert "Oui, désactiver" in page
        admin.post(f"{console.url}/mediateurs/{sacha.id}/desactiver", timeout=10,
                   data={"csrf": csrf_of(page), "confirmation": "oui"})
        assert registry.authenticate(sacha.id, PIN).ok  # not polled yet
        assert sacha.id in sync.run().disabled
        assert registry.authenticate(sacha.id, PIN).outcome is AuthOutcome.UNKNOWN
        assert registry.authenticate(local.id, "904172").ok  # the terminal's own account
    connector.close()
