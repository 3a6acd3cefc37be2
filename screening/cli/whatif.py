"""``python -m screening whatif``: what each firm would have to change to reach a target (差距).

    python -m screening whatif INPUT --rules R [--row N …] [--target admit|score:S|class:X|gate:ID]
                               [--set ID=VALUE …] --out out.json|out.xlsx

The JSON has ``firms``: one record per firm with ``source_row``, ``name``, ``decision``, ``score`` and
``changes``: records of ``input``, ``current``, ``needed`` (null when this lever alone cannot reach the
target), ``target``, ``change``, ``method`` and ``note``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..analysis.targets import parse_target
from ..analysis.whatif import SEARCH_LIMIT, WhatIf, what_it_takes
from ..engine.result import Result
from ..pipeline import screen_file
from ..report.analysis_sheets import whatif_table, write_analysis_xlsx
from ..rules.overrides import apply_overrides, parse_override
from .common import resolve_rules, table, usage_error

OUTPUTS = (".json", ".xlsx")


def add(commands) -> None:
    cmd = commands.add_parser("whatif", help="what each firm would have to change to reach a target (差距)")
    cmd.add_argument("input", type=Path, help="firm list: .xlsx, .xlsm, .xls or .csv")
    cmd.add_argument("--rules", required=True, help="rule file path, or a profile id such as smart-mfg-town")
    cmd.add_argument("--row", type=int, action="append", help="Excel row of a firm (repeatable; default: all)")
    cmd.add_argument(
        "--target",
        action="append",
        help="admit | score:S | class:X | gate:ID | next_class (repeatable; default: each failed gate, "
        "the next class, admission)",
    )
    cmd.add_argument("--set", action="append", default=[], metavar="ID=VALUE", help="override a tunable parameter")
    cmd.add_argument("--sheet", help="sheet to read")
    cmd.add_argument("--all", action="store_true", help="screen every firm, also those applying to other parks")
    cmd.add_argument(
        "--search-limit",
        type=int,
        default=SEARCH_LIMIT,
        help=f"most firm–lever–target cases searched over the engine where ranks move (default {SEARCH_LIMIT})",
    )
    cmd.add_argument("--out", type=Path, help="write the answers: .json or .xlsx")
    cmd.add_argument("--top", type=int, default=30, help="rows to print (default 30)")
    cmd.set_defaults(run=run)


def run(args) -> int:
    if args.out is not None and args.out.suffix.lower() not in OUTPUTS:
        usage_error(f"--out must end in {', '.join(OUTPUTS)}")
    ruleset = resolve_rules(args.rules)
    overrides = dict(parse_override(text) for text in args.set)
    if overrides:
        ruleset = apply_overrides(ruleset, overrides)
    targets = [parse_target(text, ruleset) for text in args.target] if args.target else None
    result = screen_file(args.input, ruleset, sheet=args.sheet, applicants_only=not args.all)
    answers = what_it_takes(result, rows=args.row, targets=targets, search_limit=args.search_limit)
    shown = whatif_table(result, answers, args.lang).head(args.top)
    print(table(list(shown.columns), [tuple(_cell(v) for v in row) for row in shown.itertuples(index=False)]))
    if args.out is not None:
        if args.out.suffix.lower() == ".json":
            args.out.write_bytes(whatif_json(result, answers))
        else:
            args.out.write_bytes(write_analysis_xlsx(result, whatif=answers, lang=args.lang))
        print(f"\n→ {args.out}")
    return 0


def _cell(value) -> str:
    if isinstance(value, float):
        return "" if np.isnan(value) else f"{value:,.2f}"
    return str(value)


def _number(value) -> float | None:
    return None if value is None or (isinstance(value, float) and not np.isfinite(value)) else float(value)


def whatif_json(result: Result, answers: WhatIf) -> bytes:
    firms = []
    for (row, name, decision, score), group in answers.changes.groupby(
        ["source_row", "name", "decision", "score"], sort=False, dropna=False
    ):
        changes = [
            {
                "input": c.input,
                "current": _number(c.current),
                "needed": _number(c.needed),
                "target": c.target,
                "change": _number(c.change),
                "method": c.method,
                "note": c.note,
            }
            for c in group.itertuples(index=False)
        ]
        firms.append(
            {"source_row": int(row), "name": name, "decision": decision, "score": _number(score), "changes": changes}
        )
    payload = {
        "park": result.ruleset.model.park.id,
        "rules_version": result.ruleset.model.version,
        "rules_sha256": result.ruleset.sha256,
        "levers": answers.levers,
        "firms": firms,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
