"""The console in a real browser: Debian's chromium through chromium-driver (selenium).

Log in, see a terminal appear after a heartbeat, change a request's status, download
the statistics, and run axe-core (vendored in tests/console/vendor, MPL-2.0) on every
page, at a desk's width and a phone's: any violation fails. One driver for the module.

With ``CONSOLE_SCREENSHOTS=DIR`` the pages of ``DOC_PAGES`` are also saved as
DIR/console-NAME.png (``make docs-images`` does so for docs/images).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.console.console_process import PASSWORD, Console

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
DESK, PHONE = (1280, 900), (390, 844)
DOC_PAGES = {"login", "terminals", "requests", "request-error", "statistics",
             "statistics-demarche", "journal", "mediators", "mediator-disable"}
REFERENCES = ("ADM-7K3-Q9P", "ADM-4XC-77M", "ETC-9PP-2KD")
COUNTS = {  # one day of a terminal's counters (docs/statistics.md)
    "visits": 64, "visits.hour.09": 30, "visits.hour.14": 34, "audio": 12, "headphones": 7,
    "keypad": 5, "touch_confirm": 3, "text_size.large": 18, "text_size.largest": 9,
    "theme.high_contrast": 6, "theme.dark": 2, "language.en": 5, "language.ar": 8,
    "gdpr_notice": 4, "status_lookup": 11,
    "demarche.signalement-rue.started": 50, "demarche.signalement-rue.sent": 22,
    "demarche.signalement-rue.assisted": 8, "demarche.signalement-rue.abandoned": 23,
    "demarche.signalement-rue.abandoned_at.photo": 14,
    "demarche.signalement-rue.abandoned_at.adresse": 7,
    "demarche.signalement-rue.abandoned_at.nom": 2,
    "demarche.signalement-rue.duration.2_to_5_min": 6,
    "demarche.signalement-rue.duration.5_to_10_min": 11,
    "demarche.signalement-rue.duration.10_to_20_min": 5,
    "demarche.carte-grise.started": 9, "demarche.carte-grise.sent": 7,
    "demarche.carte-grise.abandoned": 2, "demarche.carte-grise.abandoned_at.review": 2,
    "demarche.carte-grise.duration.over_20_min": 7, "demarche.carte-grise.assisted": 7,
}

if CHROMIUM is None or CHROMEDRIVER is None:
    MISSING = "chromium and chromium-driver are not installed (scripts/bootstrap.sh)"
    if os.environ.get("CI"):  # CI runs bootstrap.sh: a missing browser is a broken set-up
        pytest.fail(MISSING, pytrace=False)
    pytest.skip(MISSING, allow_module_level=True)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def driver(downloads: Path) -> Iterator[webdriver.Chrome]:
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--lang=fr-FR", f"--window-size={DESK[0]},{DESK[1]}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "intl.accept_languages": "fr-FR"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


def axe_violations(driver: webdriver.Chrome) -> list[dict[str, object]]:
    """Every axe-core violation on the page shown (all of axe's default rules)."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations), e => done([{id: String(e)}]));")
    return [{"id": v["id"], "nodes": [n.get("target") for n in v.get("nodes", [])]}
            for v in result]


def check_page(driver: webdriver.Chrome, name: str) -> None:
    """axe-core finds nothing at a desk's width and a phone's; the page fits a phone."""
    for width, height in (PHONE, DESK):
        driver.set_window_size(width, height)
        violations = axe_violations(driver)
        assert violations == [], json.dumps(violations, indent=1)
        if (width, height) == PHONE:
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name}: {overflow}px wider than a phone"
    folder = os.environ.get("CONSOLE_SCREENSHOTS")
    if folder and name in DOC_PAGES:  # the whole page, as tall as it is (up to 2400 px)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": DESK[0], "height": min(height, 2400), "scale": 1},
        })
        (Path(folder) / f"console-{name}.png").write_bytes(base64.b64decode(shot["data"]))


def log_in(driver: webdriver.Chrome, console: Console, name: str) -> None:
    driver.get(console.url + "/")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    # The click does not wait for the answer (Argon2id: slow on a loaded machine).
    WebDriverWait(driver, 30).until(lambda d: not d.title.startswith("Connexion"))


