"""What the receiver's launcher and its command line agree on (no server imports here)."""

SECRET_ENV = "KIOSK_RECEIVER_SECRET"  # noqa: S105 - the name of a variable, not a secret
READY_PREFIX = "receiver ready on "
DEFAULT_PORT = 8765
