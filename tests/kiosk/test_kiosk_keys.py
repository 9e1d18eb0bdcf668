"""The kiosk's own keys: made at the first start of a development machine, never on a
deployed terminal, where a missing key puts the kiosk out of service, naming it. The
terminal secret is never made by the kiosk: until it is enrolled, requests wait."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from kiosk.config import BackofficeSection, Config, KioskSection, SecuritySection
from kiosk.secrets import AUDIT_KEY, QUEUE_DATA_KEY, SERVICE, TERMINAL_SECRET
from wiring.app import KioskApp


def _config(data_dir, *, deployed: bool, backoffice: str = "none") -> Config:
    kiosk = KioskSection(fullscreen=False, data_dir=str(data_dir), watchdog=False)
    return Config(kiosk=kiosk, backoffice=BackofficeSection(kind=backoffice),
                  security=SecuritySection(deployed=deployed))


def test_a_deployed_kiosk_without_its_keys_is_out_of_service_and_makes_none(
    qapp, qtbot, data_dir, memory_keyring
):
    kiosk = KioskApp(_config(data_dir, deployed=True), qapp)
    try:
        kiosk.show()
        with qtbot.waitSignal(kiosk.out_of_service) as stopped:
            kiosk.complete_setup()
    finally:
        kiosk.shutdown()
    assert "'queue-data-key' is missing" in stopped.args[0]
    assert "kiosk enroll data-keys" in stopped.args[0]
    assert memory_keyring.secrets == {}
    assert not (data_dir / "queue.sqlite3").exists()


def test_a_development_kiosk_makes_its_keys_at_first_start(qapp, data_dir, memory_keyring):
    kiosk = KioskApp(_config(data_dir, deployed=False), qapp)
    try:
        kiosk.show()
        kiosk.complete_setup()
        assert hasattr(kiosk, "delivery")
    finally:
        kiosk.shutdown()
    assert {name for _, name in memory_keyring.secrets} == {QUEUE_DATA_KEY, AUDIT_KEY}
    assert all(service == SERVICE for service, _ in memory_keyring.secrets)


def test_before_pairing_the_kiosk_makes_no_terminal_secret_and_sends_nothing(
    qapp, data_dir, memory_keyring
):
    """A secret the kiosk made itself, no back office would have: it queues and says so."""
    kiosk = KioskApp(_config(data_dir, deployed=False, backoffice="http"), qapp)
    try:
        kiosk.show()
        kiosk.complete_setup()
        assert kiosk.delivery.worker is None
        assert kiosk.backoffice is None  # no unsigned catalog poll nor heartbeat
        unpaired = ("Envoi en attente : la borne n'est pas encore reliée à la mairie. "
                    "Prévenez le technicien.")
        [sign] = [label for label in kiosk.window.findChildren(QLabel)
                  if label.accessibleName() == unpaired]
        assert sign.text() == "⚠"  # it needs a mediator's attention
    finally:
        kiosk.shutdown()
    assert (SERVICE, TERMINAL_SECRET) not in memory_keyring.secrets


def test_a_paired_kiosk_builds_one_connector_for_sending_polling_and_statuses(
    qapp, data_dir, memory_keyring, monkeypatch
):
    """One HTTP session per process: the worker, the back-office link and the status desk
    share the connector the kiosk built once."""
    import base64

    from kiosk.connectors import configured

    memory_keyring.set_password(SERVICE, TERMINAL_SECRET, base64.b64encode(bytes(32)).decode())
    built = []
    build = configured.connector_from_config

    def counted(*args, **kwargs):
        built.append(build(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(configured, "connector_from_config", counted)
    kiosk = KioskApp(_config(data_dir, deployed=False, backoffice="http"), qapp)
    try:
        kiosk.show()
        kiosk.complete_setup()
        [connector] = built
        assert connector is not None
        assert kiosk.delivery.connector is connector
        assert kiosk.backoffice is not None
        assert kiosk.backoffice._connector is connector
        assert kiosk.status_desk._source is connector
    finally:
        kiosk.shutdown()
