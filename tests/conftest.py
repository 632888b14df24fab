"""Shared fixtures: one Cleaner for the whole session (rules and model load once), and the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def cleaner():
    from cleanse import Cleaner

    return Cleaner()


@pytest.fixture(scope="session")
def seed_report(tmp_path_factory) -> Path:
    """The audit report of the seeds, written by `cleanse score seeds/ --report`."""
    from typer.testing import CliRunner

    from cleanse.cli import app

    path = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(app, ["score", str(SEEDS), "--report", str(path)])
    assert result.exit_code == 0, result.output
    return path
