"""The steering view: the kiosks' counters added up, and small counts hidden so that no
number from 1 to 4 can be read or worked out by subtraction from a page or its CSV."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.receiver.console import charts, steering
from kiosk.receiver.console.suppression import MASKED, Relation, suppress
from kiosk.receiver.storage import StatisticsRow

START, END = dt.date(2026, 5, 28), dt.date(2026, 5, 30)
SVG = "{http://www.w3.org/2000/svg}"


def rows(counts: dict[tuple[str, str], int], terminals: int = 1) -> list[StatisticsRow]:
    """``(day, key) -> count`` as stored, split as evenly as can be over ``terminals``."""
    found = []
    for (day, key), count in counts.items():
        for n in range(terminals):
            share = count // terminals + (1 if n < count % terminals else 0)
            found.append(StatisticsRow(day, f"t{n}", key, share))
    return found


def build(counts: dict[tuple[str, str], int], demarche: str, demarches: list[str],
          terminals: int = 1) -> steering.Report:
    return steering.build(rows(counts, terminals), START, END, demarche=demarche,
                          demarches=demarches, minimum=5)


def published(report: steering.Report) -> dict[tuple[str, str, str], str]:
    return {(r[0], r[1], r[2]): r[3] for r in report.csv_rows()[1:]}


def test_counters_are_added_over_days_and_terminals_and_cut_per_demarche():
    counts = {
        ("2026-05-29", "visits"): 20, ("2026-05-30", "visits"): 30,
        ("2026-05-29", "demarche.cg.started"): 12, ("2026-05-30", "demarche.cg.started"): 18,
        ("2026-05-30", "demarche.cg.sent"): 20, ("2026-05-30", "demarche.cg.assisted"): 9,
        ("2026-05-30", "demarche.cg.duration.2_to_5_min"): 20,
        ("2026-05-30", "demarche.cg.abandoned"): 0,
        ("2026-05-30", "language.ar"): 7, ("2026-05-30", "status_lookup"): 11,
        ("2026-05-30", "demarche.ec.started"): 6,
    }
    report = build(counts, "", ["cg", "ec"], terminals=3)
    cells = published(report)
    assert cells["visites", "", "total"] == "50"
    assert [line.shown.text for line in report.per_day.lines] == ["0", "20", "30"]
    assert [line.shown.text for line in report.demarches[0].funnel.lines] == [
        "30", "20", "0", "9"]
    assert cells["duree", "cg", "2_to_5_min"] == "20"
    assert cells["langue", "", "ar"] == "7"
    assert cells["suivi_demande", "", "recherches"] == "11"
    one = build(counts, "ec", ["cg", "ec"])
    assert not one.overall
    assert {cell[1] for cell in published(one)} == {"ec"}  # no visit or aid without a démarche


def test_where_residents_give_up_is_listed_most_first_and_small_ones_after():
    counts = {("2026-05-30", "demarche.cg.abandoned"): 17,
              ("2026-05-30", "demarche.cg.abandoned_at.adresse"): 5,
              ("2026-05-30", "demarche.cg.abandoned_at.review"): 9,
              ("2026-05-30", "demarche.cg.abandoned_at.nom"): 3}
    report = build(counts, "cg", ["cg"])
    steps = [(line.label, line.shown.text) for line in report.demarches[0].steps.lines]
    # 17 = 9 + 5 + (3): the 3 could be worked out, so one more step is masked: not the 5
    # (17 - 9 = "masqué" + "< 5" would tell the "< 5" is at most 3) but the 9; the total,
    # a main number, stays
    assert steps == [("Question « adresse »", "5"), ("Question « nom »", "< 5"),
                     ("Relecture avant l’envoi", MASKED)]
    assert report.demarches[0].funnel.lines[2].shown.text == "17"


def test_the_smallest_cell_is_masked_unless_ranked_to_stay():
    values = {"visits": 40, "audio": 38}
    relation = [Relation("visits", ("audio",), exact=False)]
    plain = suppress(values, relation, 5)
    assert (plain["visits"].text, plain["audio"].text) == ("40", MASKED)
    kept = suppress(values, relation, 5, rank=lambda cell: int(cell == "audio"))
    assert (kept["visits"].text, kept["audio"].text) == (MASKED, "38")


def test_a_total_known_from_elsewhere_is_not_masked_in_vain():
    values = {"all": 17, "a": 9, "b": 5, "c": 3, "up": 17}
    relations = [Relation("all", ("a", "b", "c"), exact=True),
                 Relation("up", ("all",), exact=True)]  # "all" is "up": masking it hides nothing
    shown = suppress(values, relations, 5, rank=lambda cell: -1 if cell == "all" else 0)
    assert [shown[cell].text for cell in ("all", "a", "b", "c")] == ["17", MASKED, "5", "< 5"]


def test_the_charts_are_well_formed_svg_with_a_title_and_a_bar_per_shown_line():
    counts = {("2026-05-30", "visits"): 6, ("2026-05-29", "visits"): 2,
              ("2026-05-30", "audio"): 6}
    report = build(counts, "", [])
    svg = ElementTree.fromstring(charts.columns(report.per_day, 5))
    assert svg.find(f"{SVG}title").text == "Visites par jour"
    titles = [rect.find(f"{SVG}title").text for rect in svg.iter(f"{SVG}rect")]
    assert titles == ["28/05 : 0", "29/05 : < 5", "30/05 : 6"]
    aids = ElementTree.fromstring(charts.hbars(report.aids[0], 5))
    assert aids.get("aria-labelledby") == aids.find(f"{SVG}title").get("id")


# ---------------------------------------------------------------- the property

DAYS = ["2026-05-28", "2026-05-29", "2026-05-30"]
AIDS = ["audio", "headphones", "keypad", "touch_confirm", "gdpr_notice"]
CHOICES = {"taille_texte": "text_size", "theme": "theme", "langue": "language"}
COUNT = st.one_of(st.integers(0, 12), st.integers(0, 60))


@st.composite
def kiosk_counts(draw: st.DrawFn) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for day in DAYS:
        counts[day, "visits"] = draw(COUNT)
    for key in [*AIDS, "text_size.large", "theme.dark", "language.ar", "status_lookup"]:
        counts[draw(st.sampled_from(DAYS)), key] = draw(COUNT)
    for demarche in ("cg", "ec"):
        for counter in ("started", "sent", "assisted", "duration.under_2_min",
                        "duration.over_20_min"):
            counts[draw(st.sampled_from(DAYS)), f"demarche.{demarche}.{counter}"] = draw(COUNT)
        steps = draw(st.lists(st.tuples(st.sampled_from(["nom", "adresse", "review"]),
                                        COUNT), max_size=3, unique_by=lambda s: s[0]))
        for step, count in steps:
            counts[DAYS[2], f"demarche.{demarche}.abandoned_at.{step}"] = count
        counts[DAYS[2], f"demarche.{demarche}.abandoned"] = sum(c for _, c in steps)
    return counts


def page_relations(cells: dict[tuple[str, str, str], str]) -> list[tuple[tuple, list, bool]]:
    """What a reader knows ties the numbers of the page (docs/statistics.md), written
    here apart from the code under test: (total, parts, parts add up to the total)."""
    visits = ("visites", "", "total")
    found: list[tuple[tuple, list, bool]] = []
    if visits in cells:
        found.append((visits, [c for c in cells if c[0] == "visites_par_jour"], True))
        found += [(visits, [c], False) for c in cells if c[0] in ("aide", *CHOICES)]
        found.append((("aide", "", "audio"), [("aide", "", "headphones")], False))
    for d in {c[1] for c in cells if c[0] == "demarche"}:
        funnel = {item: ("demarche", d, item) for item in
                  ("commencees", "envoyees", "abandonnees", "avec_mediateur")}
        found += [
            (funnel["commencees"], [funnel["envoyees"], funnel["abandonnees"]], False),
            (funnel["envoyees"], [funnel["avec_mediateur"]], False),
            (funnel["envoyees"], [c for c in cells if c[:2] == ("duree", d)], False),
            (funnel["abandonnees"], [c for c in cells if c[:2] == ("abandon_etape", d)], True),
        ]
    return found


@settings(max_examples=300, deadline=None)
@given(kiosk_counts(), st.sampled_from(["", "cg"]), st.integers(1, 2))
def test_no_number_from_1_to_4_can_be_read_or_worked_out(counts, demarche, terminals):
    report = build(counts, demarche, ["cg", "ec"], terminals=terminals)
    cells = published(report)
    known = {cell: int(text) for cell, text in cells.items() if text.isdigit()}
    assert all(not 1 <= n <= 4 for n in known.values())
    assert all(text.isdigit() or text in ("< 5", MASKED) for text in cells.values())
    relations = page_relations(cells)
    changed = True
    while changed:  # add up or subtract along the exact relations, as a reader would
        changed = False
        for total, parts, exact in relations:
            missing = [p for p in parts if p not in known]
            if exact and total in known and len(missing) == 1:
                known[missing[0]] = known[total] - sum(known[p] for p in parts if p in known)
                changed = True
            elif exact and total not in known and not missing:
                known[total] = sum(known[p] for p in parts)
                changed = True
    assert all(not 1 <= n <= 4 for n in known.values()), "a small count worked out"
    for total, parts, exact in relations:
        if total in known and (not exact or any(p not in known for p in parts)):
            rest = known[total] - sum(known[p] for p in parts if p in known)
            assert not 1 <= rest <= 4, ("a small difference", total, parts)
