"""PDF of a report document, printed by headless Chromium from the print CSS (A4)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from railsim.errors import RailsimError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 180


class PdfError(RailsimError):
    """No browser to print with, or it failed."""


def browser() -> str | None:
    """Chromium or Chrome: the first of :data:`BROWSERS` on PATH."""
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def headless(program: str, profile: Path) -> list[str]:
    """The command line of a quiet, offline headless run with its own profile."""
    return [program, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--mute-audio",
            f"--user-data-dir={profile}"]


def print_pdf(page: Path, pdf: Path) -> Path:
    """Print ``page`` (an HTML file) to ``pdf``; raise :class:`PdfError` with a clear
    message when no browser is found or printing fails."""
    program = browser()
    if program is None:
        raise PdfError("--pdf needs Chromium or Chrome on PATH (" + ", ".join(BROWSERS)
                       + "); Debian: apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="railsim-pdf-") as profile:
        staging = pdf.with_name(f".{pdf.name}.{os.getpid()}.tmp")
        command = [*headless(program, Path(profile)), "--no-pdf-header-footer",
                   f"--print-to-pdf={staging}", page.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            staging.unlink(missing_ok=True)
            raise PdfError(f"printing {page} with {program} failed: {exc}") from None
        if done.returncode != 0 or not staging.is_file() or staging.stat().st_size == 0:
            staging.unlink(missing_ok=True)
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise PdfError(f"printing {page} with {program} failed (exit {done.returncode}): "
                           + " / ".join(tail))
        os.replace(staging, pdf)
    return pdf


def page_count(pdf: Path) -> int:
    """Pages of a PDF that Chromium wrote (its page objects are not compressed)."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))
