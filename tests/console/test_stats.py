"""Statistics: filters from the query string, and the CSV text (the counters themselves:
test_steering.py)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kiosk.receiver.console import stats

TODAY = dt.date(2026, 5, 31)


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


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_made_inert():
    text = stats.csv_text([["=HYPERLINK(\"x\")", "-", "+33 1", "@SUM(A1)", "< 5", "2026-05-30"]])
    assert text == "\"'=HYPERLINK(\"\"x\"\")\",-,'+33 1,'@SUM(A1),< 5,2026-05-30\r\n"
