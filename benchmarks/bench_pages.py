"""The standalone pages' responsiveness, server side, measured with Streamlit's AppTest on the demo
workbook (300 firms, five parks): the first load, and one change at a time — each change a setting
not seen before (no cache hit), so the page re-allocates, re-samples or re-screens for real.
Figures are printed, never asserted.

    python benchmarks/bench_pages.py [--repeat 3]

全区统筹: objective, a park's quota, the budget, a forced-out firm, the district's share, a view switch.
稳健性: the weight information (spread), the number of samples, the seed (10,000 weightings each).
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


def timed(at, change) -> float:
    change(at)
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, at.exception
    return elapsed


def district_changes(round_: int) -> list[tuple[str, object]]:
    """Each round uses new values, so that every change misses the cache."""
    k = round_ + 1
    return [
        ("objective → tax", lambda at: at.radio(key=keys.shown(keys.D_OBJECTIVE, "zh")).set_value("tax")),
        ("quota sme-park", lambda at: at.number_input(key=keys.quota("sme-park")).set_value(300.0 + 10 * k)),
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
    k = round_ + 1
    return [
        ("weights → spread", lambda at: at.radio(key=keys.shown(keys.R_MODE, "zh")).set_value("spread")),
        ("spread ± %", lambda at: at.slider(key=keys.R_SPREAD).set_value(10.0 + 5 * k)),
        ("seed", lambda at: at.number_input(key=keys.R_SEED).set_value(k)),
        ("weights → none", lambda at: at.radio(key=keys.shown(keys.R_MODE, "zh")).set_value("none")),
        ("view: bars", lambda at: at.radio(key=keys.shown(keys.view(keys.ROBUSTNESS), "zh")).set_value("bars")),
        ("view: table", lambda at: at.radio(key=keys.shown(keys.view(keys.ROBUSTNESS), "zh")).set_value("table")),
    ]


def measure(page, changes, repeat: int) -> tuple[float, dict[str, list[float]]]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(page, args=("zh",), default_timeout=600)
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    assert not at.exception, at.exception
    found: dict[str, list[float]] = {}
    for round_ in range(repeat):
        for name, change in changes(round_):
            found.setdefault(name, []).append(timed(at, change))
    return first, found


def report(title: str, first: float, found: dict[str, list[float]]) -> None:
    print(f"\n{title}: first load {first:.2f} s (reading, screening every park, the matrix)")
    print(f"{'change':<22}{'median s':>10}{'max s':>8}")
    every = []
    for name, times in found.items():
        every += times
        print(f"{name:<22}{statistics.median(times):>10.3f}{max(times):>8.3f}")
    print(f"{'all changes':<22}{statistics.median(every):>10.3f}{max(every):>8.3f}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        os.environ["SCREENING_DATA_DIR"] = data
        print(f"demo workbook, 300 firms; {os.cpu_count()} cores (shared with other work)")
        report("全区统筹 (5 parks)", *measure(_district, district_changes, args.repeat))
        report("稳健性 (智造新城, 10,000 weightings)", *measure(_robustness, robustness_changes, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
