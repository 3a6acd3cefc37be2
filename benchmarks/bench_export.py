"""Export throughput: the five-sheet workbook (and the CSV) for 10 k and 100 k screened firms.

Each case runs in a fresh process; the time covers building every sheet (reasons included) and
writing the .xlsx bytes. Figures are printed, never asserted.

    python benchmarks/bench_export.py [--sizes 10000 100000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time

from common import ROOT, run_case


def case(n: int, kind: str) -> dict:
    from benchmarks.synthetic import synthetic_firms
    from screening.engine.screen import screen
    from screening.report.writers import write_csv
    from screening.report.xlsx import write_xlsx
    from screening.rules.loading import load_rules

    result = screen(synthetic_firms(n), load_rules(ROOT / "rules" / "smart-mfg-town.yaml"))
    start = time.perf_counter()
    data = write_xlsx(result) if kind == "xlsx" else write_csv(result)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "bytes": len(data), "peak_mb": peak}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--case", nargs=2)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(int(args.case[0]), args.case[1])))
        return 0
    print(f"{'firms':>8}{'format':>8}{'seconds':>9}{'file MB':>9}{'peak MB':>9}")
    for n in args.sizes:
        for kind in ("xlsx", "csv"):
            runs = []
            for _ in range(args.rounds):
                runs.append(run_case(__file__, n, kind))
            seconds = statistics.median(r["seconds"] for r in runs)
            size_mb = runs[0]["bytes"] / 2**20
            peak = max(r["peak_mb"] for r in runs)
            print(f"{n:>8,}{kind:>8}{seconds:>9.2f}{size_mb:>9.1f}{peak:>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
