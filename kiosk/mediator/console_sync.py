"""The commune's mediator accounts merged into the terminal's registry, at each poll.

    sync = RosterSync(client, SyncedRegistry(data_dir / MEDIATORS_FILE, journal))
    sync.run()    # on the back-office poll thread: fetch, check, merge, report the uses

What the merge does (docs/mediators.md, "Managed from the console"):

- an account of the roster that the terminal does not have is added, marked ``console``;
- a changed one (its ``version``) takes the roster's name and PIN hash;
- one disabled in the roster, or gone from it, is disabled here: it can no longer log in;
  a disabled account is never enabled again by a roster (nor by the console, which
  cannot: a new volunteer gets a new account);
- a new lockout reset (``lockout_reset`` grew) lifts the lock here, as ``kiosk mediator
  unlock`` does;
- accounts made on the terminal (``kiosk mediator add``) are never touched, and a roster
  entry with the id of one of them is ignored (logged).

A roster that cannot be fetched changes nothing; one that fails a check is refused whole
(the log names the problem) and the last good roster stays in force. Then the logins of
console accounts not told yet go back to the receiver, so that the expiry after days
without use counts every terminal, with the console accounts locked here after wrong PINs
(id, since when, seconds left: no PIN, no name), so that the console offers to lift a
lock only where there is one. The report goes when there is a login to tell or the locks
changed since the receiver last took them (and once after the kiosk starts).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kiosk.audit.entries import SYSTEM, EntryKind
from kiosk.audit.sqlite_file import immediate
from kiosk.mediator.accounts import CONSOLE, MediatorRegistry, Role
from kiosk.mediator.lockout import lock_seconds
from kiosk.mediator.roster import Roster, RosterEntry, RosterError, parse_roster

Use = tuple[str, int]  # (mediator id, Unix time of its last right PIN)
Lock = tuple[str, int, int]  # (mediator id, Unix time the lock began, seconds left)
_log = logging.getLogger(__name__)


class RosterClient(Protocol):
    """The back office's side (``HttpApiConnector``): both calls never raise for the network."""

    def fetch_mediators(self) -> bytes | None:
        """The roster's body, or None when there is none this time (already logged)."""

    def report_mediator_usage(self, uses: Sequence[Use], locks: Sequence[Lock]) -> bool:
        """Tell the back office these logins and the locks here; True when it took them."""


