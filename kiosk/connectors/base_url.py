"""The base address of a back office, checked the same way by every connector."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit


def check_base_url(url: str, what: str) -> SplitResult:
    """``url`` split, when it is ``http(s)://host[:port][/path]`` without query or
    fragment; else ValueError naming ``what`` (e.g. "the back-office URL")."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{what} must be http(s)://host[:port]: {url}")
    if parts.query or parts.fragment:
        raise ValueError(f"{what} must not hold a query or a fragment")
    return parts
