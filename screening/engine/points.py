"""Points: each firm's scoring set, every criterion's points, and bonus/penalty adjustments.

A firm is scored in the first scoring set whose ``when`` it meets (规上 / 规下 …); batch
statistics (a baseline at the mean, min–max) are taken within that set. The outcome is one
:class:`Scored` record that the decision step reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..rules.loading import RuleSet
from ..rules.schema import Scoring
from .columns import Columns
from .conditions import PASS, evaluate_condition
from .indicators import row_issues
from .scoring import score_criterion


@dataclass(frozen=True)
class Scored:
    set_index: np.ndarray  # scoring set per firm, -1 = none applies
    set_ids: list[str]
    points: pd.DataFrame  # per criterion key; NaN outside the firm's set
    references: dict[str, dict[str, float]]  # baseline / best / worst actually used, per criterion
    weighted: np.ndarray  # sum of the criterion points
    adjustments: pd.DataFrame  # per adjustment id
    adjustment: np.ndarray  # bonus (capped) + penalty
    criterion_unscored: np.ndarray  # a criterion with missing: not_scored lacks a value
    issues: pd.DataFrame | None

    @property
    def no_set(self) -> np.ndarray:
        return self.set_index < 0


def score_firms(ruleset: RuleSet, cols: Columns, rows: np.ndarray) -> Scored:
    scoring = ruleset.model.scoring
    sets = scoring.all_sets()
    set_index = _set_index(scoring, cols)
    points, references = {}, {}
    criterion_unscored = np.zeros(cols.size, dtype=bool)
    weighted = np.zeros(cols.size)
    for i, scoring_set in enumerate(sets):
        members = set_index == i
        for crit in scoring_set.criteria:
            better = ruleset.indicators[crit.indicator].spec.better
            outcome = score_criterion(cols.number(crit.indicator), members, crit, better)
            points[crit.key] = outcome.points
            references[crit.key] = outcome.references
            weighted += np.where(members, np.nan_to_num(outcome.points), 0.0)
            if crit.missing == "not_scored":
                criterion_unscored |= outcome.missing
    adjustments = {
        adj.id: np.where(evaluate_condition(adj.when, cols) == PASS, adj.points, 0.0) for adj in scoring.adjustments
    }
    no_set = set_index < 0
    issues = None
    if no_set.any():
        issues = row_issues(
            "no-scoring-set",
            rows[no_set],
            column="",
            detail_zh="、".join(s.label.zh for s in sets),
            detail_en=", ".join(s.label.get("en") for s in sets),
        )
    return Scored(
        set_index=set_index,
        set_ids=[s.id for s in sets],
        points=pd.DataFrame(points, index=range(cols.size), copy=False),
        references=references,
        weighted=weighted,
        adjustments=pd.DataFrame(adjustments, index=range(cols.size), copy=False),
        adjustment=_adjustment_total(adjustments, scoring.bonus_cap, cols.size),
        criterion_unscored=criterion_unscored,
        issues=issues,
    )


def _set_index(scoring: Scoring, cols: Columns) -> np.ndarray:
    set_index = np.full(cols.size, -1, dtype=np.int64)
    for i, scoring_set in enumerate(scoring.all_sets()):
        if scoring_set.when is None:
            match = np.ones(cols.size, dtype=bool)
        else:
            match = evaluate_condition(scoring_set.when, cols) == PASS
        set_index = np.where((set_index < 0) & match, i, set_index)
    return set_index


def _adjustment_total(adjustments: dict[str, np.ndarray], bonus_cap: float | None, size: int) -> np.ndarray:
    bonus, penalty = np.zeros(size), np.zeros(size)
    for points in adjustments.values():
        bonus += points.clip(min=0)
        penalty += points.clip(max=0)
    if bonus_cap is not None:
        bonus = np.minimum(bonus, bonus_cap)
    return bonus + penalty
