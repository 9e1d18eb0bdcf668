"""Sub-commands of ``kiosk``, one module each (see kiosk.cli)."""
