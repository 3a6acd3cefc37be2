"""``python -m screening robustness``: would each decision survive another reasonable weighting?

    python -m screening robustness INPUT --rules R [--weights uniform|spread:0.2|FILE.yaml]
                                   [--samples N] [--seed S] --out out.json|out.xlsx

The JSON has ``firms``: one record per firm with ``source_row``, ``name``, ``p_admit``,
``rank_acceptability`` (list, rank 1 first; trailing zeros left off), ``label`` (core / borderline /
exterior), ``dominated_by`` (Excel rows), and its decision, class probabilities and central weights.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from ..analysis.robustness import RobustnessResult, robustness
from ..analysis.weights import parse_weights
from ..engine.result import Result
from ..pipeline import screen_file
from ..report.analysis_sheets import robustness_table, write_analysis_xlsx
from ..rules.overrides import apply_overrides, parse_override
from .common import resolve_rules, table, usage_error

OUTPUTS = (".json", ".xlsx")


def add(commands) -> None:
    cmd = commands.add_parser("robustness", help="decisions under uncertain weights: core / borderline / exterior")
    cmd.add_argument("input", type=Path, help="firm list: .xlsx, .xlsm, .xls or .csv")
    cmd.add_argument("--rules", required=True, help="rule file path, or a profile id such as smart-mfg-town")
    cmd.add_argument(
        "--weights", default="uniform", help="uniform | spread:0.2 | a YAML file of ranges and orders (see docs)"
    )
    cmd.add_argument("--samples", type=_positive, default=10_000, help="weightings sampled (default 10000)")
    cmd.add_argument("--seed", type=int, default=0, help="random seed (default 0): same seed, same answer")
    cmd.add_argument("--rank-depth", type=int, default=100, help="ranks counted in rank_acceptability (default 100)")
    cmd.add_argument("--set", action="append", default=[], metavar="ID=VALUE", help="override a tunable parameter")
    cmd.add_argument("--sheet", help="sheet to read")
    cmd.add_argument("--all", action="store_true", help="screen every firm, also those applying to other parks")
    cmd.add_argument("--out", type=Path, help="write the answers: .json or .xlsx")
    cmd.add_argument("--top", type=int, default=20, help="rows to print (default 20)")
    cmd.set_defaults(run=run)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        usage_error(f"--samples must be a positive whole number, not {text!r}")
    return value


def run(args) -> int:
    if args.out is not None and args.out.suffix.lower() not in OUTPUTS:
        usage_error(f"--out must end in {', '.join(OUTPUTS)}")
    ruleset = resolve_rules(args.rules)
    overrides = dict(parse_override(text) for text in args.set)
    if overrides:
        ruleset = apply_overrides(ruleset, overrides)
    info = parse_weights(args.weights)
    result = screen_file(args.input, ruleset, sheet=args.sheet, applicants_only=not args.all)
    found = robustness(result, info, samples=args.samples, seed=args.seed, rank_depth=args.rank_depth)
    for message in found.issues["message_zh" if args.lang == "zh" else "message_en"]:
        print(message, file=sys.stderr)
    counts = " · ".join(f"{label.label(args.lang)} {n}" for label, n in found.counts().items())
    print(f"{args.samples} × {info.source} (seed {args.seed}): {counts}\n")
    shown = robustness_table(result, found, args.lang).iloc[:, :7].head(args.top)
    print(table(list(shown.columns), [tuple(_cell(v) for v in row) for row in shown.itertuples(index=False)]))
    if args.out is not None:
        if args.out.suffix.lower() == ".json":
            args.out.write_bytes(robustness_json(result, found))
        else:
            args.out.write_bytes(write_analysis_xlsx(result, robust=found, lang=args.lang))
        print(f"\n→ {args.out}")
    return 0


def _cell(value) -> str:
    if isinstance(value, float):
        return "" if np.isnan(value) else f"{value:,.3f}"
    return "" if value is None else str(value)


def _trimmed(values: np.ndarray) -> list[float]:
    nonzero = np.flatnonzero(values)
    return [float(v) for v in values[: nonzero[-1] + 1]] if len(nonzero) else []


def robustness_json(result: Result, found: RobustnessResult) -> bytes:
    firms = []
    central = found.central_weights.to_numpy()
    classes = found.class_probability
    for i, firm in enumerate(found.firms.itertuples(index=False)):
        firms.append(
            {
                "source_row": int(firm.source_row),
                "name": firm.name,
                "decision": firm.decision,
                "class": None if firm._3 is None or firm._3 != firm._3 else str(firm._3),
                "score": None if np.isnan(firm.score) else float(firm.score),
                "p_admit": float(firm.p_admit),
                "label": firm.label,
                "class_probability": {str(c): float(classes[c].iat[i]) for c in classes.columns},
                "rank_acceptability": _trimmed(found.rank_acceptability[i]),
                "central_weights": None
                if np.isnan(central[i]).all()
                else dict(zip(found.criteria, map(float, central[i]), strict=True)),
                "dominated_by": list(firm.dominated_by),
            }
        )
    payload = {
        "park": result.ruleset.model.park.id,
        "rules_version": result.ruleset.model.version,
        "weights": found.info.source,
        "samples": found.samples,
        "seed": found.seed,
        "counts": {str(k): v for k, v in found.counts().items()},
        "warnings": list(found.issues["message_en"]),
        "criteria": found.criteria,
        "firms": firms,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
