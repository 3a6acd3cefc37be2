"""Normalisations: how an indicator value becomes a share of a criterion's weight.

Methods (share = points ÷ weight):

- ``ratio``        x ÷ baseline, floored at 0 and capped at ``cap`` (Huangyan, Linhai, Huai'an).
- ``lower_ratio``  1 − x ÷ (2 × baseline), clipped to 0–1: full weight at 0, half at the
                   baseline, nothing at twice the baseline (lower-is-better, fsou method).
- ``inverse_ratio`` baseline ÷ x, at most ``cap`` (default 1): lower is better and, with the
                   baseline at the batch minimum, the best firm gets full marks (the mirror of
                   fsou's "best firm = full marks", x ÷ max).
- ``linear``       floor + (1 − floor) × (x − worst) ÷ (best − worst), clipped: maps the range
                   onto floor–100 % of the weight; with batch min/max this is Jingde's 20–100 %.
- ``percentile``   floor + (1 − floor) × the firm's percentile rank in its scoring set.

Baselines, best and worst are numbers or batch statistics ``{stat: mean|median|max|min, times: k}``
over the firms *scored* in the same scoring set that have a value: a firm that is not scored
(required data missing, a gate or criterion that leaves it unscored) never moves anyone's points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..rules.schema import Criterion, Stat


@dataclass(frozen=True)
class CriterionPoints:
    points: np.ndarray  # NaN outside the scoring set
    missing: np.ndarray  # member of the set without a value
    references: dict[str, float]  # baseline / best / worst actually used


def score_criterion(
    x: np.ndarray, members: np.ndarray, crit: Criterion, better: str | None, scored: np.ndarray | None = None
) -> CriterionPoints:
    """Points of one criterion for the ``members`` of its scoring set. ``scored`` (default: all members)
    are the members that are scored at all: batch statistics, percentile ranks and the ``mean`` fill
    are taken over them only, and the others get no points (NaN)."""
    scored = members if scored is None else members & scored
    valid = scored & ~np.isnan(x)
    sample = x[valid]
    refs = {
        name: _resolve(getattr(crit, name), sample)
        for name in ("baseline", "best", "worst")
        if getattr(crit, name) is not None
    }
    share = _share(x, valid, crit, better, refs)
    points = crit.weight * share
    missing = members & np.isnan(x)
    points = _fill_missing(points, valid, missing & scored, crit.missing)
    return CriterionPoints(np.where(scored, points, np.nan), missing, refs)


def _resolve(reference: float | Stat, sample: np.ndarray) -> float:
    if not isinstance(reference, Stat):
        return float(reference)
    if sample.size == 0:
        return np.nan
    value = {"mean": np.mean, "median": np.median, "max": np.max, "min": np.min}[reference.stat](sample)
    return float(value) * reference.times


def _share(x: np.ndarray, valid: np.ndarray, crit: Criterion, better: str | None, refs: dict) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if crit.method == "ratio":
            upper = crit.cap if crit.cap is not None else np.inf
            return np.clip(x / refs["baseline"], 0.0, upper)
        if crit.method == "lower_ratio":
            return np.clip(1.0 - x / (2.0 * refs["baseline"]), 0.0, 1.0)
        if crit.method == "inverse_ratio":  # baseline ÷ x; a value of 0 or less is as good as it gets
            upper = crit.cap if crit.cap is not None else 1.0
            return np.where(x <= 0, upper, np.clip(refs["baseline"] / x, 0.0, upper))
        if crit.method == "linear":
            span = refs["best"] - refs["worst"]
            if span == 0 or np.isnan(span):
                position = np.where(np.isnan(x), np.nan, 1.0)
            else:
                position = np.clip((x - refs["worst"]) / span, 0.0, 1.0)
            return crit.floor + (1.0 - crit.floor) * position
    position = np.full(x.shape, np.nan)
    if valid.any():
        ranked = pd.Series(x[valid] if better != "lower" else -x[valid]).rank(method="average", pct=True)
        position[valid] = ranked.to_numpy()
    return crit.floor + (1.0 - crit.floor) * position


def _fill_missing(points: np.ndarray, valid: np.ndarray, missing: np.ndarray, policy: str) -> np.ndarray:
    if not missing.any() or policy == "not_scored":
        return points
    fill = 0.0
    if policy == "mean":
        fill = float(points[valid].mean()) if valid.any() else 0.0
    return np.where(missing, fill, points)
