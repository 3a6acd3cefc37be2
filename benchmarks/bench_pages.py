"""The standalone pages' responsiveness, server side, measured with Streamlit's AppTest on the demo
workbook (300 firms, five parks): the first load, and one change at a time — each change a setting
not seen before (no cache hit), so the page re-allocates, re-samples or re-screens for real.
Figures are printed, never asserted.

    python benchmarks/bench_pages.py [--repeat 3]

全区统筹: objective, a park's quota, the budget, a forced-out firm, the district's share, a view switch.
稳健性: the seed, the weight information, the spread, the number of samples (about 10,000 weightings each).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from common import ROOT  # noqa: F401 - puts the project on the path

from ui.pages import keys


def _district(lang: str) -> None:
    from ui.pages import district

    district.render(lang)


def _robustness(lang: str) -> None:
    from ui.pages import robustness

    robustness.render(lang)


def timed(at, change) -> tuple[float, float]:
    """Wall-clock seconds of the rerun, and the CPU seconds this process spent on it (every thread): on a
    machine shared with other work the first grows with the load, the second much less."""
    change(at)
    start, cpu = time.perf_counter(), time.process_time()
    at.run()
    elapsed, spent = time.perf_counter() - start, time.process_time() - cpu
    assert not at.exception, at.exception
    return elapsed, spent


def district_changes(round_: int) -> list[tuple[str, object]]:
    """Each round uses new values, so that every change misses the cache."""
    k = round_ + 1
    return [
        ("quota sme-park", lambda at: at.number_input(key=keys.quota("sme-park")).set_value(300.0 + 10 * k)),
        ("objective → tax", lambda at: at.radio(key=keys.shown(keys.D_OBJECTIVE, "zh")).set_value("tax")),
        ("budget", lambda at: at.number_input(key=keys.D_BUDGET).set_value(150_000.0 + 1_000 * k)),
        ("force out a firm", lambda at: at.multiselect(key=keys.shown(keys.D_FORCE_OUT, "zh")).set_value([k])),
        ("share 35 %", lambda at: at.number_input(key=keys.D_SHARE).set_value(30.0 + k)),
        ("objective → score", lambda at: at.radio(key=keys.shown(keys.D_OBJECTIVE, "zh")).set_value("score")),
        ("view: matrix", lambda at: at.radio(key=keys.shown(keys.view(keys.DISTRICT), "zh")).set_value("matrix")),
        (
            "view: allocation",
            lambda at: at.radio(key=keys.shown(keys.view(keys.DISTRICT), "zh")).set_value("allocation"),
        ),
    ]


def robustness_changes(round_: int) -> list[tuple[str, object]]:
    """In this order every change meets a combination not computed before."""
    k = round_ + 1
    mode = keys.shown(keys.R_MODE, "zh")
    view = keys.shown(keys.view(keys.ROBUSTNESS), "zh")
    return [
        ("seed", lambda at: at.number_input(key=keys.R_SEED).set_value(100 * k + 1)),
        ("weights → spread", lambda at: at.radio(key=mode).set_value("spread")),
        ("spread ± %", lambda at: at.slider(key=keys.R_SPREAD).set_value(10.0 + 5 * k)),
        ("samples", lambda at: at.number_input(key=keys.R_SAMPLES).set_value(10_000 + 500 * k)),
        ("weights → none", lambda at: at.radio(key=mode).set_value("none")),
        ("view: bars", lambda at: at.radio(key=view).set_value("bars")),
        ("view: table", lambda at: at.radio(key=view).set_value("table")),
    ]


def measure(page, changes, repeat: int) -> tuple[float, dict[str, list[tuple[float, float]]]]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(page, args=("zh",), default_timeout=600)
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    assert not at.exception, at.exception
    found: dict[str, list[tuple[float, float]]] = {}
    for round_ in range(repeat):
        for name, change in changes(round_):
            found.setdefault(name, []).append(timed(at, change))
    return first, found


def report(title: str, first: float, found: dict[str, list[tuple[float, float]]]) -> None:
    print(f"\n{title}: first load {first:.2f} s")
    print(f"{'change':<22}{'median s':>10}{'max s':>8}{'CPU median s':>14}")
    every, cpu = [], []
    for name, pairs in found.items():
        walls, spent = [w for w, _ in pairs], [c for _, c in pairs]
        every += walls
        cpu += spent
        print(f"{name:<22}{statistics.median(walls):>10.3f}{max(walls):>8.3f}{statistics.median(spent):>14.3f}")
    print(f"{'all changes':<22}{statistics.median(every):>10.3f}{max(every):>8.3f}{statistics.median(cpu):>14.3f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        os.environ["SCREENING_DATA_DIR"] = data
        print(f"demo workbook, 300 firms; {os.cpu_count()} cores (shared with other work)")
        report(
            "全区统筹 (5 parks; first load = reading, every park screened, the matrix)",
            *measure(_district, district_changes, args.repeat),
        )
        report(
            "稳健性 (智造新城, 10,000 weightings; first load = reading, screening, sampling)",
            *measure(_robustness, robustness_changes, args.repeat),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
