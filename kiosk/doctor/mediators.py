"""The mediator accounts of the terminal (``kiosk mediator``): without one, nobody can open
the mediator panel (consent, delivery status, the retry of a refused request)."""

from __future__ import annotations

import sqlite3
import time

from kiosk.config import Config
from kiosk.doctor.report import Check, CheckResult, fail, ok, warn
from kiosk.mediator.accounts import MEDIATORS_FILE, MediatorRegistry

ADD = "kiosk mediator add NAME"


def check_mediators(config: Config) -> CheckResult:
    """Active mediator accounts exist (counts only: names stay out of the report); WARN when
    there is none, or when some are locked after wrong PINs."""
    name = "mediators"
    path = config.data_path() / MEDIATORS_FILE
    if not path.exists():
        return warn(name, f"no mediator account: nobody can open the mediator panel; {ADD}")
    try:
        with MediatorRegistry(path) as registry:
            accounts = registry.accounts()
            active = registry.active()
    except sqlite3.Error as error:
        return fail(name, f"{path} cannot be read ({error}); `kiosk mediator list` says more")
    if not active:
        return warn(name, f"{len(accounts)} account(s), none active: nobody can open the "
                          f"mediator panel; {ADD}")
    now = time.time()
    locked = sum(1 for mediator in active if mediator.locked_for(now) > 0)
    if locked:
        return warn(name, f"{len(active)} active, {locked} locked after wrong PINs; "
                          "kiosk mediator list, then kiosk mediator unlock NAME")
    return ok(name, f"{len(active)} active account(s)")


CHECKS: tuple[Check, ...] = (check_mediators,)
