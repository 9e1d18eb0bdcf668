"""Catalog load time: 200 generated démarches, loaded and validated, next to json.loads.

Run: .venv/bin/python bench/catalog.py [--demarches 200] [--repeat 30]
Goal (issue 3): loading + validating 200 démarches under 100 ms (p50).
The floor is json.loads of the same bytes, measured in the same run.

Then (issue 13): the same catalog grown to just under 8 MiB, checked on this (GUI) thread,
then on a thread as the back-office link does, with the longest pause this leaves the
main thread; and the slowest answer check of the audit's five answer patterns.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.catalog import CatalogStore, load_catalog_bytes, pictograms_dir
from kiosk.catalog.parser import MAX_BYTES, MAX_FIELDS
from kiosk.catalog.patterns import fullmatches
from kiosk.domain.answers import SHORT_TEXT_LIMIT

PICTOGRAMS = sorted(p.name for p in pictograms_dir().glob("*.svg")) or ["logement.svg"]
HELP = ("Écrivez votre réponse avec des mots simples. Exemple : le trottoir est cassé devant "
        "la boulangerie. Vous pouvez demander de l'aide à l'accueil de la mairie.")


def _texts(fr: str, en: str) -> dict[str, str]:
    return {"fr": fr, "en": en}


def _options(count: int, seed: int) -> list[dict[str, Any]]:
    return [
        {"id": f"choix-{i}", "label": _texts(f"Réponse numéro {i}", f"Answer number {i}"),
         "pictogram": PICTOGRAMS[(seed + i) % len(PICTOGRAMS)]}
        for i in range(count)
    ]


def _fields(seed: int) -> list[dict[str, Any]]:
    """Eight questions like the bundled ones: choices, a branch, texts, contact, consent."""
    return [
        {"id": "sujet", "type": "single_choice", "label": _texts("De quoi parle votre demande ?",
         "What is your request about?"), "help": _texts(HELP, HELP), "options": _options(5, seed)},
        {"id": "jours", "type": "multiple_choice", "label": _texts("Quels jours ?", "Which days?"),
         "options": _options(5, seed + 1), "rules": [{"rule": "max_choices", "value": 4}]},
        {"id": "nom", "type": "short_text", "label": _texts("Votre nom ?", "Your name?"),
         "help": _texts(HELP, HELP),
         "rules": [{"rule": "min_length", "value": 2, "message": _texts("Trop court.", "Short.")}]},
        {"id": "naissance", "type": "date", "label": _texts("Date de naissance ?", "Birth date?"),
         "rules": [{"rule": "past"}]},
        {"id": "rappel", "type": "yes_no", "label": _texts("On vous appelle ?", "Call you?")},
        {"id": "telephone", "type": "phone_fr", "label": _texts("Téléphone ?", "Phone?"),
         "condition": {"field": "rappel", "equals": True}},
        {"id": "adresse", "type": "address_fr", "label": _texts("Adresse ?", "Address?"),
         "condition": {"field": "sujet", "one_of": ["choix-1", "choix-2"]}},
        {"id": "message", "type": "long_text", "label": _texts("Expliquez.", "Explain."),
         "help": _texts(HELP, HELP), "rules": [{"rule": "max_length", "value": 1500}]},
        {"id": "accord", "type": "consent", "label": _texts("J'accepte.", "I agree."),
         "help": _texts(HELP, HELP)},
    ]


def generated_catalog(count: int) -> bytes:
    data = {
        "schema_version": 1,
        "commune": {"name": "Benchville", "reference_prefix": "BEN",
                    "postcodes": {f"{72000 + i:05d}": [f"Commune {i}"] for i in range(100)}},
        "services": [{"id": f"service-{i}", "name": _texts(f"Service {i}", f"Service {i}")}
                     for i in range(20)],
        "categories": [{"id": f"cat-{i}", "title": _texts(f"Groupe {i}", f"Group {i}")}
                       for i in range(8)],
        "places": [{"id": f"rue-{i}", "label": f"Rue numéro {i}"} for i in range(100)],
        "demarches": [
            {
                "id": f"demarche-{n}", "version": 1 + n % 3,
                "title": _texts(f"Démarche numéro {n}", f"Procedure number {n}"),
                "description": _texts(HELP, HELP),
                "pictogram": PICTOGRAMS[n % len(PICTOGRAMS)],
                "category": f"cat-{n % 8}",
                "routing": {"default": "service-0", "rules": [
                    {"if": {"field": "sujet", "equals": f"choix-{i}"}, "service": f"service-{i}"}
                    for i in range(1, 5)]},
                "next_steps": _texts(HELP, HELP),
                "fields": _fields(n),
            }
            for n in range(count)
        ],
    }
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _with_questions(data: dict[str, Any], extra: int) -> bytes:
    """``data`` with ``extra`` more 24-option questions in every démarche, as bytes."""
    for demarche in data["demarches"]:
        fields = [f for f in demarche["fields"] if not f["id"].startswith("plus-")]
        more = [{"id": f"plus-{i}", "type": "single_choice",
                 "label": _texts(f"Question {i} ?", f"Question {i}?"),
                 "options": _options(24, i)} for i in range(extra)]
        demarche["fields"] = fields[:-1] + more + fields[-1:]
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def big_catalog(count: int) -> bytes:
    """``generated_catalog`` grown with questions to just under the 8 MiB a catalog may be.

    The most checking work a catalog can ask for: many small options (the audit's 8 MiB
    catalog, issue 13, took 1.9 s to check).
    """
    data = json.loads(generated_catalog(count))
    base, one = len(_with_questions(data, 0)), len(_with_questions(data, 1))
    extra = min((MAX_BYTES - base) // (one - base), MAX_FIELDS - len(_fields(0)))
    return _with_questions(data, extra)


# The audit's patterns (issue 13, item 3) and the letter of the answer that made each crawl.
AUDIT_PATTERNS = [
    (r"((a+))+b", "a"), (r"((a|a))+b", "a"), (r"(a?){30}a{30}", "a"),
    (r"\d*" * 8 + "x", "1"), (r".*" * 6 + "=", "x"),
]


def main_thread_pause_ms(work: Callable[[], object]) -> tuple[float, float]:
    """(duration of ``work`` on a thread, longest gap of a 1 ms tick on this thread) in ms."""
    worker = threading.Thread(target=work)
    start = time.perf_counter()
    worker.start()
    longest = 0.0
    while worker.is_alive():
        tick = time.perf_counter()
        time.sleep(0.001)
        longest = max(longest, time.perf_counter() - tick - 0.001)
    worker.join()
    return (time.perf_counter() - start) * 1000, longest * 1000


def p50_ms(actions: list[Callable[[], object]], repeat: int) -> list[float]:
    """p50 in ms of each action; the actions alternate, so a busy machine hits them alike."""
    timings: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for action, samples in zip(actions, timings, strict=True):
            start = time.perf_counter()
            action()
            samples.append((time.perf_counter() - start) * 1000)
    return [statistics.median(samples) for samples in timings]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demarches", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    raw = generated_catalog(args.demarches)
    load_catalog_bytes(raw, pictogram_dir=pictograms_dir())  # warm up, and prove it is valid
    floor, checked, with_files = p50_ms(
        [
            lambda: json.loads(raw),
            lambda: load_catalog_bytes(raw),
            lambda: load_catalog_bytes(raw, pictogram_dir=pictograms_dir()),
        ],
        args.repeat,
    )
    print(f"catalog: {args.demarches} démarches, {len(raw) / 1024:.0f} KiB, "
          f"p50 of {args.repeat} runs")
    print(f"  floor json.loads            {floor:8.2f} ms")
    print(f"  load + validate             {checked:8.2f} ms   ratio {checked / floor:5.1f}x")
    print(f"  load + validate + pictogram files {with_files:8.2f} ms   "
          f"ratio {with_files / floor:5.1f}x")
    print(f"  goal < 100 ms: {'met' if with_files < 100 else 'NOT met'}")

    big = big_catalog(args.demarches)
    store = CatalogStore()
    on_gui_thread = p50_ms([lambda: store.check(big)], 3)[0]
    on_thread, pause = main_thread_pause_ms(lambda: store.check(big))
    print(f"big catalog: {len(big) / 1024 / 1024:.1f} MiB")
    print(f"  checked on the GUI thread   {on_gui_thread:8.0f} ms frozen (p50 of 3)")
    print(f"  checked on the poll thread  {on_thread:8.0f} ms, longest GUI-thread pause "
          f"{pause:.1f} ms")

    worst = max(
        p50_ms([partial(fullmatches, p, c * SHORT_TEXT_LIMIT)], args.repeat)[0]
        for p, c in AUDIT_PATTERNS
    )
    print(f"answer patterns: slowest audit pattern on a {SHORT_TEXT_LIMIT}-character answer "
          f"{worst * 1000:.0f} µs (p50)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
