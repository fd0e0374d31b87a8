"""`validate` and `schemas` command logic: inputs, formats, exit codes."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from emulator.catalog.types import EVENT_TYPES
from emulator.catalog.validate_cli import run_schemas, run_validate

EXAMPLES = Path(__file__).resolve().parent.parent / "contract" / "examples"
GOOD = json.loads((EXAMPLES / "v1" / "message.new.sqs-docs.json").read_text())
BAD = {**GOOD, "created_at": 5}


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(paths, fmt="text", event_type=None, dialect="v1"):
    out = io.StringIO()
    code = run_validate(paths, event_type, dialect, fmt, out)
    return code, out.getvalue()


def test_valid_object_exits_0(tmp_path):
    code, text = run([write(tmp_path, "one.json", json.dumps(GOOD))])
    assert code == 0 and "1 payload(s) checked, 0 invalid" in text


def test_violation_exits_1_and_prints_file_path_and_message(tmp_path):
    path = write(tmp_path, "bad.json", json.dumps(BAD))
    code, text = run([path])
    assert code == 1
    assert f"{path}: $.created_at: expected string" in text and "received integer 5" in text


def test_array_input_labels_each_item(tmp_path):
    path = write(tmp_path, "many.json", json.dumps([GOOD, BAD, GOOD]))
    code, text = run([path])
    assert code == 1 and f"{path}[1]: $.created_at" in text and f"{path}[0]" not in text
    assert "3 payload(s) checked, 1 invalid" in text


def test_json_lines_input_labels_each_line(tmp_path):
    lines = [json.dumps(GOOD), "", json.dumps(BAD)]
    path = write(tmp_path, "events.jsonl", "\n".join(lines) + "\n")
    code, text = run([path])
    assert code == 1 and f"{path}:3: $.created_at" in text


def test_dialect_is_checked_exactly(tmp_path):
    path = write(tmp_path, "one.json", json.dumps(GOOD))
    code, text = run([path], dialect="v2")
    assert code == 1 and "$.created_at: expected integer" in text


def test_type_option_overrides_the_payload_type(tmp_path):
    path = write(tmp_path, "one.json", json.dumps(GOOD))
    code, text = run([path], event_type="message.updated")
    assert code == 1 and '$.type: expected "message.updated"' in text


def test_unknown_type_in_a_payload_is_a_violation_but_a_custom_name_is_a_custom_event(tmp_path):
    typo = write(tmp_path, "typo.json", json.dumps({**GOOD, "type": "message.neww"}))
    assert run([typo])[0] == 1
    custom = write(tmp_path, "custom.json", json.dumps({**GOOD, "type": "friendship_request"}))
    assert run([custom])[0] == 0  # v1 custom events keep their sender's own type name
    assert run([custom], event_type="*")[0] == 0


@pytest.mark.parametrize("args", [
    {"event_type": "no.such.type"}, {"dialect": "v3"}, {"fmt": "yaml"}])
def test_usage_errors_exit_2(tmp_path, args, capsys):
    path = write(tmp_path, "one.json", json.dumps(GOOD))
    out = io.StringIO()
    code = run_validate([path], args.get("event_type"), args.get("dialect", "v1"),
                        args.get("fmt", "text"), out)
    assert code == 2 and "error:" in capsys.readouterr().err


@pytest.mark.parametrize("content", ["{not json", "", "[1, 2"])
def test_unparseable_file_exits_2(tmp_path, content):
    path = write(tmp_path, "broken.json", content)
    code, text = run([path, write(tmp_path, "ok.json", json.dumps(GOOD))])
    assert code == 2 and f"error: {path}" in text


def test_missing_file_exits_2(tmp_path):
    code, text = run([str(tmp_path / "absent.json")])
    assert code == 2 and "cannot read" in text


def test_json_format_is_parseable(tmp_path):
    path = write(tmp_path, "many.json", json.dumps([GOOD, BAD]))
    code, text = run([path], fmt="json")
    report = json.loads(text)
    assert code == 1 and report["valid"] is False
    assert [p["valid"] for p in report["payloads"]] == [True, False]
    violation = report["payloads"][1]["violations"][0]
    assert violation["path"] == "$.created_at" and violation["received"] == "integer 5"


def test_junit_format_is_parseable(tmp_path):
    path = write(tmp_path, "many.json", json.dumps([GOOD, BAD]))
    code, text = run([path, str(tmp_path / "absent.json")], fmt="junit")
    suite = ET.fromstring(text).find("testsuite")
    cases = suite.findall("testcase")
    assert code == 2 and suite.get("tests") == "3" and suite.get("failures") == "1"
    assert cases[0].find("failure") is None
    assert cases[1].find("failure").get("message").startswith("$.created_at:")
    assert cases[2].find("error") is not None


def test_schemas_lists_every_type():
    out = io.StringIO()
    assert run_schemas(None, out) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 77
    # the bundled file, found from any folder (it printed a path relative to the checkout)
    from emulator.resources import schemas_dir

    assert f"*\t{schemas_dir() / 'events' / 'custom.json'}" in lines
    assert all(Path(line.split("\t")[1]).is_file() for line in lines)
    assert [line.split("\t")[0] for line in lines] == list(EVENT_TYPES)


@pytest.mark.parametrize("dialect", ["v1", "v2"])
def test_written_schemas_resolve_from_the_folder(tmp_path, dialect):
    assert run_schemas(str(tmp_path), io.StringIO()) == 0
    root = tmp_path / dialect

    def retrieve(uri: str) -> Resource:
        relative = uri.split("/schemas/", 1)[1]
        return Resource.from_contents(json.loads((root / relative).read_text()))

    schema = json.loads((root / "events" / "message.new.json").read_text())
    validator = Draft202012Validator(schema, registry=Registry(retrieve=retrieve))
    v2_example = EXAMPLES / "v2" / "message.new.json"
    good = GOOD if dialect == "v1" else json.loads(v2_example.read_text())
    bad = {**good, "created_at": "x" if dialect == "v2" else 1}
    assert validator.is_valid(good) and not validator.is_valid(bad)


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "events"


@pytest.mark.parametrize("fixture, dialect, fits", [
    (FIXTURES / "v2" / "message.new.json", "v1", "v2"),  # integer timestamps checked as v1
    (FIXTURES / "message.new.json", "v2", "v1"),  # RFC 3339 timestamps checked as v2
])
def test_payloads_of_the_other_dialect_get_a_dialect_hint(capsys, fixture, dialect, fits):
    code, _ = run([str(fixture)], dialect=dialect)
    err = capsys.readouterr().err
    assert code == 1
    assert f"hint: 1 of the 1 invalid payload(s) are valid in dialect {fits}" in err
    assert f"run with --dialect {fits}" in err


def test_no_dialect_hint_when_the_other_dialect_does_not_fit_either(capsys, tmp_path):
    code, _ = run([write(tmp_path, "bad.json", json.dumps(BAD))])
    assert code == 1 and "hint" not in capsys.readouterr().err
