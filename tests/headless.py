"""Headless Chromium run as the report's browser tests and docs/report_screenshot.py run it: no sandbox, GPU,
first-run pages, networking or scrollbars, each run with a profile of its own."""

from __future__ import annotations

import subprocess
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def run_chromium(chromium: str, profile: Path, url: str, *options: str) -> str:
    """Chromium's standard output for `url` with `options` (a screenshot, a PDF, the DOM), profile in `profile`."""
    command = [chromium, *FLAGS, f"--user-data-dir={profile}", *options, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
