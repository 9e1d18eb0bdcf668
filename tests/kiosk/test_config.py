"""The configuration: defaults, the sample file, and errors that name the key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.config import CHECKS, Config, ConfigError, load_config, parse_config
from kiosk.paths import asset
from wiring.cli import main


def test_embedded_defaults_are_valid():
    config = load_config(None)
    assert config == Config()
    assert config.kiosk.idle_seconds == 90
    assert config.kiosk.idle_countdown_seconds == 30


def test_sample_file_documents_every_key_with_its_default():
    sample = tomllib.loads(asset("kiosk.sample.toml").read_text(encoding="utf-8"))
    assert {s: set(v) for s, v in sample.items()} == {s: set(v) for s, v in CHECKS.items()}
    assert parse_config(sample, "sample") == Config(source="sample")


def test_config_reference_names_every_key():
    reference = (Path(__file__).parents[2] / "docs" / "config.md").read_text(encoding="utf-8")
    for section, keys in CHECKS.items():
        for key in keys:
            assert f"`{key}`" in reference, f"docs/config.md does not describe [{section}] {key}"


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[kiosk]\nidle_seconds = -5", "[kiosk] idle_seconds = -5"),
        ("[kiosk]\nidle_seconds = true", "[kiosk] idle_seconds = True"),
        ("[kiosk]\nlanguage = 'de'", "[kiosk] language = 'de'"),
        ("[kiosk]\nidle_secs = 10", "unknown key 'idle_secs' in [kiosk]"),
        ("[kiosque]\nx = 1", "unknown section [kiosque]"),
        ("[speech]\nvolume = 3", "[speech] volume = 3"),
        ("[backoffice]\nurl = 'ftp://x'", "[backoffice] url = 'ftp://x'"),
        (
            "[backoffice]\ntracking_url = 'https://m.fr/{reference}?l={lang}'",
            "[backoffice] tracking_url = 'https://m.fr/{reference}?l={lang}'",
        ),
        ("[kiosk]\nlanguages = ['fr']\nlanguage = 'en'", "[kiosk] language = 'en'"),
        ("kiosk = 3", "[kiosk] must be a table"),
        (
            "[backoffice]\ntracking_url = 'https://m.fr/{reference.upper}'",
            "[backoffice] tracking_url = 'https://m.fr/{reference.upper}'",
        ),
        (
            "[backoffice]\ntracking_url = 'https://m.fr/{reference:>999999999}'",
            "[backoffice] tracking_url",
        ),
        (
            "[security]\ntechnician_pin_hash = 'scrypt$1048576$32$16$AAAA$AAAA'",
            "[security] technician_pin_hash = (not shown) is not valid",
        ),
        ("[security]\ncredential_key = 'null'", "[security] credential_key = 'null'"),
        ("[security]\ncredstore = 'credstore'", "[security] credstore = 'credstore'"),
        ("[kiosk]\nlanguages = " + "[" * 5000 + "]" * 5000, "values nested too deeply"),
        ("[kiosk]\nx = " + "{a=" * 5000 + "1" + "}" * 5000, "values nested too deeply"),
    ],
)
def test_a_wrong_value_is_refused_with_a_message_naming_the_key(tmp_path, toml, expected):
    path = tmp_path / "kiosk.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert expected in str(error.value)
    assert str(path) in str(error.value)


def test_broken_toml_and_missing_file_are_named(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[kiosk\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a valid TOML file"):
        load_config(broken)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.toml")


def test_a_bad_config_stops_the_start_with_the_key_named(tmp_path, capsys):
    path = tmp_path / "kiosk.toml"
    path.write_text("[kiosk]\nidle_seconds = 'soon'\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        main(["--config", str(path), "--windowed"])
    assert stopped.value.code == 2
    assert "[kiosk] idle_seconds = 'soon' is not valid" in capsys.readouterr().err


toml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=12), children, max_size=3),
    max_leaves=8,
)


@given(
    st.dictionaries(
        st.sampled_from([*CHECKS, "other"]),
        st.dictionaries(
            st.sampled_from(sorted({k for v in CHECKS.values() for k in v} | {"zzz"})),
            toml_values,
            max_size=4,
        )
        | toml_values,
        max_size=3,
    )
)
def test_any_parsed_toml_gives_a_config_or_a_config_error(data):
    try:
        config = parse_config(data, "fuzz")
    except ConfigError as error:
        message = str(error)
    else:
        assert isinstance(config, Config)
        return
    assert message.startswith("fuzz: ")


def test_a_deep_value_is_shown_shortened_in_the_message():
    deep: list[object] = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(ConfigError, match="nested too deeply"):
        parse_config({"kiosk": {"languages": deep}}, "t")


def test_a_pin_hash_the_kiosk_can_afford_is_accepted():
    from kiosk.security.pin import hash_pin

    hashed = hash_pin("482913")
    assert parse_config({"security": {"technician_pin_hash": hashed}}, "t")


toml_fragments = st.sampled_from(
    ["[kiosk]", "[security]", "[backoffice]", "[[kiosk]]", "languages = ", "x = ", "[", "]",
     "{a=", "}", "'fr'", "1", "true", ",", "\n", "technician_pin_hash = ", '"', "scrypt$",
     "$", "1048576", "16384", "AAAA", "tracking_url = ", "{reference}", "'https://m.fr/{reference.x}'"]
)
pin_hashes = st.builds(
    "scrypt${}${}${}${}${}".format,
    st.integers(0, 2**40), st.integers(0, 2**10), st.integers(0, 2**10),
    st.sampled_from(["", "AAAA", "A" * 22 + "==", "!!"]),
    st.sampled_from(["", "AAAA", "A" * 43 + "=", "!!"]),
)


@given(st.lists(toml_fragments, max_size=40).map("".join) | st.text(max_size=200)
       | pin_hashes.map('[security]\ntechnician_pin_hash = "{}"'.format))
def test_loading_any_text_gives_a_config_or_a_config_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "kiosk.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        config = load_config(path)
    except ConfigError as error:
        message = str(error)
    else:
        assert isinstance(config, Config)
        return
    assert message.startswith(str(path))


def test_residents_answers_never_travel_unencrypted_to_another_machine():
    with pytest.raises(ConfigError, match="https://"):
        parse_config({"backoffice": {"url": "http://mairie.example/api"}}, "t")
    assert parse_config({"backoffice": {"url": "http://localhost:8765"}}, "t")
    assert parse_config({"backoffice": {"url": "https://mairie.example/api"}}, "t")


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("http://localhost:x@mairie.example/kiosk-api", "user name or password"),
        ("https://mairie.example@evil.example/", "user name or password"),
        ("http://localhost\\@evil.example/", "backslashes"),
        ("http://localhost.evil.example/", "https://"),
        ("http://127.0.0.1%2eevil.example/", "DNS name or an IP address"),
    ],
)
def test_an_address_that_only_looks_local_is_refused(url, named):
    with pytest.raises(ConfigError, match=named):
        parse_config({"backoffice": {"url": url}}, "t")


@pytest.mark.parametrize(
    "tracking",
    [
        "http://mairie.example/suivi/{reference}",
        "https://mairie.example@evil.example/suivi/{reference}",
        "https://m.example/{reference:>999999999}",
        "https://m.example/{reference!r}",
        "https://m.example/{}",
        "https://m.example/{reference.upper}",
    ],
)
def test_a_tracking_link_follows_the_same_rule_and_takes_only_the_reference(tracking):
    with pytest.raises(ConfigError, match="tracking_url"):
        parse_config({"backoffice": {"tracking_url": tracking}}, "t")
    link = "https://mairie.example/suivi?ref={reference}"
    assert parse_config({"backoffice": {"tracking_url": link}}, "t").backoffice.tracking_url == link
