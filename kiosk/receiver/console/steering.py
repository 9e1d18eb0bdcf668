"""The commune's steering view: the kiosks' anonymous counters (docs/statistics.md) added
up over a period and all terminals, cut into what the statistics page shows, with small
counts hidden over the whole page at once (``suppression``).

Every number shown is a *cell* ``(section, démarche, item)``; the sections are also the
``rubrique`` column of the CSV export, so the page and the export hide the same cells.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.receiver.console.suppression import Relation, Shown, suppress
from kiosk.receiver.storage import StatisticsRow
from kiosk.statistics.keys import DURATION_BUCKETS, LONGEST_BUCKET

Cell = tuple[str, str, str]  # (section, démarche or "", item)

FUNNEL = {
    "commencees": ("started", "Commencées"),
    "envoyees": ("sent", "Envoyées"),
    "abandonnees": ("abandoned", "Abandonnées"),
    "avec_mediateur": ("assisted", "Envoyées avec un médiateur"),
}
_BOUNDS = [0] + [minutes for minutes, _ in DURATION_BUCKETS]
DURATIONS = {  # the kiosk's buckets (keys.DURATION_BUCKETS), in their order
    **{name: (f"De {low} à {minutes} minutes" if low else f"Moins de {minutes} minutes")
       for low, (minutes, name) in zip(_BOUNDS, DURATION_BUCKETS, strict=False)},
    LONGEST_BUCKET: f"Plus de {_BOUNDS[-1]} minutes",
}
AIDS = {
    "audio": "Écoute à voix haute (audio)",
    "headphones": "Casque branché",
    "keypad": "Clavier à touches en relief",
    "touch_confirm": "« Toucher pour entendre »",
    "gdpr_notice": "Page « Vos données » ouverte",
}
CHOICES = {  # section of the page -> (counter prefix, labels of the known values)
    "taille_texte": ("text_size", {"normal": "Normale", "large": "Grande",
                                   "largest": "Très grande"}),
    "theme": ("theme", {"default": "Standard", "high_contrast": "Contraste élevé",
                        "dark": "Sombre"}),
    "langue": ("language", {"fr": "Français", "en": "Anglais", "ar": "Arabe"}),
}
REVIEW_STEP = "review"


@dataclass(frozen=True)
class Line:
    """One row of a table (and one bar of its chart)."""

    label: str
    shown: Shown


@dataclass(frozen=True)
class Block:
    """A table and its chart: ``ident`` names them in the page, ``title`` says what."""

    ident: str
    title: str
    column: str  # what the lines are: the table's first heading
    lines: list[Line]


@dataclass(frozen=True)
class DemarcheReport:
    """One démarche: its path from start to sending, where it is given up, how long."""

    demarche: str
    funnel: Block
    steps: Block
    durations: Block


@dataclass(frozen=True)
class Report:
    """The whole page; ``overall`` False when one démarche is chosen (visits and aids are
    not counted per démarche)."""

    overall: bool
    visits: Shown
    per_day: Block
    aids: list[Block]
    status_lookups: Shown
    demarches: list[DemarcheReport]
    shown: dict[Cell, Shown]

    def csv_rows(self) -> list[list[str]]:
        """``rubrique,demarche,element,nombre``, one line per cell, as the page shows it."""
        rows = [["rubrique", "demarche", "element", "nombre"]]
        rows += [[*cell, self.shown[cell].text] for cell in sorted(self.shown)]
        return rows


class _Counts:
    """The counters added up: over the period and terminals, and per day for visits."""

    def __init__(self, rows: Iterable[StatisticsRow]) -> None:
        self.total: Counter[str] = Counter()
        self.visits_per_day: Counter[str] = Counter()
        for row in rows:
            self.total[row.key] += row.count
            if row.key == "visits":
                self.visits_per_day[row.day] += row.count

    def under(self, prefix: str) -> dict[str, int]:
        """The items counted as ``prefix.<item>`` (one segment), by item."""
        start = prefix + "."
        return {key[len(start):]: count for key, count in self.total.items()
                if key.startswith(start) and "." not in key[len(start):]}


def build(
    rows: Iterable[StatisticsRow], start: dt.date, end: dt.date, *, demarche: str,
    demarches: list[str], minimum: int,
) -> Report:
    """The report of ``rows`` (one period's counters) for one démarche or all (``""``)."""
    counts = _Counts(rows)
    values: dict[Cell, int] = {}
    relations: list[Relation[Cell]] = []
    chosen = [d for d in demarches if demarche in ("", d)]
    for name in chosen:
        _demarche_cells(counts, name, values, relations)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    if not demarche:
        _overall_cells(counts, days, values, relations)
    shown = suppress(values, relations, minimum, rank=_rank)
    return Report(
        overall=not demarche,
        visits=shown.get(("visites", "", "total"), Shown(None, "")),
        per_day=Block("jours", "Visites par jour", "Jour", [
            Line(day.strftime("%d/%m"), shown[cell])
            for day in days if (cell := ("visites_par_jour", "", day.isoformat())) in shown
        ]),
        aids=_aid_blocks(shown),
        status_lookups=shown.get(("suivi_demande", "", "recherches"), Shown(None, "")),
        demarches=[_demarche_report(name, shown) for name in chosen],
        shown=shown,
    )


def _rank(cell: Cell) -> int:
    """Masked last: visits, sent and abandoned démarches; then the démarches begun; any
    detail (a day, a step, a duration, an aid, a choice) before them."""
    section, _, item = cell
    if (section, item) in {("visites", "total"), ("demarche", "envoyees"),
                           ("demarche", "abandonnees")}:
        return 2
    return 1 if (section, item) == ("demarche", "commencees") else 0


def _demarche_cells(
    counts: _Counts, name: str, values: dict[Cell, int], relations: list[Relation[Cell]]
) -> None:
    base = f"demarche.{name}"
    for item, (counter, _) in FUNNEL.items():
        values["demarche", name, item] = counts.total[f"{base}.{counter}"]
    for item, count in counts.under(f"{base}.abandoned_at").items():
        values["abandon_etape", name, item] = count
    for item in DURATIONS:
        values["duree", name, item] = counts.total[f"{base}.duration.{item}"]

    def cell(section: str, item: str) -> Cell:
        return (section, name, item)

    steps = tuple(c for c in values if c[:2] == ("abandon_etape", name))
    relations += [
        # started ⊇ sent + abandoned (the rest went back from the first question)
        Relation(cell("demarche", "commencees"),
                 (cell("demarche", "envoyees"), cell("demarche", "abandonnees")), exact=False),
        Relation(cell("demarche", "envoyees"), (cell("demarche", "avec_mediateur"),),
                 exact=False),
        Relation(cell("demarche", "envoyees"),
                 tuple(cell("duree", item) for item in DURATIONS), exact=False),
        Relation(cell("demarche", "abandonnees"), steps, exact=True),
    ]


def _overall_cells(
    counts: _Counts, days: list[dt.date], values: dict[Cell, int],
    relations: list[Relation[Cell]],
) -> None:
    visits: Cell = ("visites", "", "total")
    values[visits] = counts.total["visits"]
    per_day = tuple(("visites_par_jour", "", day.isoformat()) for day in days)
    for cell in per_day:
        values[cell] = counts.visits_per_day[cell[2]]
    relations.append(Relation(visits, per_day, exact=True))
    for item in AIDS:
        values["aide", "", item] = counts.total[item]
        relations.append(Relation(visits, (("aide", "", item),), exact=False))
    relations.append(Relation(("aide", "", "audio"), (("aide", "", "headphones"),), exact=False))
    for section, (prefix, labels) in CHOICES.items():
        found = counts.under(prefix)
        for item in [*labels, *sorted(set(found) - set(labels))]:
            values[section, "", item] = found.get(item, 0)
            relations.append(Relation(visits, ((section, "", item),), exact=False))
    values["suivi_demande", "", "recherches"] = counts.total["status_lookup"]


def _aid_blocks(shown: dict[Cell, Shown]) -> list[Block]:
    if ("visites", "", "total") not in shown:
        return []
    blocks = [Block("aides", "Aides utilisées (visites)", "Aide", [
        Line(label, shown["aide", "", item]) for item, label in AIDS.items()])]
    titles = {"taille_texte": "Taille du texte choisie (visites)",
              "theme": "Couleurs choisies (visites)", "langue": "Langue choisie (visites)"}
    for section, (_, labels) in CHOICES.items():
        items = [item for s, _, item in shown if s == section]  # in the order made
        blocks.append(Block(section, titles[section], "Choix", [
            Line(labels.get(item, item), shown[section, "", item]) for item in items]))
    return blocks


def _demarche_report(name: str, shown: dict[Cell, Shown]) -> DemarcheReport:
    steps = [(item, found) for (section, d, item), found in shown.items()
             if section == "abandon_etape" and d == name]
    # Most given-up steps first; hidden counts after, by name (their order would tell).
    steps.sort(key=lambda step: (step[1].count is None, -(step[1].count or 0), step[0]))
    return DemarcheReport(
        name,
        Block(f"parcours-{name}", f"{name} : du début à l’envoi", "Démarches", [
            Line(label, shown["demarche", name, item]) for item, (_, label) in FUNNEL.items()]),
        Block(f"abandons-{name}", f"{name} : étape où la démarche est abandonnée", "Étape", [
            Line("Relecture avant l’envoi" if item == REVIEW_STEP else f"Question « {item} »",
                 found) for item, found in steps]),
        Block(f"durees-{name}", f"{name} : temps mis pour envoyer", "Durée", [
            Line(label, shown["duree", name, item]) for item, label in DURATIONS.items()]),
    )
