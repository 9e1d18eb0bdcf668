"""What the receiver's launcher and its command line agree on (no server imports here)."""

READY_PREFIX = "receiver ready on "
DEFAULT_PORT = 8765
DATABASE_ENV = "KIOSK_RECEIVER_DATABASE"  # the database URL or file, when --db is not given
