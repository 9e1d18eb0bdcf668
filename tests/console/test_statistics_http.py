"""The statistics page over real HTTP: the kiosks' counters sent with a heartbeat become
the commune's steering view and its CSV, small counts hidden, for every role that may;
and the démarches of its filter, read on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from kiosk.receiver.console.store import ConsoleStore
from kiosk.statistics.keys import DayCounts
from tests.console.console_process import ROLES, Console

TODAY = dt.date.today().isoformat()
COUNTS = {
    "visits": 31, "visits.hour.10": 31, "audio": 9, "headphones": 2, "keypad": 6,
    "text_size.largest": 7, "language.ar": 5, "status_lookup": 3,
    "demarche.carte-grise.started": 30, "demarche.carte-grise.sent": 12,
    "demarche.carte-grise.assisted": 6, "demarche.carte-grise.duration.5_to_10_min": 12,
    "demarche.carte-grise.abandoned": 10, "demarche.carte-grise.abandoned_at.adresse": 8,
    "demarche.carte-grise.abandoned_at.review": 2,
    "demarche.etat-civil.started": 1,
}


@pytest.fixture(scope="module")
def sessions(console: Console) -> dict[str, requests.Session]:
    console.heartbeat({"version": "0.5.0", "queue": {},
                       "statistics": [{"day": TODAY, "counts": COUNTS}]})
    return {role: console.login(role) for role in ROLES}


def test_every_role_sees_where_residents_give_up(console, sessions):
    for role in ROLES:
        answer = sessions[role].get(console.url + "/statistiques", timeout=10)
        assert answer.status_code == 200, role
        page = answer.text
        for text in ("Démarche carte-grise", "Question « adresse »", "Casque branché",
                     "De 5 à 10 minutes", "Très grande", "Arabe", "masqué", "&lt; 5"):
            assert text in page, (role, text)
        assert page.count('role="img"') == page.count("<table>") - 1  # + the summary table
        assert "<script" not in page


def test_one_demarche_shows_its_counters_only(console, sessions):
    page = sessions["dpo"].get(console.url + "/statistiques", timeout=10,
                               params={"demarche": "etat-civil"}).text
    assert "Démarche etat-civil" in page
    assert "Démarche carte-grise" not in page
    assert "Casque branché" not in page
    assert "choisissez « Toutes les démarches »" in page


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"start": "31/05/2026"}, "start", "Date attendue"),
    ({"start": "2026-05-31", "end": "2026-05-01"}, "end", "La fin de la période"),
    ({"demarche": "<b>inconnue</b>"}, "demarche", "Choisissez une démarche"),
])
def test_a_bad_filter_is_said_beside_its_field_and_kept(console, sessions, params, field,
                                                        message):
    answer = sessions["agent"].get(console.url + "/statistiques", params=params, timeout=10)
    assert answer.status_code == 400
    assert f'id="{field}-error">{message}' in answer.text
    typed = params[field].replace("<", "&lt;").replace(">", "&gt;")
    if field != "demarche":
        assert f'value="{typed}"' in answer.text
    assert "<b>inconnue</b>" not in answer.text
    assert "Télécharger" not in answer.text  # no numbers for a refused filter


def test_the_csv_hides_small_counts_and_what_would_give_them_away(console, sessions):
    answer = sessions["dpo"].get(console.url + "/statistiques.csv", timeout=10)
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert "statistiques-" in answer.headers["content-disposition"]
    lines = answer.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "rubrique,demarche,element,nombre"
    for line in ("demarche,carte-grise,commencees,30", "aide,,headphones,< 5",
                 "abandon_etape,carte-grise,review,< 5", "suivi_demande,,recherches,< 5",
                 "demarche,etat-civil,commencees,< 5", "aide,,keypad,6"):
        assert line in lines, line
    # 10 abandoned = 8 at "adresse" + 2 at "review": one of 10 and 8 cannot be shown
    shown = {line.rsplit(",", 1)[0]: line.rsplit(",", 1)[1] for line in lines[1:]}
    assert "masqué" in (shown["demarche,carte-grise,abandonnees"],
                        shown["abandon_etape,carte-grise,adresse"])
    # 9 visits with audio, 2 of them with headphones: fine (7 without is not small)
    assert shown["aide,,audio"] == "9"
    journal = sessions["admin"].get(console.url + "/journal.csv", timeout=10).text
    assert "dpo,stats_exported,statistiques" in journal


def test_a_bad_filter_on_the_csv_gives_the_page_with_its_error(console, sessions):
    answer = sessions["dpo"].get(console.url + "/statistiques.csv", params={"end": "hier"},
                                 timeout=10)
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/html")
    assert 'id="end-error"' in answer.text


def test_the_demarches_of_the_filter_are_those_the_counters_name(database_location):
    store = ConsoleStore(database_location)
    try:
        store.store_statistics("t1", [DayCounts("2026-05-30", {
            "visits": 3, "demarche.b-2.started": 1, "demarche.a_1.abandoned_at.nom": 1,
            "demarches.x.y": 1, "demarche.solo": 1})])
        assert store.statistics_demarches() == ["a_1", "b-2"]
    finally:
        store.close()
