"""``kiosk enroll WHAT``: put one secret of the terminal into its keyring.

    kiosk enroll technician [--pin-stdin]
    kiosk enroll terminal-secret [--from-file FILE] [--show | --out FILE] [--force]
    kiosk enroll terminal-secret --export | kiosk-receiver terminal add ID --secret-file -
    kiosk enroll --fingerprint
    kiosk enroll wcs-key [--from-file FILE] [--force]
    kiosk enroll open311-key [--from-file FILE] [--force]
    kiosk enroll data-keys

On a deployed terminal (``keyring_backend = "systemd-creds"``) these are the only writers
of its secrets, run as root: each secret becomes an encrypted credential the kiosk's unit
loads (kiosk.credstore).

Each kind of secret is one entry of ``ENROLMENTS`` (a function adding its options and a
handler), so enrolling, say, mediators later is one more entry. A PIN is never printed or
logged: only its salted hash is stored, and shown so that it can go into the configuration
instead. Enrolling the terminal secret is a pairing step: it prints the terminal's id, the
secret's fingerprint and the command that hands the secret to the back office through a
pipe (``--export``), never on a screen; ``--show`` prints it on request, because a
terminal's scroll-back is no place to keep it.
"""

from __future__ import annotations

import argparse
import base64
import functools
import getpass
import os
import secrets as random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from keyring.errors import KeyringError

from kiosk import exit_codes, secrets
from kiosk.connectors.signing import decode_secret, fingerprint
from kiosk.exit_codes import in_words
from kiosk.security.pin import MAX_PIN_LENGTH, PinFormatError, check_pin_format, hash_pin
from kiosk.security.technician import DEFAULT_TECHNICIAN_PIN, TECHNICIAN_PIN_MIN_LENGTH
from wiring.commands.common import prepare
from wiring.commands.new_pin import PinsDifferError, read_new_pin

TERMINAL_SECRET_BYTES = 32

if TYPE_CHECKING:
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]


class EnrolError(Exception):
    """The secret cannot be enrolled; the message tells the technician why."""


# ---------------------------------------------------------------- technician PIN


def check_technician_pin(pin: str) -> None:
    """Refuse a PIN of the wrong format, the default PIN, or one digit repeated."""
    try:
        check_pin_format(pin, TECHNICIAN_PIN_MIN_LENGTH)
    except PinFormatError:
        raise EnrolError(f"a technician PIN is {TECHNICIAN_PIN_MIN_LENGTH} to "
                         f"{MAX_PIN_LENGTH} digits; nothing was changed") from None
    if pin == DEFAULT_TECHNICIAN_PIN or len(set(pin)) == 1:
        raise EnrolError("this PIN is too easy to guess; nothing was changed")


def enroll_technician(args: argparse.Namespace) -> int:
    config = prepare(args)
    pin = read_new_pin("technician", TECHNICIAN_PIN_MIN_LENGTH, args.pin_stdin)
    check_technician_pin(pin)
    hashed = hash_pin(pin, TECHNICIAN_PIN_MIN_LENGTH)
    secrets.set_secret(secrets.TECHNICIAN_PIN, hashed)
    print(f"technician PIN enrolled in the keyring ({secrets.describe_backend()})")
    if config.security.technician_pin_hash:
        print(f"WARNING: {config.source} sets [security] technician_pin_hash, which wins over "
              "the keyring: replace its value with the hash below, or empty it")
    print("or, instead of the keyring, put this line under [security] in the configuration:")
    print(f'technician_pin_hash = "{hashed}"')
    print("restart the kiosk to use the new PIN (systemctl restart kiosk)")
    return 0


def _add_technician(kinds: SubParsers) -> None:
    parser = kinds.add_parser("technician", help="the PIN that lets a technician exit the kiosk")
    parser.add_argument(
        "--pin-stdin", action="store_true", help="read the PIN from one line of stdin (automation)"
    )
    parser.set_defaults(enroll_handler=enroll_technician)


# ---------------------------------------------------------------- terminal secret


def _write_private(path: Path, text: str) -> None:
    # O_EXCL: never overwrite a file, and 0600 from the first byte.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(text + "\n")


RECEIVER_TERMINALS = "/etc/kiosk/receiver-terminals"  # kiosk-receiver.service's file


def pairing_lines(terminal_id: str, secret: bytes) -> list[str]:
    """What the technician needs to pair the terminal: its id, the fingerprint, and the
    back-office command that takes the secret from a pipe (never from a screen)."""
    return [
        f"terminal id: {terminal_id}",
        f"fingerprint: {fingerprint(secret)}",
        "pair it with the back office; the secret goes through the pipe, never on a screen:",
        f"  kiosk enroll terminal-secret --export | kiosk-receiver terminal add {terminal_id} "
        f"--terminals {RECEIVER_TERMINALS} --secret-file -",
        "  (another machine: put `ssh ADMIN@BACK-OFFICE` before kiosk-receiver)",
        f"the back office then prints `{terminal_id} {fingerprint(secret)}`: the same "
        "fingerprint means the same secret",
        "until the back office has it, requests are queued and none is sent",
    ]


