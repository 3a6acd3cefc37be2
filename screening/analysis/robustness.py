"""Robustness under uncertain weights: would each decision survive another reasonable weighting?

Weights are sampled uniformly from what the working group allows (``weights.py``,
``sampling.py``); for each sample the scores, classes, quotas, decisions and the land quota are
re-run (``outcomes.py``, a block of samples at a time). Per firm (SMAA-2 / robust portfolio
modelling):

- ``p_admit`` — share of weightings under which it is admitted; ``label`` core (≥ ``core``,
  99 % by default), exterior (≤ ``exterior``, 1 %), borderline in between;
- the probability of each class, and rank acceptability: the probability of each rank
  (1 … ``rank_depth``);
- central weights: the average weighting under which it is admitted;
- ``dominated_by``: for an admitted firm, the firms left out that beat or equal it on every criterion.

With no weight information at all nearly every firm looks borderline; the result then carries a
warning asking the departments for ranges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ..engine.result import Result
from ..issues.record import issues_frame, make_issue
from ..vocabulary import Robustness as Label
from .block import Tally, run_block
from .dominance import dominated_by
from .outcomes import Fixed, fixed_parts
from .sampling import sample_weights
from .weights import WeightInfo, constraints

CELLS_PER_BLOCK = 2_000_000  # firms × samples handled at once (memory stays around 100 MB)


@dataclass(frozen=True)
class RobustnessResult:
    firms: pd.DataFrame  # source_row, name, decision, class, p_admit, label, dominated_by
    class_probability: pd.DataFrame  # firms × classes
    rank_acceptability: np.ndarray  # firms × ranks, rank 1 first
    central_weights: pd.DataFrame  # firms × criteria (NaN where never admitted)
    weights: np.ndarray  # samples × criteria
    criteria: list[str]
    info: WeightInfo
    samples: int
    seed: int
    issues: pd.DataFrame

    def counts(self) -> dict[Label, int]:
        found = self.firms["label"].value_counts()
        return {label: int(found.get(label.value, 0)) for label in Label}

    def borderline_first(self) -> pd.DataFrame:
        """Firms for the meeting: borderline first (closest to even odds first), then core, then exterior."""
        order = {Label.BORDERLINE.value: 0, Label.CORE.value: 1, Label.EXTERIOR.value: 2}
        frame = self.firms.assign(_l=self.firms["label"].map(order), _d=(self.firms["p_admit"] - 0.5).abs())
        return frame.sort_values(["_l", "_d", "source_row"], kind="stable").drop(columns=["_l", "_d"])


def robustness(
    result: Result,
    info: WeightInfo | None = None,
    samples: int = 10_000,
    seed: int = 0,
    rank_depth: int = 100,
    core: float = 0.99,
    exterior: float = 0.01,
) -> RobustnessResult:
    info = info or WeightInfo("none")
    weights = sample_weights(constraints(result.ruleset, info), samples, seed)
    fixed = fixed_parts(result)
    names = [b.klass for b in result.ruleset.model.classes.bands]
    tally = tally_weights(result, weights, rank_depth, fixed)
    p_admit = tally.admit / samples
    with np.errstate(invalid="ignore", divide="ignore"):
        central = tally.weight / tally.admit[:, None]
    if result.ruleset.model.is_evaluation:
        p_admit, label = _class_stability(result, tally.klass / samples, names, core)
    else:
        label = np.where(
            p_admit >= core,
            Label.CORE.value,
            np.where(p_admit <= exterior, Label.EXTERIOR.value, Label.BORDERLINE.value),
        )
    issues = issues_frame([] if info.informative else [make_issue("robustness-no-weight-info")])
    return RobustnessResult(
        firms=_firms(result, fixed, p_admit, label),
        class_probability=pd.DataFrame(tally.klass / samples, columns=names),
        rank_acceptability=tally.rank / samples,
        central_weights=pd.DataFrame(central, columns=fixed.keys),
        weights=weights,
        criteria=fixed.keys,
        info=info,
        samples=samples,
        seed=seed,
        issues=issues,
    )


def _class_stability(result: Result, shares: np.ndarray, names: list[str], core: float):
    """An evaluation admits nobody (p_admit is not applicable, NaN); a firm is "class stable" when it
    keeps its standard class under at least ``core`` of the weightings."""
    own = pd.Categorical(result.summary["class"].astype(object), categories=names).codes
    keeps = np.where(own >= 0, shares[np.arange(len(own)), np.maximum(own, 0)], np.nan)
    label = np.where(keeps >= core, Label.CLASS_STABLE.value, Label.CLASS_SHIFTS.value)
    return np.full(len(own), np.nan), label


def tally_weights(result: Result, weights: np.ndarray, rank_depth: int = 100, fixed: Fixed | None = None) -> Tally:
    """Counts over the given weightings (samples × criteria): admissions, classes, ranks, weights."""
    fixed = fixed or fixed_parts(result)
    depth = int(min(rank_depth, fixed.scored.sum()))
    tally = Tally.empty(result.size, len(result.ruleset.model.classes.bands), depth, len(fixed.keys))
    block = max(1, CELLS_PER_BLOCK // max(result.size, 1))
    buffer = np.empty((result.size, min(block, len(weights))), dtype=np.float32)
    # One BLAS thread: the products are thin (criteria ≈ 6), and on a shared machine OpenBLAS's
    # own threads made them 5–20 times slower (measured; see benchmarks/bench_analysis.py).
    with threadpool_limits(limits=1, user_api="blas"):
        for start in range(0, len(weights), block):
            run_block(result, fixed, weights[start : start + block], tally, buffer)
    return tally


def _firms(result: Result, fixed: Fixed, p_admit: np.ndarray, label: np.ndarray) -> pd.DataFrame:
    summary = result.summary
    return pd.DataFrame(
        {
            "source_row": summary["source_row"].to_numpy(),
            "name": summary["name"].astype(object).to_numpy() if "name" in summary else None,
            "decision": summary["decision"].astype(str).to_numpy(),
            "class": summary["class"].astype(object).to_numpy(),
            "score": summary["total"].to_numpy(dtype=float),
            "p_admit": p_admit,
            "label": label,
            "dominated_by": dominated_by(result, fixed),
        }
    )
