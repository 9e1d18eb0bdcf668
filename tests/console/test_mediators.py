"""The commune's mediator accounts: the store on each engine, the page, the roster API."""

from __future__ import annotations

import json
import re
import time

import pytest
import requests

from kiosk.receiver.console import mediators
from kiosk.receiver.console.mediator_store import DAY_SECONDS
from kiosk.receiver.console.mediator_store import MIGRATIONS as MEDIATOR_MIGRATIONS
from kiosk.receiver.console.store import ConsoleStore
from kiosk.security.pin import hash_pin, verify_pin
from tests.console.console_process import Console, csrf_of

PIN = "735190"
HASH = hash_pin(PIN)
NOW = 1_750_000_000.0


@pytest.fixture
def store(database_location):
    opened = ConsoleStore(database_location)
    yield opened
    opened.close()


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch):
    monkeypatch.setattr("kiosk.security.pin._N", 2**4)


# ---------------------------------------------------------------- the store, on each engine


def test_a_mediator_is_stored_with_a_scrypt_hash_only_and_journaled(store):
    mediator_id = mediators.create_mediator(store, "  Camille  D. ", HASH, "admin")
    account = store.mediator(mediator_id)
    assert account.name == "Camille D."
    assert account.pin_hash.startswith("scrypt$")
    assert PIN not in account.pin_hash
    assert verify_pin(PIN, account.pin_hash)
    assert [(e.actor, e.action, e.subject, e.detail) for e in store.journal_entries()] == [
        ("admin", "mediator_added", mediator_id, "Camille D.")]


def test_two_active_mediators_cannot_share_a_name(store):
    first = mediators.create_mediator(store, "Camille", HASH, "admin")
    with pytest.raises(mediators.MediatorFormError, match="s’appelle déjà"):
        mediators.create_mediator(store, "CAMILLE", HASH, "admin")
    mediators.disable_mediator(store, first, "admin")
    mediators.create_mediator(store, "Camille", HASH, "admin")  # the name is free again


def test_every_change_takes_a_higher_version_and_the_roster_shows_it(store):
    camille = mediators.create_mediator(store, "Camille", HASH, "admin")
    lea = mediators.create_mediator(store, "Léa", HASH, "admin")
    first = mediators.roster(store)
    assert first["version"] == 2
    assert mediators.reset_lockout(store, camille, "admin")
    assert mediators.disable_mediator(store, lea, "admin")
    assert not mediators.disable_mediator(store, lea, "admin")  # already disabled
    assert not mediators.reset_lockout(store, lea, "admin")
    assert not mediators.disable_mediator(store, "med-00000000", "admin")
    second = mediators.roster(store)
    assert second["version"] == 4
    by_id = {m["id"]: m for m in second["mediators"]}
    assert by_id[camille]["lockout_reset"] == 1
    assert by_id[lea]["disabled"] is True
    assert [e.action for e in store.journal_entries()][:2] == [
        "mediator_disabled", "mediator_lockout_reset"]


def test_an_account_unused_for_the_set_days_is_disabled_and_journaled(store):
    mediators.set_expiry_days(store, 30, "admin")
    used = mediators.create_mediator(store, "Camille", HASH, "admin")
    idle = mediators.create_mediator(store, "Léa", HASH, "admin")
    later = store.mediator(idle).created_at + 31 * DAY_SECONDS
    mediators.record_uses(store, [(used, int(later - DAY_SECONDS))], now=later)
    assert mediators.expire_stale(store, now=later) == [idle]
    assert store.mediator(idle).disabled_reason == "expired"
    assert not store.mediator(used).disabled
    journal = store.journal_entries()
    assert (journal[0].actor, journal[0].action) == ("système", "mediator_expired")
    assert mediators.expire_stale(store, now=later) == []


def test_a_use_keeps_the_latest_time_and_a_future_one_counts_as_now(store):
    camille = mediators.create_mediator(store, "Camille", HASH, "admin")
    mediators.record_uses(store, [(camille, int(NOW))], now=NOW + 100)
    mediators.record_uses(store, [(camille, int(NOW - 50))], now=NOW + 100)  # older: kept
    assert store.mediator(camille).last_used_at == NOW
    mediators.record_uses(store, [(camille, int(NOW + 10**9)), ("med-ffffffff", 1)],
                          now=NOW + 200)
    assert store.mediator(camille).last_used_at == NOW + 200