def enroll_terminal_secret(args: argparse.Namespace) -> int:
    if args.export:
        return export_terminal_secret(args)
    config = prepare(args)
    if secrets.get_secret(secrets.TERMINAL_SECRET) and not args.force:
        raise EnrolError("a terminal secret is already enrolled; replacing it stops deliveries "
                         "until the back office has the new one: add --force to do it")
    if args.from_file is not None:
        try:
            text = args.from_file.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as error:
            raise EnrolError(f"cannot read {args.from_file}: {in_words(error)}") from None
        try:
            secret = decode_secret(text)
        except ValueError as error:  # not hex nor base64, or too short: its message says
            raise EnrolError(str(error)) from None
    else:
        secret = random.token_bytes(TERMINAL_SECRET_BYTES)
    encoded = base64.b64encode(secret).decode("ascii")
    if args.out is not None:
        try:
            _write_private(args.out, encoded)
        except OSError as error:
            raise EnrolError(f"cannot write {args.out}: {error.strerror}") from None
    secrets.set_secret(secrets.TERMINAL_SECRET, encoded)
    print(f"terminal secret enrolled in the keyring ({len(secret)} bytes, {fingerprint(secret)})")
    terminal_id = config.backoffice.terminal_id
    if args.from_file is not None:
        print(f"{terminal_id} {fingerprint(secret)}: compare with `kiosk-receiver terminal "
              "list` on the back office, which made this secret")
    elif args.out is not None:
        print(f"written to {args.out} (mode 0600): hand it to the back-office administrator, "
              "then delete it (shred -u)")
    elif args.show:
        print("for the back-office administrator only (base64); clear the screen afterwards:")
        print(encoded)
    else:
        print("\n".join(pairing_lines(terminal_id, secret)))
        show_qr(f"{terminal_id} {fingerprint(secret)}")
    return 0


def show_qr(text: str) -> None:
    """The id and fingerprint as a QR code, on a screen only (never into a pipe or a log)."""
    if sys.stdout.isatty():
        from kiosk.terminal_qr import terminal_qr

        print(f"the same, for the console to scan ({text}):")
        print(terminal_qr(text))


def export_terminal_secret(args: argparse.Namespace) -> int:
    """The enrolled secret alone (base64), into a pipe only: never shown on a terminal."""
    prepare(args, read_only=True)
    if sys.stdout.isatty():
        raise EnrolError("--export writes the secret into a pipe, never on the screen: "
                         "kiosk enroll terminal-secret --export | kiosk-receiver terminal add "
                         "ID --secret-file -")
    print(base64.b64encode(secrets.get_key(secrets.TERMINAL_SECRET)).decode("ascii"))
    return 0


def print_fingerprint(args: argparse.Namespace) -> int:
    """``kiosk enroll --fingerprint``: the terminal id and its enrolled secret's fingerprint,
    as ``kiosk-receiver terminal list`` prints them on the back office."""
    config = prepare(args, read_only=True)
    secret = secrets.get_key(secrets.TERMINAL_SECRET)
    print(f"{config.backoffice.terminal_id} {fingerprint(secret)}")
    show_qr(f"{config.backoffice.terminal_id} {fingerprint(secret)}")
    return 0


def _add_terminal_secret(kinds: SubParsers) -> None:
    parser = kinds.add_parser(
        "terminal-secret", help="the HMAC secret shared with the back office"
    )
    parser.add_argument(
        "--from-file", type=Path, metavar="FILE",
        help="import the secret (hex or base64) made by the back office instead of generating it",
    )
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--show", action="store_true", help="print the secret once (base64)")
    shown.add_argument(
        "--out", type=Path, metavar="FILE", help="write the secret to a new 0600 file instead"
    )
    shown.add_argument(
        "--export", action="store_true",
        help="write the enrolled secret into a pipe (kiosk-receiver terminal add --secret-file -)",
    )
    parser.add_argument("--force", action="store_true", help="replace an enrolled secret")
    parser.set_defaults(enroll_handler=enroll_terminal_secret)


# ---------------------------------------------------------------- back-office API keys

MAX_API_KEY_LENGTH = 512


@dataclass(frozen=True)
class ApiKey:
    """A back office's API key that this terminal keeps in its keyring.

    ``command``: the ``kiosk enroll`` kind; ``secret``: the keyring entry; ``office``: the
    back office's name in messages; ``kind``: the ``[backoffice] kind`` that uses it.
    """

    command: str
    secret: str
    office: str
    kind: str
    help: str


