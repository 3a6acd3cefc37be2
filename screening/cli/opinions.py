"""``python -m screening opinions add|list|missing``: the departments' opinions on a round's firms.

opinions add ROUND --row N --dept econ|tech|env|safety --verdict agree|disagree|conditional
    [--conditions TEXT] [--note TEXT] --by NAME [--db PATH]
opinions list ROUND [--row N] [--history] [--json] [--db PATH]
opinions missing ROUND [--json] [--db PATH]
"""

from __future__ import annotations

from pathlib import Path

from ..store.access import actor_for
from ..store.opinions import add_opinion, missing_by_department, missing_opinions, opinions_frame
from ..store.workspace import open_workspace
from ..vocabulary import WORKING_GROUP, Department, Verdict
from .common import table


def add(commands) -> None:
    opinions = commands.add_parser("opinions", help="department opinions on the firms of a round")
    sub = opinions.add_subparsers(dest="opinions_command", required=True)
    new = sub.add_parser("add", help="record a department's opinion on a firm (append-only)")
    new.add_argument("round")
    new.add_argument("--row", type=int, required=True, help="the firm's Excel row in the round's list")
    new.add_argument("--dept", required=True, help=", ".join(f"{d.value} ({d.zh})" for d in WORKING_GROUP))
    new.add_argument("--verdict", required=True, help=Verdict.choices())
    new.add_argument("--conditions", default="", help="the conditions of a conditional agreement")
    new.add_argument("--note", default="")
    new.add_argument("--by", required=True, help="who gives the opinion")
    new.set_defaults(run=run_add)
    listing = sub.add_parser("list", help="the current opinions of a round (or their whole history)")
    listing.add_argument("round")
    listing.add_argument("--row", type=int)
    listing.add_argument("--history", action="store_true")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=run_list)
    missing = sub.add_parser("missing", help="review firms still missing a department's opinion")
    missing.add_argument("round")
    missing.add_argument("--json", action="store_true")
    missing.set_defaults(run=run_missing)
    for parser in (new, listing, missing):
        parser.add_argument("--db", type=Path, help="workspace database (default: the data directory's)")


def run_add(args) -> int:
    ws = open_workspace(args.db)
    actor = actor_for(ws, args.by)
    entry = add_opinion(ws, args.round, args.row, args.dept, args.verdict, actor, args.conditions, args.note)
    print(f"#{entry}: {args.round} row {args.row} {args.dept} {args.verdict} ({actor.name})")
    return 0


def run_list(args) -> int:
    frame = opinions_frame(open_workspace(args.db), args.round, history=args.history)
    if args.row is not None:
        frame = frame[frame["source_row"] == args.row]
    if args.json:
        print(frame.to_json(orient="records", force_ascii=False, indent=1))
        return 0
    rows = [
        (r.source_row, Department(r.department).label(args.lang), Verdict(r.verdict).label(args.lang),
         r.conditions, r.note, r.author, r.at)
        for r in frame.itertuples(index=False)
    ]  # fmt: skip
    print(table(["row", "department", "verdict", "conditions", "note", "by", "at"], rows) if rows else "—")
    return 0


def run_missing(args) -> int:
    missing = missing_opinions(open_workspace(args.db), args.round)
    if args.json:
        print(missing.to_json(orient="records", force_ascii=False, indent=1))
        return 0
    counts = missing_by_department(missing)
    print(" · ".join(f"{d.label(args.lang)} {n}" for d, n in counts.items()))
    rows = [(r.source_row, r.name, Department(r.department).label(args.lang)) for r in missing.itertuples(index=False)]
    print(table(["row", "name", "department"], rows) if rows else "—")
    return 0
