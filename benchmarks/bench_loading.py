"""Import throughput: load + map + validate 10 k and 100 k firm workbooks, against a bare
``pandas.read_excel(engine="calamine")`` of the same file.

The workbook has the demo's shape (title rows, 32 columns with units, a totals row). Each case
runs in a fresh process; the time covers everything from the file's bytes to typed firms and
issues, guards and the isolated child-process parse included. Rounds are interleaved and the
ratio is taken per round. Figures are printed, never asserted.

    python benchmarks/bench_loading.py [--sizes 10000 100000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, big_workbook, run_case


def case(path: str, kind: str) -> dict:
    import pandas as pd

    from screening.intake.loading import load_firms
    from screening.rules.loading import load_rules

    fields = load_rules(ROOT / "rules" / "smart-mfg-town.yaml").load_fields
    data = Path(path).read_bytes()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if kind == "tool":
        table = load_firms(data, Path(path).name, fields)
        rows = len(table.firms)
    else:
        rows = len(pd.read_excel(path, engine="calamine", header=2))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": seconds,
        "rows": rows,
        "peak_mb": peak / 1024,
        "delta_mb": (peak - base) / 1024,
        "child_peak_mb": children / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--case", nargs=2)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(*args.case)))
        return 0
    print(
        f"{'firms':>8}{'file MB':>9}{'tool s':>9}{'calamine s':>12}{'ratio':>7}{'peak MB':>9}{'Δ MB':>7}"
        f"{'parser MB':>11}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"firms_{n}.xlsx"
            big_workbook(n, path)
            tool, bare = [], []
            for _ in range(args.rounds):
                tool.append(run_case(__file__, path, "tool"))
                bare.append(run_case(__file__, path, "pandas"))
            assert tool[0]["rows"] == n, tool[0]
            t = statistics.median(r["seconds"] for r in tool)
            b = statistics.median(r["seconds"] for r in bare)
            ratio = statistics.median(x["seconds"] / y["seconds"] for x, y in zip(tool, bare, strict=True))
            print(
                f"{n:>8,}{path.stat().st_size / 2**20:>9.1f}{t:>9.2f}{b:>12.2f}{ratio:>7.2f}"
                f"{max(r['peak_mb'] for r in tool):>9.0f}{max(r['delta_mb'] for r in tool):>7.0f}"
                f"{max(r['child_peak_mb'] for r in tool):>11.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
