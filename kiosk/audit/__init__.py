"""The terminal's tamper-evident journal (no Qt, no keyring at import).

``kiosk.audit.entries`` says what an entry may hold and how it is hashed;
``kiosk.audit.journal`` stores, verifies and exports the chain;
``kiosk.audit.terminal`` opens the kiosk's journal with its HMAC key from the keyring.
"""
