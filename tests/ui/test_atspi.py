"""The kiosk as Orca gets it: over the real AT-SPI bus, read with pyatspi.

The kiosk runs on Qt's xcb platform under Xvfb, with its accessibility bridge always on,
in a private D-Bus session (``tests.ui.atspi_session``); the system Python reads it with
pyatspi, as Orca does. One session reads every screen below; the tests look at what it
read: a frame, headings, radio buttons in named groups, an alert that is announced, a
named QR code, tiles without inner parts, labels tied to what they name, the language.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.atspi_session import ROOT, SYSTEM_PYTHON

Node = dict[str, Any]
TOOLS = ("Xvfb", "dbus-run-session", "/usr/libexec/at-spi-bus-launcher")
SESSION_TIMEOUT_S = 200  # about 40 s on the development machine; more under load

pytestmark = [pytest.mark.xserver, pytest.mark.slow, pytest.mark.timeout(SESSION_TIMEOUT_S + 30)]


def missing_tools() -> list[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    has_pyatspi = Path(SYSTEM_PYTHON).exists() and subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False
    ).returncode == 0
    return missing if has_pyatspi else [*missing, "python3-pyatspi"]


@pytest.fixture(scope="module")
def read(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    missing = missing_tools()
    if missing:
        pytest.skip(f"AT-SPI test needs {missing} (scripts/bootstrap.sh installs them)")
    folder = tmp_path_factory.mktemp("atspi")
    out = folder / "read.json"
    done = subprocess.run(
        ["dbus-run-session", "--", sys.executable, "-m", "tests.ui.atspi_session",
         str(folder / "data"), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SESSION_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert out.exists(), done.stderr[-3000:]
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def nodes(tree: Node, ancestors: tuple[Node, ...] = ()) -> Iterator[tuple[Node, tuple[Node, ...]]]:
    """Every node with the nodes above it, nearest last."""
    yield tree, ancestors
    for child in tree["children"]:
        yield from nodes(child, (*ancestors, tree))


def with_role(tree: Node, role: str) -> list[Node]:
    return [node for node, _ in nodes(tree) if node["role"] == role]


def one(tree: Node, role: str, name: str) -> tuple[Node, tuple[Node, ...]]:
    found = [(n, a) for n, a in nodes(tree) if n["role"] == role and n["name"] == name]
    assert len(found) == 1, f"{len(found)} {role} named {name!r}: {names(tree, role)}"
    return found[0]


def names(tree: Node, role: str) -> list[str]:
    return [node["name"] for node in with_role(tree, role)]


def group_name(ancestors: tuple[Node, ...]) -> str:
    """The name Orca gives a radio button's group: its nearest named panel."""
    panels = [a for a in ancestors if a["role"] in ("panel", "filler") and a["name"]]
    return panels[-1]["name"] if panels else ""


def test_the_window_is_a_frame_named_by_the_kiosk(read):
    for step in ("welcome", "refused", "receipt"):
        assert [c["role"] for c in read[step]["children"]] == ["frame"], step
        assert read[step]["children"][0]["name"] == "Borne citoyenne"


def test_titles_are_headings(read):
    assert "Bonjour !" in names(read["welcome"], "heading")
    assert "Quel est le problème ?" in names(read["refused"], "heading")
    assert "Votre demande est enregistrée." in names(read["receipt"], "heading")


def test_a_single_choice_is_radio_buttons_in_a_group_named_by_the_question(read):
    option, ancestors = one(read["refused"], "radio button", "Lampe de rue en panne")
    assert "checkable" in option["states"]
    assert group_name(ancestors) == "Quel est le problème ?"
    assert ancestors[-1]["role"] == "panel"
    assert [c["role"] for c in ancestors[-1]["children"]] == ["radio button"] * 5


def test_the_language_choices_are_radio_buttons_labelled_by_their_caption(read):
    french, ancestors = one(read["welcome"], "radio button", "Français")
    assert {"checkable", "checked"} <= set(french["states"])
    group = ancestors[-1]
    assert group["role"] == "panel"
    assert group["name"] == "Choisir la langue :"
    assert group["relations"].get("labelled by") == ["Choisir la langue :"]


def test_a_panel_over_the_screen_is_a_dialog_named_by_its_title(read):
    dialog, _ = one(read["settings"], "dialog", "Affichage")
    _sizes, ancestors = one(dialog, "radio button", "Très grand")
    assert group_name(ancestors) == "Taille du texte :"
    assert "Affichage" in names(dialog, "heading")


def test_a_refused_answer_is_an_alert_and_is_announced(read):
    [alert] = with_role(read["refused"], "alert")
    assert alert["name"].startswith("Attention : ")
    heard = read["refused-events"]
    announced = [e["text"] for e in heard if e["type"] == "object:announcement"]
    shown = [e["name"] for e in heard if e["role"] == "alert"]
    assert alert["name"] in announced, heard
    assert alert["name"] in shown  # Orca speaks an alert as it shows


def test_the_qr_code_is_a_named_image_and_no_image_is_nameless(read):
    qr, _ = one(read["receipt"], "image", "Code QR du suivi")
    assert qr["description"].startswith("Numéro de demande ")
    for step in ("welcome", "refused", "receipt", "settings", "place"):
        assert "" not in names(read[step], "image"), step


def test_buttons_have_no_inner_parts_that_repeat_them(read):
    for step in ("welcome", "refused", "receipt", "settings", "place"):
        for role in ("push button", "radio button", "check box"):
            for button in with_role(read[step], role):
                assert button["children"] == [], (step, button["name"], button["children"])


def test_every_screen_and_panel_has_a_name(read):
    for step in ("welcome", "refused", "receipt", "settings", "place"):
        for node, ancestors in nodes(read[step]):
            if node["role"] in ("panel", "dialog", "frame", "image"):
                assert node["name"], (step, node["role"], [a["role"] for a in ancestors])
            if ancestors and ancestors[-1]["role"] == "layered pane":  # the screen shown
                assert node["name"], (step, node["role"])


def test_a_typed_address_box_is_labelled_by_its_caption(read):
    box, _ = one(read["place"], "text", "Adresse écrite")
    assert box["relations"].get("labelled by") == ["Ou écrivez l'adresse :"]


def test_the_language_is_exposed_on_every_element(read):
    for step, language in (("welcome", "fr"), ("receipt", "fr"), ("arabic", "ar")):
        locales = {node["locale"].split("_")[0] for node, _ in nodes(read[step])}
        assert locales == {language}, step
