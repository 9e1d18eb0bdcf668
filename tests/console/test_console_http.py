"""The console over real HTTP: roles on every route, sessions, CSRF, lockout, journal."""

from __future__ import annotations

import re

import pytest
import requests

from kiosk.connectors.http_api import HttpApiConnector, TerminalState
from kiosk.receiver.console.accounts import MAX_FAILURES
from kiosk.receiver.console.store import ConsoleStore
from kiosk.receiver.console.web import Console as ConsolePages
from kiosk.receiver.console.web import Role
from tests.console.console_process import ROLES, Console, add_staff, csrf_of, receiver_cli

REFERENCE = "ADM-7K3-Q9P"


def guarded_routes(tmp_path):
    store = ConsoleStore(tmp_path / "routes.sqlite3")
    try:
        return [(method, path, roles) for method, path, roles, _ in
                ConsolePages(store).guarded_routes()]
    finally:
        store.close()


@pytest.fixture(scope="module")
def sessions(console: Console) -> dict[str, requests.Session]:
    console.submit(REFERENCE)
    return {role: console.login(role) for role in ROLES}


def test_every_route_is_checked_for_every_role(console, sessions, tmp_path):
    routes = guarded_routes(tmp_path)
    assert len(routes) >= 10
    for method, path, roles in routes:
        url = console.receiver.url + path.format(reference=REFERENCE, name="agent")
        stranger = requests.request(method, url, allow_redirects=False, timeout=10)
        assert stranger.status_code in (303, 403), (method, path)
        if stranger.status_code == 303:
            assert stranger.headers["location"].endswith("/console/connexion")
        for role, session in sessions.items():
            if path.endswith("/deconnexion"):
                continue  # would end the shared session; checked in its own test
            page = session.get(console.url + "/terminaux").text if method == "POST" else ""
            data = {"csrf": csrf_of(page), "status": "received"} if method == "POST" else None
            answer = session.request(method, url, data=data, allow_redirects=False, timeout=10)
            allowed = Role(role) in roles
            assert (answer.status_code != 403) == allowed, (method, path, role)
            assert answer.status_code in ((200, 303, 400) if allowed else (403,))
            if not allowed:
                assert "Votre rôle ne donne pas accès" in answer.text


def test_a_post_without_the_session_csrf_token_changes_nothing(console, sessions):
    agent = sessions["agent"]
    url = f"{console.url}/demandes/{REFERENCE}/statut"
    for token in ("", "forged"):
        answer = agent.post(url, data={"csrf": token, "status": "done"}, timeout=10)
        assert answer.status_code == 403
        assert "Ce formulaire a expiré" in answer.text
    assert console.status_seen_by_kiosk(REFERENCE) != "done"


def test_a_status_changed_in_the_console_is_what_the_kiosk_is_told(console, sessions):
    agent = sessions["agent"]
    page = agent.get(f"{console.url}/demandes/{REFERENCE}", timeout=10)
    answer = agent.post(f"{console.url}/demandes/{REFERENCE}/statut", timeout=10, data={
        "csrf": csrf_of(page.text), "status": "in_progress", "service": " Voirie "})
    assert answer.url.endswith("?enregistre=1")
    assert "Statut enregistré" in answer.text
    assert console.status_seen_by_kiosk(REFERENCE) == "in_progress"
    journal = sessions["dpo"].get(console.url + "/journal.csv", timeout=10).text
    assert f"agent,status_set,{REFERENCE},received → in_progress (Voirie)" in journal


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"status": "archived", "service": "Voirie"}, "status", "Choisissez un statut"),
    ({"status": "done", "service": "x" * 200}, "service", "au plus"),
    ({"status": "done", "service": "État\ncivil"}, "service", "sur une ligne"),
])
def test_a_bad_status_form_shows_the_error_by_its_field_keeps_it_and_changes_nothing(
    console, sessions, fields, field, message
):
    agent = sessions["admin"]
    before = console.status_seen_by_kiosk(REFERENCE)
    page = agent.get(f"{console.url}/demandes/{REFERENCE}", timeout=10)
    answer = agent.post(f"{console.url}/demandes/{REFERENCE}/statut", timeout=10,
                        data={"csrf": csrf_of(page.text), **fields})
    assert answer.status_code == 400
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', answer.text)
    assert error is not None
    assert message in error.group(1)
    assert f'aria-describedby="{field}-error"' in answer.text or (
        f'{field}-hint {field}-error' in answer.text)
    if field == "service":
        assert 'value="' + fields["service"][:20] in answer.text  # what was typed is kept
    assert console.status_seen_by_kiosk(REFERENCE) == before


def test_the_session_cookie_is_httponly_strict_and_secure_behind_tls(console):
    session = requests.Session()
    form = session.get(console.url + "/connexion", timeout=10)
    answer = session.post(console.url + "/connexion", allow_redirects=False, timeout=30,
                          data={"csrf": csrf_of(form.text), "name": "agent",
                                "password": "un mot de passe assez long"})
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "secure" not in cookie
    proxied = requests.Session()
    tls = {"X-Forwarded-Proto": "https"}  # a reverse proxy on this host, which uvicorn trusts
    form = proxied.get(console.url + "/connexion", headers=tls, timeout=10)
    assert "secure" in form.headers["set-cookie"].lower()
    answer = proxied.post(console.url + "/connexion", allow_redirects=False, timeout=30,
                          headers=tls, cookies={"console_login": form.cookies["console_login"]},
                          data={"csrf": csrf_of(form.text), "name": "agent",
                                "password": "un mot de passe assez long"})
    assert answer.status_code == 303
    assert "secure" in answer.headers["set-cookie"].lower()


