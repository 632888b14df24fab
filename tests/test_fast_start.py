"""Fast start: `cleanse --help` and `cleanse rules check` load neither scikit-learn nor trafilatura."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = {"sklearn", "trafilatura", "numpy", "scipy", "skops", "langdetect", "warcio", "dask", "datatrove"}
PROBE = f"""
import json, sys
from cleanse.cli import app
try:
    app(sys.argv[1:])
except SystemExit as done:
    code = done.code
print(json.dumps({{"code": code, "heavy": sorted({{m.split(".")[0] for m in sys.modules}} & set({sorted(HEAVY)!r}))}}))
"""


@pytest.mark.parametrize("command", [["--help"], ["clean", "--help"], ["rules", "check"]])
def test_the_command_loads_no_heavy_module(command):
    done = subprocess.run([sys.executable, "-c", PROBE, *command], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == {"code": 0, "heavy": []}
