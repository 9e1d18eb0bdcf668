"""Fixtures of the receiver tests: the real receiver subprocess, and its database on each
engine (a SQLite file, a real PostgreSQL server)."""

from tests.postgres_server import database_location, postgres  # noqa: F401  (fixtures)
from tests.receiver_process import receiver  # noqa: F401  (a fixture)
