"""``python -m screening rounds save|list|show|compare|pack|decide``: the working group's saved rounds.

rounds save INPUT… --rules R [--set ID=V …] --name NAME [--db PATH] [--by NAME]
rounds list [--db PATH] [--json]
rounds show NAME [--db PATH] [--json] [--verify]
rounds compare NAME_A NAME_B [--db PATH] --out diff.json
rounds pack ROUND --out pack.xlsx [--db PATH]
rounds decide ROUND --from pack.xlsx [--db PATH] [--by NAME]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..issues.record import ScreeningError, make_issue
from ..rules.overrides import parse_override
from ..store.access import actor_for
from ..store.compare import compare_rounds
from ..store.meeting import build_pack, record_decisions
from ..store.rounds import InputFile, list_rounds, reopen, round_info, round_snapshot, save_round
from ..store.workspace import open_workspace
from ..vocabulary import Decision
from .common import resolve_rules, table


def add(commands) -> None:
    rounds = commands.add_parser("rounds", help="saved screening rounds of the working group")
    sub = rounds.add_subparsers(dest="rounds_command", required=True)
    save = _with_db(sub.add_parser("save", help="screen a list and save it as a round"))
    save.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="firm list(s): .xlsx, .xls or .csv")
    save.add_argument("--rules", required=True, help="rule file path, or a profile id such as smart-mfg-town")
    save.add_argument("--set", action="append", default=[], metavar="ID=VALUE", help="override a tunable parameter")
    save.add_argument("--name", required=True, help="the round's name (unique)")
    save.add_argument("--sheet", help="sheet to read (default: the one that matches the rules best)")
    save.add_argument("--all", action="store_true", help="screen every firm, also those applying to other parks")
    save.add_argument("--by", help="who saves it (default: this machine's user)")
    save.set_defaults(run=run_save)
    listing = _with_db(sub.add_parser("list", help="list the saved rounds"))
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(run=run_list)
    show = _with_db(sub.add_parser("show", help="what a saved round decided"))
    show.add_argument("name")
    show.add_argument("--json", action="store_true")
    show.add_argument("--verify", action="store_true", help="re-screen the stored file with the stored rules too")
    show.set_defaults(run=run_show)
    compare = _with_db(sub.add_parser("compare", help="who entered and who left between two rounds, and why"))
    compare.add_argument("name_a")
    compare.add_argument("name_b")
    compare.add_argument("--out", type=Path, required=True, help="diff.json")
    compare.set_defaults(run=run_compare)
    pack = _with_db(sub.add_parser("pack", help="the meeting pack of a round (xlsx)"))
    pack.add_argument("name")
    pack.add_argument("--out", type=Path, required=True)
    pack.set_defaults(run=run_pack)
    decide = _with_db(sub.add_parser("decide", help="store the decisions typed into a meeting pack"))
    decide.add_argument("name")
    decide.add_argument("--from", dest="source", type=Path, required=True, help="the filled-in pack.xlsx")
    decide.add_argument("--by", help="who records them (default: this machine's user)")
    decide.set_defaults(run=run_decide)


def _with_db(parser):
    parser.add_argument("--db", type=Path, help="workspace database (default: the data directory's)")
    return parser


def read_input(path: Path) -> InputFile:
    try:
        return InputFile(path.name, path.read_bytes())
    except OSError:
        raise ScreeningError([make_issue("file-not-found", value=str(path))]) from None


def run_save(args) -> int:
    ruleset = resolve_rules(args.rules)
    overrides = dict(parse_override(text) for text in args.set)
    inputs = [read_input(path) for path in args.inputs]
    ws = open_workspace(args.db)
    info = save_round(
        ws,
        args.name,
        inputs,
        ruleset,
        overrides,
        actor_for(ws, args.by),
        sheet=args.sheet,
        applicants_only=not args.all,
    )
    words = " · ".join(f"{Decision(k).label(args.lang)} {v}" for k, v in info.counts.items())
    print(f"{info.name}: {info.park} {info.rules_version} — {words}")
    print(f"→ {ws.path}")
    return 0


def run_list(args) -> int:
    frame = list_rounds(open_workspace(args.db))
    if args.json:
        print(frame.to_json(orient="records", force_ascii=False, indent=1))
        return 0
    rows = [tuple(r) for r in frame.itertuples(index=False)]
    print(table(list(frame.columns), rows) if rows else "—")
    return 0


def run_show(args) -> int:
    ws = open_workspace(args.db)
    info, snapshot = round_info(ws, args.name), round_snapshot(ws, args.name)
    issues = reopen(ws, args.name).issues if args.verify else []
    firms = snapshot.firms
    if args.json:
        payload = {"round": info.name, "park": info.park, "rules_version": info.rules_version, "counts": info.counts,
                   "changes": snapshot.changes, "created_by": info.created_by, "created_at": info.created_at,
                   "firms": json.loads(firms.to_json(orient="records", force_ascii=False))}  # fmt: skip
        print(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        words = " · ".join(f"{Decision(k).label(args.lang)} {v}" for k, v in info.counts.items())
        print(f"{info.name}: {info.park} {info.rules_version} ({info.created_by}, {info.created_at}) — {words}")
        for change in snapshot.changes:
            print(f"  {change['parameter']}: {change['standard']} → {change['used']}")
        shown = firms.sort_values(["rank", "source_row"], na_position="last").head(20)
        rows = list(
            zip(
                shown["source_row"],
                shown["name"] if "name" in shown else [""] * len(shown),
                [Decision(d).label(args.lang) for d in shown["decision"]],
                shown["class"].fillna(""),
                shown["score"].round(2),
                strict=True,
            )
        )
        print(table(["row", "name", "decision", "class", "score"], rows))
    for issue in issues:
        print(issue.one_line(args.lang), file=sys.stderr)
    return 0


def run_compare(args) -> int:
    diff = compare_rounds(open_workspace(args.db), args.name_a, args.name_b, args.lang)
    args.out.write_text(json.dumps(diff, ensure_ascii=False, indent=1), encoding="utf-8")
    entered, left = len(diff["entered"]), len(diff["left"])
    print(f"{args.name_a} → {args.name_b}: +{entered} / -{left}")
    for record in diff["entered"] + diff["left"]:
        sign = "+" if record in diff["entered"] else "-"
        print(f"  {sign} {record['source_row']} {record['name']}: {'；'.join(w['text'] for w in record['why'])}")
    print(f"→ {args.out}")
    return 0


def run_pack(args) -> int:
    args.out.write_bytes(build_pack(open_workspace(args.db), args.name, args.lang))
    print(f"→ {args.out}")
    return 0


def run_decide(args) -> int:
    ws = open_workspace(args.db)
    data = read_input(args.source)
    report = record_decisions(ws, args.name, data.data, data.name, actor_for(ws, args.by))
    if args.lang == "zh":
        print(f"已记录 {report.stored} 项会议决定；未决定 {len(report.undecided)} 家")
    else:
        print(f"{report.stored} decisions stored; {len(report.undecided)} firms left undecided")
    return 0
