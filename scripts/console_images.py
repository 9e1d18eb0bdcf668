"""Render the console's pictures for docs/ (make docs-images): the browser tests save
each page they check with axe-core as docs/images/console-NAME.png."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"


def main() -> int:
    environment = {**os.environ, "CONSOLE_SCREENSHOTS": str(IMAGES)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               str(ROOT / "tests" / "console" / "test_browser.py")]
    return subprocess.run(command, env=environment, cwd=ROOT, check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
