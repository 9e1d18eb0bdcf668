"""Today's anonymous figures for the mediator panel: counts only, nothing about anyone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.i18n import _


@dataclass
class DailyFigures:
    """Démarches started, sent, abandoned and assisted today (kept in memory, reset daily).

    Attributes:
        day: the day counted; started, finished, abandoned, assisted: the counts.
    """

    today: Callable[[], dt.date] = dt.date.today
    day: dt.date = field(default_factory=dt.date.today)
    started: int = 0
    finished: int = 0
    abandoned: int = 0
    assisted: int = 0

    def _roll(self) -> None:
        if self.today() != self.day:
            self.day = self.today()
            self.started = self.finished = self.abandoned = self.assisted = 0

    def demarche_started(self) -> None:
        self._roll()
        self.started += 1

    def demarche_finished(self, assisted: bool) -> None:
        self._roll()
        self.finished += 1
        self.assisted += int(assisted)

    def demarche_abandoned(self) -> None:
        self._roll()
        self.abandoned += 1

    def assisted_share(self) -> int:
        """Percentage of sent démarches that a mediator filled in."""
        return round(100 * self.assisted / self.finished) if self.finished else 0

    def lines(self) -> tuple[str, ...]:
        self._roll()
        return (
            _("Aujourd'hui : {started} démarches commencées, {finished} envoyées, "
              "{abandoned} abandonnées.").format(
                started=self.started, finished=self.finished, abandoned=self.abandoned
            ),
            _("Avec un médiateur : {share} % des démarches envoyées.").format(
                share=self.assisted_share()
            ),
        )
