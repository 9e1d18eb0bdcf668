"""The retention erases the journal's oldest days behind a signed checkpoint: what remains
still verifies, the checkpoint cannot be moved or forged, and the purge is journaled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.audit.entries import SYSTEM, EntryKind
from kiosk.audit.head import JournalHead
from kiosk.audit.journal import AUDIT_FILE, Journal
from kiosk.config import Config
from kiosk.retention import Retention
from kiosk.statistics.store import STATISTICS_FILE, StatisticsStore
from tests.kiosk.audit.attacker import open_as_attacker
from tests.kiosk.audit.test_journal import KEY, Ticking

START = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def journal_of_days(path: Path, days: int, per_day: int = 3) -> Journal:
    """``per_day`` entries on each of ``days`` days, from 1 March 2025."""
    clock = Ticking(START)
    journal = Journal(path, hmac_key=KEY, clock=clock)
    for day in range(days):
        clock.now = START + dt.timedelta(days=day)
        for _ in range(per_day):
            journal.append(EntryKind.QUEUE_SYNC_FORCED, SYSTEM)
    return journal


def test_old_days_go_behind_a_checkpoint_and_the_rest_still_verifies(tmp_path: Path) -> None:
    path = tmp_path / AUDIT_FILE
    with journal_of_days(path, days=4) as journal:
        seen_by_back_office = journal.head()
        cut = journal.purge_before(dt.date(2025, 3, 3))
        assert (cut.entries, cut.through_seq) == (6, 6)  # 1 and 2 March, whole days
        assert next(journal.entries()).seq == 7
        assert journal.checkpoint() == JournalHead(6, journal.entry(7).prev_hash)
        result = journal.verify(expect=seen_by_back_office)
        assert result.ok, result.reason
        assert "checkpoint after entry 6" in result.reason
        # An anchor the retention erased is no rollback; the chain goes on as before.
        assert journal.verify(expect=JournalHead(2, "ab" * 32)).ok
        journal.append(EntryKind.QUEUE_SYNC_FORCED, SYSTEM)
        assert journal.verify().ok


def test_the_last_entry_always_stays_and_nothing_new_is_erased(tmp_path: Path) -> None:
    with journal_of_days(tmp_path / AUDIT_FILE, days=1) as journal:
        assert journal.purge_before(dt.date(2030, 1, 1)).through_seq == 2
        assert [e.seq for e in journal.entries()] == [3]
        assert journal.purge_before(dt.date(2030, 1, 1)).entries == 0
        assert journal.verify().ok


def test_a_moved_or_unsigned_checkpoint_breaks_verify(tmp_path: Path) -> None:
    path = tmp_path / AUDIT_FILE
    with journal_of_days(path, days=3) as journal:
        journal.purge_before(dt.date(2025, 3, 2))
    with open_as_attacker(path) as conn:  # hide entries 4 and 5 behind a forged checkpoint
        conn.execute("DELETE FROM entries WHERE seq <= 5")
        row = conn.execute("SELECT hash FROM entries WHERE seq = 5").fetchone()
        conn.execute("UPDATE checkpoint SET seq = 5, hash = ?", (row or ("0" * 64,)))
    with Journal(path, hmac_key=KEY) as journal:
        result = journal.verify()
    assert not result.ok
    assert "checkpoint is not signed" in result.reason


def test_cut_first_entries_without_a_checkpoint_are_still_caught(tmp_path: Path) -> None:
    path = tmp_path / AUDIT_FILE
    journal_of_days(path, days=2).close()
    with open_as_attacker(path) as conn:
        conn.execute("DELETE FROM entries WHERE seq <= 3")
    with Journal(path, hmac_key=KEY) as journal:
        assert journal.verify().first_broken_seq == 1


class Links:
    def __init__(self) -> None:
        self.asked: list[float | None] = []

    def purge_delivered(self, older_than: float | None = None) -> int:
        self.asked.append(older_than)
        return 2


def test_the_purge_applies_every_period_and_is_journaled(tmp_path: Path) -> None:
    config = Config()
    config = config._replace(gdpr=config.gdpr._replace(statistics_days=30, journal_days=30))
    today = dt.date(2025, 4, 2)
    with (
        journal_of_days(tmp_path / AUDIT_FILE, days=3) as journal,
        StatisticsStore(tmp_path / STATISTICS_FILE, today=lambda: dt.date(2025, 3, 1)) as stats,
    ):
        stats.count(["visits"])
        links = Links()
        report = Retention(config, stats, links, journal, today=lambda: today).purge()
        assert (report.statistics_days, report.status_links) == (1, 2)
        assert (report.journal_entries, report.journal_through) == (6, 6)  # 1 and 2 March
        assert links.asked == [config.queue.status_link_days * 86_400]
        last = list(journal.entries())[-1]
        assert last.kind == "retention_purge"
        assert dict(last.details) == {"statistics_days": 1, "status_links": 2,
                                      "journal_entries": 6, "journal_through": 6}
        assert journal.verify().ok
