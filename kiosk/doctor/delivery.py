"""The offline queue and the clock its requests are signed with."""

from __future__ import annotations

import base64
import shutil
from typing import TYPE_CHECKING

from kiosk import secrets
from kiosk.config import Config
from kiosk.connectors.signing import DEFAULT_MAX_SKEW
from kiosk.doctor.keys import foreign_owner, uses_kiosk_keyring
from kiosk.doctor.report import Check, CheckResult, Level, fail, ok, run_command, warn

if TYPE_CHECKING:
    from offline_queue.store import QueueStatus


CLOCK_PROBE_TIMEOUT_S = 3.0


CLOCK_DRIFT_WARN_S = 30.0  # a back office refuses beyond DEFAULT_MAX_SKEW (300 s)

# Shared objects Qt's platform plugins need and the Debian package of each.


def queue_status(config: Config, name: str) -> QueueStatus | CheckResult:
    """The offline queue's status, or the result to give when it cannot be read (never
    creates the file; reads the keyring: see ``uses_kiosk_keyring``)."""
    from kiosk.queue_file import open_queue, queue_path

    path = queue_path(config)
    if not path.exists():
        return ok(name, f"no queue yet ({path})")
    stored_key = secrets.get_secret(secrets.QUEUE_DATA_KEY)
    if not stored_key:
        return fail(name, f"{path} exists but its data key is missing from the keyring")
    try:
        key = base64.b64decode(stored_key, validate=True)
        with open_queue(config, key) as q:
            return q.status()
    except Exception as error:  # a wrong key, a damaged file, a newer schema...
        return fail(name, f"{path}: {type(error).__name__}: {error}")


@uses_kiosk_keyring
def check_queue(config: Config) -> CheckResult:
    """A summary of the offline queue when its file exists (never creates it)."""
    from kiosk.queue_report import describe_pause
    from offline_queue.store import State

    name = "queue"
    status = queue_status(config, name)
    if isinstance(status, CheckResult):
        return status
    counts = ", ".join(f"{state.value} {status.counts[state]}" for state in State)
    if status.paused:
        return fail(name, f"deliveries {describe_pause(status)}; {counts}")
    if status.counts[State.DEAD] or status.expiring_soon:
        return warn(name, f"{counts}; {status.expiring_soon} expiring soon; "
                           "see `kiosk queue list --state dead`")
    return ok(name, counts)


def ntp_synchronized() -> bool | None:
    """``timedatectl``'s NTPSynchronized, or None when it cannot say (no systemd)."""
    timedatectl = shutil.which("timedatectl")
    if timedatectl is None:
        return None
    done = run_command([timedatectl, "show", "--property=NTPSynchronized", "--value"])
    if done is None:
        return None
    return {"yes": True, "no": False}.get(done.stdout.strip())


def back_office_skew(config: Config) -> float | None:
    """The back office's clock minus ours, from its health answer; None without one."""
    from kiosk.connectors.http_api import back_office_clock_skew

    if config.backoffice.kind != "http":
        return None
    return back_office_clock_skew(config.backoffice.url, timeout=CLOCK_PROBE_TIMEOUT_S)


def check_clock(config: Config) -> CheckResult:
    """The terminal's clock: close to the back office's now (the ``Date`` of its health
    answer), not refused by it lately (recorded in the queue), NTP-synchronised.

    FAIL when the back office refuses it (requests wait), WARN when it drifts or is not
    synchronised, or when a refusal is recorded but the clock is right by now.
    """
    from kiosk.queue_report import CHECK_NTP, describe_clock_error, describe_skew

    name = "clock"
    recorded = None if foreign_owner(config) is not None else queue_status(config, name)
    refused = None  # the queue check reports a queue that cannot be read
    if recorded is not None and not isinstance(recorded, CheckResult):
        refused = describe_clock_error(recorded)
    skew = back_office_skew(config)
    if skew is not None and abs(skew) > DEFAULT_MAX_SKEW:
        return fail(name, f"{describe_skew(skew)}, which refuses requests more than "
                           f"{DEFAULT_MAX_SKEW:.0f} s off: requests wait; {CHECK_NTP}")
    if refused is not None:
        if skew is None:
            return fail(name, refused)
        return warn(name, f"{refused}. Right by now ({describe_skew(skew)}): the waiting "
                           "requests go at their next retry ('Envoyer maintenant': at once)")
    if ntp_synchronized() is False:
        return warn(name, f"not synchronised by NTP; {CHECK_NTP}")
    if skew is None:
        return ok(name, "no refusal recorded; the back office does not answer to compare")
    drifting = abs(skew) > CLOCK_DRIFT_WARN_S
    detail = describe_skew(skew) + (f": drifting; {CHECK_NTP}" if drifting else "")
    return CheckResult(Level.WARN if drifting else Level.OK, name, detail)



CHECKS: tuple[Check, ...] = (
    check_queue,
    check_clock,
)
