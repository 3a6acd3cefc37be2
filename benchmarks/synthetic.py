"""Synthetic firms in canonical columns (what the import produces), for benchmarks only."""

from __future__ import annotations

import numpy as np
import pandas as pd

INDUSTRIES = ["3421", "3670", "3982", "2614", "2720", "3581", "1810", "2929", "6513", "7320", "2511", "4011"]


def synthetic_firms(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    land = np.exp(rng.normal(np.log(20), 0.8, n)).clip(1)
    tax = np.exp(rng.normal(np.log(15), 0.9, n)) * land
    revenue = tax / rng.uniform(0.03, 0.09, n)
    value_added = revenue * rng.uniform(0.18, 0.35, n)
    employees = np.maximum(np.round(revenue / rng.uniform(60, 200, n)), 5)

    def holes(values: np.ndarray, share: float) -> np.ndarray:
        out = values.astype(float).copy()
        out[rng.random(n) < share] = np.nan
        return out

    def flag(share: float) -> pd.arrays.BooleanArray:
        return pd.array(rng.random(n) < share, dtype="boolean")

    return pd.DataFrame(
        {
            "source_row": np.arange(2, n + 2),
            "name": pd.Categorical(rng.choice(["甲企业", "乙企业", "丙企业"], n)),
            "industry_code": pd.Categorical(rng.choice(INDUSTRIES, n)),
            "scale": pd.Categorical(np.where(revenue >= 2000, "规上", "规下")),
            "catalogue_class": pd.Categorical(
                rng.choice(["鼓励类", "允许类", "限制类", "淘汰类"], n, p=[0.5, 0.4, 0.07, 0.03])
            ),
            "years_operating": rng.integers(1, 30, n).astype(float),
            "revenue": revenue,
            "value_added": value_added,
            "tax_paid": tax,
            "rd_expense": holes(revenue * np.exp(rng.normal(np.log(2.5), 0.7, n)) / 100, 0.03),
            "energy_tce": holes(revenue * np.exp(rng.normal(np.log(0.06), 0.6, n)), 0.05),
            "electricity": revenue * np.exp(rng.normal(np.log(0.03), 0.5, n)),
            "emissions_t": holes(revenue * np.exp(rng.normal(np.log(0.00005), 0.7, n)), 0.04),
            "employees": employees,
            "tech_staff": np.round(employees * rng.uniform(0.05, 0.5, n)),
            "invention_patents": rng.poisson(2, n).astype(float),
            "land_area": land,
            "requested_land": land * rng.uniform(0.6, 1.3, n),
            "planned_investment": land * np.exp(rng.normal(np.log(350), 0.35, n)),
            "relocation_compensation": land * rng.uniform(60, 180, n),
            "high_tech": flag(0.3),
            "specialized": flag(0.12),
            "hidden_champion": flag(0.03),
            "listed": flag(0.03),
            "env_violation": flag(0.05),
            "safety_accident": flag(0.03),
            "hazardous_chemicals": flag(0.1),
            "two_high": flag(0.03),
        }
    )
