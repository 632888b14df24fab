"""Shared fixtures: one Cleaner for the whole session (rules and model load once), and the seeds."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests (tests/test_fuzz.py): bounded for CI; `pytest tests/test_fuzz.py --hypothesis-profile=long` digs.
_FUZZ = {"deadline": timedelta(seconds=10), "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=100, **_FUZZ)
settings.register_profile("long", max_examples=5000, **_FUZZ)
settings.load_profile("ci")

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
