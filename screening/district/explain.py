"""Why each firm is in or out of the district allocation, in words (zh/en).

Out, for one of: forced out by the user; no park can take it (each park's first rule in the way);
worth nothing under the chosen objective (e.g. its tax over N years does not cover its
compensation); or eligible, but the land is worth more to others — its value per 亩 against the
value per 亩 of the *marginal* firm (the allocated firm worth least per 亩 in that park) — or the
compensation budget is (its value per 万元 of compensation against the marginal firm's).
Texts are built on whole columns; numbers are formatted once per firm shown.
"""

from __future__ import annotations

import string

import numpy as np
import pandas as pd

from ..vocabulary import Placement
from .batch import Batch
from .problem import Problem

BUDGET_SLACK = 1e-6
LAND_WORDS = {  # (worth less per 亩 than the marginal firm, too large for the land left)
    "zh": (
        "可入{park}，但每亩价值 {own} 低于该园区入选企业中最低的 {bar}（{who}，第{row}行）",
        "可入{park}，但剩余用地 {room} 亩放不下其 {land} 亩，腾出用地换它不划算",
    ),
    "en": (
        "eligible for {park}, but its value per mu {own} is below the marginal firm's {bar} ({who}, row {row})",
        "eligible for {park}, but its {land} mu do not fit the {room} mu left, and making room would lose more",
    ),
}
BUDGET_WORDS = {
    "zh": "补偿 {need} 万元，预算只剩 {room} 万元；其每万元补偿的价值 {own}，入选企业中最低为 {bar}",
    "en": "needs {need} (10k yuan) of compensation, {room} left in the budget; its value per 10k yuan {own}"
    " against the marginal firm's {bar}",
}


def placements(
    batch: Batch,
    pairs: pd.DataFrame,
    firms: pd.DataFrame,
    problem: Problem,
    chosen: np.ndarray,
    forced_out: frozenset,
    no_value: tuple[np.ndarray, np.ndarray],
) -> pd.DataFrame:
    """Per firm: ``placement`` (a :class:`Placement` value), ``park`` (id or None), ``reason_zh``, ``reason_en``.
    ``no_value``: per firm, the words for a firm that is worth nothing under the objective (zh, en)."""
    size = batch.size
    names = {p.id: (p.name.get("zh"), p.name.get("en")) for p in batch.parks}
    park_of = np.full(size, None, dtype=object)
    park_of[problem.firm[chosen]] = np.array(problem.parks, dtype=object)[problem.park[chosen]]
    kind = np.full(size, Placement.NO_VALUE.value, dtype=object)
    in_problem = np.bincount(problem.firm, minlength=size) > 0
    kind[in_problem] = Placement.LAND.value
    kind[firms["n_eligible"].to_numpy() == 0] = Placement.NOT_ELIGIBLE.value
    kind[np.array(sorted(forced_out), dtype=np.int64)] = Placement.FORCED_OUT.value
    kind[~pd.isna(park_of)] = Placement.ALLOCATED.value
    kind[problem.must & ~pd.isna(park_of)] = Placement.FORCED_IN.value
    zh = np.full(size, "", dtype=object)
    en = zh.copy()
    allocated = ~pd.isna(park_of)
    zh[allocated] = "入选：" + _park_words(park_of[allocated], names, 0)
    en[allocated] = "allocated to " + _park_words(park_of[allocated], names, 1)
    for placement, texts in (
        (Placement.FORCED_OUT, (Placement.FORCED_OUT.zh, Placement.FORCED_OUT.en)),
        (Placement.NOT_ELIGIBLE, _nowhere_words(pairs, names, size)),
        (Placement.NO_VALUE, no_value),
    ):
        where = kind == placement.value
        zh = np.where(where, texts[0], zh)
        en = np.where(where, texts[1], en)
    out = kind == Placement.LAND.value
    if out.any():
        kind_out, out_zh, out_en = _crowded_out(batch, problem, chosen, np.flatnonzero(out), names)
        kind[out], zh[out], en[out] = kind_out, out_zh, out_en
    return pd.DataFrame({"placement": kind, "park": park_of, "reason_zh": zh, "reason_en": en})


def _park_words(ids: np.ndarray, names: dict, lang: int) -> np.ndarray:
    return pd.Series(ids, dtype=object).map({k: v[lang] for k, v in names.items()}).to_numpy(dtype=object)


