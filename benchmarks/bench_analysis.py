"""Analysis throughput: robustness (firms × sampled weightings) and what it would take (all firms).

Each case runs in a fresh process and is timed with perf_counter around the analysis only (the
list is screened first). Next to the robustness figure, the engine's own time for one screening
of the list times the number of samples: what re-running the engine per weighting would cost.
Figures are printed, never asserted: this machine is shared by several engineers (2 cores), so
compare ratios within one run.

    python benchmarks/bench_analysis.py [--firms 5000] [--samples 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from common import ROOT, run_case


def one_case(kind: str, profile: str, n: int, samples: int, weights: str) -> dict:
    from benchmarks.synthetic import synthetic_firms
    from screening.analysis.robustness import robustness
    from screening.analysis.sampling import sample_weights
    from screening.analysis.weights import constraints, parse_weights
    from screening.analysis.whatif import what_it_takes
    from screening.engine.screen import screen
    from screening.rules.loading import load_rules

    ruleset = load_rules(ROOT / "rules" / f"{profile}.yaml")
    result = screen(synthetic_firms(n), ruleset)
    if kind == "engine":  # one screening, for the "engine per sample" comparison
        start = time.perf_counter()
        for _ in range(5):
            screen(result.firms, ruleset)
        return {"seconds": (time.perf_counter() - start) / 5}
    if kind == "whatif":
        start = time.perf_counter()
        answers = what_it_takes(result)
        seconds = time.perf_counter() - start
        methods = answers.changes["method"].value_counts().to_dict()
        return {"seconds": seconds, "rows": len(answers.changes), "methods": methods}
    info = parse_weights(weights)
    start = time.perf_counter()
    sample_weights(constraints(ruleset, info), samples, 0)
    sampling = time.perf_counter() - start
    start = time.perf_counter()
    found = robustness(result, info, samples=samples, seed=0)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "sampling": sampling, "counts": {str(k): v for k, v in found.counts().items()}}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=5000)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--case", nargs=5)
    args = parser.parse_args()
    if args.case:
        kind, profile, n, samples, weights = args.case
        print(json.dumps(one_case(kind, profile, int(n), int(samples), weights)))
        return 0
    n, samples = args.firms, args.samples
    print(f"{'case':<44}{'median s':>10}{'min s':>8}  notes")
    cases = [
        ("robustness", "smart-mfg-town", "uniform"),
        ("robustness", "smart-mfg-town", "spread:0.2"),
        ("robustness", "huangyan-2022", "uniform"),
        ("whatif", "smart-mfg-town", "-"),
        ("whatif", "huangyan-2022", "-"),
    ]
    for kind, profile, weights in cases:
        runs = [run_case(__file__, kind, profile, n, samples, weights) for _ in range(args.rounds)]
        times = [r["seconds"] for r in runs]
        label = f"{kind} {profile} {weights if kind == 'robustness' else ''}".strip()
        if kind == "robustness":
            label = f"{label} {n:,}×{samples:,}"
            engine = run_case(__file__, "engine", profile, n, samples, weights)["seconds"]
            note = (
                f"sampling {statistics.median(r['sampling'] for r in runs):.2f} s; engine per sample would take "
                f"{engine * samples:.0f} s (×{engine * samples / statistics.median(times):.0f}); {runs[0]['counts']}"
            )
        else:
            label = f"{label} {n:,} firms"
            note = f"{runs[0]['rows']:,} answers {runs[0]['methods']}"
        print(f"{label:<44}{statistics.median(times):>10.2f}{min(times):>8.2f}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
