"""The base address of a back office, checked the same way by every connector."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

from kiosk.connectors.addresses import address_problem


def check_base_url(url: str, what: str) -> SplitResult:
    """``url`` split, when ``address_problem`` finds nothing wrong with it (https, or http
    on this machine; no user name, query or fragment...); else ValueError naming ``what``
    (e.g. "the back-office URL") and what is expected."""
    problem = address_problem(url)
    if problem:
        raise ValueError(f"{what} is not valid: expected {problem}")
    return urlsplit(url)
