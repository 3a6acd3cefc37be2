"""Command line: ``python -m screening ...``.

    python -m screening score INPUT --rules RULES [--set ID=VALUE ...] [--out FILE] [--sheet NAME]
    python -m screening rules check FILE [FILE ...]
    python -m screening rules params FILE

Exit codes: 0 done; 2 bad input or bad rules (one line per problem saying what to fix, no
traceback); 1 an internal error.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

from ..engine.result import DECISION_LABELS, Result
from ..issues.record import ScreeningError, catalogue_markdown
from ..pipeline import screen_file
from ..report.explain import failed_gates
from ..report.export import write_csv, write_json, write_rules, write_xlsx
from ..rules.loading import (
    RULES_DIR,
    RuleSet,
    apply_overrides,
    check_rules,
    format_parameter,
    load_rules,
    parse_override,
)

WRITERS = {".csv": write_csv, ".json": write_json, ".xlsx": write_xlsx, ".yaml": write_rules}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ScreeningError as exc:
        for issue in exc.issues:
            print(issue.one_line(args.lang), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # an internal error: say so plainly, never dump a traceback on the official
        print(f"internal error / 内部错误: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m screening", description="入园甄别 · park-entry screening")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of messages (default zh)")
    commands = parser.add_subparsers(dest="command", required=True)

    score = commands.add_parser("score", help="screen a firm list against a park's rules")
    score.add_argument("input", type=Path, help="firm list: .xlsx, .xlsm, .xls or .csv")
    score.add_argument("--rules", required=True, help="rule file path, or a profile id such as smart-mfg-town")
    score.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="ID=VALUE",
        help="override a tunable parameter, e.g. gate.min-tax-per-mu=35 (repeatable)",
    )
    score.add_argument("--sheet", help="sheet to read (default: the one that matches the rules best)")
    score.add_argument("--out", type=Path, help="write the result: .csv, .json, .xlsx (or .yaml: the adjusted rules)")
    score.add_argument("--top", type=int, default=20, help="rows to print (default 20)")
    score.add_argument(
        "--all", action="store_true", help="screen every firm, also those whose 拟入园区 names another park"
    )
    score.set_defaults(run=_score)

    rules = commands.add_parser("rules", help="work with rule files")
    rule_commands = rules.add_subparsers(dest="rules_command", required=True)
    check = rule_commands.add_parser("check", help="validate rule files")
    check.add_argument("files", nargs="+", type=Path)
    check.set_defaults(run=_check)
    params = rule_commands.add_parser("params", help="list the tunable parameters of a rule file")
    params.add_argument("file")
    params.set_defaults(run=_params)

    docs = commands.add_parser("docs", help="regenerate docs/errors.md from the issue catalogue")
    docs.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "docs" / "errors.md")
    docs.set_defaults(run=_docs)
    return parser


def _docs(args) -> int:
    args.out.write_text(catalogue_markdown() + "\n", encoding="utf-8")
    print(f"→ {args.out}")
    return 0


def resolve_rules(name: str) -> RuleSet:
    path = Path(name)
    if not path.exists() and (RULES_DIR / f"{name}.yaml").exists():
        path = RULES_DIR / f"{name}.yaml"
    return load_rules(path)


def _score(args) -> int:
    ruleset = resolve_rules(args.rules)
    overrides = dict(parse_override(text) for text in args.set)
    if overrides:
        ruleset = apply_overrides(ruleset, overrides)
    if args.out is not None and args.out.suffix.lower() not in WRITERS:
        raise_usage(f"--out must end in {', '.join(WRITERS)}")
    result = screen_file(args.input, ruleset, sheet=args.sheet, applicants_only=not args.all)
    print(summary_text(result, args.top, args.lang))
    if args.out is not None:
        writer = WRITERS[args.out.suffix.lower()]
        data = writer(result, args.lang) if writer is write_xlsx else writer(result)
        args.out.write_bytes(data)
        print(f"\n→ {args.out}")
    return 0


def raise_usage(message: str) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(2)


def _check(args) -> int:
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


def _params(args) -> int:
    ruleset = resolve_rules(args.file)
    rows = [
        (p.id, p.group, format_parameter(p.value), f"{p.low:g}–{p.high:g}", p.unit, p.label.get(args.lang))
        for p in ruleset.parameters.values()
    ]
    print(table(["parameter", "group", "value", "range", "unit", "label"], rows))
    return 0


def summary_text(result: Result, top: int, lang: str) -> str:
    rs = result.ruleset
    counts = result.counts()
    words = " · ".join(f"{DECISION_LABELS[k][lang]} {v}" for k, v in counts.items())
    lines = [
        f"{rs.model.park.name.get(lang)} ({rs.model.park.id} {rs.model.version}) — {result.size} "
        f"{'家企业' if lang == 'zh' else 'firms'}: {words}"
    ]
    if rs.changes:
        changes = ", ".join(
            f"{c.parameter} {format_parameter(c.standard)}→{format_parameter(c.used)}" for c in rs.changes
        )
        lines.append(("调整参数：" if lang == "zh" else "changed: ") + changes)
    errors = int((result.issues["severity"] == "error").sum())
    warnings = int((result.issues["severity"] == "warning").sum())
    lines.append(
        f"数据问题：{errors} 个错误，{warnings} 个警告；跳过非企业行 {len(result.skipped)} 行"
        if lang == "zh"
        else f"data issues: {errors} errors, {warnings} warnings; {len(result.skipped)} non-firm rows skipped"
    )
    if len(result.elsewhere):
        lines.append(
            f"申请其他园区、未参与甄别：{len(result.elsewhere)} 家（加 --all 可全部甄别）"
            if lang == "zh"
            else f"{len(result.elsewhere)} firms apply to other parks and were not screened (--all screens them)"
        )
    ranked = result.ranked().head(top)
    fails = failed_gates(result).loc[ranked.index]
    rows = []
    for index, firm in ranked.iterrows():
        rank = "" if firm["rank"] is None or str(firm["rank"]) == "<NA>" else str(firm["rank"])
        total = "" if firm["total"] != firm["total"] else f"{firm['total']:.1f}"
        rows.append(
            (
                rank,
                str(firm.get("name", ""))[:18],
                DECISION_LABELS[firm["decision"]][lang],
                "" if str(firm["class"]) == "<NA>" else str(firm["class"]),
                total,
                fails.loc[index],
            )
        )
    headers = (
        ["排名", "企业", "结论", "等级", "得分", "未通过门槛"]
        if lang == "zh"
        else ["rank", "firm", "decision", "class", "score", "failed gates"]
    )
    lines += ["", table(headers, rows)]
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(headers: list[str], rows: list[tuple]) -> str:
    widths = [max([_width(h)] + [_width(str(r[i])) for r in rows]) for i, h in enumerate(headers)]

    def line(cells) -> str:
        return "  ".join(str(c) + " " * (w - _width(str(c))) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])
