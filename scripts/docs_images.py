"""Render the pictures of the README and docs/ with `kiosk screenshots` (make docs-images).

Each picture is a scene of the screenshot command, in French, normal text, default theme;
the démarche's review and receipt are found by position (the last two scenes of the
démarche), so a catalog that gains or loses a question keeps the captions true.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
DEMARCHE = "signalement-rue"
SUFFIX = "-fr-normal-default.png"


def main() -> int:
    kiosk = Path(sys.executable).with_name("kiosk")
    with tempfile.TemporaryDirectory(prefix="docs-images-") as scratch:
        shots = Path(scratch)
        scenes = ["welcome", DEMARCHE, "mediator-consent"]
        command = [str(kiosk), "screenshots", "--out", str(shots)]
        for scene in scenes:
            command += ["--scene", scene]
        subprocess.run(command, check=True)  # noqa: S603 - our own console script
        steps = sorted(
            int(match.group(1))
            for path in shots.glob(f"{DEMARCHE}-*{SUFFIX}")
            if (match := re.fullmatch(rf"{DEMARCHE}-(\d+){SUFFIX}", path.name))
        )
        chosen = {
            "welcome.png": f"welcome{SUFFIX}",
            f"{DEMARCHE}-question.png": f"{DEMARCHE}-{steps[0]:02d}{SUFFIX}",
            f"{DEMARCHE}-review.png": f"{DEMARCHE}-{steps[-2]:02d}{SUFFIX}",
            f"{DEMARCHE}-receipt.png": f"{DEMARCHE}-{steps[-1]:02d}{SUFFIX}",
            "mediator-consent.png": f"mediator-consent{SUFFIX}",
        }
        IMAGES.mkdir(parents=True, exist_ok=True)
        for target, source in chosen.items():
            shutil.copyfile(shots / source, IMAGES / target)
            print(f"docs/images/{target} <- {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
