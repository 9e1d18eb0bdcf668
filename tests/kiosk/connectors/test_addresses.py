"""The address rule: https unless the host a client would contact is this machine.

These tests only parse: nothing is ever sent. The properties hold the rule to what
requests itself would do with an accepted address (``PreparedRequest.prepare_url``, then
urllib3's parser): the host it would contact is the host we checked.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from requests.models import PreparedRequest
from urllib3.util import parse_url

from kiosk.connectors.addresses import address_problem, is_loopback

ACCEPTED = [
    "https://mairie.example/kiosk-api",
    "HTTPS://Mairie.Example:8443/kiosk-api/",
    "https://192.0.2.10/api",
    "https://[2001:db8::1]:443/api",
    "https://xn--mairie-vry-d7a.example/",
    "http://127.0.0.1:8765",
    "http://127.9.8.7/",
    "http://localhost:8765/kiosk-api",
    "HTTP://LOCALHOST",
    "http://[::1]:8765",
    "http://[0:0:0:0:0:0:0:1]/",
]

REFUSED = [
    "http://localhost:x@mairie.example/kiosk-api",  # the audit's address: goes to mairie
    "https://mairie.example@evil.example/",
    "https://user:pass@mairie.example/",
    "https://@mairie.example/",
    "http://localhost\\@evil.example/",
    "http://localhost%40evil.example/",
    "http://127.0.0.1%2eevil.example/",
    "http://localhost.evil.example/",
    "http://127.0.0.1.evil.example/",
    "http://mairie.example/kiosk-api",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f.0.0.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::1%25lo]/",
    "http://::1/",
    "http://[::1/",
    "https://[mairie.example]/",
    "ftp://mairie.example/",
    "javascript:alert(1)",
    "file:///etc/kiosk",
    "//mairie.example/",
    "mairie.example",
    "https://",
    "https://:443/",
    "https://mairie.example:0/",
    "https://mairie.example:99999/",
    "https://mairie.example:https/",
    "https://mairie.example:/",
    " https://mairie.example/",
    "https://mairie.example/ ",
    "https://mairie.example/\t",
    "https://mai rie.example/",
    "https://mairie.example\n.evil/",
    "https://mairie-évry.example/",
    "https://-mairie.example/",
    "https://mairie..example/",
    "https://mairie.example/?q=1",
    "https://mairie.example/#f",
    "https://mairie.example/?",
    "",
]


@pytest.mark.parametrize("url", ACCEPTED)
def test_accepted_addresses(url):
    assert address_problem(url) is None


@pytest.mark.parametrize("url", REFUSED)
def test_refused_addresses_name_what_is_expected(url):
    problem = address_problem(url)
    assert problem is not None
    assert problem.startswith(("an ", "a "))


@pytest.mark.parametrize("value", [None, 42, b"https://mairie.example", ["https://m.example"]])
def test_a_value_that_is_not_text_is_refused(value):
    assert address_problem(value) is not None


def test_a_tracking_link_may_carry_a_query_and_a_fragment():
    link = "https://m.example/suivi?ref=ADM-7K3-Q9P#top"
    assert address_problem(link, query_allowed=True) is None
    assert address_problem("https://u@m.example/suivi?ref=x", query_allowed=True) is not None


# ------------------------------------------------------------------ properties

SCHEMES = st.sampled_from(["http", "https", "HTTP", "Https", "hTtP", "ftp", "file", "javascript"])
SEPARATORS = st.sampled_from(["://", ":/", ":\\\\", ":///", "//", ":"])
USERINFO = st.sampled_from(
    ["", "", "", "user@", "a:b@", "localhost:x@", "127.0.0.1@", "localhost@", ":@", "%40@"]
)
HOSTS = st.sampled_from(
    [
        "localhost", "LOCALHOST", "127.0.0.1", "127.0.0.2", "127.1", "[::1]", "::1", "[::1",
        "[::ffff:127.0.0.1]", "[::1%25lo]", "localhost.evil.example", "evil.example",
        "127.0.0.1.evil.example", "127.0.0.1%2eevil.example", "mairie.example", "0x7f.0.0.1",
        "2130706433", "", "[evil.example]", "xn--e1a.example", "localhost.",
    ]
)
TRICKS = st.sampled_from(
    [
        "", "", "\\@evil.example", "@evil.example", "%40evil.example", "#@evil.example",
        "?@evil.example", "/@evil.example", ";@evil.example", " ", "\t", "\n", "\x00",
        "\u3002evil.example", ".evil.example", "\\\\evil.example",
    ]
)
PORTS = st.sampled_from(["", "", ":8765", ":0", ":99999", ":x", ":", ":+80", ":08765"])
PATHS = st.sampled_from(["", "/", "/kiosk-api", "/a@b", "/%2e%2e/", "?q", "#f"])

HOSTILE = st.builds(
    lambda *pieces: "".join(pieces), SCHEMES, SEPARATORS, USERINFO, HOSTS, TRICKS, PORTS, PATHS
)
ANY_TEXT = st.text(max_size=80) | st.text(alphabet="htps:/@\\[]%.1270lcaoe x#?", max_size=40)


def _host_requests_would_contact(url: str) -> str | None:
    prepared = PreparedRequest()
    prepared.prepare_url(url, None)
    assert prepared.url is not None
    parsed = parse_url(prepared.url)
    assert parsed.auth is None  # no user name or password travels either
    return (parsed.host or "").strip("[]").lower()


@settings(max_examples=600)
@given(HOSTILE | ANY_TEXT)
def test_an_accepted_http_address_is_contacted_on_this_machine_only(url):
    problem = address_problem(url)
    assert problem is None or isinstance(problem, str)
    if problem is not None:
        return
    host = _host_requests_would_contact(url)
    assert host
    if url.lower().startswith("http:"):
        assert is_loopback(host), (url, host)


@settings(max_examples=300)
@given(USERINFO.filter(bool), HOSTS, PORTS, PATHS)
def test_any_user_name_or_password_is_refused(userinfo, host, port, path):
    for scheme in ("https", "http"):
        assert address_problem(f"{scheme}://{userinfo}{host}{port}{path}") is not None


@given(st.sampled_from(["localhost", "127.0.0.1", "[::1]"]), TRICKS.filter(bool), PATHS)
def test_no_trick_after_a_loopback_host_passes_for_http(host, trick, path):
    url = f"http://{host}{trick}{path}"
    if address_problem(url) is None:
        assert is_loopback(_host_requests_would_contact(url) or "")
