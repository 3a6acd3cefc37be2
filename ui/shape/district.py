"""The 全区统筹 page's numbers and tables, built from a :class:`~screening.district.DistrictPlan` —
plain frames and dicts, no Streamlit, so they are tested on their own.

The workbook's frames (``screening.report.district_sheets``) are the base wherever the page shows
the same table; here they are ordered for reading on screen, park ids become park names, and
columns that only say "not given" are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from screening.district import Batch, DistrictPlan, Frontier, Options, Retention
from screening.district.money import speech_sentence
from screening.report import district_sheets as sheets
from screening.vocabulary import Decision, Objective, Placement

from ..text import DECISION_MARKS

INTERACTIVE_SECONDS = 0.18  # the solver's limit while settings change (the page stays within ~0.3 s per change);
# when that does not prove the optimum the page says how close it is and offers a proof on request
PROOF_SECONDS = 10.0
MATRIX_SHOWS = ("decision", "score", "class", "reason")
GROUPS = {"batch": ("全部企业", "Whole batch"), "optimum": ("最优方案", "Optimum"), "greedy": ("排序法", "Rank order")}


@dataclass(frozen=True)
class Settings:
    """Everything the user sets for the allocation, hashable (it is the cache key of the plan)."""

    objective: str = Objective.SCORE.value
    years: int | None = None
    budget: float | None = None
    quotas: tuple[tuple[str, float], ...] = ()
    force_in: tuple[tuple[int, str | None], ...] = ()  # firm position, park id (None: any park that takes it)
    force_out: tuple[int, ...] = ()
    share_percent: float | None = None  # the district's share of a firm's tax, % — no default
    ramp_up: float = 0.0
    rate_percent: float = 0.0
    tax_lines: tuple[float, ...] = ()
    time_limit: float = INTERACTIVE_SECONDS

    def options(self) -> Options:
        share = None if self.share_percent is None else self.share_percent / 100
        return Options(
            objective=Objective(self.objective),
            years=self.years,
            quotas=dict(self.quotas),
            budget=self.budget,
            force_in=dict(self.force_in),
            force_out=frozenset(self.force_out),
            retention=Retention(share, self.ramp_up, self.rate_percent / 100),
            tax_lines=tuple(sorted(set(self.tax_lines), reverse=True)),
            time_limit=self.time_limit,
        )


def park_names(plan: DistrictPlan | Batch, lang: str) -> dict[str, str]:
    parks = plan.batch.parks if isinstance(plan, DistrictPlan) else plan.parks
    return {p.id: p.name.get(lang) for p in parks}


def firm_choices(batch: Batch, lang: str) -> dict[int, str]:
    """Firm position -> how a person finds it: its Excel row (with the file when there are several) and name."""
    rows = batch.firms["source_row"].to_numpy().astype(str).astype(object)
    prefix, suffix = ("第", "行") if lang == "zh" else ("row ", "")
    names = pd.Series(batch.names(), dtype=object).fillna("").to_numpy(dtype=object)
    labels = prefix + rows + suffix + " · " + names
    if len(batch.files) > 1:
        labels = batch.firms["source_file"].to_numpy(dtype=object).astype(str).astype(object) + " · " + labels
    return dict(enumerate(labels.tolist()))


def status(plan: DistrictPlan) -> dict:
    """The solver's answer: proven optimal, stopped at a gap (with its bound), or infeasible."""
    solution = plan.solution
    return {
        "kind": solution.status,
        "gap_percent": float(solution.gap) * 100 if solution.status == "gap" else 0.0,
        "bound": float(solution.bound) if solution.status == "gap" else None,
        "seconds": float(solution.seconds),
    }


def comparison(plan: DistrictPlan, lang: str) -> pd.DataFrame:
    """The optimum beside the rank-order fill, and what the optimum gains."""
    zh = lang == "zh"
    keys = ("firms", "objective", "land", "tax", "compensation")
    heads = ("企业数", "目标价值", "用地（亩）", "年税收（万元）", "搬迁补偿（万元）") if zh else (
        "Firms", "Value", "Land (mu)", "Annual tax (10k yuan)", "Compensation (10k yuan)")  # fmt: skip
    rows = [plan.totals, plan.greedy_totals]
    gain = {k: plan.totals[k] - plan.greedy_totals[k] for k in keys}
    labels = ("最优方案", "排序法", "最优方案多出") if zh else ("Optimum", "Rank order", "Optimum gains")
    frame = pd.DataFrame(
        {"": labels, **{h: [float(r[k]) for r in (*rows, gain)] for k, h in zip(keys, heads, strict=True)}}
    )
    frame.attrs["digits"] = dict(zip(heads, (0, 1, 1, 0, 0), strict=True))
    return frame


