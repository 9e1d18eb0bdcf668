"""The commune's mediator accounts: the store on each engine, the page, the roster API."""

from __future__ import annotations

import json

import pytest
import requests

from kiosk.receiver.console import mediators
from kiosk.receiver.console.mediator_store import DAY_SECONDS
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
                        data={"csrf": token}, timeout=10)
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
    path = "/v1/mediators/usage"
    for body, status in [(b'{"mediators": [{"id": "med-0a1b2c3d", "last_used_at": 5}]}', 200),
                         (b'{"mediators": [{"id": "camille", "last_used_at": 5}]}', 400),
                         (b'{"mediators": [{"id": "med-0a1b2c3d"}]}', 400),
                         (b'{"mediators": 3}', 400), (b"[]", 400)]:
        headers = console.receiver.signed_headers("POST", path, body)
        headers["Content-Type"] = "application/json"
        answer = requests.post(console.receiver.url + path, data=body, headers=headers,
                               timeout=10)
        assert answer.status_code == status, body
        if status == 400:
            assert json.loads(answer.text)["error"] == "invalid_usage"
