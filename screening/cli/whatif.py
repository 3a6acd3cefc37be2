"""``python -m screening whatif``: what each firm would have to change to reach a target (差距).

    python -m screening whatif INPUT --rules R [--row N …] [--target admit|score:S|class:X|gate:ID]
                               [--set ID=VALUE …] --out out.json|out.xlsx

The JSON has ``firms``: one record per firm with ``source_row``, ``name``, ``decision``, ``score`` and
``changes``: records of ``input``, ``current``, ``needed`` (null when this lever alone cannot reach the
target), ``target``, ``change``, ``method`` and ``note``.
"""

from __future__ import annotations

import json

from ..analysis.targets import parse_target
from ..analysis.whatif import SEARCH_LIMIT, WhatIf, what_it_takes
from ..engine.result import Result
from ..pipeline import screen_file
from ..report.analysis_sheets import whatif_table, write_analysis_xlsx
from .analysis_common import add_common, number, rules_for, show_and_write


def add(commands) -> None:
    cmd = commands.add_parser("whatif", help="what each firm would have to change to reach a target (差距)")
    add_common(cmd, top=30)
    cmd.add_argument("--row", type=int, action="append", help="Excel row of a firm (repeatable; default: all)")
    cmd.add_argument(
        "--target",
        action="append",
        help="admit | score:S | class:X | gate:ID | next_class (repeatable; default: each failed gate, "
        "the next class, admission)",
    )
    cmd.add_argument(
        "--search-limit",
        type=int,
        default=SEARCH_LIMIT,
        help=f"most firm–lever–target cases searched over the engine where ranks move (default {SEARCH_LIMIT})",
    )
    cmd.set_defaults(run=run)


def run(args) -> int:
    ruleset = rules_for(args)
    targets = [parse_target(text, ruleset) for text in args.target] if args.target else None
    result = screen_file(args.input, ruleset, sheet=args.sheet, applicants_only=not args.all)
    answers = what_it_takes(result, rows=args.row, targets=targets, search_limit=args.search_limit)
    show_and_write(
        args,
        whatif_table(result, answers, args.lang),
        2,
        lambda: whatif_json(result, answers),
        lambda: write_analysis_xlsx(result, whatif=answers, lang=args.lang),
    )
    return 0


def whatif_json(result: Result, answers: WhatIf) -> bytes:
    firms = []
    for (row, name, decision, score), group in answers.changes.groupby(
        ["source_row", "name", "decision", "score"], sort=False, dropna=False
    ):
        changes = [
            {
                "input": c.input,
                "current": number(c.current),
                "needed": number(c.needed),
                "target": c.target,
                "change": number(c.change),
                "method": c.method,
                "note": c.note,
            }
            for c in group.itertuples(index=False)
        ]
        firms.append(
            {"source_row": int(row), "name": name, "decision": decision, "score": number(score), "changes": changes}
        )
    payload = {
        "park": result.ruleset.model.park.id,
        "rules_version": result.ruleset.model.version,
        "rules_sha256": result.ruleset.sha256,
        "levers": answers.levers,
        "firms": firms,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