def _one_file(frame: pd.DataFrame, plan: DistrictPlan, lang: str) -> pd.DataFrame:
    """The file column only matters when several lists were given."""
    column = sheets.WORDS[lang]["file"]
    if len(plan.batch.files) > 1 or column not in frame:
        return frame
    out = frame.drop(columns=column)
    out.attrs = frame.attrs
    return out


def allocation_table(plan: DistrictPlan, lang: str) -> pd.DataFrame:
    """Every firm: the allocated ones first (park by park, most valuable first), then the rest in Excel order."""
    frame = sheets.allocation_frame(plan, lang)
    firms = plan.firms
    park_order = {p: i for i, p in enumerate(plan.parks["park"])}
    placed = firms["park"].map(park_order).to_numpy(dtype=float)
    order = np.lexsort((firms["source_row"].to_numpy(), -np.nan_to_num(firms["value"].to_numpy(), nan=0.0),
                        np.nan_to_num(placed, nan=len(park_order))))  # fmt: skip
    w = sheets.WORDS[lang]
    first = [w[k] for k in ("row", "file", "name", "park", "greedy", "change", "placement", "reason")]
    columns = [c for c in first if c in frame] + [c for c in frame if c not in first]
    shown = frame.iloc[order][columns].reset_index(drop=True)  # the reason next to the outcome, on screen
    shown.attrs = frame.attrs
    return _one_file(shown, plan, lang)


def differences_table(plan: DistrictPlan, lang: str) -> pd.DataFrame:
    return _one_file(sheets.differences_frame(plan, lang), plan, lang)


def out_counts(plan: DistrictPlan, lang: str) -> pd.DataFrame:
    """How many firms are in or out, and for which reason (the placements, in the vocabulary's order)."""
    counts = plan.firms["placement"].value_counts()
    frame = pd.DataFrame(
        {
            "结果" if lang == "zh" else "Outcome": [p.label(lang) for p in Placement],
            "企业数" if lang == "zh" else "Firms": [int(counts.get(p.value, 0)) for p in Placement],
        }
    )
    return frame[frame.iloc[:, 1] > 0].reset_index(drop=True)


def _park_list(texts: pd.Series, names: dict[str, str], lang: str) -> np.ndarray:
    """Comma-joined park ids ("sme-park,talent-base") as park names ("中小企业…、高层次…")."""
    joiner = "、" if lang == "zh" else ", "
    parts = texts.fillna("").astype(str).str.split(",", expand=True)
    shown = pd.Series("", index=texts.index, dtype=object)
    for position in parts.columns:  # a loop over a firm's list positions (at most the number of parks)
        name = parts[position].map(names).fillna("")
        glue = np.where((shown != "") & (name != ""), joiner, "")
        shown = shown + glue + name
    return shown.to_numpy(dtype=object)


def matrix_table(plan: DistrictPlan, show: str, lang: str) -> pd.DataFrame:
    """Firm × park: each park's decision, score, class or first rule in the way; where the firm
    applied, whether that park takes it, which other parks would."""
    zh = lang == "zh"
    w = sheets.WORDS[lang]
    names = park_names(plan, lang)
    firms = plan.firms
    column = f"reason_{lang}" if show == "reason" else show
    grid = plan.matrix.grid(column)
    frame = pd.DataFrame({w["row"]: firms["source_row"].to_numpy(), w["name"]: firms["name"].to_numpy(dtype=object)})
    for park, name in names.items():
        values = grid[park]
        if show == "decision":
            values = values.map({d.value: f"{DECISION_MARKS[d.value]} {d.label(lang)}" for d in Decision})
        frame[name] = values.to_numpy(dtype=float if show == "score" else object)
    frame[w["best"]] = firms["best_park"].map(names).to_numpy(dtype=object)
    frame[w["eligible"]] = _park_list(firms["eligible_parks"], names, lang)
    frame[w["applied"]] = firms["applied_park"].map(names).to_numpy(dtype=object)
    applied_ok = firms["applied_eligible"].map({True: "是" if zh else "yes", False: "否" if zh else "no"})
    frame["申请园区可接收" if zh else "Applied park takes it"] = applied_ok.to_numpy(dtype=object)
    frame["其他可接收园区" if zh else "Other parks that take it"] = _park_list(firms["other_parks"], names, lang)
    frame.attrs["digits"] = {w["row"]: 0, **({n: 1 for n in names.values()} if show == "score" else {})}
    return frame


def parks_table(plan: DistrictPlan, lang: str) -> pd.DataFrame:
    return sheets.parks_frame(plan, lang)