def test_the_login_page_is_accessible_and_a_wrong_password_is_said(driver, console):
    driver.get(console.url + "/")
    assert driver.title.startswith("Connexion")
    check_page(driver, "login")
    driver.find_element(By.ID, "name").send_keys("admin")
    driver.find_element(By.ID, "password").send_keys("pas le bon mot de passe")
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    # The click does not wait for the answer (Argon2id: slow on a loaded machine).
    error = WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "login-error"))[0]
    assert "incorrect" in error.text
    assert driver.find_element(By.ID, "name").get_attribute("value") == "admin"
    check_page(driver, "login-error")


def test_a_terminal_appears_after_its_heartbeat(driver, console):
    log_in(driver, console, "admin")
    assert driver.title.startswith("Terminaux")
    assert console.receiver.terminal_id not in driver.page_source
    check_page(driver, "terminals-empty")
    console.heartbeat({"version": "0.1.0", "queue": {"pending": 1, "delivered": 42},
                       "sent_at": int(time.time()),
                       "catalog_version": "3f1c9a0be2d84c7f95a61e0d4b27c8e1",
                       "journal_head": {"seq": 118, "hash": "9f" * 32}})
    driver.refresh()
    card = driver.find_element(By.XPATH, f"//h2[text()='{console.receiver.terminal_id}']/..")
    assert "Aucune alerte" in card.text
    assert "3f1c9a0be2d84c7f95a61e0d4b27c8e1" in card.text
    check_page(driver, "terminals")


def test_a_status_changed_in_the_browser_reaches_the_kiosk(driver, console):
    for number, reference in enumerate(REFERENCES):
        console.submit(reference, ("carte-grise", "signalement-rue", "etat-civil")[number])
    driver.get(console.url + "/demandes")
    check_page(driver, "requests")
    driver.find_element(By.LINK_TEXT, REFERENCES[0]).click()
    check_page(driver, "request")
    Select(driver.find_element(By.ID, "status")).select_by_visible_text(
        "En cours de traitement")
    service = driver.find_element(By.ID, "service")
    service.clear()
    service.send_keys("x" * 100)
    driver.find_element(By.XPATH, "//button[text()='Enregistrer le statut']").click()
    assert "au plus" in driver.find_element(By.ID, "service-error").text
    assert driver.find_element(By.ID, "service").get_attribute("value") == "x" * 100
    check_page(driver, "request-error")
    assert console.status_seen_by_kiosk(REFERENCES[0]) == "received"
    service = driver.find_element(By.ID, "service")
    service.clear()
    service.send_keys("Voirie")
    driver.find_element(By.XPATH, "//button[text()='Enregistrer le statut']").click()
    assert "Statut enregistré" in driver.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert console.status_seen_by_kiosk(REFERENCES[0]) == "in_progress"


def test_the_statistics_are_drawn_and_downloaded_with_small_counts_hidden(
    driver, console, downloads
):
    console.heartbeat({"version": "0.1.0", "queue": {}, "statistics": [
        {"day": dt.date.today().isoformat(), "counts": COUNTS}]})
    driver.get(console.url + "/statistiques")
    charts = driver.find_elements(By.CSS_SELECTOR, "svg[role=img]")
    titles = [chart.find_element(By.TAG_NAME, "title").get_attribute("textContent")
              for chart in charts]
    assert "Visites par jour" in titles
    assert "signalement-rue : étape où la démarche est abandonnée" in titles
    steps = driver.find_element(By.CSS_SELECTOR, "[aria-label^='signalement-rue : étape']")
    assert "Question « photo »" in steps.text
    check_page(driver, "statistics")
    driver.find_element(By.PARTIAL_LINK_TEXT, "CSV").click()
    deadline = time.monotonic() + 30
    while not list(downloads.glob("statistiques-*.csv")) and time.monotonic() < deadline:
        time.sleep(0.1)
    (saved,) = downloads.glob("statistiques-*.csv")
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "rubrique,demarche,element,nombre"
    assert "abandon_etape,signalement-rue,photo,14" in lines
    assert "abandon_etape,signalement-rue,adresse,masqué" in lines  # 23 - 14 - 7 = 2
    assert not any(line.endswith((",1", ",2", ",3", ",4")) for line in lines), lines
    Select(driver.find_element(By.ID, "demarche")).select_by_visible_text("signalement-rue")
    driver.find_element(By.XPATH, "//button[text()='Afficher']").click()
    assert "Démarche signalement-rue" in driver.page_source
    check_page(driver, "statistics-demarche")


def test_a_bad_period_is_said_by_its_field(driver, console):
    driver.get(console.url + "/statistiques?start=2026-05-31&end=2026-05-01")
    assert "après son début" in driver.find_element(By.ID, "end-error").text
    check_page(driver, "statistics-error")


