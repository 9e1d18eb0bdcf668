"""Statistics: filters from the query string, counts per day, small counts suppressed."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from kiosk.receiver.console import stats

TODAY = dt.date(2026, 5, 31)
NOON = dt.datetime(2026, 5, 30, 12).timestamp()


@given(st.dictionaries(st.sampled_from(["start", "end", "demarche"]), st.text(max_size=30)))
def test_any_filters_give_a_query_or_errors_by_field(params):
    form = stats.read_filters(params, ["carte-grise"], TODAY)
    assert (form.query is None) == bool(form.errors)
    assert set(form.errors) <= {"start", "end", "demarche"}
    for name, typed in params.items():
        assert form.values[name] in (typed, typed.strip())  # what was typed is kept


def test_the_default_period_is_the_last_30_days():
    query = stats.read_filters({}, [], TODAY).query
    assert query == stats.StatsQuery(dt.date(2026, 5, 2), TODAY)


def test_a_period_backwards_or_too_long_is_refused_on_its_end():
    backwards = stats.read_filters({"start": "2026-05-31", "end": "2026-05-01"}, [], TODAY)
    too_long = stats.read_filters({"start": "2024-01-01", "end": "2026-05-01"}, [], TODAY)
    assert "après son début" in backwards.errors["end"]
    assert "au plus" in too_long.errors["end"]


def test_counts_below_the_threshold_are_suppressed_in_the_csv():
    arrivals = [(NOON, "carte-grise")] * 7 + [(NOON, "etat-civil")] * 2
    query = stats.StatsQuery(dt.date(2026, 5, 29), dt.date(2026, 5, 30))
    table = stats.tabulate(query, arrivals)
    assert table.per_day() == [0, 9]
    assert stats.to_csv(table).splitlines() == [
        "jour,demarche,demandes", "2026-05-30,carte-grise,7", "2026-05-30,etat-civil,< 5"]
    only = stats.tabulate(stats.StatsQuery(query.start, query.end, "etat-civil"), arrivals)
    assert only.demarches == ["etat-civil"]


def test_the_chart_is_well_formed_svg_with_a_title_and_one_bar_per_day():
    query = stats.StatsQuery(dt.date(2026, 5, 28), dt.date(2026, 5, 30))
    table = stats.tabulate(query, [(NOON, "a")] * 6 + [(NOON - 86400, "a")])
    svg = ElementTree.fromstring(stats.bar_chart(table, "Demandes & jours"))
    namespace = "{http://www.w3.org/2000/svg}"
    assert svg.find(f"{namespace}title").text == "Demandes & jours"
    titles = [rect.find(f"{namespace}title").text for rect in svg.iter(f"{namespace}rect")]
    assert titles == ["2026-05-28 : 0", "2026-05-29 : < 5", "2026-05-30 : 6"]


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_made_inert():
    text = stats.csv_text([["=HYPERLINK(\"x\")", "-", "+33 1", "@SUM(A1)", "< 5", "2026-05-30"]])
    assert text == "\"'=HYPERLINK(\"\"x\"\")\",-,'+33 1,'@SUM(A1),< 5,2026-05-30\r\n"
