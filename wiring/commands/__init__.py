"""Sub-commands of ``kiosk``, one module each (see wiring.cli)."""
