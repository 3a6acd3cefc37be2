"""App responsiveness: server-side time of the first load (upload, parse, screen, draw) and of one
slider move, with 5,000 and 50,000 firms, measured with Streamlit's AppTest, plus the size of what
a rerun sends to the browser (the serialised elements). Figures are printed, never asserted.

    python benchmarks/bench_app.py [--sizes 5000 50000] [--moves 7] [--view view_table]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, big_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SLIDER = "smart-mfg-town:gate.min-tax-per-mu"


def payload_bytes(at) -> int:
    """Bytes of every element the last run produced (what the browser receives, before compression)."""
    total = 0
    stack = [at._tree]  # the element tree is where AppTest keeps the protos
    while stack:
        node = stack.pop()
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ByteSize"):
            total += proto.ByteSize()
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(children.values())
    return total


def measure(n: int, moves: int, view: str, tmp: Path) -> dict:
    from streamlit.testing.v1 import AppTest

    path = tmp / f"firms_{n}.xlsx"
    big_workbook(n, path, park="智造新城")  # every firm competes: the worst case
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    start = time.perf_counter()
    at.file_uploader(key="upload").set_value((path.name, path.read_bytes(), XLSX))
    at.run()
    first = time.perf_counter() - start
    assert not at.exception, at.exception
    if view != "view_table":
        at.radio(key="view").set_value(view).run()
    times, sizes = [], []
    for i in range(moves):
        at.slider(key=SLIDER).set_value(10.0 + 2 * i)  # a new value each time: no cache hit
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        sizes.append(payload_bytes(at))
        assert not at.exception, at.exception
    return {
        "first": first,
        "rerun": statistics.median(times),
        "rerun_min": min(times),
        "bytes": statistics.median(sizes),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000])
    parser.add_argument("--moves", type=int, default=7)
    parser.add_argument("--view", default="view_table")
    args = parser.parse_args()
    print(f"{'firms':>8}{'view':>13}{'first load s':>14}{'rerun s (median/min)':>22}{'sent per rerun':>16}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            m = measure(n, args.moves, args.view, Path(tmp))
            print(
                f"{n:>8,}{args.view:>13}{m['first']:>14.2f}{m['rerun']:>13.3f} / {m['rerun_min']:.3f}"
                f"{m['bytes'] / 1024:>13.0f} KB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