def park_bars(plan: DistrictPlan, lang: str) -> dict:
    """Land and tax per park for the optimum and the rank-order fill (a grouped bar chart's data)."""
    p = plan.parks
    return {
        "parks": p[f"name_{lang}"].tolist(),
        "quota": p["quota"].astype(float).tolist(),
        "land": {k: p[f"{k}_land"].astype(float).tolist() for k in ("optimum", "greedy")},
        "tax": {k: p[f"{k}_tax"].astype(float).tolist() for k in ("optimum", "greedy")},
    }


def money_table(plan: DistrictPlan, lang: str) -> pd.DataFrame:
    """Per firm: tax, compensation, paybacks and present value — the district's columns only once a
    share of tax is given (they would be empty otherwise)."""
    frame = sheets.money_frame(plan, lang)
    w = sheets.WORDS[lang]
    empty = [w[k] for k in ("retained", "retained_payback", "npv") if frame[w[k]].isna().all()]
    out = frame.drop(columns=empty)
    for key in ("payback", "retained_payback"):
        if w[key] in out:
            out[w[key]] = years_text(out[w[key]].to_numpy(dtype=float), lang)
    digits = {**frame.attrs["digits"], w["compensation"]: 0, w["npv"]: 0}
    out.attrs["digits"] = {k: v for k, v in digits.items() if k in out.columns and k not in (w["payback"],
                           w["retained_payback"])}  # fmt: skip
    return out


def years_text(years: np.ndarray, lang: str) -> np.ndarray:
    """Payback years as text: one decimal; "never" where the tax never covers the compensation
    (a payback of infinity), blank where a figure to compute it is missing."""
    never = "永不回收" if lang == "zh" else "never"
    shown = pd.Series(years).map(lambda v: f"{v:,.1f}").to_numpy(dtype=object)  # formatting only
    return np.where(np.isinf(years), never, np.where(np.isnan(years), None, shown))


def batch_summary(plan: DistrictPlan, lang: str) -> pd.DataFrame:
    """The speech's figures for the whole batch, the optimum's firms and the rank-order fill's."""
    zh = lang == "zh"
    s = plan.summary
    frame = pd.DataFrame({"": [GROUPS[g][0 if zh else 1] for g in s["group"]]})
    heads = {
        "firms": ("企业数", "Firms", 0),
        "tax": ("年税收（万元）", "Annual tax (10k yuan)", 0),
        "compensation": ("搬迁补偿（万元）", "Compensation (10k yuan)", 0),
        "compensation_per_tax": ("补偿为年税收的倍数", "Compensation ÷ annual tax", 2),
        "retained_tax": ("区级留成税收（万元/年）", "Retained tax (10k yuan/yr)", 0),
        "npv": ("补偿净现值（万元）", "Net present value (10k yuan)", 0),
    }
    digits = {}
    for key, (head_zh, head_en, d) in heads.items():
        if key in s and not s[key].isna().all():
            frame[head_zh if zh else head_en] = s[key].to_numpy(dtype=float)
            digits[head_zh if zh else head_en] = d
    for line in plan.options.tax_lines:
        above = f"税收 ≥ {line:g} 万元" if zh else f"Tax ≥ {line:g}"
        below = f"税收 < {line:g} 万元" if zh else f"Tax < {line:g}"
        frame[above] = s[f"above_{line:g}"].to_numpy()
        frame[below] = s[f"below_{line:g}"].to_numpy()
    frame.attrs["digits"] = digits
    return frame


def speech(plan: DistrictPlan, lang: str) -> list[str]:
    """Each group's figures in the speech's words (amounts in 亿元)."""
    zh = lang == "zh"
    colon = "：" if zh else ": "
    return [
        GROUPS[row["group"]][0 if zh else 1] + colon + speech_sentence(row, plan.options.tax_lines, lang)
        for _, row in plan.summary.iterrows()  # three groups
    ]


def frontier_table(frontier: Frontier, lang: str) -> pd.DataFrame:
    """The frontier's points; the bound and gap columns only when some point was not proven optimal."""
    frame = sheets.frontier_frame(frontier, lang)
    head = {key: words[lang != "zh"] for key, words in sheets.FRONTIER_HEADERS.items()}
    digits = {**frame.attrs["digits"], head["firms"]: 0, head["gain_firms"]: 0}
    if (frontier.table["status"] == "optimal").all():
        frame = frame.drop(columns=[head["bound"], head["gap"]])
    frame.attrs["digits"] = {k: v for k, v in digits.items() if k in frame.columns}
    return frame


def frontier_figure(frontier: Frontier, lang: str) -> dict:
    """The chart's data, and whether a bound band needs drawing."""
    data = frontier.figure(lang)
    data["proven"] = bool((frontier.table["status"] == "optimal").all())
    return data
