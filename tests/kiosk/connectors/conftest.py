"""Fixtures of the connector tests: the real receiver subprocess."""

from tests.receiver_process import receiver  # noqa: F401  (a fixture)
