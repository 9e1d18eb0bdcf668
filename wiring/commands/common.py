"""What every sub-command does first: read the configuration, set up logging and secrets."""

from __future__ import annotations

import argparse
import sys

from kiosk import exit_codes
from kiosk.config import DEFAULT_CONFIG_PATH, Config, ConfigError, load_config
from kiosk.logging_setup import setup_logging


class CommandError(Exception):
    """A sub-command cannot go on; the message is for the technician."""


def config_from_args(args: argparse.Namespace) -> Config:
    """The configuration named by ``--config``, else /etc/kiosk/kiosk.toml, else defaults."""
    path = args.config
    if path is None and DEFAULT_CONFIG_PATH.exists():
        path = DEFAULT_CONFIG_PATH
    return load_config(path)


def prepare(
    args: argparse.Namespace, *, with_keyring: bool = True, read_only: bool = False
) -> Config:
    """Configuration, logging and keyring for a sub-command; exits with a message on error.

    ``read_only``: the command only looks, so it creates no folder (nor, by its own rule,
    any key or file).
    """
    try:
        config = config_from_args(args)
        # A technician's command prints its own result: routine INFO lines only with -v.
        setup_logging(config.kiosk.log_level if getattr(args, "verbose", False) else "WARNING")
        if not read_only:
            config.data_path().mkdir(parents=True, exist_ok=True)
        if with_keyring:
            from kiosk.secrets import SecretsError, configure_keyring  # keyring: slow import

            try:
                configure_keyring(config.security, config.data_path(), create_dirs=not read_only)
            except SecretsError as error:  # a backend that cannot be loaded: configuration
                raise ConfigError(str(error)) from None
    except ConfigError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        raise SystemExit(exit_codes.USAGE) from None
    except OSError as error:  # the data folder cannot be made
        print(f"kiosk: cannot create {error.filename}: {exit_codes.in_words(error)}",
              file=sys.stderr)
        raise SystemExit(exit_codes.DATA) from None
    return config
