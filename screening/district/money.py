"""Money in the district's terms: tax, compensation, payback, what the district keeps, present value.

The district keeps only its share of a firm's tax (VAT is split 50:50 with the centre since
国发〔2016〕26号, and the local half is split again between province, city and district — it
varies by place, so the share is an input with no default here). A relocated plant reaches full
production only after some years (the ramp-up, linear here), and money later is worth less
(an annual discount rate). Payback is the 动态投资回收期 of 《建设项目经济评价方法与参数》(第三版):
the year in which the cumulative discounted retained tax first covers the compensation, less one,
plus the part of that year needed — so with share 1, no ramp-up and rate 0 it is exactly
compensation ÷ tax, the simple payback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.money import simple_payback


@dataclass(frozen=True)
class Retention:
    """What the district keeps of a firm's annual tax, and when."""

    share: float | None = None  # the district's share of the tax, 0 < share ≤ 1; None = not given
    ramp_up: float = 0.0  # years from the move to full production (linear)
    rate: float = 0.0  # annual discount rate (0.05 = 5 %)

    @property
    def ramp_years(self) -> int:
        return math.ceil(self.ramp_up)

    def produced(self, year: np.ndarray) -> np.ndarray:
        """Share of full production over each whole year 1, 2, … (mean of the linear ramp in that year)."""
        year = np.asarray(year, dtype=float)
        return self._ramp_integral(year) - self._ramp_integral(year - 1)

    def _ramp_integral(self, t: np.ndarray) -> np.ndarray:
        r = self.ramp_up
        if r <= 0:
            return t
        return np.where(t <= r, t**2 / (2 * r), t - r / 2)

    def cumulative(self, years: np.ndarray | int) -> np.ndarray:
        """Present value, through each whole year ``t`` (≥ 0), of one unit of full-production annual tax
        before the share: Σ_{k=1..t} produced(k) ÷ (1 + rate)^k. Exact beyond the ramp (geometric sum)."""
        t = np.asarray(years, dtype=float)
        ramp = self.ramp_years
        v = 1.0 / (1.0 + self.rate)
        k = np.arange(1, ramp + 1, dtype=float)
        table = np.r_[0.0, np.cumsum(self.produced(k) * v**k)]
        beyond = np.maximum(t - ramp, 0.0)
        tail = beyond if self.rate == 0 else v ** (ramp + 1) * (1 - v**beyond) / (1 - v)
        inside = table[np.clip(t, 0, ramp).astype(np.int64)]
        return np.where(t <= ramp, inside, table[-1] + tail)

    def payback(self, compensation: np.ndarray, tax: np.ndarray, share: float | None = None) -> np.ndarray:
        """Years until the retained, discounted tax covers the compensation (interpolated within the year);
        inf if it never does, NaN without a positive tax or a compensation figure."""
        share = self.share if share is None else share
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.asarray(compensation, dtype=float) / (share * np.asarray(tax, dtype=float))
        usable = np.isfinite(q) & (q > 0)
        t, never = self._first_year_covering(np.where(usable, q, 1.0))
        low, high = self.cumulative(t - 1), self.cumulative(t)
        with np.errstate(divide="ignore", invalid="ignore"):
            years = (t - 1) + (q - low) / (high - low)
        years = np.where(never, np.inf, years)
        years = np.where(usable, years, np.where(q == 0, 0.0, np.nan))
        return np.where(np.asarray(tax, dtype=float) > 0, years, np.nan)

    def _first_year_covering(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The first whole year whose cumulative value reaches ``q`` (≥ 1), and where no year ever does."""
        ramp = self.ramp_years
        table = self.cumulative(np.arange(ramp + 1))
        t = np.searchsorted(table, q, side="left").astype(float)
        left = q - table[-1]
        never = np.zeros(len(q), dtype=bool)
        if self.rate == 0:
            after = ramp + np.ceil(left)
        else:
            v = 1.0 / (1.0 + self.rate)
            z = left * (1 - v) / v ** (ramp + 1)
            never = (t > ramp) & (z >= 1)
            with np.errstate(invalid="ignore", divide="ignore"):
                after = ramp + np.ceil(np.log1p(-np.minimum(z, 0.999999)) / math.log(v))
        t = np.maximum(np.where(t > ramp, after, t), 1.0)
        t = np.where(self.cumulative(t - 1) >= q, np.maximum(t - 1, 1.0), t)  # floating-point edges
        t = np.where(self.cumulative(t) < q, t + 1, t)
        return t, never

    def present_value(self, tax: np.ndarray, years: int, share: float | None = None) -> np.ndarray:
        """Present value of the retained tax over ``years`` years."""
        share = self.share if share is None else share
        return share * np.asarray(tax, dtype=float) * float(self.cumulative(years))


def net_values(tax: np.ndarray, compensation: np.ndarray, years: int, retention: Retention) -> np.ndarray:
    """The ``net`` objective per firm: tax over ``years`` years (retained and discounted if a share is
    given; the whole tax otherwise) minus the compensation. Missing figures count as 0."""
    share = 1.0 if retention.share is None else retention.share
    tax = np.nan_to_num(tax, nan=0.0)
    return retention.present_value(tax, years, share) - np.nan_to_num(compensation, nan=0.0)


def money_table(tax: np.ndarray, compensation: np.ndarray, retention: Retention, years: int | None) -> pd.DataFrame:
    """Per firm: annual tax, compensation, simple payback; with a share: retained tax, the district's
    payback and the net present value over ``years`` (NaN where the input to compute it is missing)."""
    size = len(tax)
    table = pd.DataFrame({"tax": tax, "compensation": compensation, "payback": simple_payback(compensation, tax)})
    nothing = np.full(size, np.nan)
    given = retention.share is not None
    table["retained_tax"] = retention.share * tax if given else nothing
    table["retained_payback"] = retention.payback(compensation, tax) if given else nothing
    with_npv = given and years is not None
    table["npv"] = retention.present_value(tax, years, None) - compensation if with_npv else nothing
    return table


def batch_summary(
    tax: np.ndarray,
    compensation: np.ndarray,
    groups: dict[str, np.ndarray],
    tax_lines: tuple[float, ...],
    totals: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """The speech's figures for each group of firms (the whole batch, the optimum's, the rank-order
    fill's): how many firms, their total tax and compensation, and how many are above / below each tax line;
    ``totals``: more per-firm figures to add up per group (retained tax, net present value — NaN if not given)."""
    rows = []
    for group, members in groups.items():
        t, c = tax[members], compensation[members]
        row = {
            "group": group,
            "firms": int(members.sum()),
            "tax": float(np.nansum(t)),
            "compensation": float(np.nansum(c)),
            "tax_missing": int(np.isnan(t).sum()),
        }
        row["compensation_per_tax"] = row["compensation"] / row["tax"] if row["tax"] > 0 else np.nan
        for line in tax_lines:
            row[f"above_{line:g}"] = int((t >= line).sum())
            row[f"below_{line:g}"] = int((t < line).sum())
        for name, values in (totals or {}).items():
            row[name] = float(np.nansum(values[members])) if not np.isnan(values).all() else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def speech_sentence(row: pd.Series, tax_lines: tuple[float, ...], lang: str = "zh") -> str:
    """One group's figures in the speech's words: “X家企业总税收仅X亿元，税收过X万元的仅X家，X万元以下的X家，
    而用于这X家企业的搬迁补偿高达X亿元。” (amounts in 亿元 = 10,000 万元)."""
    firms, tax, comp = int(row["firms"]), row["tax"] / 1e4, row["compensation"] / 1e4
    high, low = (max(tax_lines), min(tax_lines)) if tax_lines else (None, None)
    if lang == "zh":
        parts = [f"{firms}家企业总税收{tax:.2f}亿元"]
        if high is not None:
            parts.append(f"税收{high:g}万元及以上的{row[f'above_{high:g}']}家")
            parts.append(f"{low:g}万元以下的{row[f'below_{low:g}']}家")
        return "，".join(parts) + f"，搬迁补偿合计{comp:.2f}亿元。"
    parts = [f"{firms} firms pay {tax:.2f} (100 m yuan) of tax a year"]
    if high is not None:
        parts.append(f"{row[f'above_{high:g}']} pay {high:g} (10k yuan) or more")
        parts.append(f"{row[f'below_{low:g}']} pay less than {low:g}")
    return "; ".join(parts) + f"; their relocation compensation totals {comp:.2f} (100 m yuan)."