def test_logout_ends_the_session_on_the_server(console):
    session = console.login("dpo")
    page = session.get(console.url + "/statistiques", timeout=10)
    cookie = session.cookies["console_session"]
    session.post(console.url + "/deconnexion", data={"csrf": csrf_of(page.text)}, timeout=10)
    replayed = requests.get(console.url + "/statistiques", allow_redirects=False, timeout=10,
                            cookies={"console_session": cookie})
    assert replayed.status_code == 303


def test_a_login_form_without_its_token_is_refused(console):
    answer = requests.post(console.url + "/connexion", timeout=10,
                           data={"csrf": "x", "name": "agent", "password": "irrelevant"})
    assert answer.status_code == 403
    assert "Le formulaire a expiré" in answer.text
    assert 'value="agent"' in answer.text


def test_an_account_locks_after_repeated_failures_and_unlocks_by_command(console):
    add_staff(console.receiver.db, "claire", "agent")
    session = requests.Session()
    for _ in range(MAX_FAILURES - 1):
        refused = console.try_login(session, "claire", "pas le bon mot de passe")
        assert refused.status_code == 401
        assert "Identifiant ou mot de passe incorrect" in refused.text
        assert 'value="claire"' in refused.text  # the name typed is kept
    locked = console.try_login(session, "claire", "pas le bon mot de passe")
    assert "verrouillé" in locked.text
    assert "verrouillé" in console.try_login(session, "claire", "un mot de passe assez long").text
    listed = receiver_cli("staff", "list", "--db", str(console.receiver.db))
    assert "claire  agent  locked" in listed.stdout
    assert receiver_cli("staff", "unlock", "claire", "--db", str(console.receiver.db)
                        ).returncode == 0
    console.login("claire")
    journal = console.login("admin").get(console.url + "/journal.csv", timeout=10).text
    for line in ("claire,login_refused,claire,mot de passe erroné",
                 "claire,staff_locked,claire", "kiosk-receiver,staff_unlocked,claire",
                 "claire,login,claire"):
        assert line in journal


def test_an_unknown_name_is_refused_like_a_wrong_password(console):
    answer = console.try_login(requests.Session(), "nobody", "un mot de passe assez long")
    assert answer.status_code == 401
    assert "Identifiant ou mot de passe incorrect" in answer.text


def test_a_terminal_appears_with_its_alerts_after_a_heartbeat(console, sessions):
    console.heartbeat({"version": "0.4.2", "queue": {"pending": 1, "dead": 2},
                       "sent_at": 1_000_000_000, "catalog_version": "2026.05", "paused": True,
                       "journal_head": {"seq": 7, "hash": "ab" * 32}})
    page = sessions["agent"].get(console.url + "/terminaux", timeout=10).text
    for text in (console.receiver.terminal_id, "0.4.2", "2026.05", "en attente : 1",
                 "En pause", "Horloge décalée", "2 envoi(s) en échec", "entrée 7"):
        assert text in page, text


@pytest.mark.parametrize(("cause", "alert"), [
    ("credentials", "En pause : la mairie refuse l’accès de ce terminal. Son identifiant ou "
                    "son secret est à vérifier (technicien)"),
    ("configuration", "En pause : l’adresse de la mairie est mal réglée sur ce terminal"),
    (None, "En pause : les envois de ce terminal sont arrêtés"),
])
def test_a_paused_terminal_shows_why_in_plain_french_with_its_catalog(
    console, sessions, cause, alert
):
    kiosk = HttpApiConnector(console.receiver.url, console.receiver.terminal_id,
                             console.receiver.secret, timeout=10)
    try:
        state = TerminalState("3f1c9a0be2d84c7f95a61e0d4b27c8e1", True, cause)
        assert kiosk.heartbeat({"pending": 3}, "0.5.0", state=state).accepted
    finally:
        kiosk.close()
    page = sessions["agent"].get(console.url + "/terminaux", timeout=10).text
    assert "<code>3f1c9a0be2d84c7f95a61e0d4b27c8e1</code>" in page
    assert f"<li>{alert}" in page
    assert page.count("En pause") == 1


def test_pages_send_security_headers(console, sessions):
    answer = sessions["admin"].get(console.url + "/demandes", timeout=10)
    assert answer.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert "script-src" not in answer.headers["content-security-policy"]  # none at all


def test_an_administrator_creates_an_account_and_a_bad_form_changes_nothing(console, sessions):
    admin = sessions["admin"]
    page = admin.get(console.url + "/comptes", timeout=10)
    bad = admin.post(console.url + "/comptes", timeout=10, data={
        "csrf": csrf_of(page.text), "name": "denis", "role": "agent",
        "password": "un mot de passe assez long", "password2": "un autre mot de passe"})
    assert bad.status_code == 400
    assert 'id="password2-error">Les deux mots de passe sont différents.' in bad.text
    assert 'value="denis"' in bad.text
    assert "<th scope=\"row\">denis</th>" not in bad.text
    made = admin.post(console.url + "/comptes", timeout=30, data={
        "csrf": csrf_of(page.text), "name": "denis", "role": "dpo",
        "password": "un mot de passe assez long", "password2": "un mot de passe assez long"})
    assert made.url.endswith("?fait=cree")
    assert console.login("denis").get(console.url + "/journal", timeout=10).ok
    assert "admin,staff_added,denis,dpo" in admin.get(console.url + "/journal.csv",
                                                       timeout=10).text
