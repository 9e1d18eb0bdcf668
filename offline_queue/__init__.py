"""A durable, encrypted outbox and the engine that delivers it (no Qt, no kiosk imports)."""
