"""Importing the emulator changes no process-wide state of the importer (DESIGN §3)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import warnings
import boto3, flask, jwt, moto, pytest, requests  # noqa: E401,F401  (their own filters first)
before = list(warnings.filters)
import emulator.auth, emulator.api, emulator.testing.plugin  # noqa: E401,F401
assert warnings.filters == before, [f for f in warnings.filters if f not in before]
print("unchanged")
"""


def test_importing_the_emulator_leaves_warning_filters_alone() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "unchanged"
