"""Statistics of the console: submissions per démarche and day, drawn as SVG, as CSV.

Small counts are suppressed (shown as ``< 5``) in the pages and in the export alike, so
that no resident can be singled out by a count of one or two. Days are the receiver's
local days.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

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


def bounds(query: StatsQuery) -> tuple[float, float]:
    """The Unix times of the query's first local midnight and the one after its last day."""
    first = dt.datetime.combine(query.start, dt.time()).astimezone()
    after = dt.datetime.combine(query.end + dt.timedelta(days=1), dt.time()).astimezone()
    return first.timestamp(), after.timestamp()


@dataclass(frozen=True)
class Table:
    """Counts per (day, démarche) over the query's days."""

    days: list[dt.date]
    demarches: list[str]
    counts: Counter[tuple[dt.date, str]]

    def per_day(self) -> list[int]:
        """The total of each day (over the démarches shown)."""
        return [sum(self.counts[day, d] for d in self.demarches) for day in self.days]


def tabulate(query: StatsQuery, arrivals: list[tuple[float, str]]) -> Table:
    """Count the arrivals per local day and démarche, keeping the query's démarche only."""
    counts: Counter[tuple[dt.date, str]] = Counter()
    for at, demarche in arrivals:
        if query.demarche in (ALL, demarche):
            counts[dt.datetime.fromtimestamp(at).date(), demarche] += 1
    days = [query.start + dt.timedelta(days=n) for n in range((query.end - query.start).days + 1)]
    demarches = sorted({demarche for _, demarche in counts})
    return Table(days, demarches, counts)


def shown(count: int, minimum: int = MIN_COUNT) -> str:
    """A count as published: ``0``, ``< 5`` below the threshold, else the number."""
    if 0 < count < minimum:
        return f"< {minimum}"
    return str(count)


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


def to_csv(table: Table, minimum: int = MIN_COUNT) -> str:
    """``jour,demarche,demandes``, one line per day and démarche with arrivals; small
    counts suppressed."""
    rows = [["jour", "demarche", "demandes"]]
    rows += [
        [day.isoformat(), demarche, shown(table.counts[day, demarche], minimum)]
        for day in table.days for demarche in table.demarches if table.counts[day, demarche]
    ]
    return csv_text(rows)


WIDTH, HEIGHT, MARGIN = 640, 240, 40
BAR_COLOUR = "#1d4f91"  # 8.6:1 on white: a non-text contrast far above WCAG's 3:1


def bar_chart(table: Table, title: str, minimum: int = MIN_COUNT) -> str:
    """An SVG bar chart of the submissions per day; a day below the threshold is drawn
    as an empty bar with a hatched outline (its exact count is not told)."""
    totals = table.per_day()
    top = max([minimum, *totals])
    plot_w, plot_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    step = plot_w / max(1, len(totals))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' role="img" aria-labelledby="chart-title" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}"'
        f' y2="{HEIGHT - MARGIN}" stroke="#333" />',
        f'<text x="{MARGIN - 6}" y="{MARGIN + 4}" text-anchor="end" font-size="12">{top}</text>',
        f'<text x="{MARGIN - 6}" y="{HEIGHT - MARGIN}" text-anchor="end" font-size="12">0</text>',
    ]
    for index, (day, total) in enumerate(zip(table.days, totals, strict=True)):
        x = MARGIN + index * step + step * 0.1
        width = max(1.0, step * 0.8)
        small = 0 < total < minimum
        height = plot_h * (minimum if small else total) / top
        y = HEIGHT - MARGIN - height
        label = f"{day.isoformat()} : {shown(total, minimum)}"
        style = 'fill="none" stroke="#1d4f91" stroke-dasharray="3 2"' if small else (
            f'fill="{BAR_COLOUR}"'
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}"'
            f" {style}><title>{escape(label)}</title></rect>"
        )
    if table.days:
        for index in {0, len(table.days) - 1}:
            day = table.days[index]
            x = MARGIN + index * step + step / 2
            anchor = "start" if index == 0 else "end"
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - MARGIN + 18}" text-anchor="{anchor}"'
                f' font-size="12">{day.strftime("%d/%m/%Y")}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
