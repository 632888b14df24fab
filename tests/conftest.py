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