def test_each_terminal_s_report_replaces_its_own_locks_only(store):
    camille = mediators.create_mediator(store, "Camille", HASH, "admin")
    lea = mediators.create_mediator(store, "Léa", HASH, "admin")
    mediators.record_locks(store, "borne-1", [(camille, int(NOW - 60), 240),
                                              ("med-ffffffff", int(NOW), 60)], now=NOW)
    mediators.record_locks(store, "borne-2", [(camille, int(NOW + 10**6), 300),
                                              (lea, int(NOW - 30), 30)], now=NOW)
    found = mediators.locks_by_account(store, now=NOW)
    assert set(found) == {camille, lea}  # an id no account has is left out
    assert [(lock.terminal_id, lock.since, lock.until) for lock in found[camille]] == [
        ("borne-1", NOW - 60, NOW + 240), ("borne-2", NOW, NOW + 300)]  # future start: now
    mediators.record_locks(store, "borne-1", [], now=NOW + 10)
    assert [lock.terminal_id for lock in mediators.locks_by_account(store, NOW + 10)[camille]] == [
        "borne-2"]
    assert lea not in mediators.locks_by_account(store, now=NOW + 31)  # ended by itself


def test_lifting_a_lock_forgets_where_it_was_until_the_terminals_report_again(store):
    camille = mediators.create_mediator(store, "Camille", HASH, "admin")
    mediators.record_locks(store, "borne-1", [(camille, int(NOW), 300)], now=NOW)
    assert mediators.reset_lockout(store, camille, "admin")
    assert mediators.locks_by_account(store, now=NOW) == {}
    assert store.mediator(camille).lockout_reset == 1
    assert store.journal_entries()[0].action == "mediator_lockout_reset"


def test_a_version_1_mediators_schema_gets_the_locks_table(database_location):
    class Version1(ConsoleStore):
        migrations = tuple(m for m in ConsoleStore.migrations
                           if m.component != "mediators" or m.version == 1)

    old = Version1(database_location)
    camille = mediators.create_mediator(old, "Camille", HASH, "admin")
    old.close()
    assert [m.version for m in MEDIATOR_MIGRATIONS] == [1, 2]
    upgraded = ConsoleStore(database_location)
    try:
        mediators.record_locks(upgraded, "borne-1", [(camille, int(NOW), 300)], now=NOW)
        assert list(mediators.locks_by_account(upgraded, now=NOW)) == [camille]
        assert upgraded.mediator(camille).name == "Camille"
    finally:
        upgraded.close()


@pytest.mark.parametrize(("pin", "again", "field"), [
    ("12345", "12345", "pin"), ("1234567890123", "1234567890123", "pin"),
    ("48291a", "48291a", "pin"), ("111111", "111111", "pin"), ("123456", "123456", "pin"),
    ("735190", "735191", "pin2"),
])
def test_a_pin_the_kiosk_would_refuse_is_refused_beside_its_field(pin, again, field):
    with pytest.raises(mediators.MediatorFormError) as refused:
        mediators.checked_pin(pin, again)
    assert refused.value.field == field


@pytest.mark.parametrize("days", ["", "6", "3651", "abc", "٣٠", "-30"])
def test_the_expiry_is_7_to_3650_days(days):
    with pytest.raises(mediators.MediatorFormError):
        mediators.checked_expiry(days)


# ---------------------------------------------------------------- the page, over HTTP


@pytest.fixture(scope="module")
def admin(console: Console) -> requests.Session:
    return console.login("admin")


def page_of(console: Console, admin: requests.Session) -> str:
    return admin.get(console.url + "/mediateurs", timeout=10).text


def create(console: Console, admin: requests.Session, **fields: str) -> requests.Response:
    token = csrf_of(page_of(console, admin))
    return admin.post(console.url + "/mediateurs", timeout=30,
                      data={"csrf": token, "name": "", "pin": "", "pin2": ""} | fields)


def test_the_page_is_for_administrators_only(console):
    for role in ("agent", "dpo"):
        answer = console.login(role).get(console.url + "/mediateurs", timeout=10)
        assert answer.status_code == 403
    assert "Médiateurs" in page_of(console, console.login("admin"))


