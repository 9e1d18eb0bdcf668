"""The receipt printer (``[kiosk] printer``): a CUPS queue, or a folder for PDF files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kiosk.config import Config
from kiosk.doctor.report import Check, CheckResult, fail, ok, run_command, warn

PDF_PREFIX = "pdf:"


def check_printer(config: Config) -> CheckResult:
    """The configured printer is known to CUPS and enabled, or the PDF folder is writable
    (where kiosk.service lets the kiosk write); no printer configured is fine."""
    name = "printer"
    setting = config.kiosk.printer
    if not setting:
        return ok(name, 'none configured ([kiosk] printer = ""): no "Imprimer" button')
    if setting.startswith(PDF_PREFIX):
        return pdf_folder(config, Path(setting.removeprefix(PDF_PREFIX)))
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return fail(name, f"printer {setting!r} configured but CUPS is not installed; "
                          "apt-get install cups cups-client, then add the printer (lpadmin)")
    done = run_command([lpstat, "-p", setting])
    if done is None or done.returncode != 0:
        said = done.stderr.strip().splitlines()[-1:] if done is not None else []
        return fail(name, f"CUPS does not know printer {setting!r}"
                          + (f" ({said[0]})" if said else "")
                          + "; `lpstat -p` lists the printers, `lpadmin -p NAME -E -v URI "
                            "-m everywhere` adds one")
    status = done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""
    if " disabled" in status:
        return fail(name, f"{setting!r} is disabled in CUPS, receipts are not printed; "
                          f"cupsenable {setting}")
    return ok(name, status or f"{setting!r} known to CUPS")


def pdf_folder(config: Config, folder: Path) -> CheckResult:
    name = "printer"
    if not folder.is_dir():
        return fail(name, f"[kiosk] printer: {folder} does not exist; create it, owned by "
                          "the kiosk user (install -d -o kiosk -g kiosk -m 0700 FOLDER)")
    if not os.access(folder, os.W_OK):
        return fail(name, f"[kiosk] printer: {folder} is not writable by this user; "
                          "chown it to the kiosk user")
    if not folder.resolve().is_relative_to(config.data_path().resolve()):
        return warn(name, f"receipts as PDF files in {folder}, outside the data folder; "
                          "kiosk.service lets the kiosk write only there (ReadWritePaths=): "
                          "choose a folder inside it, or add one ReadWritePaths= line")
    return ok(name, f"receipts as PDF files in {folder}")


CHECKS: tuple[Check, ...] = (check_printer,)
