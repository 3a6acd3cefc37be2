"""``python -m screening score``: screen a firm list against one park's rules; print, and write a file."""

from __future__ import annotations

from pathlib import Path

from ..engine.result import Result
from ..intake.guards import MB, Limits
from ..intake.saved import parse_map_option, read_mapping_file
from ..pipeline import load_sources, screen_table
from ..report.explain import failed_gates
from ..report.writers import write_csv, write_json, write_rules
from ..report.xlsx import write_xlsx
from ..rules.overrides import apply_overrides, parse_override
from ..rules.parameters import format_parameter
from ..vocabulary import Decision, IssueSeverity, ProfileKind
from .common import resolve_rules, table, usage_error
from .intake_text import mapping_text

WRITERS = {
    ".csv": lambda result, lang: write_csv(result),
    ".json": lambda result, lang: write_json(result),
    ".xlsx": write_xlsx,
    ".yaml": lambda result, lang: write_rules(result),
}


def add(commands) -> None:
    score = commands.add_parser("score", help="screen a firm list against a park's rules")
    score.add_argument(
        "input",
        type=Path,
        nargs="+",
        help="firm list(s): .xlsx, .xlsm, .xls or .csv; several are joined on credit codes",
    )
    score.add_argument("--rules", required=True, help="rule file path, or a profile id such as smart-mfg-town")
    score.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="ID=VALUE",
        help="override a tunable parameter, e.g. gate.min-tax-per-mu=35 (repeatable)",
    )
    score.add_argument("--sheet", help="sheet to read (default: the one that matches the rules best)")
    _input_options(score)
    score.add_argument(
        "--out",
        type=Path,
        action="append",
        default=[],
        help="write the result: .csv, .json, .xlsx (or .yaml: the adjusted rules); repeatable, one screening",
    )
    score.add_argument("--top", type=int, default=20, help="rows to print (default 20)")
    score.add_argument(
        "--all", action="store_true", help="screen every firm, also those whose 拟入园区 names another park"
    )
    score.set_defaults(run=run)


def _input_options(score) -> None:
    score.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="INPUT=COLUMN",
        help="use this column for an input: a letter or the header text, e.g. tax_paid=F (repeatable; saved)",
    )
    score.add_argument("--mapping", type=Path, help="a YAML file of INPUT: COLUMN lines (or a saved mapping)")
    score.add_argument("--max-size", type=float, default=20, metavar="MB", help="largest file accepted (default 20)")
    score.add_argument("--max-rows", type=int, default=Limits.max_rows, help="most rows a sheet may have")


def _manual(args) -> dict[str, str | None] | None:
    manual = read_mapping_file(args.mapping) if args.mapping else {}
    manual.update(parse_map_option(text) for text in args.map)
    return manual or None


def run(args) -> int:
    ruleset = resolve_rules(args.rules)
    overrides = dict(parse_override(text) for text in args.set)
    if overrides:
        ruleset = apply_overrides(ruleset, overrides)
    for out in args.out:
        if out.suffix.lower() not in WRITERS:
            usage_error(f"--out must end in {', '.join(WRITERS)}")
    limits = Limits(max_bytes=int(args.max_size * MB), max_rows=args.max_rows)
    loaded = load_sources(args.input, ruleset, sheet=args.sheet, manual=_manual(args), limits=limits)
    result = screen_table(loaded, ruleset, applicants_only=not args.all)
    for out in args.out:  # files first: a closed pipe on the printout (``… | head``) must not lose them
        out.write_bytes(WRITERS[out.suffix.lower()](result, args.lang))
    print(mapping_text(loaded, ruleset, args.lang))
    print(summary_text(result, args.top, args.lang))
    if args.out:
        print("\n" + "\n".join(f"→ {out}" for out in args.out))
    return 0


def summary_text(result: Result, top: int, lang: str) -> str:
    rs = result.ruleset
    counts = result.counts()
    words = " · ".join(f"{d.label(lang)} {n}" for d, n in counts.items())
    if result.is_evaluation:  # an evaluation admits nobody: say what it is, and how the classes fell
        kind = ProfileKind.EVALUATION.label(lang)
        classes = result.summary["class"].value_counts(sort=False)
        words = f"{kind} · {words} · " + " · ".join(f"{c} {n}" for c, n in classes.items())
    firms = "家企业" if lang == "zh" else "firms"
    lines = [f"{rs.model.park.name.get(lang)} ({rs.model.park.id} {rs.model.version}) — {result.size} {firms}: {words}"]
    if rs.changes:
        changes = ", ".join(
            f"{c.parameter} {format_parameter(c.standard)}→{format_parameter(c.used)}" for c in rs.changes
        )
        lines.append(("调整参数：" if lang == "zh" else "changed: ") + changes)
    lines += _issue_lines(result, lang)
    return "\n".join([*lines, "", _ranked_table(result, top, lang)])


def _issue_lines(result: Result, lang: str) -> list[str]:
    errors = int((result.issues["severity"] == IssueSeverity.ERROR).sum())
    warnings = int((result.issues["severity"] == IssueSeverity.WARNING).sum())
    skipped, elsewhere = len(result.skipped), len(result.elsewhere)
    if lang == "zh":
        lines = [f"数据问题：{errors} 个错误，{warnings} 个警告；跳过非企业行 {skipped} 行"]
        if elsewhere:
            lines.append(f"申请其他园区、未参与甄别：{elsewhere} 家（加 --all 可全部甄别）")
        return lines
    lines = [f"data issues: {errors} errors, {warnings} warnings; {skipped} non-firm rows skipped"]
    if elsewhere:
        lines.append(f"{elsewhere} firms apply to other parks and were not screened (--all screens them)")
    return lines


def _ranked_table(result: Result, top: int, lang: str) -> str:
    ranked = result.ranked().head(top)
    fails = failed_gates(result).loc[ranked.index]
    rows = []
    for index, firm in ranked.iterrows():  # only the printed rows: at most --top
        rank = "" if firm["rank"] is None or str(firm["rank"]) == "<NA>" else str(firm["rank"])
        total = "" if firm["total"] != firm["total"] else f"{firm['total']:.1f}"
        klass = "" if str(firm["class"]) in ("<NA>", "nan") else str(firm["class"])
        name = str(firm.get("name", ""))[:18]
        rows.append((rank, name, Decision(firm["decision"]).label(lang), klass, total, fails.loc[index]))
    headers = (
        ["排名", "企业", "结论", "等级", "得分", "未通过门槛"]
        if lang == "zh"
        else ["rank", "firm", "decision", "class", "score", "failed gates"]
    )
    return table(headers, rows)
