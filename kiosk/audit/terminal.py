"""The kiosk's own journal: ``audit.sqlite3`` in the data directory, keyed from the keyring.

Kept apart from ``kiosk.audit.journal`` so that code which only records events (and the UI,
which must not reach keyring) never imports keyring.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.audit.journal import AUDIT_FILE, Journal
from kiosk.secrets import AUDIT_KEY, get_key


def open_terminal_journal(data_dir: Path) -> Journal:
    """The journal in ``data_dir`` with HMACs by the keyring's ``audit-key``.

    Raises ``kiosk.secrets.MissingSecretError`` when the key is not there (never makes it).
    """
    return Journal(data_dir / AUDIT_FILE, hmac_key=get_key(AUDIT_KEY))
