"""An outside check of the published scoring methods: reads a firm list (CSV), the CLI's JSON and CSV
output for it, and recomputes every criterion's points, every total (and for Changle every class)
straight from the published formulas — with the standard library only, never the engine's code.

    python tests/published_check.py METHOD LIST.csv RESULT.json RESULT.csv     # exit 0: all within 1e-9

METHOD is one of linhai-2014, jingde-minmax, changle-2023, fsou-best-firm (tests/fixtures/golden/).
Sources: seeds/sources.yaml and ../shared/reference/policy-notes.md §2.2–2.5.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable

TOLERANCE = 1e-9
Firm = dict[str, float | str | None]


def read_list(path: str) -> dict[int, Firm]:
    """Firms by Excel row (the header is row 1); numbers as floats, blanks as None."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    firms = {}
    for line, row in enumerate(rows, start=2):
        firm: Firm = {}
        for header, text in row.items():
            key = header.split("（")[0]
            try:
                firm[key] = float(text) if text not in ("", None) else None
            except ValueError:
                firm[key] = text
        firms[line] = firm
    return firms


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b in (None, 0) else a / b


def scored_with(firms: dict[int, Firm], required: tuple[str, ...]) -> dict[int, Firm]:
    """Firms with every required value (a zero area counts as missing: nothing per mu can be computed)."""
    return {row: f for row, f in firms.items() if all(f.get(k) not in (None, 0.0) for k in required)}


# --- the published methods -----------------------------------------------------------------------------


def linhai(firms: dict[int, Firm]) -> dict[int, dict[str, float]]:
    """Linhai 2014–2016: score = indicator ÷ baseline × weight, ≥3亩 and <3亩 firms with their own sets."""
    points = {}
    for row, f in scored_with(firms, ("实缴税金", "现用地面积")).items():
        tax, land, va = f["实缴税金"], f["现用地面积"], f.get("工业增加值")
        if land >= 3:
            parts = {
                "tax_per_mu": (ratio(tax, land), 15, 40),
                "sales_per_mu": (ratio(f.get("营业收入"), land), 300, 10),
                "va_per_energy": (ratio(va, f.get("综合能耗")), 3, 20),
                "va_per_cod": (ratio(va, f.get("COD排放量")), 500, 15),
                "va_per_water": (ratio(va, f.get("用水量")), 0.1, 5),
                "labour_productivity": (ratio(va, f.get("年平均职工人数")), 15, 10),
            }
        else:
            parts = {
                "small-tax-per-mu": (ratio(tax, land), 15, 50),
                "small-sales-per-mu": (ratio(f.get("营业收入"), land), 300, 20),
                "tax_per_kwh": (ratio(tax, f.get("用电量")), 2, 30),  # 万元 ÷ 万千瓦时 = 元/千瓦时
            }
        points[row] = {key: (x / base * w if x is not None else 0.0) for key, (x, base, w) in parts.items()}
    return points


def jingde(firms: dict[int, Firm]) -> dict[int, dict[str, float]]:
    """Jingde: single score = weight × [20 + 80 × (x − min) ÷ (max − min)] ÷ 100 over the firms scored."""
    scored = scored_with(firms, ("实缴税金", "现用地面积"))
    values = {
        "tax_per_mu": ({r: ratio(f["实缴税金"], f["现用地面积"]) for r, f in scored.items()}, 40),
        "revenue_per_mu": ({r: ratio(f.get("营业收入"), f["现用地面积"]) for r, f in scored.items()}, 30),
        "rd_ratio": ({r: _percent(f.get("研发费用"), f.get("营业收入")) for r, f in scored.items()}, 30),
    }
    points: dict[int, dict[str, float]] = {r: {} for r in scored}
    for key, (by_row, weight) in values.items():
        known = [x for x in by_row.values() if x is not None]
        low, high = min(known), max(known)
        for row, x in by_row.items():
            points[row][key] = 0.0 if x is None else weight * (20 + 80 * (x - low) / (high - low)) / 100
    return points


def _percent(a: float | None, b: float | None) -> float | None:
    share = ratio(a, b)
    return None if share is None else share * 100