def test_a_form_in_error_shows_the_error_beside_the_field_and_keeps_the_name_not_the_pin(
    console, admin
):
    answer = create(console, admin, name="Camille Été", pin="735190", pin2="735199")
    assert answer.status_code == 400
    assert 'id="pin2-error"' in answer.text
    assert "Les deux codes sont différents." in answer.text
    assert 'value="Camille Été"' in answer.text
    assert "735190" not in answer.text
    assert "735199" not in answer.text
    answer = create(console, admin, name="=1+1", pin="1234", pin2="1234")
    assert answer.status_code == 400
    assert 'id="name-error"' in answer.text
    assert 'id="pin-error"' in answer.text


def test_a_post_without_the_csrf_token_creates_nothing(console, admin):
    answer = admin.post(console.url + "/mediateurs", timeout=10,
                        data={"csrf": "forged", "name": "Forgé", "pin": PIN, "pin2": PIN})
    assert answer.status_code == 403
    assert "Forgé" not in page_of(console, admin)


def signed_get(console: Console, path: str) -> requests.Response:
    return requests.get(console.receiver.url + path, timeout=10,
                        headers=console.receiver.signed_headers("GET", path))


def test_created_disabled_and_unlocked_in_the_console_the_roster_says_so(console, admin):
    answer = create(console, admin, name="Dominique", pin=PIN, pin2=PIN)
    assert answer.url.endswith("?fait=cree")
    assert "Médiateur créé" in answer.text
    roster = signed_get(console, "/v1/mediators").json()
    entry = next(m for m in roster["mediators"] if m["name"] == "Dominique")
    assert entry["pin_hash"].startswith("scrypt$")
    assert not entry["disabled"]
    token = csrf_of(page_of(console, admin))
    admin.post(f"{console.url}/mediateurs/{entry['id']}/debloquer", data={"csrf": token},
               timeout=10)
    answer = admin.post(f"{console.url}/mediateurs/{entry['id']}/desactiver",
                        data={"csrf": token, "confirmation": "oui"}, timeout=10)
    assert "Médiateur désactivé" in answer.text
    after = next(m for m in signed_get(console, "/v1/mediators").json()["mediators"]
                 if m["id"] == entry["id"])
    assert after["disabled"]
    assert after["lockout_reset"] == 1
    assert after["version"] > entry["version"]
    journal = console.login("dpo").get(console.url + "/journal.csv", timeout=10).text
    for action in ("mediator_added", "mediator_lockout_reset", "mediator_disabled"):
        assert f"admin,{action},{entry['id']}" in journal


def test_the_expiry_setting_is_checked_and_journaled(console, admin):
    token = csrf_of(page_of(console, admin))
    answer = admin.post(console.url + "/mediateurs/expiration", timeout=10,
                        data={"csrf": token, "days": "3"})
    assert answer.status_code == 400
    assert 'id="days-error"' in answer.text
    assert 'value="3"' in answer.text
    answer = admin.post(console.url + "/mediateurs/expiration", timeout=10,
                        data={"csrf": token, "days": "120"})
    assert "Délai enregistré" in answer.text
    assert "inutilisé pendant 120 jours" in answer.text


def test_the_roster_needs_a_signature_and_uses_are_checked(console):
    assert requests.get(console.receiver.url + "/v1/mediators", timeout=10).status_code == 401
    for body, status in [(b'{"mediators": [{"id": "med-0a1b2c3d", "last_used_at": 5}]}', 200),
                         (b'{"mediators": [{"id": "camille", "last_used_at": 5}]}', 400),
                         (b'{"mediators": [{"id": "med-0a1b2c3d"}]}', 400),
                         (b'{"mediators": 3}', 400), (b"[]", 400)]:
        answer = console.mediator_usage(body)
        assert answer.status_code == status, body
        if status == 400:
            assert json.loads(answer.text)["error"] == "invalid_usage"


