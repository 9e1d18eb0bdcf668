"""The statistics page's filters (period, démarche) and its CSV text.

Small counts are suppressed (shown as ``< 5``, and whatever would let them be worked out
masked: ``suppression``) in the page and in the export alike, so that no resident can be
singled out by a count of one or two. Days are the terminals' local days.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

MIN_COUNT = 5  # counts below this are shown as "< 5"
MAX_DAYS = 366
DEFAULT_DAYS = 30
ALL = ""


@dataclass(frozen=True)
class StatsQuery:
    """The filters of the statistics page, as checked values."""

    start: dt.date
    end: dt.date  # inclusive
    demarche: str = ALL


@dataclass
class StatsForm:
    """What was typed in the filters, the query it makes, and the errors by field."""

    values: dict[str, str]
    query: StatsQuery | None
    errors: dict[str, str] = field(default_factory=dict)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def read_filters(params: dict[str, str], demarches: list[str], today: dt.date) -> StatsForm:
    """Check the page's filters (``start``, ``end``: YYYY-MM-DD; ``demarche``)."""
    default_start = today - dt.timedelta(days=DEFAULT_DAYS - 1)
    values = {
        "start": params.get("start", default_start.isoformat()).strip(),
        "end": params.get("end", today.isoformat()).strip(),
        "demarche": params.get("demarche", ALL),
    }
    errors: dict[str, str] = {}
    start, end = _date(values["start"]), _date(values["end"])
    if start is None:
        errors["start"] = "Date attendue sous la forme 2026-05-31."
    if end is None:
        errors["end"] = "Date attendue sous la forme 2026-05-31."
    if start is not None and end is not None:
        if end < start:
            errors["end"] = "La fin de la période doit venir après son début."
        elif (end - start).days >= MAX_DAYS:
            errors["end"] = f"Une période dure au plus {MAX_DAYS} jours."
    if values["demarche"] not in (ALL, *demarches):
        errors["demarche"] = "Choisissez une démarche de la liste."
    if errors or start is None or end is None:
        return StatsForm(values, None, errors)
    return StatsForm(values, StatsQuery(start, end, values["demarche"]))


def csv_text(rows: list[list[str]]) -> str:
    """Rows as CSV text (RFC 4180 line ends); a cell that a spreadsheet would run as a
    formula (``=``, ``+``, ``-``, ``@`` first) is written with a leading apostrophe."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [[_inert(cell) for cell in row] for row in rows]
    )
    return out.getvalue()


def _inert(cell: str) -> str:
    if len(cell) > 1 and cell[0] in "=+-@\t\r":
        return "'" + cell
    return cell
