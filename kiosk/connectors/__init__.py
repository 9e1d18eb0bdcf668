"""Connectors to back offices: how a queued submission reaches a town hall (no Qt)."""
