"""The CI contract check of docs/ci-contract-check.md works as written: `validate --format
junit` on fixture and captured payloads, then a consumer's contract tests with the plugin."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CLI = str(Path(sys.executable).parent / "stream-sqs-emulator")
WORKFLOW = ROOT / "examples" / "github-actions" / "stream-contract.yml"


def validate_junit(*files: Path | str) -> tuple[int, ElementTree.Element]:
    run = subprocess.run([CLI, "validate", *map(str, files), "--format", "junit"],
                         capture_output=True, text=True, timeout=120, check=False)
    return run.returncode, ElementTree.fromstring(run.stdout.split("\n", 1)[1])


def test_validate_junit_on_fixtures_and_captured_payloads(tmp_path: Path) -> None:
    fixtures = sorted((ROOT / "fixtures" / "events").glob("message.*.json"))
    code, report = validate_junit(*fixtures)
    suite = report.find("testsuite")
    assert code == 0 and suite.get("failures") == "0"
    assert int(suite.get("tests")) == len(fixtures) >= 5
    captured = json.loads((ROOT / "fixtures" / "events" / "message.new.json").read_text())
    captured["message"]["user"] = 5
    broken = tmp_path / "captured-message.new.json"
    broken.write_text(json.dumps(captured))
    code, report = validate_junit(fixtures[0], broken)
    assert code == 1
    [failure] = list(report.iter("failure"))
    assert failure.get("message") == "$.message.user: expected object, received integer 5"


def test_consumer_contract_tests_with_the_plugin(pytester: pytest.Pytester) -> None:
    project = pytester.path / "downstream"
    shutil.copytree(ROOT / "examples" / "downstream", project,
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
    pytester.syspathinsert(project)
    pytester.chdir()
    result = pytester.runpytest(str(project / "tests"), "-p", "no:cacheprovider",
                                "--junitxml=consumer-contract.xml")
    result.assert_outcomes(passed=12)  # 6 tests, one of them over the 6 wire variants
    report = ElementTree.parse(pytester.path / "consumer-contract.xml").getroot()
    assert sum(1 for _ in report.iter("testcase")) == 12
    assert not list(report.iter("failure"))


def test_workflow_runs_both_checks() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = workflow["jobs"]["contract"]["steps"]
    commands = " ".join(step.get("run", "") for step in steps)
    # not on PyPI: the wheel `pip wheel --no-deps -w dist .` builds (its name as test_packaging
    # checks it), committed to the consumer's repo
    assert "pip install vendor/stream_sqs_emulator-*.whl pytest pytest-xdist" in commands
    assert "stream-sqs-emulator validate captured/*.json" in commands
    assert "--format junit" in commands
    assert "pytest -n 2 --stream-dialect ${{ matrix.dialect }}" in commands
    docs = (ROOT / "docs" / "ci-contract-check.md").read_text()
    assert "stream-sqs-emulator validate captured/*.json --format junit" in docs
    assert "pytest -n 2 --junitxml=consumer-contract.xml" in docs