def _nowhere_words(pairs: pd.DataFrame, names: dict, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per firm, every park with the first rule in its way: “智造新城：未通过：亩均税收门槛；化工园：…”."""
    zh = np.full(size, "", dtype=object)
    en = zh.copy()
    for park, (name_zh, name_en) in names.items():  # a loop over parks
        here = pairs[pairs["park"].to_numpy() == park]
        firm = here["firm"].to_numpy()
        zh[firm] = (
            np.where(zh[firm] == "", "", zh[firm] + "；") + f"{name_zh}：" + here["reason_zh"].to_numpy(dtype=object)
        )
        en[firm] = (
            np.where(en[firm] == "", "", en[firm] + "; ") + f"{name_en}: " + here["reason_en"].to_numpy(dtype=object)
        )
    return zh, en


def marginal_firms(problem: Problem, chosen: np.ndarray) -> pd.DataFrame:
    """Per park, the allocated pair worth least per 亩 (the marginal firm): its firm, value per 亩, land left."""
    land = problem.pair_land
    per_mu = problem.value / np.maximum(land, 1e-9)
    used = np.bincount(problem.park[chosen], weights=land[chosen], minlength=len(problem.parks))
    rows = []
    for park in range(len(problem.parks)):  # a loop over parks
        here = np.flatnonzero(chosen & (problem.park == park) & ~problem.must[problem.firm])
        best = here[np.argmin(per_mu[here])] if len(here) else -1
        rows.append(
            {
                "park": problem.parks[park],
                "firm": int(problem.firm[best]) if best >= 0 else -1,
                "value_per_mu": float(per_mu[best]) if best >= 0 else np.nan,
                "land_left": float(problem.quota[park] - used[park]),
            }
        )
    return pd.DataFrame(rows)


def _crowded_out(
    batch: Batch, problem: Problem, chosen: np.ndarray, out: np.ndarray, names: dict
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For eligible firms left out: the park where they came closest, their value per 亩 against that
    park's marginal firm — or, when the budget is what binds, their value per 万元 against the marginal."""
    margin = marginal_firms(problem, chosen)
    per_mu = problem.value / np.maximum(problem.pair_land, 1e-9)
    bar = margin["value_per_mu"].to_numpy()[problem.park]
    closeness = np.where(np.isnan(bar), np.inf, per_mu / np.where(bar > 0, bar, np.nan))
    wanted = np.isin(problem.firm, out)
    order = np.flatnonzero(wanted)[np.lexsort((-closeness[wanted], problem.firm[wanted]))]
    first = order[np.r_[True, problem.firm[order][1:] != problem.firm[order][:-1]]]  # each firm's closest park
    position = np.searchsorted(out, problem.firm[first])
    pair = np.full(len(out), -1)
    pair[position] = first
    budget_binds = _budget_binds(problem, chosen, out)
    zh, en = _land_words(batch, problem, margin, pair, per_mu, names)
    zh_b, en_b = _budget_words(problem, chosen, pair)
    kind = np.where(budget_binds, Placement.BUDGET.value, Placement.LAND.value).astype(object)
    return kind, np.where(budget_binds, zh_b, zh), np.where(budget_binds, en_b, en)


def _budget_binds(problem: Problem, chosen: np.ndarray, out: np.ndarray) -> np.ndarray:
    if problem.budget is None:
        return np.zeros(len(out), dtype=bool)
    left = problem.budget - problem.compensation[problem.firm[chosen]].sum()
    return problem.compensation[out] > left + BUDGET_SLACK * (1 + abs(problem.budget))


def _land_words(
    batch: Batch, problem: Problem, margin: pd.DataFrame, pair: np.ndarray, per_mu: np.ndarray, names: dict
) -> tuple[np.ndarray, np.ndarray]:
    park = problem.park[pair]
    marginal_firm = margin["firm"].to_numpy()[park]
    ids = np.array(problem.parks, dtype=object)[park]
    rows = batch.firms["source_row"].to_numpy()
    values = {
        "own": number_text(per_mu[pair]),
        "bar": number_text(margin["value_per_mu"].to_numpy()[park]),
        "who": np.where(marginal_firm >= 0, batch.names()[marginal_firm], ""),
        "row": np.where(marginal_firm >= 0, rows[marginal_firm], 0).astype(str).astype(object),
        "land": number_text(problem.land[problem.firm[pair]]),
        "room": number_text(np.maximum(margin["land_left"].to_numpy()[park], 0)),
    }
    below = per_mu[pair] < margin["value_per_mu"].to_numpy()[park]
    texts = []
    for lang, (cheaper, too_big) in enumerate((LAND_WORDS["zh"], LAND_WORDS["en"])):
        values["park"] = _park_words(ids, names, lang)
        texts.append(np.where(below, fill_template(cheaper, values), fill_template(too_big, values)))
    return texts[0], texts[1]


def _budget_words(problem: Problem, chosen: np.ndarray, pair: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    money = problem.compensation[problem.firm]
    per_wan = problem.value / np.maximum(money, 1e-9)
    inside = chosen & ~problem.must[problem.firm]
    bar = per_wan[inside].min() if inside.any() else np.nan
    left = (problem.budget or 0.0) - money[chosen].sum()
    values = {
        "own": number_text(per_wan[pair], 2),
        "bar": number_text(np.full(len(pair), bar), 2),
        "need": number_text(money[pair]),
        "room": number_text(np.full(len(pair), max(left, 0.0))),
    }
    return fill_template(BUDGET_WORDS["zh"], values), fill_template(BUDGET_WORDS["en"], values)


def fill_template(template: str, values: dict[str, np.ndarray]) -> np.ndarray:
    """``template`` with each ``{name}`` replaced by each firm's own text from ``values`` (whole arrays)."""
    size = len(next(iter(values.values())))
    text = np.full(size, "", dtype=object)
    for literal, name, _, _ in string.Formatter().parse(template):
        text = text + literal
        if name:
            text = text + values[name].astype(object)
    return text


def number_text(values: np.ndarray, digits: int = 1) -> np.ndarray:
    """Numbers as text for a sentence (thousands separated), '—' where missing."""
    values = np.asarray(values, dtype=float)
    shown = pd.Series(values).map(lambda v: f"{v:,.{digits}f}")  # formatting only: one call per firm shown
    return np.where(np.isfinite(values), shown.to_numpy(dtype=object), "—").astype(object)
