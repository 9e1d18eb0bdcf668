"""What the offline queue's state means, in words for technicians (``kiosk queue``,
``kiosk doctor``): a pause and how to lift it, a clock the back office refused, times."""

from __future__ import annotations

import time

from offline_queue.store import PAUSE_CONFIGURATION, QueueStatus


def when(stamp: float | None) -> str:
    """A local date and time, or "-" for none."""
    if stamp is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp))


def duration(seconds: float) -> str:
    """``45 s``, ``12 min``, ``3 h 05 min``, ``2 d 4 h``."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return f"{int(seconds)} s"
    hours, minutes = divmod(minutes, 60)
    if hours < 1:
        return f"{minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if days else f"{hours} h {minutes:02d} min"


def describe_pause(status: QueueStatus) -> str:
    """``PAUSED (<reason>); <what to fix>, then `kiosk queue resume```."""
    if status.pause_cause == PAUSE_CONFIGURATION:
        fix = "fix [backoffice] url in the configuration"
    else:
        fix = "fix the credentials"
    return f"PAUSED ({status.paused_reason or 'no reason'}); {fix}, then `kiosk queue resume`"


def describe_clock_error(status: QueueStatus) -> str | None:
    """What a refused clock means and what to do, or None when none is recorded."""
    if not status.clock_error:
        return None
    skew = status.clock_skew
    gap = "by how much is unknown" if skew is None else describe_skew(skew)
    return (f"the back office refused this terminal's clock ({status.clock_error}, "
            f"{when(status.clock_error_at)}): {gap}. Requests wait and are retried; "
            f"{CHECK_NTP}")


SKEW_RESOLUTION = 2.0  # seconds: an HTTP Date has whole seconds, and the answer takes time
CHECK_NTP = ("check NTP: `timedatectl status` must say 'System clock synchronized: yes' "
             "(`timedatectl set-ntp true`)")


def describe_skew(skew: float) -> str:
    """``this terminal is 1 h 00 min behind the back office`` (``skew``: the back office's
    clock minus ours, in seconds)."""
    if abs(skew) <= SKEW_RESOLUTION:
        return "this terminal's clock agrees with the back office's"
    side = "behind" if skew > 0 else "ahead of"
    return f"this terminal is {duration(abs(skew))} {side} the back office"