API_KEYS = (
    ApiKey("wcs-key", secrets.WCS_API_KEY, "w.c.s.", "wcs",
           "the key of this terminal's API access to Publik w.c.s."),
    ApiKey("open311-key", secrets.OPEN311_API_KEY, "Open311", "open311",
           "the api_key the Open311 (GeoReport v2) server gave this terminal"),
)


def _read_api_key(spec: ApiKey, from_file: Path | None) -> str:
    """The key as the back office showed it: from a file, else typed (no echo) or one
    stdin line."""
    if from_file is not None:
        try:
            text = from_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise EnrolError(f"cannot read {from_file}: {in_words(error)}") from None
    elif sys.stdin.isatty():
        text = getpass.getpass(f"Key of the {spec.office} API access: ")
    else:
        text = sys.stdin.readline()
    key = text.strip()
    if not key or len(key) > MAX_API_KEY_LENGTH or not key.isprintable() or " " in key:
        raise EnrolError(f"a {spec.office} key is one word of 1 to {MAX_API_KEY_LENGTH} "
                         "printable characters; nothing was changed")
    return key


def enroll_api_key(spec: ApiKey, args: argparse.Namespace) -> int:
    config = prepare(args)
    if secrets.get_secret(spec.secret) and not args.force:
        raise EnrolError(f"a {spec.office} key is already enrolled: add --force to replace it")
    key = _read_api_key(spec, args.from_file)
    secrets.set_secret(spec.secret, key)
    print(f"{spec.office} key enrolled in the keyring ({fingerprint(key.encode('utf-8'))})")
    if config.backoffice.kind != spec.kind:
        print(f"note: {config.source} does not say [backoffice] kind = \"{spec.kind}\": the key "
              "is not used until it does")
    return 0


def _api_key_adder(spec: ApiKey) -> Callable[[SubParsers], None]:
    def add(kinds: SubParsers) -> None:
        parser = kinds.add_parser(spec.command, help=spec.help)
        parser.add_argument(
            "--from-file", type=Path, metavar="FILE",
            help="read the key from a file (else typed without echo, or one line of stdin)",
        )
        parser.add_argument("--force", action="store_true", help="replace an enrolled key")
        parser.set_defaults(enroll_handler=functools.partial(enroll_api_key, spec))

    return add


# ---------------------------------------------------------------- data keys


def enroll_data_keys(args: argparse.Namespace) -> int:
    """Make the queue and journal keys that are missing; an existing key is never replaced
    (it is the only one that reads the requests and journal entries made with it)."""
    prepare(args)
    for name in secrets.DATA_KEYS:
        made = secrets.create_key(name)
        print(f"{name}: {'created' if made else 'already enrolled, kept'} "
              f"({secrets.describe_backend()})")
    return 0


def _add_data_keys(kinds: SubParsers) -> None:
    parser = kinds.add_parser(
        "data-keys", help="the keys of the offline queue and of the journal (once per terminal)"
    )
    parser.set_defaults(enroll_handler=enroll_data_keys)


# ---------------------------------------------------------------- the command

ENROLMENTS: tuple[Callable[[SubParsers], None], ...] = (
    _add_technician, _add_terminal_secret, *(_api_key_adder(spec) for spec in API_KEYS),
    _add_data_keys,
)


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("enroll", help="store a secret of the terminal in its keyring")
    parser.add_argument(
        "--fingerprint", action="store_true",
        help="print the terminal id and its secret's fingerprint (changes nothing)",
    )
    kinds = parser.add_subparsers(dest="enroll_kind", metavar="WHAT")
    for add in ENROLMENTS:
        add(kinds)
    parser.set_defaults(handler=run_enroll, enroll_parser=parser)


def run_enroll(args: argparse.Namespace) -> int:
    """Dispatch to the kind's handler; an EnrolError is one line on stderr and exit 1."""
    if args.fingerprint:
        handler: Callable[[argparse.Namespace], int] = print_fingerprint
        args.enroll_kind = "--fingerprint"
    elif args.enroll_kind is None:
        args.enroll_parser.error("say WHAT to enrol, or --fingerprint")
    else:
        handler = args.enroll_handler
    try:
        return handler(args)
    except EnrolError as error:
        print(f"kiosk enroll {args.enroll_kind}: {error}", file=sys.stderr)
        return 1
    except PinsDifferError as error:
        print(f"kiosk enroll {args.enroll_kind}: {error}; nothing was changed", file=sys.stderr)
        return 1
    except KeyringError as error:
        print(f"kiosk enroll {args.enroll_kind}: the keyring refused: {error}", file=sys.stderr)
        return exit_codes.DATA
    except secrets.SecretsError as error:  # --export, --fingerprint: nothing enrolled yet
        print(f"kiosk enroll {args.enroll_kind}: {error}", file=sys.stderr)
        return exit_codes.DATA
    except (EOFError, KeyboardInterrupt):
        print(f"kiosk enroll {args.enroll_kind}: cancelled; nothing was changed", file=sys.stderr)
        return 1
