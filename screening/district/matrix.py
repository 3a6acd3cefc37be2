"""The firm × park matrix: what each park's rules say about each firm, and which parks could take it.

A pair (firm, park) is *eligible* when the firm passes every veto of that park, is scored, is not
in a class the park rejects, and says how much land it needs — the land quota itself is left to
the allocation. For every pair the matrix keeps the decision, score, class and the first rule
in the way (vetoes first, in the rule file's order; then review rules), in words.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..engine.result import Result
from ..issues.record import issues_frame, make_issue
from ..vocabulary import Decision, Eligibility, GateSeverity, Role, Status
from .batch import Batch, ParkScreen

PAIR_COLUMNS = ["firm", "park", "decision", "score", "class", "eligibility", "first_fail", "reason_zh", "reason_en"]
_DECISION_ORDER = {d.value: d.code for d in Decision}


def pair_table(batch: Batch) -> pd.DataFrame:
    """One row per firm and park (firm-major, parks in batch order): :data:`PAIR_COLUMNS`."""
    land = batch.role_numbers(Role.LAND_REQUESTED)
    parts = [_park_pairs(park, index, batch.park_ids, land) for index, park in enumerate(batch.parks)]
    if not parts:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    order = np.lexsort((table["park"].cat.codes.to_numpy(), table["firm"].to_numpy()))
    return table.iloc[order].reset_index(drop=True)


def _park_pairs(park: ParkScreen, index: int, park_ids: tuple[str, ...], land: np.ndarray) -> pd.DataFrame:
    result = park.result
    summary = result.summary
    eligibility = eligibility_codes(result, land)
    gate_id, zh, en = first_failure(result)
    words = np.array([e for e in Eligibility], dtype=object)
    klass = summary["class"].astype(object).where(summary["class"].notna(), None).to_numpy(dtype=object)
    zh, en = _reason_words(words[eligibility], klass, zh, en)
    return pd.DataFrame(
        {
            "firm": np.arange(result.size),
            "park": pd.Categorical.from_codes(np.full(result.size, index), categories=list(park_ids)),
            "decision": summary["decision"].astype(str).to_numpy(),
            "score": summary["total"].to_numpy(dtype=float),
            "class": klass,
            "eligibility": np.array([e.value for e in Eligibility], dtype=object)[eligibility],
            "first_fail": gate_id,
            "reason_zh": zh,
            "reason_en": en,
        }
    )


def eligibility_codes(result: Result, land: np.ndarray) -> np.ndarray:
    """Per firm, the :class:`Eligibility` code (position): the first thing in the way, vetoes first."""
    decision = result.summary["decision"].astype(str).to_numpy()
    klass = result.summary["class"].astype(str).to_numpy()
    reject_classes = list(result.ruleset.model.decision.reject)
    codes = np.full(result.size, Eligibility.ELIGIBLE.code)
    codes = np.where(np.isnan(land), Eligibility.NO_LAND.code, codes)
    codes = np.where(np.isin(klass, reject_classes), Eligibility.REJECT_CLASS.code, codes)
    codes = np.where(decision == Decision.NOT_SCORED.value, Eligibility.NOT_SCORED.code, codes)
    return np.where(result.flags["veto_fail"].to_numpy(), Eligibility.VETO.code, codes)


def first_failure(result: Result) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first failed veto gate per firm (else the first failed review gate): id, zh and en label."""
    ids = np.full(result.size, "", dtype=object)
    zh, en = ids.copy(), ids.copy()
    for severity in (GateSeverity.VETO, GateSeverity.REVIEW):
        for gate_id, outcome in result.gates.items():
            gate = outcome.gate
            if gate.severity != severity:
                continue
            failed = outcome.status == Status.FAIL
            if gate.on_missing == "fail":
                failed |= outcome.status == Status.MISSING
            new = failed & (ids == "")
            ids = np.where(new, gate_id, ids)
            zh = np.where(new, gate.label.get("zh"), zh)
            en = np.where(new, gate.label.get("en"), en)
    return ids, zh, en


