"""The command line explains itself: every command and option says what it is for."""

from __future__ import annotations

import argparse
from pathlib import Path

from projects import run_build

from policy_archive.commands import cli


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps no public list of its subcommands
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_every_command_and_option_has_a_help_text() -> None:
    commands = _subparsers(cli._parser(Path(".")))
    assert set(commands) == set(cli.COMMANDS)
    missing = [f"{name} {'/'.join(a.option_strings) or a.dest}"
               for name, sub in commands.items() for a in sub._actions
               if not isinstance(a, argparse._HelpAction) and not a.help]
    assert missing == []


def test_help_lists_the_commands() -> None:
    r = run_build("--help")
    assert r.code == 0
    for name in cli.COMMANDS:
        assert name in r.out
