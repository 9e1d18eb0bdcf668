"""The checks of ``kiosk doctor``, one module per family; ``ALL_CHECKS`` runs them in order.

Each check is a function ``Config -> CheckResult`` whose detail says what to do when it
is not OK (after a ``"; "``: ``kiosk doctor --json`` splits it off as ``what_to_do``).
Each module lists its checks in ``CHECKS``; a new family of checks is one more line in
``ALL_CHECKS`` below. Nothing here prints personal data: counts, names of packages,
paths and versions only.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.config import Config
from kiosk.doctor import (
    audio,
    backoffice,
    configuration,
    delivery,
    demarches,
    display,
    keys,
    mediators,
    printer,
    storage,
)
from kiosk.doctor.report import Check, CheckResult, Level, check_name, fail

# In this order: the keyring check installs the configured backend the next ones read.
ALL_CHECKS: tuple[Check, ...] = (
    *configuration.CHECKS,
    *storage.CHECKS,
    *keys.CHECKS,
    *delivery.CHECKS,
    *demarches.CHECKS,
    *backoffice.CHECKS,  # w.c.s. and Open311 asked for real
    *mediators.CHECKS,
    *display.CHECKS,
    *audio.CHECKS,
    *printer.CHECKS,
)


def run_checks(config: Config, checks: Iterable[Check] = ALL_CHECKS) -> list[CheckResult]:
    """Run every check; a check that crashes is a FAIL line, never the end of the doctor."""
    results = []
    for check in checks:
        try:
            results.append(check(config))
        except Exception as error:
            results.append(fail(check_name(check), f"the check crashed: "
                                                   f"{type(error).__name__}: {error}"))
    return results


__all__ = ["ALL_CHECKS", "Check", "CheckResult", "Level", "check_name", "run_checks"]
