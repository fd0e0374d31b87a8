"""`--help` of every command: each option and argument says what it does."""

from __future__ import annotations

import argparse

import pytest

from emulator.cli import build_parser, main


def parsers(parser: argparse.ArgumentParser, name: str = "stream-sqs-emulator"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from parsers(sub, f"{name} {sub_name}")


def test_every_option_of_every_command_has_a_description():
    undocumented = [
        f"{name}: {action.option_strings or action.dest}"
        for name, parser in parsers(build_parser())
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not action.help
    ]
    assert undocumented == []
    names = {name for name, _ in parsers(build_parser())}
    assert {"stream-sqs-emulator deliveries", "stream-sqs-emulator reset",
            "stream-sqs-emulator faults set", "stream-sqs-emulator receive"} <= names


def test_validate_help_lists_its_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    text = capsys.readouterr().out
    assert "exit status:" in text
    for line in ("0  every payload is valid", "1  at least one payload breaks its schema",
                 "2  usage error"):
        assert line in text
