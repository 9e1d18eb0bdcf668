"""The version of a catalog: the first 32 hex digits of the SHA-256 of its bytes.

A terminal says it in its heartbeat (``catalog_version``), whatever the catalog came from
(the back office, its cache, the bundled file), and the reference receiver publishes its
catalog under the same value as its ETag (in quotes): the console can tell a terminal
that runs the catalog published from one that does not have it yet.
"""

from __future__ import annotations

import hashlib

VERSION_DIGITS = 32


def catalog_version(raw: bytes) -> str:
    """The version of the catalog whose file holds ``raw``."""
    return hashlib.sha256(raw).hexdigest()[:VERSION_DIGITS]
