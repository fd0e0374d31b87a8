"""SchemaRegistry's public interface, load-time checks and the package-data lookup."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from emulator.catalog.registry import (
    EventValidationError,
    SchemaRegistry,
    UnknownEventType,
    Violation,
    get_registry,
)
from emulator.catalog.store import SchemaLoadError, load_store
from emulator.errors import InputError
from emulator.resources import fixtures_dir, schemas_dir

EXAMPLE = json.loads((Path(__file__).resolve().parent.parent / "contract" / "examples" / "v1"
                      / "message.new.sqs-docs.json").read_text())


def test_registry_is_loaded_once():
    assert get_registry() is get_registry()


def test_unknown_event_type_is_an_input_error():
    with pytest.raises(UnknownEventType) as caught:
        get_registry().schema("message.sent")
    assert isinstance(caught.value, InputError) and caught.value.status == 400
    assert '"message.sent"' in caught.value.detail
    with pytest.raises(UnknownEventType):
        get_registry().violations({"type": "message.sent"})


def test_schema_returns_a_copy():
    schema = get_registry().schema("message.new")
    schema["title"] = "changed"
    assert get_registry().schema("message.new")["title"] == "message.new"


def test_event_type_defaults_to_the_payload_type():
    registry = get_registry()
    assert registry.violations(EXAMPLE) == []
    found = registry.violations(EXAMPLE, event_type="message.updated")
    assert [v.path for v in found] == ["$.type"]


def test_payload_without_a_type_string_is_a_violation():
    found = get_registry().violations({"created_at": "2020-01-01T00:00:00Z"})
    assert found == [Violation("$.type", "expected an event type string, received missing",
                               "an event type string", "missing")]
    assert get_registry().violations([1])[0].path == "$"


def test_validate_raises_with_path_expected_and_received():
    bad = {**EXAMPLE, "message": {**EXAMPLE["message"], "reply_count": "zero"}}
    with pytest.raises(EventValidationError) as caught:
        get_registry().validate(bad, dialect="v1")
    detail = caught.value.detail
    assert "$.message.reply_count" in detail and "integer" in detail and '"zero"' in detail
    assert caught.value.code == 4 and caught.value.violations[0].expected == "integer"


def test_unknown_dialect_is_an_input_error():
    with pytest.raises(InputError) as caught:
        get_registry().violations(EXAMPLE, dialect="v3")
    assert "v1, v2" in caught.value.detail


def test_violation_is_frozen():
    violation = Violation("$.a", "expected x, received y", "x", "y")
    with pytest.raises(AttributeError):
        violation.path = "$.b"  # type: ignore[misc]
    assert str(violation) == "$.a: expected x, received y"


def test_bundle_is_self_contained():
    bundle = get_registry().bundle("message.new", "v2")
    validator = jsonschema.Draft202012Validator(bundle)  # no registry: all embedded
    assert not validator.is_valid(EXAMPLE)
    v1 = jsonschema.Draft202012Validator(get_registry().bundle("message.new", "v1"))
    assert v1.is_valid(EXAMPLE)


def test_resources_point_at_real_folders():
    assert (schemas_dir() / "events" / "message.new.json").is_file()
    assert (fixtures_dir() / "policies").is_dir()


def broken_copy(tmp_path: Path) -> Path:
    root = tmp_path / "schemas"
    shutil.copytree(schemas_dir(), root)
    return root


def test_load_rejects_an_invalid_schema(tmp_path):
    root = broken_copy(tmp_path)
    path = root / "defs" / "user.json"
    schema = json.loads(path.read_text())
    schema["properties"]["id"] = {"type": "strin"}
    path.write_text(json.dumps(schema))
    with pytest.raises(SchemaLoadError, match="user.json is not a valid Draft 2020-12 schema "
                                              "at properties/id/type: "):
        load_store(root)


def test_load_rejects_a_schema_of_another_draft(tmp_path):
    root = broken_copy(tmp_path)
    path = root / "defs" / "user.json"
    schema = json.loads(path.read_text())
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    path.write_text(json.dumps(schema))
    with pytest.raises(SchemaLoadError, match=r"user.json is not a valid Draft 2020-12 schema "
                                              r"at \$schema: expected https://json-schema"):
        load_store(root)


def test_load_rejects_a_dangling_ref(tmp_path):
    root = broken_copy(tmp_path)
    path = root / "events" / "message.new.json"
    schema = json.loads(path.read_text())
    schema["properties"]["message"] = {"$ref": "../defs/messages.json"}
    path.write_text(json.dumps(schema))
    with pytest.raises(SchemaLoadError, match="does not resolve"):
        load_store(root)


def test_load_rejects_a_missing_event_schema(tmp_path):
    root = broken_copy(tmp_path)
    (root / "events" / "custom.json").unlink()
    with pytest.raises(SchemaLoadError, match="custom.json"):
        load_store(root)


def test_registry_from_a_copied_folder_validates(tmp_path):
    registry = SchemaRegistry(load_store(broken_copy(tmp_path)))
    assert registry.is_valid(EXAMPLE) and not registry.is_valid(EXAMPLE, "v2")


def test_non_json_python_values_are_violations_not_crashes():
    import datetime

    event = {"type": "message.read", "created_at": datetime.datetime(2020, 1, 1)}
    found = get_registry().violations(event)
    assert [v.path for v in found] == ["$.created_at"] and "datetime" in found[0].message
    assert not get_registry().is_valid(event)