def test_the_journal_page_is_accessible(driver, console):
    driver.get(console.url + "/journal")
    assert "status_set" in driver.page_source
    check_page(driver, "journal")


def test_the_accounts_page_says_a_mistake_by_its_field(driver, console):
    driver.get(console.url + "/comptes")
    check_page(driver, "accounts")
    driver.find_element(By.ID, "name").send_keys("Marie Dupont")
    driver.find_element(By.ID, "password").send_keys("court")
    driver.find_element(By.XPATH, "//button[text()='Créer le compte']").click()
    assert "minuscules" in driver.find_element(By.ID, "name-error").text
    assert "au moins 12 caractères" in driver.find_element(By.ID, "password-error").text
    assert driver.find_element(By.ID, "name").get_attribute("value") == "Marie Dupont"
    check_page(driver, "accounts-error")


def shown(driver: webdriver.Chrome, by: str, value: str) -> WebElement:
    """The element once the page after a form's submission shows it (a loaded machine)."""
    found = WebDriverWait(driver, 20).until(lambda d: d.find_elements(by, value))
    return found[0]


def test_the_mediators_page_says_a_mistake_by_its_field_and_never_gives_back_the_pin(
    driver, console
):
    driver.get(console.url + "/mediateurs")
    check_page(driver, "mediators-empty")
    driver.find_element(By.ID, "name").send_keys("Camille Été")
    driver.find_element(By.ID, "pin").send_keys("735190")
    driver.find_element(By.ID, "pin2").send_keys("735191")
    create = "//button[text()='Créer le médiateur']"
    driver.find_element(By.XPATH, create).click()
    assert "différents" in shown(driver, By.ID, "pin2-error").text
    assert driver.find_element(By.ID, "name").get_attribute("value") == "Camille Été"
    assert driver.find_element(By.ID, "pin").get_attribute("value") == ""
    check_page(driver, "mediators-error")
    driver.find_element(By.ID, "pin").send_keys("735190")
    driver.find_element(By.ID, "pin2").send_keys("735190")
    driver.find_element(By.XPATH, create).click()
    assert "Médiateur créé" in shown(driver, By.CSS_SELECTOR, "[role=status]").text
    assert driver.find_element(By.XPATH, "//th[text()='Camille Été']")
    assert not driver.find_elements(By.XPATH, "//button[text()='Lever le blocage']")
    camille = console.mediator_id("Camille Été")
    lock = {"id": camille, "since": int(time.time()) - 300, "seconds_left": 300}
    assert console.mediator_usage(json.dumps({"mediators": [], "locks": [lock]}).encode()).ok
    driver.refresh()
    assert f"Bloqué sur : {console.receiver.terminal_id}" in driver.page_source
    assert driver.find_element(By.XPATH, "//button[text()='Lever le blocage']")
    check_page(driver, "mediators")


def test_disabling_a_mediator_asks_first_and_no_goes_back(driver, console):
    driver.get(console.url + "/mediateurs")
    disable = "//a[@aria-label='Désactiver Camille Été']"
    driver.find_element(By.XPATH, disable).click()
    assert "sur aucune borne" in shown(driver, By.CSS_SELECTOR, ".card.alert").text
    check_page(driver, "mediator-disable")
    driver.find_element(By.LINK_TEXT, "Non, revenir").click()
    row = shown(driver, By.XPATH, "//th[text()='Camille Été']/..")
    assert "Actif" in row.text
    row.find_element(By.XPATH, disable).click()
    shown(driver, By.XPATH, "//button[text()='Oui, désactiver']").click()
    assert "Médiateur désactivé" in shown(driver, By.CSS_SELECTOR, "[role=status]").text
    row = driver.find_element(By.XPATH, "//th[text()='Camille Été']/..")
    assert "Désactivé" in row.text
    assert not row.find_elements(By.TAG_NAME, "a")


def test_a_role_without_access_gets_an_accessible_refusal(driver, console):
    driver.delete_all_cookies()
    log_in(driver, console, "dpo")
    assert driver.title.startswith("Statistiques")
    driver.get(console.url + "/demandes")
    assert "Accès refusé" in driver.title
    check_page(driver, "forbidden")


def test_the_axe_check_does_find_violations(driver):
    driver.get("data:text/html,<html><body><img src=x><input></body></html>")
    found = {violation["id"] for violation in axe_violations(driver)}
    assert {"html-has-lang", "image-alt", "label"} <= found