def fsou(firms: dict[int, Firm]) -> dict[int, dict[str, float]]:
    """(a) x ÷ max × 12; (b) (2 − x ÷ mean) × 2 per pollutant, 0 from twice the mean; (c) min ÷ x × 10;
    −3 for missing emission data (returned as the 'adjustment' entry)."""
    scored = scored_with(firms, ("实缴税金", "现用地面积", "营业收入"))
    tax = {r: f["实缴税金"] / f["现用地面积"] for r, f in scored.items()}
    energy = {r: ratio(f.get("综合能耗"), f["营业收入"]) for r, f in scored.items()}
    cod = {r: f.get("COD排放量") for r, f in scored.items()}
    so2 = {r: f.get("二氧化硫排放量") for r, f in scored.items()}
    best_tax = max(tax.values())
    best_energy = min(x for x in energy.values() if x is not None)
    mean_cod, mean_so2 = (_mean(v.values()) for v in (cod, so2))
    points = {}
    for row in scored:
        points[row] = {
            "tax_per_mu": tax[row] / best_tax * 12,
            "cod": _lower(cod[row], mean_cod),
            "so2": _lower(so2[row], mean_so2),
            "energy_per_revenue": 0.0 if energy[row] is None else min(best_energy / energy[row], 1.0) * 10,
            "adjustment": -3.0 if cod[row] is None or so2[row] is None else 0.0,
        }
    return points


def _mean(values) -> float:
    known = [v for v in values if v is not None]
    return sum(known) / len(known)


def _lower(x: float | None, mean: float) -> float:
    return 0.0 if x is None else max(0.0, (2 - x / mean) * 2)


def changle(firms: dict[int, Firm]) -> dict[int, dict[str, float]]:
    """Points: tax per mu ÷ 100 × 100 (the weights are not published; the test isolates the classes)."""
    return {
        r: {"tax_per_mu": f["实缴税金"] / f["现用地面积"]}
        for r, f in scored_with(firms, ("实缴税金", "现用地面积")).items()
    }


def changle_classes(firms: dict[int, Firm], totals: dict[int, float]) -> dict[int, str]:
    """A top 20 % (inclusive), B to 75 %, C to 95 %, D the rest, by score then Excel row; a vetoed firm
    (accident, environmental violation) is never A or B; a new firm not vetoed is never D. A blank
    safety record counts as none (the rule file's default)."""
    order = sorted(totals, key=lambda row: (-totals[row], row))
    classes = {}
    for position, row in enumerate(order, start=1):
        share = position / len(order)
        klass = "A" if share <= 0.20 else "B" if share <= 0.75 else "C" if share <= 0.95 else "D"
        f = firms[row]
        vetoed = f.get("近三年安全事故") == "是" or f.get("近三年环境违法") == "是"
        if f.get("新投产或新升规企业") == "是" and not vetoed and klass == "D":
            klass = "C"
        if vetoed and klass in ("A", "B"):
            klass = "C"
        classes[row] = klass
    return classes


METHODS: dict[str, Callable[[dict[int, Firm]], dict[int, dict[str, float]]]] = {
    "linhai-2014": linhai,
    "jingde-minmax": jingde,
    "changle-2023": changle,
    "fsou-best-firm": fsou,
}


# --- comparing with the CLI's output -------------------------------------------------------------------


def check(method: str, list_csv: str, result_json: str, result_csv: str) -> list[str]:
    """Every difference larger than 1e-9 between the published formula and the CLI's output."""
    firms = read_list(list_csv)
    expected = METHODS[method](firms)
    with open(result_json, encoding="utf-8") as f:
        records = {r["source_row"]: r for r in json.load(f)["firms"]}
    with open(result_csv, encoding="utf-8-sig", newline="") as f:
        csv_scores = {int(r["source_row"]): r["score"] for r in csv.DictReader(f)}
    problems = []
    for row in firms:
        got = records[row]
        if row not in expected:
            if got["score"] is not None or got["decision"] != "not_scored":
                problems.append(f"row {row}: should not be scored, got {got['score']} ({got['decision']})")
            continue
        for key, value in expected[row].items():
            column = "adjustment" if key == "adjustment" else f"points.{key}"
            if got.get(column) is None or abs(got[column] - value) > TOLERANCE:
                problems.append(f"row {row} {column}: published {value!r}, CLI {got.get(column)!r}")
        total = sum(expected[row].values())
        if abs(got["score"] - total) > TOLERANCE:
            problems.append(f"row {row} total: published {total!r}, CLI {got['score']!r}")
        if float(csv_scores[row]) != got["score"]:
            problems.append(f"row {row}: the CSV says {csv_scores[row]}, the JSON {got['score']!r}")
    if method == "changle-2023":
        classes = changle_classes(firms, {row: sum(p.values()) for row, p in expected.items()})
        problems += [
            f"row {row} class: published {k}, CLI {records[row]['class']}"
            for row, k in classes.items()
            if records[row]["class"] != k
        ]
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[0] not in METHODS:
        print(__doc__, file=sys.stderr)
        return 2
    problems = check(*argv)
    for line in problems:
        print(line)
    print(f"{argv[0]}: {'OK' if not problems else f'{len(problems)} differences'} (tolerance {TOLERANCE:g})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
