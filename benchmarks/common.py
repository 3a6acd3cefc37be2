"""Shared by the benchmark scripts: a fresh process per measured case, and big demo-shaped workbooks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "sample_data"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


def run_case(script: str, *args: object) -> dict:
    """Run ``script --case ARGS`` in a fresh Python (its own peak memory) and read its JSON line."""
    done = subprocess.run(
        [sys.executable, script, "--case", *map(str, args)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def big_workbook(n: int, path: Path, park: str | None = None) -> None:
    """The demo workbook's shape with ``n`` distinct firms (optionally all applying to one park)."""
    import make_demo
    import numpy as np
    import pandas as pd

    frame = make_demo.build()
    big = pd.concat([frame] * (n // len(frame) + 1), ignore_index=True).head(n)
    rng = np.random.default_rng(n)
    big["序号"] = range(1, n + 1)
    big["企业名称"] = [f"{name}{i}" for i, name in enumerate(big["企业名称"])]
    big["统一社会信用代码"] = [make_demo.credit_code(rng) for _ in range(n)]  # distinct firms, as in a real list
    if park:
        big["拟入园区"] = park
    make_demo.write(big, path)
