"""Which web addresses the kiosk accepts for its back office and its tracking link.

One rule, used by the configuration, ``kiosk doctor`` and the connector: residents'
answers travel over https, except to this very machine (the demo receiver), and the host
the kiosk checks is the host a client connects to. So the address is parsed with the
standard library (``urllib.parse``, ``ipaddress``), never compared as text
(``http://localhost:x@mairie.example`` starts with ``http://localhost`` and goes to
mairie.example), and whatever parsers may read differently is refused outright:

- a user name or password (``user:pass@host``): nothing the kiosk needs, and the classic
  way to make an address look like another;
- backslashes, whitespace, control and non-ASCII characters, and ``%`` in the host:
  ``urllib.parse`` and urllib3 (under requests) disagree about them, so the host checked
  could differ from the host contacted;
- a scheme other than http or https (case does not matter: ``HTTPS://`` is https);
- a host that is neither an IP address nor a plain DNS name (letters, digits, hyphens
  and dots; an internationalised name is written in its ``xn--`` form), or a port that is
  not 1 to 65535.

http is accepted only when the parsed host is a loopback address: ``localhost``, an
address of 127.0.0.0/8 or ``[::1]``. Nothing else counts (not ``127.1``, not
``localhost.evil.example``, not an IPv4-mapped IPv6 address).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
LOOPBACK_RULE = "an https:// address (http:// only for 127.0.0.1, ::1 or localhost)"


def address_problem(value: object, *, query_allowed: bool = False) -> str | None:
    """None when ``value`` is an address the kiosk may use; otherwise what is expected.

    ``query_allowed``: whether a ``?query`` or ``#fragment`` may follow (a tracking link:
    yes; the back office's base address, to which paths are appended: no).
    """
    parts = _parsed(value)
    if isinstance(parts, str):
        return parts
    if parts.scheme not in ("http", "https"):
        return LOOPBACK_RULE
    if not query_allowed and not {"?", "#"}.isdisjoint(str(value)):
        return "an address without a ?query or a #fragment"
    if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
        return LOOPBACK_RULE
    return None


def _parsed(value: object) -> SplitResult | str:
    """The address parsed, when parsers cannot read it differently; else what is expected."""
    if not isinstance(value, str) or not _unambiguous_text(value):
        return "an address of printable ASCII characters, without spaces or backslashes"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:  # unbalanced [ ], a port that is not a number in 0-65535
        return "a well-formed address: scheme://host[:port]/path"
    if "@" in parts.netloc:
        return "an address without a user name or password before the host (nothing@)"
    if not _host_as_written(parts, parts.hostname or "", port) or port == 0:
        return "an address whose host is a DNS name or an IP address, with a port of 1 to 65535"
    return parts


def _unambiguous_text(value: str) -> bool:
    return bool(value) and value.isascii() and value.isprintable() and not set(value) & {" ", "\\"}


def is_loopback(host: str) -> bool:
    """Whether a parsed host name (IPv6 without brackets) is this machine, and only it."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_as_written(parts: SplitResult, host: str, port: int | None) -> bool:
    """The host is a plain name or an IP address, and the netloc is exactly host[:port]."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if not _HOST_NAME.fullmatch(host):
            return False
        written = host
    else:
        if "%" in host:  # an IPv6 zone (fe80::1%eth0): a link, not an address to trust
            return False
        written = f"[{host}]" if address.version == 6 else host
    expected = written if port is None else f"{written}:{port}"
    return parts.netloc.lower() == expected
