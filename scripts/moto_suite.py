"""Run moto's own SQS tests and its model-data tests with the emulator's speed-ups installed.

    .venv/bin/python scripts/moto_suite.py [pytest args…]     (what `make moto-suite` runs)

The speed-ups replace parts of moto's SQS models (emulator/sqs_fast/); moto's own suite is the
broadest check that they change nothing observable. The tests come from the sdist of the moto
release installed here (fetched once from the package index into build/moto-suite/).
Left out: test_sqs_integration.py (Lambda event sources, which need moto's Lambda test
helpers and Docker).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WANTED = ("tests/__init__.py", "tests/conftest.py", "tests/markers.py",
          "tests/test_core/__init__.py", "tests/test_core/test_moto_api.py", "tests/test_sqs/")
LEFT_OUT = ("tests/test_sqs/test_sqs_integration.py",)


def fetch_tests(version: str, into: Path) -> Path:
    tree = into / f"moto-{version}"
    if (tree / "tests" / "test_sqs").is_dir():
        return tree
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary",
                    ":all:", f"moto=={version}", "-d", str(into)], check=True)
    with tarfile.open(into / f"moto-{version}.tar.gz") as sdist:
        members = [
            member for member in sdist.getmembers()
            if member.name.split("/", 1)[-1].startswith(WANTED)
            and not member.name.endswith(LEFT_OUT)
        ]
        sdist.extractall(into, members=members, filter="data")
    return tree


def main(argv: list[str]) -> int:
    version = metadata.version("moto")
    tree = fetch_tests(version, ROOT / "build" / "moto-suite")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts"),
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "moto_suite_plugin",
               "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestUnknownMarkWarning",
               "tests/test_sqs", "tests/test_core/test_moto_api.py", *argv]
    print(f"moto {version}: its SQS and model-data tests, with the speed-ups installed")
    return subprocess.run(command, cwd=tree, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
