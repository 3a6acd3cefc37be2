"""The 稳健性 page's numbers and tables, built from a :class:`~screening.analysis.robustness.RobustnessResult`
— plain frames and dicts, no Streamlit, tested on their own.

What the working group knows about the weights comes from the page as a :class:`WeightChoice`
(hashable: it is the cache key), turned into the library's :class:`WeightInfo`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from screening.analysis.robustness import RobustnessResult
from screening.analysis.weights import WeightInfo
from screening.engine.result import Result
from screening.report.analysis_sheets import WORDS as SHEET_WORDS
from screening.report.analysis_sheets import robustness_table
from screening.rules.loading import RuleSet
from screening.vocabulary import Decision
from screening.vocabulary import Robustness as Label

MODES = ("none", "spread", "ranges", "orders")
DEFAULT_SPREAD = 20.0  # %: what a range starts from before the working group narrows or widens it
BARS = 30  # firms in the probability chart


@dataclass(frozen=True)
class WeightChoice:
    mode: str = "none"
    spread_percent: float = DEFAULT_SPREAD
    ranges: tuple[tuple[str, float, float], ...] = ()  # criterion key, low, high (points)
    orders: tuple[tuple[str, ...], ...] = ()  # per department, heaviest first

    def info(self) -> WeightInfo:
        if self.mode == "spread":
            return WeightInfo(
                "spread", spread=self.spread_percent / 100, source=f"spread:{self.spread_percent / 100:g}"
            )
        if self.mode == "ranges":
            ranges = {key: (low, high) for key, low, high in self.ranges}
            return WeightInfo("file", ranges=ranges, source="ranges")
        if self.mode == "orders":
            chains = tuple(chain for chain in self.orders if len(chain) > 1)
            return WeightInfo("file", orders=chains, source="orders") if chains else WeightInfo("none")
        return WeightInfo("none")


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    weight: float
    total: float  # the scoring total its weight is part of
    scoring_set: str  # the set's label (several sets: above / below scale …)


def criteria(ruleset: RuleSet, lang: str) -> list[Criterion]:
    """Every weighted criterion of the rule file, with its standard weight and its set's label."""
    total = ruleset.model.scoring.total
    found = []
    for scoring_set in ruleset.model.scoring.all_sets():
        for crit in scoring_set.criteria:
            label = crit.label.get(lang) if crit.label else ruleset.label_of(crit.indicator, lang)
            found.append(Criterion(crit.key, label, float(crit.weight), float(total), scoring_set.label.get(lang)))
    return found


def default_range(crit: Criterion, spread_percent: float = DEFAULT_SPREAD) -> tuple[float, float]:
    """A starting range: the standard weight ± the spread, within 0 … the scoring total."""
    share = spread_percent / 100
    return max(0.0, crit.weight * (1 - share)), min(crit.total, crit.weight * (1 + share))


def labels_of(result: Result) -> tuple[Label, ...]:
    """The labels a firm can get: an entry standard's three, an evaluation's two (class stability)."""
    if result.is_evaluation:
        return (Label.CLASS_STABLE, Label.CLASS_SHIFTS)
    return (Label.CORE, Label.BORDERLINE, Label.EXTERIOR)


def counts(result: Result, robust: RobustnessResult) -> dict[Label, int]:
    found = robust.counts()
    return {label: found[label] for label in labels_of(result)}


def firm_table(result: Result, robust: RobustnessResult, lang: str) -> pd.DataFrame:
    """The workbook's robustness table (borderline first), without columns that would be empty
    (an evaluation has no probability of admission and no central weights)."""
    frame = robustness_table(result, robust, lang)
    if result.is_evaluation:  # least stable class first (the table's own order is for admissions)
        positions = pd.Series(np.arange(len(frame)), index=robust.borderline_first().index)
        digits = frame.attrs["digits"]
        frame = frame.iloc[positions.loc[_least_stable_first(robust)].to_numpy()].reset_index(drop=True)
        frame.attrs["digits"] = digits
    empty = [c for c in frame.columns if frame[c].isna().all()]
    out = frame.drop(columns=empty)
    words = SHEET_WORDS[lang]
    dominated = words["dominated_by"]
    if dominated in out and not out[dominated].astype(bool).any():
        out = out.drop(columns=dominated)
    out.attrs["digits"] = {k: v for k, v in frame.attrs["digits"].items() if k in out.columns}
    return out


