"""Dominance audit: an admitted firm that a firm left out beats or equals on every criterion.

Criteria are compared on their shares (points ÷ weight), which already point the right way
(lower-is-better indicators score higher when lower) and are what any weighting multiplies: a
firm with every share at least as high scores at least as high under *every* weighting. Only
firms of the same scoring set are compared (they are scored on the same criteria).
"""

from __future__ import annotations

import numpy as np

from ..engine.result import Result
from ..vocabulary import Decision
from .outcomes import Fixed

DECIMALS = 9  # shares equal to 9 decimals are equal (both at a cap, say)
BLOCK = 256


def weakly_dominates(shares: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """(n × n) matrix: [i, j] is True when firm i is at least as good as firm j on every criterion
    in ``columns`` (a firm never dominates itself)."""
    s = np.round(shares[:, columns], DECIMALS)
    out = np.zeros((len(s), len(s)), dtype=bool)
    for start in range(0, len(s), BLOCK):
        block = s[start : start + BLOCK]
        out[:, start : start + BLOCK] = (s[:, None, :] >= block[None, :, :]).all(axis=2)
    np.fill_diagonal(out, False)
    return out


def dominated_by(result: Result, fixed: Fixed) -> list[list[int]]:
    """For every firm: Excel rows of scored, not admitted firms of its scoring set that beat or equal
    it on every criterion — filled for admitted firms only (empty lists elsewhere)."""
    decision = result.summary["decision"].to_numpy()
    rows = result.summary["source_row"].to_numpy()
    sets = result.summary["scoring_set"].cat.codes.to_numpy()
    admitted = decision == Decision.ADMIT.value
    out: list[list[int]] = [[] for _ in range(result.size)]
    offset = 0
    for i, scoring_set in enumerate(result.ruleset.model.scoring.all_sets()):
        columns = np.arange(offset, offset + len(scoring_set.criteria))
        offset += len(scoring_set.criteria)
        members = np.flatnonzero((sets == i) & fixed.scored)
        ins = members[admitted[members]]
        outs = members[~admitted[members]]
        if not len(ins) or not len(outs):
            continue
        s_in = np.round(fixed.shares[np.ix_(ins, columns)], DECIMALS)
        s_out = np.round(fixed.shares[np.ix_(outs, columns)], DECIMALS)
        for start in range(0, len(ins), BLOCK):
            beaten = (s_out[None, :, :] >= s_in[start : start + BLOCK, None, :]).all(axis=2)
            for k, hit in enumerate(beaten):
                out[ins[start + k]] = [int(r) for r in rows[outs[hit]]]
    return out
