"""The configuration file and the user the doctor runs as."""

from __future__ import annotations

import os

from kiosk import secrets
from kiosk.config import Config
from kiosk.connectors.addresses import address_problem
from kiosk.doctor.report import Check, CheckResult, fail, ok, warn


def check_config(config: Config) -> CheckResult:
    """Where the configuration came from; WARN on the demo defaults, FAIL on a back-office
    address the kiosk refuses (connectors.addresses: https unless on this machine)."""
    name = "config"
    if config.source == Config().source:
        return warn(name, "embedded defaults (the Admiville demo); copy assets/kiosk.sample"
                           ".toml to /etc/kiosk/kiosk.toml and adapt it")
    problem = address_problem(config.backoffice.url)
    if config.backoffice.kind == "http" and problem:
        return fail(name, f"{config.source}: [backoffice] url is not valid: expected {problem}")
    return ok(name, f"{config.source} is valid")


def check_user(config: Config) -> CheckResult:
    """WARN when run as root: the kiosk runs as its own user, whose rights matter."""
    if os.geteuid() == 0 and config.security.keyring_backend == secrets.SYSTEMD_CREDS:
        return warn("user", "running as root, as systemd credentials need; the data-dir "
                             "check is the kiosk user's: sudo -u kiosk kiosk doctor")
    if os.geteuid() == 0:
        return warn("user", "running as root; run as the kiosk's user for meaningful "
                             "data-dir and keyring checks (sudo -u kiosk kiosk doctor)")
    return ok("user", f"uid {os.geteuid()}")



CHECKS: tuple[Check, ...] = (
    check_config,
    check_user,
)