def probability_columns(frame: pd.DataFrame, lang: str) -> list[str]:
    """The columns holding probabilities (0–1): P(admitted) and P(class …)."""
    words = SHEET_WORDS[lang]
    return [c for c in frame.columns if c == words["p_admit"] or str(c).startswith(words["class_p"])]


def _firm_names(firms: pd.DataFrame, lang: str) -> list[str]:
    rows = firms["source_row"].astype(str)
    names = firms["name"].astype(object).where(firms["name"].notna(), "").astype(str)
    return (names + ("（第" + rows + "行）" if lang == "zh" else " (row " + rows + ")")).tolist()


def _least_stable_first(robust: RobustnessResult) -> np.ndarray:
    """Firm positions, the least likely to keep their own class first (unclassed firms last)."""
    own = pd.Categorical(robust.firms["class"].astype(object), categories=list(robust.class_probability.columns))
    probs = robust.class_probability.to_numpy()
    keeps = np.where(own.codes >= 0, probs[np.arange(len(own)), np.maximum(own.codes, 0)], np.nan)
    return np.lexsort((robust.firms["source_row"].to_numpy(), np.nan_to_num(keeps, nan=2.0)))


def admission_bars(robust: RobustnessResult, lang: str, limit: int = BARS) -> dict:
    """The firms the meeting should look at first (borderline, closest to even odds first), then the core
    ones, with their probability of admission; a firm never admitted under any weighting has no bar."""
    ordered = robust.borderline_first()
    firms = ordered[ordered["p_admit"].to_numpy() > 0].head(limit)
    return {
        "names": _firm_names(firms, lang),
        "values": firms["p_admit"].astype(float).tolist(),
        "labels": firms["label"].tolist(),
    }


def class_bars(result: Result, robust: RobustnessResult, lang: str, limit: int = BARS) -> dict:
    """An evaluation: firms whose class may change first (least stable first), each class's probability."""
    order = _least_stable_first(robust)[:limit]
    firms = robust.firms.iloc[order]
    return {
        "names": _firm_names(firms, lang),
        "shares": {str(c): robust.class_probability[c].to_numpy()[order].tolist() for c in robust.class_probability},
    }


def dominance_table(robust: RobustnessResult, lang: str) -> pd.DataFrame:
    """Admitted firms that a firm left out beats or equals on every criterion, with those firms named."""
    zh = lang == "zh"
    firms = robust.firms
    hit = firms[firms["dominated_by"].map(len).to_numpy() > 0]
    names = dict(zip(firms["source_row"], firms["name"].astype(object).where(firms["name"].notna(), ""), strict=True))
    joiner, pattern = ("；", "第{row}行 {name}") if zh else ("; ", "row {row} {name}")
    by = [joiner.join(pattern.format(row=r, name=names.get(r, "")) for r in rows) for rows in hit["dominated_by"]]
    words = SHEET_WORDS[lang]
    frame = pd.DataFrame(
        {
            words["row"]: hit["source_row"].to_numpy(),
            words["name"]: hit["name"].to_numpy(dtype=object),
            words["score"]: hit["score"].to_numpy(dtype=float),
            ("被以下未入园企业全面占优" if zh else "Beaten or equalled on every criterion by"): by,
        }
    )
    frame.attrs["digits"] = {words["row"]: 0, words["score"]: 2}
    return frame


def firm_choices(result: Result, lang: str) -> dict[int, str]:
    """Excel row -> "#rank · name · row N", in the ranking's order (unranked firms after)."""
    order = result.display_order()
    summary = result.summary.iloc[order]
    rank = summary["rank"].astype(object).where(summary["rank"].notna(), None)
    prefix = rank.map(lambda r: "" if r is None else f"#{int(r)} · ").astype(str)
    names = summary["name"].astype(object).where(summary["name"].notna(), "").astype(str) if "name" in summary else ""
    rows = summary["source_row"].astype(str)
    labels = prefix + names + (" · 第" + rows + "行" if lang == "zh" else " · row " + rows)
    return dict(zip(summary["source_row"].astype(int).tolist(), labels.tolist(), strict=True))


def first_to_explain(result: Result) -> int | None:
    """The Excel row the 差距 view opens on: the best-ranked firm not admitted (for an evaluation, the first)."""
    order = result.display_order()
    if not len(order):
        return None
    decisions = result.summary["decision"].to_numpy()[order]
    waiting = np.flatnonzero(decisions != Decision.ADMIT.value)
    position = order[waiting[0]] if len(waiting) and not result.is_evaluation else order[0]
    return int(result.summary["source_row"].iloc[position])
