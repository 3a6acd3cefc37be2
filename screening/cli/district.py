"""``python -m screening district``: the whole relocation batch against every park, land allocated optimally.

    python -m screening district INPUT [INPUT…] [--rules-dir rules/ | --rules A --rules B …]
        [--quota PARK_ID=MU …] [--budget WAN] [--objective score|tax|net] [--years N]
        [--force-in ROW[=PARK] …] [--force-out ROW …] [--out result.json|.xlsx]
        [--share S --ramp-up Y --rate R] [--tax-line WAN …] [--frontier district|PARK] [--time-limit S]

ROW is the Excel row (``FILE:ROW`` when several lists are given). Exit 0 done; 2 bad input, bad
rules or an allocation that cannot be made (forced-in firms that do not fit), with what to fix.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import pandas as pd

from ..district import Options, Retention, district_matrix, find_firm, load_batch, read_paths
from ..district.plan import DistrictPlan, allocate
from ..issues.record import ScreeningError, make_issue
from ..report.district_sheets import write_district_json, write_district_xlsx
from ..rules.loading import RULES_DIR, list_rule_files, load_rules
from ..vocabulary import IssueSeverity, Objective
from .common import resolve_rules, table, usage_error

WRITERS = (".json", ".xlsx")


def add(commands) -> None:
    district = commands.add_parser("district", help="every park at once: matrix, optimal land allocation, money")
    district.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="firm lists: .xlsx, .xls or .csv")
    source = district.add_mutually_exclusive_group()
    source.add_argument("--rules-dir", type=Path, help="every park profile in this folder (default: rules/)")
    source.add_argument("--rules", action="append", help="a park's rule file or profile id (repeatable)")
    district.add_argument("--quota", action="append", default=[], metavar="PARK=MU", help="land quota in 亩")
    district.add_argument("--budget", type=float, metavar="WAN", help="district compensation budget, 万元")
    district.add_argument("--objective", choices=[o.value for o in Objective], default=Objective.SCORE.value)
    district.add_argument("--years", type=int, help="years N for the net objective and the present value")
    district.add_argument("--force-in", action="append", default=[], metavar="ROW[=PARK]", help="must get land")
    district.add_argument("--force-out", action="append", default=[], metavar="ROW", help="must not get land")
    district.add_argument("--share", type=float, help="the district's share of a firm's tax (0–1]; no default")
    district.add_argument("--ramp-up", type=float, default=0.0, help="years to full production (default 0)")
    district.add_argument("--rate", type=float, default=0.0, help="annual discount rate, e.g. 0.05 (default 0)")
    district.add_argument("--tax-line", action="append", type=float, default=[], metavar="WAN", help="tax line, 万元")
    district.add_argument("--frontier", metavar="district|PARK", help="what each extra --step 亩 would buy")
    district.add_argument("--step", type=float, default=50.0, help="frontier step in 亩 (default 50)")
    district.add_argument("--steps", type=int, default=20, help="frontier steps (default 20)")
    district.add_argument("--time-limit", type=float, default=10.0, help="seconds for the exact solve (default 10)")
    district.add_argument("--sheet", help="sheet to read in every list")
    district.add_argument("--out", type=Path, help="write the result: .json or .xlsx")
    district.add_argument("--top", type=int, default=15, help="firms to print (default 15)")
    district.set_defaults(run=run)


def run(args) -> int:
    if args.out is not None and args.out.suffix.lower() not in WRITERS:
        usage_error(f"--out must end in {' or '.join(WRITERS)}")
    batch = load_batch(read_paths(args.inputs), _rulesets(args), sheet=args.sheet)
    options = _options(args, batch)
    with _quiet_native_output():  # HiGHS 1.12 prints a stray debug line (ERGO-Code/HiGHS#2783)
        plan = allocate(batch, district_matrix(batch), options)
        frontier = plan.frontier(args.frontier, args.step, args.steps) if args.frontier else None
    print(summary_text(plan, args.top, args.lang))
    if args.out is not None:
        writer = write_district_json if args.out.suffix.lower() == ".json" else None
        data = writer(plan, frontier) if writer else write_district_xlsx(plan, args.lang, frontier)
        args.out.write_bytes(data)
        print(f"\n→ {args.out}")
    if plan.solution.status == "infeasible":
        raise ScreeningError([make_issue("district-infeasible")])
    return 0


def _rulesets(args) -> list:
    if args.rules:
        return [resolve_rules(name) for name in args.rules]
    folder = args.rules_dir or RULES_DIR
    files = list_rule_files(folder)
    if not files:
        usage_error(f"no rule files (*.yaml) in {folder}")
    return [load_rules(path) for path in files]


def _options(args, batch) -> Options:
    quotas = dict(_pair(text, "--quota PARK=MU", float) for text in args.quota)
    force_in = {}
    for text in args.force_in:
        row, _, park = text.partition("=")
        force_in[find_firm(batch, row)] = park or None
    return Options(
        objective=Objective(args.objective),
        years=args.years,
        quotas=quotas,
        budget=args.budget,
        force_in=force_in,
        force_out=frozenset(find_firm(batch, row) for row in args.force_out),
        retention=Retention(args.share, args.ramp_up, args.rate),
        tax_lines=tuple(args.tax_line),
        time_limit=args.time_limit,
    )


def _pair(text: str, shape: str, convert):
    key, sep, value = text.partition("=")
    try:
        if not sep or not key:
            raise ValueError(text)
        return key.strip(), convert(value)
    except ValueError:
        usage_error(f"{text!r}: expected {shape}")


@contextlib.contextmanager
def _quiet_native_output():
    """Silence what native code writes to this process's stdout while solving (our own prints come after)."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (an embedded run): nothing to silence
        yield
        return
    with open(os.devnull, "w") as sink:
        os.dup2(sink.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


LINES = {
    "zh": {
        "head": "园区：{parks} — {size} 家企业",
        "solver": "目标：{objective} · 求解：{status}（{seconds:.2f} 秒）",
        "totals": "{label}：{firms} 家，目标值 {objective:,.1f}，用地 {land:,.1f} 亩，"
        "年税收 {tax:,.1f} 万元，补偿 {compensation:,.1f} 万元",
        "optimum": "最优方案",
        "greedy": "排序法",
        "changes": "与排序法不同：{changes}",
        "issues": "数据问题：{errors} 个错误，{warnings} 个警告",
    },
    "en": {
        "head": "parks: {parks} — {size} firms",
        "solver": "objective: {objective} · solver: {status} ({seconds:.2f} s)",
        "totals": "{label}: {firms} firms, value {objective:,.1f}, land {land:,.1f} mu, tax {tax:,.1f}, "
        "compensation {compensation:,.1f} (10k yuan)",
        "optimum": "optimum",
        "greedy": "rank order",
        "changes": "differs from rank order: {changes}",
        "issues": "data issues: {errors} errors, {warnings} warnings",
    },
}


def summary_text(plan: DistrictPlan, top: int, lang: str) -> str:
    words = LINES[lang]
    changed = plan.differences["change"].value_counts()
    severity = plan.issues["severity"]
    lines = [
        words["head"].format(parks="、".join(plan.parks[f"name_{lang}"]), size=plan.batch.size),
        words["solver"].format(
            objective=plan.options.objective.label(lang), status=plan.status, seconds=plan.solution.seconds
        ),
        words["totals"].format(label=words["optimum"], **plan.totals),
        words["totals"].format(label=words["greedy"], **plan.greedy_totals),
        words["changes"].format(changes=", ".join(f"{k} {int(v)}" for k, v in changed.items()) or "—"),
        words["issues"].format(
            errors=int((severity == IssueSeverity.ERROR).sum()), warnings=int((severity == IssueSeverity.WARNING).sum())
        ),
    ]
    return "\n".join([*lines, "", _allocation_table(plan, top, lang)])


def _allocation_table(plan: DistrictPlan, top: int, lang: str) -> str:
    firms = plan.firms[plan.firms["park"].notna()].sort_values("value", ascending=False).head(top)
    rows = [
        (
            str(f.source_row),
            str(f.name or "")[:16],
            str(f.park),
            "" if pd.isna(f.greedy_park) else str(f.greedy_park),
            f"{f.value:,.1f}",
            f"{f.land:,.1f}",
        )
        for f in firms.itertuples()  # only the printed rows: at most --top
    ]
    headers = (
        ["行", "企业", "园区（最优）", "园区（排序法）", "目标值", "用地"]
        if lang == "zh"
        else ["row", "firm", "park (optimum)", "park (rank order)", "value", "land"]
    )
    return table(headers, rows)
