"""``python -m screening rules check|params``: validate rule files, list their tunable parameters."""

from __future__ import annotations

import sys
from pathlib import Path

from ..rules.loading import check_rules
from ..rules.parameters import format_parameter
from .common import resolve_rules, table


def add(commands) -> None:
    rules = commands.add_parser("rules", help="work with rule files")
    rule_commands = rules.add_subparsers(dest="rules_command", required=True)
    check = rule_commands.add_parser("check", help="validate rule files")
    check.add_argument("files", nargs="+", type=Path)
    check.set_defaults(run=run_check)
    params = rule_commands.add_parser("params", help="list the tunable parameters of a rule file")
    params.add_argument("file")
    params.set_defaults(run=run_params)


def run_check(args) -> int:
    failed = 0
    for path in args.files:
        issues = check_rules(path)
        if issues:
            failed += 1
            for issue in issues:
                print(issue.one_line(args.lang), file=sys.stderr)
        else:
            print(f"{path}: OK")
    return 2 if failed else 0


def run_params(args) -> int:
    ruleset = resolve_rules(args.file)
    rows = [
        (
            p.id,
            p.group.label(args.lang),
            format_parameter(p.value),
            f"{p.low:g}–{p.high:g}",
            p.unit,
            p.label.get(args.lang),
        )
        for p in ruleset.parameters.values()
    ]
    print(table(["parameter", "group", "value", "range", "unit", "label"], rows))
    return 0
