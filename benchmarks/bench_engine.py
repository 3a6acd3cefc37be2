"""Engine throughput: 10 k, 100 k and 1 M synthetic firms against every park profile.

Each case runs in a fresh process (so peak memory is its own) and is timed with perf_counter
around the numeric screening only (indicators, gates, points, score, class, decision, rank —
no reason texts). Next to it, a bare numpy reference on the same data: the same indicators and
the same criteria (share × weight, summed) plus an argsort rank. Figures are printed, never
asserted: this machine is shared and noisy, so compare the ratio within one run.

    python benchmarks/bench_engine.py [--sizes 10000 100000 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time

from common import ROOT, run_case


def reference(frame, ruleset):
    """Bare numpy: the profile's indicators, each criterion's share × weight, summed; argsort rank."""
    import numpy as np

    from screening.rules.formulas import evaluate

    columns = {c: frame[c].to_numpy(dtype=float) for c in frame.columns if frame[c].dtype.kind == "f"}
    for key, indicator in ruleset.indicators.items():
        columns[key] = evaluate(indicator.formula, columns, len(frame))[0]
    total = np.zeros(len(frame))
    for crit in ruleset.model.scoring.all_sets()[0].criteria:
        x = columns[crit.indicator]
        if crit.method == "ratio":
            share = np.clip(x / float(crit.baseline), 0, crit.cap or np.inf)
        elif crit.method == "linear":
            share = crit.floor + (1 - crit.floor) * np.clip((x - crit.worst) / (crit.best - crit.worst), 0, 1)
        else:
            share = np.clip(1 - x / (2 * float(crit.baseline)), 0, 1)
        total += crit.weight * np.nan_to_num(share)
    return np.argsort(-total, kind="stable")


def one_case(profile: str, n: int, kind: str) -> dict:
    from benchmarks.synthetic import synthetic_firms
    from screening.engine.screen import screen
    from screening.rules.loading import load_rules

    ruleset = load_rules(ROOT / "rules" / f"{profile}.yaml")
    frame = synthetic_firms(n)
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if kind == "engine":
        result = screen(frame, ruleset)
        assert len(result.summary) == n
    else:
        reference(frame, ruleset)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "peak_mb": peak / 1024, "delta_mb": (peak - baseline_rss) / 1024}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--profiles",
        nargs="+",
        default=["smart-mfg-town", "bio-medicine-park", "chemical-park", "sme-park", "talent-base", "huangyan-2022"],
    )
    parser.add_argument("--case", nargs=3)
    args = parser.parse_args()
    if args.case:
        profile, n, kind = args.case
        print(json.dumps(one_case(profile, int(n), kind)))
        return 0
    print(
        f"{'profile':<20}{'firms':>10}{'engine s':>10}{'firms/s':>12}{'peak MB':>9}{'Δ MB':>8}"
        f"{'numpy s':>9}{'ratio':>7}"
    )
    for n in args.sizes:
        for profile in args.profiles:
            engine, bare = [], []
            for _ in range(args.rounds):  # interleaved rounds, medians, ratio per round
                engine.append(run_case(__file__, profile, n, "engine"))
                bare.append(run_case(__file__, profile, n, "reference"))
            e = statistics.median(r["seconds"] for r in engine)
            b = statistics.median(r["seconds"] for r in bare)
            ratio = statistics.median(x["seconds"] / y["seconds"] for x, y in zip(engine, bare, strict=True))
            peak = max(r["peak_mb"] for r in engine)
            delta = max(r["delta_mb"] for r in engine)
            print(f"{profile:<20}{n:>10,}{e:>10.3f}{n / e:>12,.0f}{peak:>9.0f}{delta:>8.0f}{b:>9.3f}{ratio:>7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
