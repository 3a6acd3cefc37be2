"""Classes (A/B/C/D …): score bands or percentile bands per group, quotas, floors, caps, exemptions.

Order of application: exempt firms take their own class (e.g. T, "not graded"); the rest are
banded within their group (scoring set, or all firms); quotas move the surplus of a capped
class down (A ≤ 20 %) and fill a minimum class from the bottom (D ≥ 5 %); floors protect
(new firms not below C); caps apply last, so a veto-like cap beats a protection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..rules.operators import at_least
from ..rules.schema import Classes
from .conditions import PASS, Columns, evaluate_condition


@dataclass(frozen=True)
class ClassOutcome:
    codes: np.ndarray  # index into ``names`` per firm, -1 when not scored
    names: list[str]  # band classes best to worst, then exempt classes
    capped: pd.Categorical  # id of the cap rule that lowered the class, else ""
    floored: pd.Categorical  # id of the floor rule that raised it, else ""
    quota_moved: np.ndarray  # bool: a quota moved the firm
    exempt: np.ndarray  # bool: took an exempt class


def assign(spec: Classes, cols: Columns, total: np.ndarray, order: np.ndarray, set_index: np.ndarray) -> ClassOutcome:
    size = len(total)
    names = [b.klass for b in spec.bands]
    exempt_names = list(dict.fromkeys(rule.klass for rule in spec.exempt))
    scored = ~np.isnan(total)
    exempt_code = np.full(size, -1, dtype=np.int64)
    for rule in spec.exempt:
        hit = scored & (exempt_code < 0) & (evaluate_condition(rule.when, cols) == PASS)
        exempt_code[hit] = len(names) + exempt_names.index(rule.klass)
    exempt = exempt_code >= 0
    graded = scored & ~exempt
    group = set_index if spec.group == "set" else np.zeros(size, dtype=np.int64)
    ranked, position, group_size = _positions(order, graded, group)
    index = np.full(size, len(spec.bands) - 1, dtype=np.int64)
    index[ranked] = _band_index(spec, total[ranked], position, group_size)
    moved = np.zeros(size, dtype=bool)
    for cls, quota in spec.quotas.items():
        c = names.index(cls)
        new = _apply_quota(index[ranked], c, quota, position, group_size, group[ranked], len(names))
        moved[ranked] |= new != index[ranked]
        index[ranked] = new
    floored = _apply_rules(spec.floors, "min_class", names, index, graded, cols)
    capped = _apply_rules(spec.caps, "max_class", names, index, graded, cols)
    codes = np.where(graded, index, exempt_code)
    return ClassOutcome(codes, names + exempt_names, capped, floored, moved, exempt)


def _positions(order: np.ndarray, graded: np.ndarray, group: np.ndarray):
    """Graded firms in score order grouped; their 1-based position and group size."""
    in_order = order[graded[order]]
    in_groups = group[in_order]
    one_group = len(in_groups) == 0 or in_groups.min() == in_groups.max()
    ranked = in_order if one_group else in_order[np.argsort(in_groups, kind="stable")]
    groups = group[ranked]
    if len(ranked) == 0:
        return ranked, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    _, starts, counts = np.unique(groups, return_index=True, return_counts=True)
    which = np.searchsorted(groups[starts], groups)
    position = np.arange(len(ranked)) - starts[which] + 1
    return ranked, position, counts[which]


def _band_index(spec: Classes, total: np.ndarray, position: np.ndarray, group_size: np.ndarray) -> np.ndarray:
    if spec.method == "bands":
        minimums = np.array([b.min_score for b in spec.bands[:-1]], dtype=np.float64)
        return (~at_least(total[:, None], minimums[None, :])).sum(axis=1)  # 59.999999999999993 is 60
    tops = np.array([b.top_share for b in spec.bands[:-1]], dtype=np.float64)
    share = position / group_size
    return np.searchsorted(tops, share, side="left")


def _apply_quota(index, c, quota, position, group_size, groups, n_classes) -> np.ndarray:
    index = index.copy()
    if quota.max_share is not None and c + 1 < n_classes:
        allowed = np.floor(quota.max_share * group_size + 1e-9)
        in_class = index == c
        count = _group_cumsum(in_class, groups)
        index[in_class & (count > allowed)] = c + 1
    if quota.min_share is not None:
        required = np.ceil(quota.min_share * group_size - 1e-9)
        bottom = position > group_size - required
        index[bottom] = np.maximum(index[bottom], c)
    return index


def _group_cumsum(mask: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Running count of ``mask`` within each run of equal ``groups`` (rows are grouped already)."""
    total = np.cumsum(mask)
    if len(groups) == 0:
        return total
    starts = np.r_[True, groups[1:] != groups[:-1]]
    offset = np.maximum.accumulate(np.where(starts, np.arange(len(groups)), 0))
    before = np.where(offset > 0, total[offset - 1], 0)
    return total - before


def _apply_rules(
    rules, key: str, names: list[str], index: np.ndarray, graded: np.ndarray, cols: Columns
) -> pd.Categorical:
    """Move classes up to a floor or down to a cap; returns which rule moved each firm ('' = none)."""
    applied = np.zeros(len(index), dtype=np.int64)
    for number, rule in enumerate(rules, start=1):
        target = names.index(getattr(rule, key))
        hit = graded & (evaluate_condition(rule.when, cols) == PASS)
        moves = hit & ((index > target) if key == "min_class" else (index < target))
        index[moves] = target
        applied[moves & (applied == 0)] = number
    return pd.Categorical.from_codes(applied, categories=[""] + [r.id for r in rules])
