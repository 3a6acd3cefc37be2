"""Per sample, the score that puts a firm in class j or better: classes as thresholds, not sorts.

Whatever the class rule, "class j or better" is "a total at least this high" in each sample:

- score bands: the band's cut-off;
- percentile bands: the total of the k-th best firm of the group, k = ⌊top_share × group size⌋;
- a quota capping class j (``max_share``): only the best K_j firms of the group are in class j or
  better, K_j = min(firms at or above the cut, K_(j-1) + ⌊max_share × size⌋) — the K_j-th best total;
- a quota filling class c from the bottom (``min_share``): the worst ⌈min_share × size⌉ firms are in
  class c or worse, so better classes also need a total above the worst of those.

So per group and sample one small matrix of thresholds (classes − 1 × samples) replaces a
class per firm and sample; counting classes is then a comparison per cut-off. Firms with equal
totals at a threshold are all let in (the engine orders them by the tie-breaks); with continuous
weights that has probability zero unless two firms are identical on every criterion.
"""

from __future__ import annotations

import numpy as np

from ..engine.result import Result

HALF_STEP = 5e-7  # totals are rounded to 6 decimals before classes


def thresholds(result: Result, graded_rows: np.ndarray, total: np.ndarray) -> np.ndarray:
    """(classes − 1, samples): the total needed for class j or better in each sample, for one group
    whose graded firms are ``graded_rows`` of ``total``."""
    spec = result.ruleset.model.classes
    names = [b.klass for b in spec.bands]
    size = len(graded_rows)
    samples = total.shape[1]
    levels = len(names) - 1
    if levels == 0 or size == 0:
        return np.full((levels, samples), -np.inf)
    sub = total if size == len(total) else total[graded_rows]  # the whole matrix when all are graded
    if spec.method == "bands":
        cuts = np.array([b.min_score for b in spec.bands[:-1]]) - HALF_STEP
        out = np.repeat(cuts[:, None], samples, axis=1)
        places = None
    else:
        tops = np.array([b.top_share for b in spec.bands[:-1]])
        places = np.floor(tops * size + 1e-9).astype(np.int64)
        out = _kth_best(sub, places)
    quotas = {names.index(c): q for c, q in spec.quotas.items()}
    capped = {c: q.max_share for c, q in quotas.items() if q.max_share is not None}
    if capped:
        out = _capped(sub, out, places, capped, size)
    for c, quota in quotas.items():
        if quota.min_share is not None:
            required = int(np.ceil(quota.min_share * size - 1e-9))
            if required > 0:
                worst = np.partition(sub, required - 1, axis=0)[required - 1]  # the required-th worst total
                out[:c] = np.maximum(out[:c], np.nextafter(worst, np.inf)[None, :])
    return out


def _kth_best(sub: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Per sample, the places[j]-th best total (-inf where places[j] >= group size, +inf where 0)."""
    size = len(sub)
    inside = (places >= 1) & (places < size)
    out = np.where(places[:, None] < 1, np.inf, -np.inf) * np.ones((len(places), sub.shape[1]))
    if inside.any():
        wanted = np.unique(size - places[inside])  # k-th best = (size - k)-th smallest, 0-based
        parted = np.partition(sub, wanted, axis=0)
        out[inside] = parted[size - places[inside]]
    return out


def _capped(sub, out, places, capped: dict[int, float], size: int) -> np.ndarray:
    """Tighten class thresholds for max_share quotas, from the best class down (surplus cascades)."""
    samples = sub.shape[1]
    kept = np.zeros(samples)  # firms in the classes above, after their quotas
    for j in range(len(out)):
        if places is None:
            at_or_above = (sub >= out[j][None, :]).sum(axis=0)
        else:
            at_or_above = np.minimum(places[j], size) * np.ones(samples)
        if j in capped:
            limit = kept + np.floor(capped[j] * size + 1e-9)
            over = np.flatnonzero(at_or_above > limit)
            keep = limit[over].astype(np.int64)  # only the ``keep`` best stay: the keep-th best total
            for k in np.unique(keep):
                cols = over[keep == k]
                worst_kept = np.partition(sub[:, cols], size - k, axis=0)[size - k] if k >= 1 else np.inf
                out[j, cols] = np.maximum(out[j, cols], worst_kept)
            at_or_above = np.minimum(at_or_above, limit)
        kept = at_or_above
    return out
