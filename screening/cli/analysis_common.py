"""What the two analysis commands (``whatif``, ``robustness``) share: arguments, rules, output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ..rules.loading import RuleSet
from ..rules.overrides import apply_overrides, parse_override
from .common import resolve_rules, table, usage_error

OUTPUTS = (".json", ".xlsx")


def add_common(cmd, top: int) -> None:
    cmd.add_argument("input", type=Path, help="firm list: .xlsx, .xlsm, .xls or .csv")
    cmd.add_argument("--rules", required=True, help="rule file path, or a profile id such as smart-mfg-town")
    cmd.add_argument("--set", action="append", default=[], metavar="ID=VALUE", help="override a tunable parameter")
    cmd.add_argument("--sheet", help="sheet to read")
    cmd.add_argument("--all", action="store_true", help="screen every firm, also those applying to other parks")
    cmd.add_argument("--out", type=Path, help="write the answers: .json or .xlsx")
    cmd.add_argument("--top", type=int, default=top, help=f"rows to print (default {top})")


def rules_for(args) -> RuleSet:
    """The rule file with ``--set`` applied; a wrong ``--out`` suffix stops here (exit code 2)."""
    if args.out is not None and args.out.suffix.lower() not in OUTPUTS:
        usage_error(f"--out must end in {', '.join(OUTPUTS)}")
    ruleset = resolve_rules(args.rules)
    overrides = dict(parse_override(text) for text in args.set)
    return apply_overrides(ruleset, overrides) if overrides else ruleset


def show_and_write(args, shown: pd.DataFrame, digits: int, as_json: Callable[[], bytes], as_xlsx: Callable[[], bytes]):
    """Print the first rows as a table; write the JSON or the workbook if asked."""
    rows = [tuple(_cell(v, digits) for v in row) for row in shown.head(args.top).itertuples(index=False)]
    print(table(list(shown.columns), rows))
    if args.out is not None:
        args.out.write_bytes(as_json() if args.out.suffix.lower() == ".json" else as_xlsx())
        print(f"\n→ {args.out}")


def _cell(value, digits: int) -> str:
    if isinstance(value, float):
        return "" if np.isnan(value) else f"{value:,.{digits}f}"
    return "" if value is None else str(value)


def number(value) -> float | None:
    """A JSON number, or null for missing and infinite values."""
    return None if value is None or (isinstance(value, float) and not np.isfinite(value)) else float(value)