@dataclass
class MergeReport:
    """The ids that one merge added, updated, disabled, unlocked, or ignored."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    unlocked: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


class SyncedRegistry(MediatorRegistry):
    """The registry, with what the roster merge and the use report need."""

    def apply_roster(self, roster: Roster) -> MergeReport:
        """Merge ``roster`` in one transaction, then journal what changed."""
        report = MergeReport()
        with self._lock, immediate(self._conn):
            rows = {
                str(row[0]): (str(row[1]), bool(row[2]), int(row[3]), int(row[4]))
                for row in self._conn.execute(
                    "SELECT id, source, active, remote_version, remote_reset FROM mediators"
                )
            }
            for entry in roster.mediators:
                found = rows.get(entry.id)
                if found is None:
                    if not entry.disabled:
                        self._insert(entry)
                        report.added.append(entry.id)
                elif found[0] != CONSOLE:
                    report.ignored.append(entry.id)
                else:
                    self._update(entry, *found[1:], report)
            listed = {entry.id for entry in roster.mediators}
            for mediator_id, (source, active, _, _) in rows.items():
                if source == CONSOLE and active and mediator_id not in listed:
                    self._conn.execute("UPDATE mediators SET active = 0 WHERE id = ?",
                                       (mediator_id,))
                    report.disabled.append(mediator_id)
        self._journal_merge(report)
        return report

    def _insert(self, entry: RosterEntry) -> None:
        created = dt.datetime.fromtimestamp(self._clock()).astimezone()
        self._conn.execute(
            "INSERT INTO mediators (id, name, role, pin_hash, active, created_at, source,"
            " remote_version, remote_reset) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)",
            (entry.id, entry.name, Role.MEDIATOR.value, entry.pin_hash,
             created.isoformat(timespec="seconds"), CONSOLE, entry.version,
             entry.lockout_reset),
        )

    def _update(
        self, entry: RosterEntry, active: bool, version: int, resets: int, report: MergeReport
    ) -> None:
        if entry.version != version:
            self._conn.execute(
                "UPDATE mediators SET name = ?, pin_hash = ?, remote_version = ? WHERE id = ?",
                (entry.name, entry.pin_hash, entry.version, entry.id),
            )
            report.updated.append(entry.id)
        if entry.disabled and active:
            self._conn.execute("UPDATE mediators SET active = 0 WHERE id = ?", (entry.id,))
            report.disabled.append(entry.id)
        if entry.lockout_reset != resets:
            self._conn.execute(
                "UPDATE mediators SET failures = 0, strikes = 0, locked_until = 0,"
                " remote_reset = ? WHERE id = ?", (entry.lockout_reset, entry.id),
            )
            report.unlocked.append(entry.id)

    def _journal_merge(self, report: MergeReport) -> None:
        for mediator_id in report.added:
            self._record(EntryKind.MEDIATOR_ADDED, SYSTEM, {
                "mediator": mediator_id, "name": self.find(mediator_id).name,
                "role": Role.MEDIATOR.value})
        for mediator_id in report.disabled:
            self._record(EntryKind.MEDIATOR_DISABLED, SYSTEM, {
                "mediator": mediator_id, "name": self.find(mediator_id).name})
        for mediator_id in report.unlocked:
            self._record(EntryKind.MEDIATOR_UNLOCKED, SYSTEM, {"mediator": mediator_id})

    def uses_to_report(self) -> list[Use]:
        """The console accounts' last logins that the back office has not been told."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, last_used_at FROM mediators WHERE source = ?"
                " AND last_used_at > use_reported_at ORDER BY id", (CONSOLE,),
            ).fetchall()
        return [(str(row[0]), int(row[1])) for row in rows]

    def locks_to_report(self) -> tuple[Lock, ...] | None:
        """The active console accounts locked here now, by id; None when this terminal
        has no console account at all (nothing for the back office to know)."""
        now = self._clock()
        with self._lock:
            accounts = self._select("source = ?", (CONSOLE,))
        if not accounts:
            return None
        return tuple(
            (m.id, int(m.locked_until - lock_seconds(max(m.strikes, 1))),
             max(1, math.ceil(m.locked_for(now))))
            for m in sorted(accounts, key=lambda m: m.id) if m.active and m.locked_for(now) > 0
        )

    def mark_reported(self, uses: Sequence[Use]) -> None:
        """The back office took these logins: not told again (a later login is)."""
        with self._lock, immediate(self._conn):
            self._conn.executemany(
                "UPDATE mediators SET use_reported_at = ? WHERE id = ? AND use_reported_at < ?",
                [(at, mediator_id, at) for mediator_id, at in uses],
            )


class RosterSync:
    """One round of the mediator roster: fetch, check, merge, report the uses."""

    def __init__(self, client: RosterClient, registry: SyncedRegistry) -> None:
        self._client = client
        self.registry = registry
        # (id, since) of the locks the back office took last; None: none since the start.
        # The seconds left are left out: they shrink at each poll, and the receiver counts
        # them down itself.
        self._locks_told: list[tuple[str, int]] | None = None

    def run(self) -> MergeReport | None:
        """The merge's report, or None when no roster was fetched or it was refused."""
        report = self._merge()
        self._report_usage()
        return report

    def _report_usage(self) -> None:
        uses = self.registry.uses_to_report()
        locks = self.registry.locks_to_report()
        told = None if locks is None else [(lock[0], lock[1]) for lock in locks]
        if not (uses or (told is not None and told != self._locks_told)):
            return
        if self._client.report_mediator_usage(uses, locks or ()):
            self.registry.mark_reported(uses)
            self._locks_told = told

    def _merge(self) -> MergeReport | None:
        body = self._client.fetch_mediators()
        if body is None:
            return None
        try:
            roster = parse_roster(body)
        except RosterError as problem:
            _log.warning("mediator roster refused, the last good one stays: %s", problem)
            return None
        report = self.registry.apply_roster(roster)
        if report.ignored:
            _log.warning("mediator roster: %d account(s) with the id of a local account "
                         "ignored", len(report.ignored))
        _log.info("mediator roster %d merged: %d added, %d updated, %d disabled, %d unlocked",
                  roster.version, len(report.added), len(report.updated),
                  len(report.disabled), len(report.unlocked))
        return report
