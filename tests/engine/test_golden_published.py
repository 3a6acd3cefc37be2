"""Published scoring methods reproduced through the command line, against values computed by hand.

Each method is a rule file and a firm list under tests/fixtures/golden/. The expected numbers below
were worked out by hand from the published formulas (the arithmetic is in the comments); they are
compared with the CLI's JSON output to 1e-9. Independently, tests/published_check.py — a script
that uses only the standard library and the published formulas — recomputes every point from the
firm list and the CLI's JSON/CSV output.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from screening.cli import main
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "fixtures" / "golden"
CHECKER = ROOT / "tests" / "published_check.py"


def _run(method: str, folder: Path) -> tuple[dict, Path, Path]:
    out_json, out_csv = folder / f"{method}.json", folder / f"{method}.csv"
    argv = ["score", str(GOLDEN / f"{method}.csv"), "--rules", str(GOLDEN / f"{method}.yaml")]
    assert main([*argv, "--out", str(out_json), "--out", str(out_csv)]) == 0
    firms = json.loads(out_json.read_text(encoding="utf-8"))["firms"]
    return {f["name"]: f for f in firms}, out_json, out_csv


def _close(got: float | None, expected: float) -> bool:
    return got is not None and abs(got - expected) <= 1e-9


def test_linhai_large_and_small_firm_method(tmp_path):
    """Linhai 2014–2016 (seeds/sources.yaml linhai-2014, https://wenda.zhifure.com/a/37713.html):
    score = indicator ÷ baseline × weight. ≥3亩: 亩均税收 15 (40), 亩均销售收入 300 (10), 单位能耗工业增加值
    3 (20), 单位COD排放工业增加值 500 (15), 单位用水量工业增加值 0.1 (5), 全员劳动生产率 15 (10).
    <3亩: 亩均税收 15 (50), 亩均销售收入 300 (20), 单位电耗税收 2 元/kWh (30)."""
    firms, _, _ = _run("linhai-2014", tmp_path)
    expected = {
        # 甲, 10亩: 150/10 = 15 → 40; 6000/10 = 600 → 20; 1500/250 = 6 → 40; 1500/1.5 = 1000 → 30;
        #          1500/7500 = 0.2 → 10; 1500/50 = 30 → 20                                    = 160
        "甲机械": {"tax_per_mu": 40.0, "sales_per_mu": 20.0, "va_per_energy": 40.0, "va_per_cod": 30.0,
                  "va_per_water": 10.0, "labour_productivity": 20.0, "total": 160.0},
        # 乙, exactly 3亩 (a large firm): 7.5 → 20; 150 → 5; 90/60 = 1.5 → 10; 90/0.36 = 250 → 7.5;
        #          90/1800 = 0.05 → 2.5; 90/12 = 7.5 → 5                                       = 50
        "乙电器": {"tax_per_mu": 20.0, "sales_per_mu": 5.0, "va_per_energy": 10.0, "va_per_cod": 7.5,
                  "va_per_water": 2.5, "labour_productivity": 5.0, "total": 50.0},
        # 丙, 2亩: 45/2 = 22.5 → 75; 600/2 = 300 → 20; 45 万元 / 30 万kWh = 1.5 元/kWh → 22.5  = 117.5
        "丙小作坊": {"small-tax-per-mu": 75.0, "small-sales-per-mu": 20.0, "tax_per_kwh": 22.5, "total": 117.5},
        # 丁 and 戊 (a tie), 2亩: 15 → 50; 150 → 10; 30/15 = 2 → 30                                = 90
        "丁小作坊": {"small-tax-per-mu": 50.0, "small-sales-per-mu": 10.0, "tax_per_kwh": 30.0, "total": 90.0},
        "戊小作坊": {"small-tax-per-mu": 50.0, "small-sales-per-mu": 10.0, "tax_per_kwh": 30.0, "total": 90.0},
    }  # fmt: skip
    for name, values in expected.items():
        for key, value in values.items():
            got = firms[name]["score"] if key == "total" else firms[name][f"points.{key}"]
            assert _close(got, value), (name, key, got, value)
    assert firms["戊小作坊"]["rank"] == firms["丁小作坊"]["rank"] + 1  # a tie: the Excel row decides
    for name in ("己纺织", "庚化工"):  # tax blank; zero land (the import blanks it): not scored, no points
        assert firms[name]["decision"] == "not_scored" and firms[name]["points.tax_per_mu"] is None


def test_jingde_min_max_onto_20_to_100_percent_of_the_weight(tmp_path):
    """Jingde (seeds/sources.yaml jingde-minmax, http://www.ahjd.gov.cn/OpennessContent/show/2394961.html):
    single score = weight × [20 + 80 × (x − min) ÷ (max − min)] ÷ 100 over the batch. Weights 40/30/30
    are the fixture's (not in the excerpt). Min and max are over the scored firms only: 戊 (tax blank,
    revenue 99,000) and 己 (zero land, tax 9,000) would stretch them."""
    firms, _, _ = _run("jingde-minmax", tmp_path)
    # tax per mu 40, 10, 25, 25 → min 10, max 40; revenue per mu 800, 200, 500, 500; R&D 5, 1, 3, 3 %
    expected = {
        "甲": (40.0, 30.0, 30.0, 100.0),  # every maximum: 100 % (exactly at the cap)
        "乙": (8.0, 6.0, 6.0, 20.0),  # every minimum: 20 % of 40, 30, 30
        "丙": (24.0, 18.0, 18.0, 60.0),  # 20 + 80 × 15/30 = 60 % of 40; 20 + 80 × 300/600 = 60 %; (3−1)/(5−1) → 60 %
        "丁": (24.0, 18.0, 18.0, 60.0),  # the same values: a tie
    }
    for name, (tax, revenue, rd, total) in expected.items():
        firm = firms[name]
        got = (firm["points.tax_per_mu"], firm["points.revenue_per_mu"], firm["points.rd_ratio"], firm["score"])
        assert all(_close(g, e) for g, e in zip(got, (tax, revenue, rd, total), strict=True)), (name, got)
    assert firms["戊"]["decision"] == firms["己"]["decision"] == "not_scored"


def test_changle_percentile_classes_with_vetoes_and_protected_firms(tmp_path):
    """Changle (seeds/sources.yaml changle-2023, http://www.changle.gov.cn/CLXXXGK/XZFBGS/202311/
    t20231116_799158.html): A = top 20 % (inclusive), B 20–75 %, C 75–95 %, D 95–100 %; a vetoed firm
    (safety accident, environmental violation) cannot be A or B; new firms are not put in D unless
    vetoed. 40 firms are graded (企业未报税 is not scored and not counted): A = positions 1–8,
    B = 9–30, C = 31–38, D = 39–40."""
    firms, _, _ = _run("changle-2023", tmp_path)
    expected = {f"企业{p:02d}": "A" if p <= 8 else "B" if p <= 30 else "C" if p <= 38 else "D" for p in range(1, 41)}
    expected["企业03"] = "C"  # position 3, but a safety accident: at best C
    expected["企业08"], expected["企业09"] = "B", "A"  # 168 both: 企业09's Excel row is higher up, so it is 8th
    expected["企业39"] = "C"  # position 39 (D), but new and not vetoed; its blank safety record is the default 否
    # 企业40: new, but an environmental violation: stays D
    assert {name: firms[name]["class"] for name in expected} == expected
    assert _close(firms["企业01"]["score"], 196.0)  # 1960 ÷ 10 = 196 万元/亩 → 196 ÷ 100 × 100
    assert firms["企业未报税"]["decision"] == "not_scored"


def test_fsou_best_firm_full_marks_and_lower_is_better(tmp_path):
    """fsou 优质企业评分 (seeds/sources.yaml fsou-lower-better, http://www.fsou.net/html/text/lar/170063/
    17006375_2.html): (a) best firm = full marks, x ÷ max × 12; (b) lower is better, (2 − x ÷ mean) × 2 per
    pollutant (COD, SO2), 0 from twice the mean; −3 for missing emission data. (c) the lower-is-better
    mirror of (a): min ÷ x × 10 on energy per revenue. 戊 (revenue blank) is not scored and its tiny
    emissions stay out of the means and the minimum."""
    firms, _, _ = _run("fsou-best-firm", tmp_path)
    expected = {
        # tax per mu 60, 30, 15, 60 → max 60 (甲 and 丁 tie at full marks); COD mean (2+4+6+12)/4 = 6;
        # SO2 mean over the three with data (1+3+5)/3 = 3; energy per revenue 0.1, 0.2, 0.4, 0.1 → min 0.1
        "甲": (12.0, 10 / 3, 10 / 3, 10.0, 0.0),  # COD (2 − 2/6) × 2; SO2 (2 − 1/3) × 2         = 28.666…
        "乙": (6.0, 8 / 3, 2.0, 5.0, 0.0),  # 30/60 × 12; (2 − 4/6) × 2; (2 − 1) × 2; 0.1/0.2 × 10 = 15.666…
        "丙": (3.0, 2.0, 0.0, 2.5, -3.0),  # COD (2 − 1) × 2; SO2 not reported: 0 and −3            = 4.5
        "丁": (12.0, 0.0, 2 / 3, 10.0, 0.0),  # COD 12 = twice the mean → 0 exactly; (2 − 5/3) × 2   = 22.666…
    }
    for name, values in expected.items():
        firm = firms[name]
        keys = ("points.tax_per_mu", "points.cod", "points.so2", "points.energy_per_revenue", "adjustment")
        assert all(_close(firm[k], v) for k, v in zip(keys, values, strict=True)), (name, [firm[k] for k in keys])
        assert _close(firm["score"], sum(values))
    assert firms["戊"]["decision"] == "not_scored"


@pytest.mark.parametrize("method", ["linhai-2014", "jingde-minmax", "changle-2023", "fsou-best-firm"])
def test_an_outside_checker_reproduces_each_method_to_1e_9(method, tmp_path):
    _, out_json, out_csv = _run(method, tmp_path)
    done = subprocess.run(
        [sys.executable, str(CHECKER), method, str(GOLDEN / f"{method}.csv"), str(out_json), str(out_csv)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("OK (tolerance 1e-09)")


def test_the_outside_checker_can_fail(tmp_path):
    _, out_json, out_csv = _run("jingde-minmax", tmp_path)
    payload = json.loads(out_json.read_text(encoding="utf-8"))
    payload["firms"][0]["points.tax_per_mu"] += 1e-8  # ten times the tolerance
    out_json.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(CHECKER), "jingde-minmax", str(GOLDEN / "jingde-minmax.csv"), str(out_json), str(out_csv)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "points.tax_per_mu" in done.stdout
