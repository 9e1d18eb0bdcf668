"""Branch coverage per package after `make test`, and the floors that fail the build.

Reads the .coverage data pytest-cov wrote (subprocesses included) and prints one line per
package: statements and branches covered together, as coverage.py counts its total. A
package's line leaves out its sub-packages that have their own line.
The Qt-free packages must stay at or above QT_FREE_FLOOR, everything else at or above
FLOOR. Raise a floor when the figures allow; never lower one to make a build pass.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from coverage import Coverage

ROOT = Path(__file__).resolve().parent.parent
QT_FREE_FLOOR = 90.0
FLOOR = 85.0
# The packages that import no Qt (import-linter contracts in pyproject.toml say so).
QT_FREE = (
    "offline_queue",
    "kiosk/audit",
    "kiosk/catalog",
    "kiosk/connectors",
    "kiosk/domain",
    "kiosk/mediator",
    "kiosk/receiver",
    "kiosk/security",
    "accessibility/speech",
)


PACKAGES = (
    *QT_FREE,
    "accessibility",  # its Qt adapter and the rest of the package
    "kiosk",  # its top-level modules: the visit, config, i18n, secrets, doctor...
    "ui",
    "wiring",  # the composition root, its Qt adapters and the CLI (commands/)
)


def main() -> int:
    coverage = Coverage(data_file=str(ROOT / ".coverage"))
    coverage.load()
    failed = []
    for package in PACKAGES:
        others = [f"{ROOT}/{p}/*" for p in QT_FREE if p.startswith(f"{package}/")]
        percent = coverage.report(
            include=[f"{ROOT}/{package}/*"],
            omit=others or None,
            file=io.StringIO(),
            output_format="total",
        )
        floor = QT_FREE_FLOOR if package in QT_FREE else FLOOR
        mark = "ok" if percent >= floor else "BELOW THE FLOOR"
        print(f"coverage {package:22} {percent:5.1f} % (floor {floor:.0f} %) {mark}")
        if percent < floor:
            failed.append(package)
    if failed:
        print(f"coverage: below the floor: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
