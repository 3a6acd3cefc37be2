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

import numpy as np
import pandas as pd

from ..analysis.robustness import RobustnessResult, robustness
from ..analysis.weights import parse_weights
from ..engine.result import Result
from ..pipeline import screen_file
from ..report.analysis_sheets import robustness_table, write_analysis_xlsx
from .analysis_common import add_common, number, rules_for, show_and_write
from .common import usage_error


def add(commands) -> None:
    cmd = commands.add_parser("robustness", help="decisions under uncertain weights: core / borderline / exterior")
    add_common(cmd, top=20)
    cmd.add_argument(
        "--weights", default="uniform", help="uniform | spread:0.2 | a YAML file of ranges and orders (see docs)"
    )
    cmd.add_argument("--samples", type=_positive, default=10_000, help="weightings sampled (default 10000)")
    cmd.add_argument("--seed", type=int, default=0, help="random seed (default 0): same seed, same answer")
    cmd.add_argument("--rank-depth", type=int, default=100, help="ranks counted in rank_acceptability (default 100)")
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
    ruleset = rules_for(args)
    info = parse_weights(args.weights)
    result = screen_file(args.input, ruleset, sheet=args.sheet, applicants_only=not args.all)
    found = robustness(result, info, samples=args.samples, seed=args.seed, rank_depth=args.rank_depth)
    for message in found.issues["message_zh" if args.lang == "zh" else "message_en"]:
        print(message, file=sys.stderr)
    counts = " · ".join(f"{label.label(args.lang)} {n}" for label, n in found.counts().items())
    print(f"{args.samples} × {info.source} (seed {args.seed}): {counts}\n")
    show_and_write(
        args,
        robustness_table(result, found, args.lang).iloc[:, :7],
        3,
        lambda: robustness_json(result, found),
        lambda: write_analysis_xlsx(result, robust=found, lang=args.lang),
    )
    return 0


def _trimmed(values: np.ndarray) -> list[float]:
    nonzero = np.flatnonzero(values)
    return [float(v) for v in values[: nonzero[-1] + 1]] if len(nonzero) else []


def robustness_json(result: Result, found: RobustnessResult) -> bytes:
    firms = []
    central = found.central_weights.to_numpy()
    classes = found.class_probability
    klass = found.firms["class"].astype(object).to_numpy()
    for i, firm in enumerate(found.firms.itertuples(index=False)):
        firms.append(
            {
                "source_row": int(firm.source_row),
                "name": firm.name,
                "decision": firm.decision,
                "class": None if pd.isna(klass[i]) else str(klass[i]),
                "score": number(firm.score),
                "p_admit": number(firm.p_admit),  # null for an evaluation: it admits nobody
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
    return json.dumps(payload, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")
