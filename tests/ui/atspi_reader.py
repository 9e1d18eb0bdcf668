"""Read an application over AT-SPI as Orca does, with pyatspi, and print it as JSON.

Run by the system Python (``/usr/bin/python3``, Debian's python3-pyatspi), never
imported by the tests, so it imports nothing of the kiosk:

    atspi_reader.py tree PID             the tree of the application with that process
                                         id: what is showing, with roles, names,
                                         descriptions, states, relations and locales
    atspi_reader.py events PID SECONDS   prints "listening", then the announcements and
                                         the alerts and notifications that appear in
                                         the next SECONDS (what Orca speaks unasked)
"""

from __future__ import annotations

import json
import sys
import time

import pyatspi  # type: ignore[import-not-found]
from gi.repository import GLib  # type: ignore[import-not-found]

STATES = {
    "checked": pyatspi.STATE_CHECKED,
    "checkable": pyatspi.STATE_CHECKABLE,
    "focusable": pyatspi.STATE_FOCUSABLE,
    "focused": pyatspi.STATE_FOCUSED,
}
MAX_DEPTH = 40
SPOKEN_AS_THEY_SHOW = (pyatspi.ROLE_ALERT, pyatspi.ROLE_NOTIFICATION)


def application(pid: int) -> object:
    """The application of process ``pid``, once it is registered (10 s at most)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.get_process_id() == pid:
                return app
        time.sleep(0.2)
    raise SystemExit(f"no application of process {pid} on the accessibility bus")


def node(accessible: object, depth: int = 0) -> dict[str, object]:
    states = accessible.getState()
    relations = {
        pyatspi.relationToString(relation.getRelationType()).lower(): [
            relation.getTarget(i).name for i in range(relation.getNTargets())
        ]
        for relation in accessible.getRelationSet()
    }
    children = []
    if depth < MAX_DEPTH:
        for child in accessible:
            if child is not None and child.getState().contains(pyatspi.STATE_SHOWING):
                children.append(node(child, depth + 1))
    return {
        "role": accessible.getRoleName(),
        "name": accessible.name,
        "description": accessible.description,
        "states": sorted(name for name, state in STATES.items() if states.contains(state)),
        "relations": relations,
        "locale": accessible.get_object_locale(),
        "children": children,
    }


def tree(pid: int) -> dict[str, object]:
    return node(application(pid))


def events(pid: int, seconds: float) -> list[dict[str, object]]:
    application(pid)
    seen: list[dict[str, object]] = []

    def heard(event: object) -> None:
        source = event.source
        if event.type.startswith("object:state-changed:showing") and not (
            event.detail1 and source.getRole() in SPOKEN_AS_THEY_SHOW
        ):
            return
        seen.append(
            {
                "type": event.type,
                "role": source.getRoleName(),
                "name": source.name,
                "text": event.any_data if isinstance(event.any_data, str) else "",
            }
        )

    kinds = ("object:announcement", "object:state-changed:showing")
    pyatspi.Registry.registerEventListener(heard, *kinds)
    # The application learns of a new listener through the registry: give it a moment.
    GLib.timeout_add(500, lambda: print("listening", flush=True) and False)
    GLib.timeout_add(int(seconds * 1000), lambda: pyatspi.Registry.stop() and False)
    pyatspi.Registry.start()
    return seen


def main(argv: list[str]) -> int:
    mode, pid = argv[1], int(argv[2])
    result = tree(pid) if mode == "tree" else events(pid, float(argv[3]))
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
