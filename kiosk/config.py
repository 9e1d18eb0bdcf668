"""The kiosk's configuration: one TOML file, every key with a default, checked at start.

A wrong key or value stops the start with a ``ConfigError`` that names the key, the value
and what is expected. The reference of every key is docs/config.md; the annotated sample
is assets/kiosk.sample.toml (a test keeps the three in step).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from string import Formatter
from typing import Any, NamedTuple

from kiosk.connectors.addresses import address_problem
from kiosk.i18n import LANGUAGES

DEFAULT_CONFIG_PATH = Path("/etc/kiosk/kiosk.toml")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the key and what is expected."""


# The sections are named tuples rather than frozen dataclasses: as immutable, but Python
# 3.11 builds a frozen dataclass in about 1 ms against 0.13 ms, and these nine are on the
# way to the welcome screen at every start (docs/performance.md). Change one value with
# ``section._replace(key=value)``.


class KioskSection(NamedTuple):
    commune_name: str = "Admiville"
    logo: str = ""  # path to an SVG or PNG; empty: the bundled logo
    language: str = "fr"  # language shown first to each resident
    languages: tuple[str, ...] = LANGUAGES  # languages offered on the welcome screen
    fullscreen: bool = True
    hide_cursor: bool = False
    idle_seconds: int = 90
    idle_countdown_seconds: int = 30
    data_dir: str = ""  # empty: platformdirs' data dir (/var/lib/kiosk on a terminal)
    log_level: str = "INFO"
    watchdog: bool = True  # ping systemd's watchdog when systemd asks for it
    printer: str = ""  # receipts on paper: a printer name, "pdf:DIR" for PDF files, "" none


class ScreenSection(NamedTuple):
    # Physical size of one pixel. 0 means: ask the screen, and if it does not know,
    # assume a 21.5-inch 1920x1080 panel (0.248 mm per pixel).
    mm_per_pixel: float = 0.0
    screenshot_width: int = 1920
    screenshot_height: int = 1080


class SpeechSection(NamedTuple):
    enabled: bool = True
    player: str = "aplay -q"  # command that plays a WAV file given as last argument
    rate_wpm: int = 135
    volume: float = 0.8
    # "alsa": plugging headphones in the jack starts audio mode with private listening
    # (accessibility.headphones); "none": only the mediator's switch turns it on.
    headphones: str = "alsa"


class CatalogSection(NamedTuple):
    path: str = ""  # empty: the bundled demo catalog of Admiville


class BackofficeSection(NamedTuple):
    # "http": the kiosk's own API; "wcs": Publik w.c.s.; "open311": GeoReport v2;
    # "none": keep queued
    kind: str = "http"
    url: str = "http://127.0.0.1:8765"
    orig: str = ""  # w.c.s. only: the API access identifier (its key is in the keyring)
    jurisdiction_id: str = ""  # Open311 only, when the server serves several jurisdictions
    terminal_id: str = "admiville-demo-01"
    tracking_url: str = ""  # e.g. "https://mairie.example/suivi/{reference}"; empty: none
    timeout_seconds: float = 10.0
    poll_minutes: int = 15  # how often to ask for a new catalog and send a heartbeat


class QueueSection(NamedTuple):
    retention_days: int = 30
    sync_interval_seconds: int = 30
    # Days a delivered request's reference stays linked to the back office's id (no
    # payload): "Où en est ma demande ?" then knows it was sent from here.
    status_link_days: int = 90


class SecuritySection(NamedTuple):
    # "systemd-creds": systemd encrypted credentials (a deployed terminal); a dotted path
    # of a keyring backend class; empty: the plaintext file of keyrings.alt in the data
    # directory, for development only (a warning at start; `kiosk doctor` FAILs on it
    # when `deployed`).
    keyring_backend: str = ""
    technician_pin_hash: str = ""  # from `kiosk enroll technician`; empty: keyring, or 123456
    # A terminal in service: its keys are never created on the fly, only by `kiosk enroll`.
    deployed: bool = False
    credstore: str = "/etc/credstore.encrypted"  # where `kiosk enroll` writes credentials
    credential_key: str = "auto"  # systemd-creds encrypt --with-key=...


class GdprSection(NamedTuple):
    # What the information screen "Vos données" says (docs/gdpr.md). Empty: the screen
    # says what the software knows and that the town hall gives the rest on request.
    controller: str = ""  # who is responsible: "Mairie de Villeneuve, 1 place de la Mairie"
    dpo_contact: str = ""  # the data protection officer: "dpo@villeneuve.fr, 01 23 45 67 89"
    purpose: str = ""  # empty: "Envoyer votre demande à la mairie, et la suivre."
    legal_basis: str = ""  # empty: a public-interest task (RGPD article 6.1.e)
    recipients: str = ""  # empty: the town hall's staff who handle the request
    # Retention on the terminal (the queue's own periods are [queue] retention_days for an
    # undelivered request and status_link_days for a delivered one's link).
    statistics_days: int = 395  # anonymous daily counts: 13 months
    journal_days: int = 365  # the mediators' and technicians' journal, by whole days


