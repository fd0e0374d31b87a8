"""Rendering validate results as text, JSON or JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from typing import TextIO

from .violations import Violation


@dataclass
class Result:
    file: str
    label: str
    index: int
    event_type: str | None
    dialect: str
    violations: list[Violation] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.violations


def write_text(results: list[Result], errors: list[str], out: TextIO) -> None:
    for result in results:
        out.writelines(f"{result.label}: {v.path}: {v.message}\n" for v in result.violations)
    out.writelines(f"error: {error}\n" for error in errors)
    invalid = sum(1 for r in results if not r.valid)
    out.write(f"{len(results)} payload(s) checked, {invalid} invalid"
              f"{f', {len(errors)} file error(s)' if errors else ''}\n")


def write_json(results: list[Result], errors: list[str], out: TextIO) -> None:
    payloads = [{"file": r.file, "label": r.label, "index": r.index, "type": r.event_type,
                 "dialect": r.dialect, "valid": r.valid,
                 "violations": [asdict(v) for v in r.violations]} for r in results]
    report = {"valid": not errors and all(r.valid for r in results),
              "payloads": payloads, "errors": errors}
    out.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def write_junit(results: list[Result], errors: list[str], out: TextIO) -> None:
    failures = sum(1 for r in results if not r.valid)
    suite = ET.Element("testsuite", name="stream-sqs-emulator validate",
                       tests=str(len(results) + len(errors)), failures=str(failures),
                       errors=str(len(errors)))
    for result in results:
        case = ET.SubElement(suite, "testcase", name=result.label,
                             classname=f"{result.dialect}.{result.event_type or 'unknown'}")
        if result.violations:
            first = result.violations[0]
            failure = ET.SubElement(case, "failure", message=f"{first.path}: {first.message}",
                                    type="SchemaViolation")
            failure.text = "\n".join(str(v) for v in result.violations)
    for error in errors:
        case = ET.SubElement(suite, "testcase", name=error.split(":", 1)[0], classname="file")
        ET.SubElement(case, "error", message=error, type="FileError")
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    out.write(ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")


WRITERS = {"text": write_text, "json": write_json, "junit": write_junit}
