"""The terminal's statistics: counted per day on disk, sent until acknowledged, and what a
visit counts (never a person, never finer than the hour, nothing typed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.domain.figures import DailyFigures
from kiosk.mediator.visit import EndReason
from kiosk.statistics.keys import DayCounts, duration_bucket
from kiosk.statistics.recorder import Usage, VisitStatistics
from kiosk.statistics.store import STATISTICS_FILE, StatisticsStore
from kiosk.visit import Visit
from tests.kiosk.test_visit import RUE, Outbox, Recorded, answer_everything, catalog

DAY = dt.date(2026, 12, 2)


class Clock:
    def __init__(self) -> None:
        self.seconds = 1000.0
        self.day = DAY

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> dt.datetime:
        return dt.datetime(self.day.year, self.day.month, self.day.day, 14, 37, 12)


def visit_counting(tmp_path: Path) -> tuple[Visit, StatisticsStore, Clock]:
    clock = Clock()
    store = StatisticsStore(tmp_path / STATISTICS_FILE, today=lambda: clock.day)
    statistics = VisitStatistics(store, clock=clock.monotonic, now=clock.now)
    visit = Visit(outbox=Outbox(), journal=Recorded(), figures=DailyFigures(),
                  statistics=statistics)
    return visit, store, clock


def test_a_sent_demarche_counts_its_visit_hour_and_duration_bucket(tmp_path: Path) -> None:
    visit, store, clock = visit_counting(tmp_path)
    visit.note(Usage.LANGUAGE, "ar")
    answer_everything(visit.start_demarche(catalog(), RUE, language="ar"))
    clock.seconds += 7 * 60 + 3
    visit.submit()
    visit.end(EndReason.VISIT_OVER)
    assert store.day(DAY) == {
        "visits": 1,
        "visits.hour.14": 1,  # the hour, never the minute
        "language.ar": 1,
        f"demarche.{RUE}.started": 1,
        f"demarche.{RUE}.sent": 1,
        f"demarche.{RUE}.duration.5_to_10_min": 1,
    }


def test_an_abandoned_demarche_names_the_question_it_stopped_at(tmp_path: Path) -> None:
    visit, store, _clock = visit_counting(tmp_path)
    session = visit.start_demarche(catalog(), RUE, language="fr")
    first = session.current
    assert first is not None
    visit.abandon()
    visit.end(EndReason.VISIT_OVER)
    # A resident who walks away mid-démarche (idle) is counted where they stopped too.
    answer_everything(visit.start_demarche(catalog(), RUE, language="fr"))
    visit.end(EndReason.IDLE)
    counts = store.day(DAY)
    assert counts[f"demarche.{RUE}.abandoned"] == 2
    assert counts[f"demarche.{RUE}.abandoned_at.{first.id}"] == 1
    assert counts[f"demarche.{RUE}.abandoned_at.review"] == 1
    assert counts["visits"] == 2


def test_a_feature_counts_once_per_visit_and_a_status_lookup_each_time(tmp_path: Path) -> None:
    visit, store, _clock = visit_counting(tmp_path)
    for _ in range(3):
        visit.note(Usage.AUDIO)
        visit.note(Usage.KEYPAD)
        visit.status_looked_up()
    visit.end(EndReason.VISIT_OVER)
    visit.note(Usage.AUDIO)
    assert store.day(DAY) == {
        "visits": 2, "visits.hour.14": 2, "audio": 2, "keypad": 1, "status_lookup": 3,
    }


def test_the_buckets_never_give_the_exact_time() -> None:
    assert [duration_bucket(s) for s in (0, 119.9, 120, 299, 300, 1199, 1200, 86_400)] == [
        "under_2_min", "under_2_min", "2_to_5_min", "2_to_5_min", "5_to_10_min",
        "10_to_20_min", "over_20_min", "over_20_min"]


def test_days_are_pending_until_acknowledged_at_the_revision_sent(tmp_path: Path) -> None:
    day = DAY
    with StatisticsStore(tmp_path / STATISTICS_FILE, today=lambda: day) as store:
        store.count(["visits"])
        day = DAY + dt.timedelta(days=1)
        store.count(["visits", "audio"])
        sent = store.pending()
        assert [p.counts for p in sent] == [
            DayCounts("2026-12-02", {"visits": 1}),
            DayCounts("2026-12-03", {"visits": 1, "audio": 1}),
        ]
        store.count(["visits"])  # today goes on while the heartbeat travels
        store.acknowledge(sent, {"2026-12-02", "2026-12-03"})
        # The past day is done; today is sent again, whole, with its new count.
        assert [p.counts for p in store.pending()] == [
            DayCounts("2026-12-03", {"visits": 2, "audio": 1})]
        store.acknowledge(store.pending(), set())  # a back office that stored nothing
        assert len(store.pending()) == 1


def test_the_counts_survive_a_restart_and_the_purge_drops_old_days(tmp_path: Path) -> None:
    path = tmp_path / STATISTICS_FILE
    for offset in (0, 1, 2):
        with StatisticsStore(path, today=lambda o=offset: DAY + dt.timedelta(days=o)) as store:
            store.count(["visits"])
    with StatisticsStore(path) as store:
        assert store.day(DAY) == {"visits": 1}
        assert store.purge(DAY + dt.timedelta(days=2)) == 2
        assert [p.counts.day for p in store.pending()] == ["2026-12-04"]
        assert store.day(DAY) == {}
    assert path.stat().st_mode & 0o777 == 0o600