def test_disabling_takes_a_confirmation_page_that_says_what_will_happen(console, admin):
    answer = create(console, admin, name="Yanis", pin=PIN, pin2=PIN)
    assert answer.status_code == 200
    mediator_id = console.mediator_id("Yanis")
    confirm_path = f"{console.url}/mediateurs/{mediator_id}/desactiver"
    assert f'href="/console/mediateurs/{mediator_id}/desactiver"' in page_of(console, admin)
    page = admin.get(confirm_path, timeout=10)
    assert page.status_code == 200
    assert "Désactiver Yanis ?" in page.text
    assert "ne pourra plus ouvrir le mode médiateur sur aucune borne" in page.text
    assert "ne pourra pas être réactivé" in page.text
    assert "Oui, désactiver" in page.text
    assert 'href="/console/mediateurs">Non, revenir</a>' in page.text
    token = csrf_of(page.text)
    # A form without the confirmation only leads to the confirmation page.
    answer = admin.post(confirm_path, data={"csrf": token}, timeout=10)
    assert answer.url == confirm_path
    assert not _roster_entry(console, mediator_id)["disabled"]
    # Without the CSRF token, nothing.
    answer = admin.post(confirm_path, data={"csrf": "forged", "confirmation": "oui"},
                        timeout=10)
    assert answer.status_code == 403
    assert not _roster_entry(console, mediator_id)["disabled"]
    answer = admin.post(confirm_path, data={"csrf": token, "confirmation": "oui"}, timeout=10)
    assert "Médiateur désactivé" in answer.text
    assert _roster_entry(console, mediator_id)["disabled"]
    assert admin.get(confirm_path, timeout=10).status_code == 404  # no second time
    odd = f"{console.url}/mediateurs/%0d%0aX:%20y/desactiver"
    assert admin.post(odd, data={"csrf": token}, timeout=10).status_code == 404
    journal = console.login("dpo").get(console.url + "/journal.csv", timeout=10).text
    assert journal.count(f"admin,mediator_disabled,{mediator_id}") == 1
    for role in ("agent", "dpo"):
        assert console.login(role).get(confirm_path, timeout=10).status_code == 403


def _roster_entry(console: Console, mediator_id: str) -> dict[str, object]:
    return next(m for m in signed_get(console, "/v1/mediators").json()["mediators"]
                if m["id"] == mediator_id)


def row_of(console: Console, admin: requests.Session, name: str) -> str:
    found = re.search(rf"<th scope=\"row\">{name}</th>(.*?)</tr>", page_of(console, admin),
                      flags=re.DOTALL)
    assert found is not None
    return found.group(1)


def test_lift_the_lock_is_offered_only_where_a_terminal_reports_one(console, admin):
    create(console, admin, name="Inès", pin=PIN, pin2=PIN)
    ines = console.mediator_id("Inès")
    assert "Lever le blocage" not in row_of(console, admin, "Inès")
    since = int(time.time()) - 120
    lock = {"id": ines, "since": since, "seconds_left": 180}
    assert console.mediator_usage(json.dumps({"mediators": [], "locks": [lock]}).encode()).ok
    row = row_of(console, admin, "Inès")
    terminal = console.receiver.terminal_id
    assert f"Bloqué sur : {terminal} depuis {time.strftime('%H:%M', time.localtime(since))}" in row
    assert "Lever le blocage de Inès" in row
    # An older kiosk's report (no locks) leaves them as they were.
    assert console.mediator_usage(b'{"mediators": []}').ok
    assert "Lever le blocage" in row_of(console, admin, "Inès")
    # A hostile one is refused by name, and the last good report stays.
    answer = console.mediator_usage(json.dumps({"mediators": [], "locks": [
        {"id": ines, "since": since, "seconds_left": 10**9}]}).encode())
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_usage"
    assert "locks[0].seconds_left" in answer.json()["message"]
    assert "Lever le blocage" in row_of(console, admin, "Inès")
    token = csrf_of(page_of(console, admin))
    answer = admin.post(f"{console.url}/mediateurs/{ines}/debloquer", data={"csrf": token},
                        timeout=10)
    assert "Blocage levé" in answer.text
    assert "Lever le blocage de Inès" not in answer.text
    assert _roster_entry(console, ines)["lockout_reset"] == 1
    assert console.mediator_usage(b'{"mediators": [], "locks": []}').ok
    assert "Bloqué sur" not in row_of(console, admin, "Inès")