class Config(NamedTuple):
    kiosk: KioskSection = KioskSection()
    screen: ScreenSection = ScreenSection()
    speech: SpeechSection = SpeechSection()
    catalog: CatalogSection = CatalogSection()
    backoffice: BackofficeSection = BackofficeSection()
    queue: QueueSection = QueueSection()
    security: SecuritySection = SecuritySection()
    gdpr: GdprSection = GdprSection()
    source: str = "embedded defaults"  # where the values came from, for logs and doctor

    def data_path(self) -> Path:
        """The data directory (queue, journal, caches)."""
        if self.kiosk.data_dir:
            return Path(self.kiosk.data_dir)
        import platformdirs  # only for the default: most terminals configure data_dir

        return Path(platformdirs.user_data_dir("borne-citoyenne", appauthor=False))


# ---------------------------------------------------------------- checks per key

Check = Callable[[Any], str | None]  # returns what is expected when the value is wrong


def _whole(low: int, high: int, unit: str) -> Check:
    def check(value: Any) -> str | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        return None if ok else f"a whole number of {unit} from {low} to {high}"

    return check


def _number(low: float, high: float, what: str) -> Check:
    def check(value: Any) -> str | None:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok and low <= value <= high else f"{what} from {low} to {high}"

    return check


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else "one of " + ", ".join(repr(c) for c in choices)

    return check


def _languages(value: Any) -> str | None:
    ok = (
        isinstance(value, list)
        and value
        and all(v in LANGUAGES for v in value)
        and len(set(value)) == len(value)
    )
    return None if ok else "a non-empty list of distinct languages among " + ", ".join(LANGUAGES)


def _text(max_len: int = 200) -> Check:
    def check(value: Any) -> str | None:
        ok = isinstance(value, str) and len(value) <= max_len and value.isprintable()
        return None if ok else f"a line of text of at most {max_len} characters"

    return check


def _non_empty_text(value: Any) -> str | None:
    return _text()(value) or (None if value.strip() else "a non-empty line of text")


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def _absolute_path(value: Any) -> str | None:
    ok = _text(4096)(value) is None and value.startswith("/")
    return None if ok else "an absolute path of a folder"


def _backoffice_url(value: Any) -> str | None:
    """https, except on this very machine (the demo receiver): answers travel encrypted."""
    return address_problem(value)


def _tracking_url(value: Any) -> str | None:
    """The address of the receipt's QR code, checked as it will be, reference filled in."""
    if value == "":
        return None
    expected = "an address where {reference} stands for the request's reference (no other {…})"
    if not isinstance(value, str):
        return expected
    try:  # {reference} only: no other field, no {reference:>999999999} either
        fields = [(f, spec, conv) for _, f, spec, conv in Formatter().parse(value) if f is not None]
    except ValueError:
        return expected
    if any(fields) and set(fields) != {("reference", "", None)}:
        return expected
    return address_problem(value.format(reference="ADM-7K3-Q9P"), query_allowed=True)


def _pin_hash(value: Any) -> str | None:
    """Empty, or a hash whose scrypt parameters the kiosk can afford (checked at load)."""
    from kiosk.security.pin import PIN_HASH_SHAPE, pin_hash_problem

    if value == "":
        return None
    if not isinstance(value, str) or pin_hash_problem(value) is not None:
        return PIN_HASH_SHAPE
    return None


