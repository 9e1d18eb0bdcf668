"""The in-memory keyring backend the tests use (it lives in kiosk.secrets)."""

from kiosk.secrets import MemoryKeyring

__all__ = ["MemoryKeyring"]