def _reason_words(
    eligibility: np.ndarray, klass: np.ndarray, gate_zh: np.ndarray, gate_en: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The pair's first reason in words: the veto it fails, its class, missing data or land, a review rule."""
    shown = np.where(pd.isna(klass), "", klass).astype(object)
    zh = np.full(len(eligibility), "", dtype=object)
    en = zh.copy()
    review = (eligibility == Eligibility.ELIGIBLE) & (gate_zh != "")
    texts = {
        Eligibility.VETO: ("未通过：" + gate_zh, "fails: " + gate_en),
        Eligibility.REJECT_CLASS: ("等级 " + shown + "，不予入园", "class " + shown + " is rejected"),
        Eligibility.NOT_SCORED: (Eligibility.NOT_SCORED.zh, Eligibility.NOT_SCORED.en),
        Eligibility.NO_LAND: (Eligibility.NO_LAND.zh, Eligibility.NO_LAND.en),
    }
    for kind, (text_zh, text_en) in texts.items():
        where = eligibility == kind
        zh = np.where(where, text_zh, zh)
        en = np.where(where, text_en, en)
    zh = np.where(review, "待复核：" + gate_zh, zh)
    en = np.where(review, "review: " + gate_en, en)
    return zh, en


def preference(pairs: pd.DataFrame) -> pd.DataFrame:
    """The eligible pairs, each firm's best park first: admit before review, then the higher score."""
    eligible = pairs[pairs["eligibility"].to_numpy() == Eligibility.ELIGIBLE.value]
    decision = eligible["decision"].map(_DECISION_ORDER).to_numpy()
    order = np.lexsort(
        (eligible["park"].cat.codes.to_numpy(), -eligible["score"].to_numpy(), decision, eligible["firm"].to_numpy())
    )
    return eligible.iloc[order]


def firm_table(batch: Batch, pairs: pd.DataFrame) -> pd.DataFrame:
    """Per firm: identity, best-fit park, every eligible park (best first), the park it names and
    whether that park — or which other park — would take it."""
    ranked = preference(pairs)
    firms = ranked["firm"].to_numpy()
    parks = ranked["park"].astype(str).to_numpy(dtype=object)
    place = np.arange(len(ranked)) - np.searchsorted(firms, firms)  # 0 = the firm's best park
    size = batch.size
    best = np.full(size, None, dtype=object)
    best[firms[place == 0]] = parks[place == 0]
    applied = applied_parks(batch)
    listed = np.full(size, "", dtype=object)
    others = listed.copy()
    applied_ok = np.zeros(size, dtype=bool)
    for rank in range(int(place.max()) + 1 if len(place) else 0):  # a loop over park positions, not firms
        at = place == rank
        listed[firms[at]] = _joined(listed[firms[at]], parks[at])
        is_applied = parks[at] == applied[firms[at]]
        applied_ok[firms[at][is_applied]] = True
        others[firms[at][~is_applied]] = _joined(others[firms[at][~is_applied]], parks[at][~is_applied])
    count = np.bincount(firms, minlength=size)
    return pd.DataFrame(
        {
            "firm": np.arange(size),
            "source_file": batch.firms["source_file"].to_numpy(dtype=object),
            "source_row": batch.firms["source_row"].to_numpy(),
            "name": batch.names(),
            "applied_park": applied,
            "applied_eligible": np.where(pd.isna(applied), None, applied_ok),
            "other_parks": np.where(pd.isna(applied), None, others),
            "best_park": best,
            "eligible_parks": listed,
            "n_eligible": count,
        }
    )


def _joined(acc: np.ndarray, texts: np.ndarray) -> np.ndarray:
    return np.where(acc == "", texts, acc + "," + texts) if len(acc) else acc


def applied_parks(batch: Batch) -> np.ndarray:
    """Per firm, the id of the park its 拟入园区 names (by Chinese name, English name or id), else None."""
    texts = pd.Series(batch.role_texts(Role.APPLIED_PARK), dtype=object)
    names = {}
    for park in batch.parks:
        for word in (park.name.get("zh"), park.name.get("en"), park.id):
            if word:
                names[word.strip()] = park.id
    stripped = texts.where(texts.isna(), texts.astype(str).str.strip())
    found = stripped.map(names)
    return found.astype(object).where(found.notna(), None).to_numpy(dtype=object)


def applied_park_issues(batch: Batch) -> pd.DataFrame:
    """One note per distinct 拟入园区 text that names no park of this batch (with its first Excel row)."""
    texts = pd.Series(batch.role_texts(Role.APPLIED_PARK), dtype=object)
    unknown = texts.notna() & (texts.astype(str).str.strip() != "") & pd.isna(applied_parks(batch))
    if not unknown.any():
        return issues_frame([])
    firms = batch.firms[unknown.to_numpy()].assign(applied_text=texts[unknown].astype(str).to_numpy())
    firsts = firms.drop_duplicates("applied_text")
    counts = firms["applied_text"].value_counts()
    allowed = "、".join(p.name.get("zh") for p in batch.parks)
    return issues_frame(
        make_issue(
            "district-applied-park-unknown",
            source=str(file),
            row=int(row),
            value=text,
            count=int(counts[text]),
            allowed=allowed,
        )
        for file, row, text in zip(firsts["source_file"], firsts["source_row"], firsts["applied_text"], strict=True)
    )  # one issue per distinct text, not per firm


def wide(pairs: pd.DataFrame, column: str) -> pd.DataFrame:
    """One column of the pair table as a firm × park grid (rows: firm positions; columns: park ids)."""
    grid = pairs.pivot(index="firm", columns="park", values=column)
    return grid.reindex(columns=list(pairs["park"].cat.categories))