CHECKS: Mapping[str, Mapping[str, Check]] = {
    "kiosk": {
        "commune_name": _non_empty_text,
        "logo": _text(4096),
        "language": _one_of(LANGUAGES),
        "languages": _languages,
        "fullscreen": _boolean,
        "hide_cursor": _boolean,
        "idle_seconds": _whole(1, 3600, "seconds"),
        "idle_countdown_seconds": _whole(1, 600, "seconds"),
        "data_dir": _text(4096),
        "log_level": _one_of(LOG_LEVELS),
        "watchdog": _boolean,
        "printer": _text(4096),
    },
    "screen": {
        "mm_per_pixel": _number(0.0, 2.0, "a size in millimetres (0 to ask the screen)"),
        "screenshot_width": _whole(320, 7680, "pixels"),
        "screenshot_height": _whole(240, 4320, "pixels"),
    },
    "speech": {
        "enabled": _boolean,
        "player": _non_empty_text,
        "rate_wpm": _whole(80, 300, "words per minute"),
        "volume": _number(0.0, 1.0, "a volume"),
        "headphones": _one_of(("alsa", "none")),
    },
    "catalog": {"path": _text(4096)},
    "backoffice": {
        "kind": _one_of(("http", "wcs", "open311", "none")),
        "url": _backoffice_url,
        "orig": _text(),
        "jurisdiction_id": _text(200),
        "terminal_id": _non_empty_text,
        "tracking_url": _tracking_url,
        "timeout_seconds": _number(1.0, 120.0, "a number of seconds"),
        "poll_minutes": _whole(1, 1440, "minutes"),
    },
    "queue": {
        "retention_days": _whole(1, 365, "days"),
        "sync_interval_seconds": _whole(1, 3600, "seconds"),
        "status_link_days": _whole(1, 3650, "days"),
    },
    "security": {
        "keyring_backend": _text(200),
        "technician_pin_hash": _pin_hash,
        "deployed": _boolean,
        "credstore": _absolute_path,
        "credential_key": _one_of(("auto", "host", "tpm2", "host+tpm2")),
    },
    "gdpr": {
        "controller": _text(300),
        "dpo_contact": _text(300),
        "purpose": _text(300),
        "legal_basis": _text(300),
        "recipients": _text(300),
        "statistics_days": _whole(1, 3650, "days"),
        "journal_days": _whole(30, 3650, "days"),
    },
}

_SECTIONS: dict[str, type[Any]] = {
    "kiosk": KioskSection,
    "screen": ScreenSection,
    "speech": SpeechSection,
    "catalog": CatalogSection,
    "backoffice": BackofficeSection,
    "queue": QueueSection,
    "security": SecuritySection,
    "gdpr": GdprSection,
}


def parse_config(data: Mapping[str, Any], source: str) -> Config:
    """Build a Config from parsed TOML, or raise ConfigError naming the first problem."""
    unknown = sorted(set(data) - set(CHECKS))
    if unknown:
        raise ConfigError(
            f"{source}: unknown section [{unknown[0]}]; the sections are "
            + ", ".join(f"[{s}]" for s in CHECKS)
        )
    sections: dict[str, Any] = {}
    for name, checks in CHECKS.items():
        values = data.get(name, {})
        if not isinstance(values, dict):
            raise ConfigError(f"{source}: [{name}] must be a table of keys")
        for key, value in values.items():
            if key not in checks:
                raise ConfigError(
                    f"{source}: unknown key '{key}' in [{name}]; the keys are " + ", ".join(checks)
                )
            expected = checks[key](value)
            if expected:
                shown = "(not shown)" if key in _NOT_SHOWN else _shown(value)
                raise ConfigError(
                    f"{source}: [{name}] {key} = {shown} is not valid: expected {expected}"
                )
        converted = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
        sections[name] = _SECTIONS[name](**converted)
    config = Config(**sections, source=source)
    _check_consistency(config)
    return config


# A PIN typed where its hash belongs must not reach the journal in an error message.
_NOT_SHOWN = frozenset({"technician_pin_hash"})


def _shown(value: Any, limit: int = 120) -> str:
    """``value`` as TOML-ish text for an error message: shortened, never raising."""
    try:
        text = repr(value)
    except RecursionError:
        return "(a value nested too deeply)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_consistency(config: Config) -> None:
    if config.kiosk.language not in config.kiosk.languages:
        raise ConfigError(
            f"{config.source}: [kiosk] language = {config.kiosk.language!r} is not valid: "
            f"expected one of the offered languages {list(config.kiosk.languages)}"
        )
    if config.backoffice.kind == "wcs" and not config.backoffice.orig.strip():
        raise ConfigError(
            f"{config.source}: [backoffice] kind = \"wcs\" needs orig, the identifier of "
            "the API access set up in w.c.s. (its key goes in the keyring: kiosk enroll wcs-key)"
        )


def load_config(path: Path | None) -> Config:
    """Read the configuration file; ``None`` means the embedded defaults."""
    if path is None:
        return Config()
    import tomllib  # with datetime, 3 ms that the embedded defaults do not need

    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror
        raise ConfigError(f"{path}: cannot read the configuration file ({reason})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: not a valid TOML file ({error})") from None
    except RecursionError:  # tomllib recurses once per level of [[[...]]] or {a={...}}
        raise ConfigError(f"{path}: not a valid TOML file (values nested too deeply)") from None
    config = parse_config(data, str(path))
    logging.getLogger(__name__).info("configuration read from %s", path)
    return config
