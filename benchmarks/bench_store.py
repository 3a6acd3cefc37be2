"""The working group's workspace: what saving, opening, comparing and the meeting pack cost.

For a demo-shaped list of N firms all applying to 智造新城 (so every firm is screened), in one fresh
process: save a round (screen + snapshot + one transaction), save a second round with a threshold
moved, open a round's stored decisions, reopen it (re-screen from the stored bytes and rule text),
compare the two, add 200 opinions, build the meeting pack, read 50 decisions back. Reference:
``pipeline.screen_file`` of the same bytes (the screening alone). Figures are printed, never asserted.

    python benchmarks/bench_store.py [--sizes 500 5000]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, big_workbook, run_case


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def case(n: int) -> dict:
    import openpyxl

    from screening.pipeline import screen_file
    from screening.rules.loading import load_rules
    from screening.store.access import local_actor
    from screening.store.compare import compare_rounds
    from screening.store.meeting import build_pack, record_decisions
    from screening.store.opinions import add_opinion
    from screening.store.rounds import InputFile, reopen, round_snapshot, save_round
    from screening.store.workspace import open_workspace

    folder = Path(tempfile.mkdtemp())
    big_workbook(n, folder / "list.xlsx", park="智造新城")
    data, rules = (folder / "list.xlsx").read_bytes(), load_rules(ROOT / "rules" / "smart-mfg-town.yaml")
    ws, me = open_workspace(folder / "w.sqlite3"), local_actor("bench")
    figures = {"n": n}
    _, figures["screen_only"] = _timed(lambda: screen_file(data, rules, file_name="list.xlsx"))
    save = lambda name, o: save_round(ws, name, [InputFile("list.xlsx", data)], rules, o, me)  # noqa: E731
    _, figures["save"] = _timed(lambda: save("A", {}))
    _, figures["save_second"] = _timed(lambda: save("B", {"gate.min-tax-per-mu": 20.0}))
    snap, figures["open_snapshot"] = _timed(lambda: round_snapshot(ws, "A"))
    _, figures["reopen_rescreen"] = _timed(lambda: reopen(ws, "A"))
    diff, figures["compare"] = _timed(lambda: compare_rounds(ws, "A", "B"))
    rows = snap.firms["source_row"].tolist()[:50]
    _, seconds = _timed(
        lambda: [add_opinion(ws, "A", r, d, "agree", me) for r in rows for d in ("econ", "tech", "env", "safety")]
    )
    figures["opinion_each"] = seconds / (4 * len(rows))
    pack, figures["pack"] = _timed(lambda: build_pack(ws, "A"))
    book = openpyxl.load_workbook(io.BytesIO(pack))
    sheet = book["会议决定"]
    column = [c.value for c in sheet[2]].index("会议决定") + 1
    screening = [c.value for c in sheet[2]].index("甄别结论") + 1
    for r in range(3, min(sheet.max_row, 52) + 1):
        sheet.cell(r, column, sheet.cell(r, screening).value)  # the meeting follows the screening
    buffer = io.BytesIO()
    book.save(buffer)
    _, figures["decide"] = _timed(lambda: record_decisions(ws, "A", buffer.getvalue(), "pack.xlsx", me))
    figures["pages"] = sheet.max_row - 2
    figures["entered"] = len(diff["entered"])
    figures["db_mb"] = sum(p.stat().st_size for p in folder.glob("w.sqlite3*")) / 1e6
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--case", nargs="+")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(int(args.case[0]))))
        return
    print("workspace, one fresh process per size (seconds; the machine may be shared)")
    for n in args.sizes:
        f = run_case(__file__, n)
        print(
            f"{n:>6} firms: save {f['save']:.2f} (screen alone {f['screen_only']:.2f},"
            f" ×{f['save'] / f['screen_only']:.2f})"
            f" · open stored {f['open_snapshot']:.3f} · reopen+re-screen {f['reopen_rescreen']:.2f}"
            f" · compare {f['compare']:.3f} ({f['entered']} entered) · opinion {f['opinion_each'] * 1000:.0f} ms each"
            f" · pack {f['pack']:.2f} ({f['pages']} pages) · decide {f['decide']:.2f} · db {f['db_mb']:.1f} MB"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
