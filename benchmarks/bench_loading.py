"""Import throughput: load + map + validate, against a bare ``pandas.read_excel(engine="calamine")``
of the same file; and a merge of four department files against loading the same firms from one.

The workbook has the demo's shape (title rows, 32 columns with units, a totals row) with DISTINCT
numbers (every number of the demo perturbed, as in a real list where numbers rarely repeat). Each
case runs in a fresh process; the time covers everything from the file's bytes to typed firms and
issues, guards and the isolated child-process parse included. Rounds are interleaved and ratios
are taken per round. Figures are printed, never asserted; the machine is shared, so run it twice.

    python benchmarks/bench_loading.py [--sizes 10000 100000] [--merge 25000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, run_case

DEPARTMENTS = {  # as in tests/intake/test_merge.py: the four department files
    "econ": ["行业代码", "所属行业", "拟入园区", "企业规模", "投产年限（年）", "营业收入（万元）", "工业增加值（万元）",
             "实缴税金（万元）", "用电量（万千瓦时）", "年平均职工人数（人）", "现用地面积（亩）", "拟申请用地（亩）",
             "计划总投资（万元）", "搬迁补偿（万元）", "上市企业", "产业目录类别", "备注"],
    "tech": ["研发费用（万元）", "科技人员数（人）", "有效发明专利（件）", "高新技术企业", "专精特新", "隐形冠军"],
    "env": ["综合能耗（吨标准煤）", "主要污染物排放量（吨）", "近三年环境违法", "两高项目"],
    "safety": ["近三年安全事故", "涉及危险化学品"],
}  # fmt: skip
IDENTITY = ["序号", "企业名称", "统一社会信用代码"]


def distinct_frame(n: int):
    """The demo's firms repeated to ``n`` rows, every number perturbed so that values do not repeat."""
    import make_demo
    import numpy as np
    import pandas as pd

    frame = make_demo.build()
    big = pd.concat([frame] * (n // len(frame) + 1), ignore_index=True).head(n)
    rng = np.random.default_rng(n)
    big["序号"] = range(1, n + 1)
    big["企业名称"] = [f"{name}{i}" for i, name in enumerate(big["企业名称"])]
    big["统一社会信用代码"] = [make_demo.credit_code(rng) for _ in range(n)]
    for column in big.columns[7:22]:  # the number columns (投产年限 … 搬迁补偿)
        values = pd.to_numeric(big[column], errors="coerce")
        big[column] = (values * rng.uniform(0.9, 1.1, n)).round(3)
    return big


def write_files(n: int, folder: Path, merge: int) -> dict[str, Path]:
    import make_demo

    paths = {"single": folder / f"firms_{n}.xlsx"}
    make_demo.write(distinct_frame(n), paths["single"])
    if merge:
        whole = distinct_frame(merge)
        paths["merge_single"] = folder / f"firms_{merge}.xlsx"
        make_demo.write(whole, paths["merge_single"])
        for name, columns in DEPARTMENTS.items():
            paths[name] = folder / f"{name}_{merge}.xlsx"
            write_plain(whole[IDENTITY + columns], paths[name])
    return paths


def write_plain(frame, path: Path) -> None:
    """A department's own sheet: one header row, its columns, no title (yes/no as 是/否)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = book.add_worksheet("名单")
    sheet.write_row(0, 0, list(frame.columns))
    for i, record in enumerate(frame.itertuples(index=False), start=1):
        for j, value in enumerate(record):
            if value is None or value != value:
                continue
            if isinstance(value, bool):
                sheet.write_string(i, j, "是" if value else "否")
            elif isinstance(value, str):
                sheet.write_string(i, j, value)
            else:
                sheet.write_number(i, j, float(value))
    book.close()


def case(kind: str, *paths: str) -> dict:
    import pandas as pd

    from screening.intake.loading import load_firms
    from screening.intake.merge import load_files
    from screening.rules.loading import load_rules

    fields = load_rules(ROOT / "rules" / "smart-mfg-town.yaml").load_fields
    data = [(Path(p).name, Path(p).read_bytes()) for p in paths]
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if kind == "tool":
        rows = len(load_firms(data[0][1], data[0][0], fields, remember=False).firms)
    elif kind == "merge":
        rows = len(load_files(data, fields).firms)
    else:
        rows = len(pd.read_excel(paths[0], engine="calamine", header=2))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "rows": rows, "peak_mb": peak / 1024, "delta_mb": (peak - base) / 1024,
            "child_peak_mb": children / 1024}  # fmt: skip


def compare(name: str, a: list[dict], b: list[dict], label_b: str) -> None:
    ta = statistics.median(r["seconds"] for r in a)
    tb = statistics.median(r["seconds"] for r in b)
    ratio = statistics.median(x["seconds"] / y["seconds"] for x, y in zip(a, b, strict=True))
    peak = max(r["peak_mb"] for r in a)
    child = max(r["child_peak_mb"] for r in a)
    print(f"{name:<34}{ta:>8.2f} s   {label_b} {tb:>6.2f} s   ratio {ratio:>5.2f}   peak {peak:>5.0f} MB"
          f" (+ parser {child:.0f} MB)")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--merge", type=int, default=25_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--case", nargs="+")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(*args.case)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SCREENING_DATA_DIR"] = tmp  # no saved mapping of the user's applies here
        for position, n in enumerate(args.sizes):
            paths = write_files(n, Path(tmp), args.merge if position == 0 else 0)
            tool, bare = [], []
            for _ in range(args.rounds):
                tool.append(run_case(__file__, "tool", paths["single"]))
                bare.append(run_case(__file__, "pandas", paths["single"]))
            assert tool[0]["rows"] == n, tool[0]
            compare(f"load+map+validate {n:,} rows", tool, bare, "calamine")
            if "merge_single" in paths:
                merged, single = [], []
                departments = [paths[d] for d in DEPARTMENTS]
                for _ in range(args.rounds):
                    merged.append(run_case(__file__, "merge", *departments))
                    single.append(run_case(__file__, "tool", paths["merge_single"]))
                assert merged[0]["rows"] == args.merge, merged[0]
                compare(f"merge 4 files x {args.merge:,} rows", merged, single, "one file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
