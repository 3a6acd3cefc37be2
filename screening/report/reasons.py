"""Why each firm got its decision, in words (zh/en), read like a verdict.

Order: failed vetoes, then failed review gates, then missing data (blank cells first, then the
material to supply for columns the list lacks), then the score and class, then notes (info gates,
class rules, the land quota, defaults and assumed values). Each gate appears once, each missing
value once. Reasons are built rule by rule over the rows asked for (the table shown, the firm
opened, the export): a million-firm run stays numeric until someone looks.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..engine.conditions import FAIL, MISSING
from ..engine.gaps import needed_inputs
from ..engine.result import GateOutcome, Result, TestOutcome
from ..rules.operators import OPERATORS
from ..vocabulary import Decision, GateSeverity
from .shown import digits_of, fmt, fmt_against, raw_values, shown_value, threshold_texts, values_of

SEP = {"zh": "；", "en": "; "}
LIST = {"zh": "、", "en": ", "}


def failed_gates(result: Result, status_code: int = FAIL) -> pd.Series:
    """Ids of the gates each firm failed, joined by ';' (all firms, vectorised per gate)."""
    joined = np.full(result.size, "", dtype=object)
    for gid, outcome in result.gates.items():
        joined = append(joined, np.where(outcome.status == status_code, gid, ""), ";")
    return pd.Series(joined, index=result.summary.index, name="failed_gates")


def append(acc: np.ndarray, texts: np.ndarray, sep: str) -> np.ndarray:
    """Element-wise ``acc + sep + text`` where text is non-empty (whole arrays of Python strings)."""
    texts = np.broadcast_to(np.asarray(texts, dtype=object), acc.shape)
    has = texts != ""
    if not has.any():
        return acc
    out = acc.copy()
    before, added = acc[has], texts[has]
    out[has] = np.where(before != "", before + sep + added, added)  # only the rows that gain a text
    return out


def reasons(result: Result, rows: Iterable[int] | None = None, lang: str = "zh") -> pd.Series:
    """Reasons per firm for summary positions ``rows`` (all firms when None)."""
    pos = np.arange(result.size) if rows is None else np.asarray(list(rows), dtype=np.int64)
    items = [
        *_gate_items(result, pos, lang, GateSeverity.VETO),
        *_gate_items(result, pos, lang, GateSeverity.REVIEW),
        *_blank_items(result, pos, lang),
        _material_item(result, pos, lang),
        _class_item(result, pos, lang),
        *_gate_items(result, pos, lang, GateSeverity.INFO),
        *_note_items(result, pos, lang),
    ]
    acc = np.full(len(pos), "", dtype=object)
    for texts in items:
        acc = append(acc, texts, SEP[lang])
    return pd.Series(acc, index=result.summary.index[pos], name=f"reasons_{lang}")


def firm_reasons(result: Result, row: int, lang: str = "zh") -> list[str]:
    text = reasons(result, [row], lang).iloc[0]
    return [t for t in text.split(SEP[lang]) if t]


def _tag(gate, lang: str) -> str:
    dept, severity = gate.department.label(lang), gate.severity.label(lang)
    return f"（{dept}，{severity}）" if lang == "zh" else f" ({dept}, {severity})"


# --- failed gates: one item per gate ------------------------------------------------------------------


def _counts_as_failed(outcome: GateOutcome, pos: np.ndarray) -> np.ndarray:
    status = outcome.status[pos]
    blank = (status == MISSING) & (outcome.gate.on_missing == "fail")
    if outcome.blocked is not None:
        blank &= ~outcome.blocked[pos]
    return (status == FAIL) | blank


def _gate_items(result: Result, pos: np.ndarray, lang: str, severity: GateSeverity) -> list[np.ndarray]:
    items = []
    for outcome in result.gates.values():
        if outcome.gate.severity != severity:
            continue
        failed = _counts_as_failed(outcome, pos)
        if failed.any():
            texts = np.full(len(pos), "", dtype=object)
            texts[failed] = _failure_texts(result, outcome, pos[failed], lang)
            items.append(texts)
    return items


def _failure_texts(result: Result, outcome: GateOutcome, rows: np.ndarray, lang: str) -> np.ndarray:
    """The failing tests of one gate, joined; a blank or absent value that counts as a failure says so."""
    texts = np.full(len(rows), "", dtype=object)
    for test in outcome.tests:
        bad = test.status[rows] == FAIL
        if bad.any():
            texts[bad] = append(texts[bad], np.asarray(_test_texts(result, test, rows[bad], lang), dtype=object), "，")
    empty = texts == ""
    if empty.any():
        labels = LIST[lang].join(result.ruleset.label_of(t.subject, lang) for t in outcome.tests)
        if outcome.blocked is not None and outcome.blocked[rows[empty]].any():
            absent = LIST[lang].join(result.ruleset.label_of(n, lang) for n in outcome.absent)
            word = (
                f"表格无“{absent}”列，按未通过处理"
                if lang == "zh"
                else f"the list has no {absent} column: counts as failed"
            )
        else:
            word = f"{labels} 无数据，按未通过处理" if lang == "zh" else f"{labels}: no data, counts as failed"
        texts[empty] = word
    suffix = (
        ("（按假定值判断）" if lang == "zh" else " (on the assumed value)") if outcome.gate.assumed is not None else ""
    )
    return texts + suffix + _tag(outcome.gate, lang)


def _test_texts(result: Result, test: TestOutcome, rows: np.ndarray, lang: str) -> list[str]:
    rs = result.ruleset
    subject = rs.label_of(test.subject, lang)
    if test.margin is None:
        label = test.label.get(lang)
        values = _values_or_assumed(result, test, rows, lang)
        if lang == "zh":
            return [f"未满足“{label}”：{subject}为 {v}" for v in values]
        return [f"Not met: {label} ({subject} is {v})" for v in values]
    digits = digits_of(result, test.subject)
    values = values_of(result, test.subject, rows) if test.test is not test.gate or test.gate.assumed is None else None
    if values is None:
        values = np.full(len(rows), float(test.gate.assumed))
    thresholds = _thresholds(test, rows)
    limits = threshold_texts(test, rows, digits)  # formatted once per distinct threshold
    prefix, suffix = f"{subject} ", f" {OPERATORS[test.test.op].negated} "
    unit = rs.unit_of(test.subject)
    out = []
    for value, threshold, limit in zip(values, thresholds, limits, strict=True):
        shown = fmt(value, digits)
        if shown == limit and threshold is not None:  # rare: a value that rounds to its threshold
            shown, limit = fmt_against(value, threshold, digits)
        out.append(f"{prefix}{shown}{suffix}{limit} {unit}".rstrip())
    return out


def _thresholds(test: TestOutcome, rows: np.ndarray) -> list[float | None]:
    """The single number a failing value is compared with, per firm (None for ranges and lists)."""
    threshold = test.threshold
    if isinstance(threshold, np.ndarray):
        return [float(t) for t in threshold[rows]]
    if isinstance(threshold, int | float):
        return [float(threshold)] * len(rows)
    return [None] * len(rows)


def _values_or_assumed(result: Result, test: TestOutcome, rows: np.ndarray, lang: str) -> list[str]:
    if test.test is test.gate and test.gate.assumed is not None:
        return [shown_value(test.gate.assumed, lang)] * len(rows)
    return raw_values(result, test.subject, rows, lang)


# --- missing data -----------------------------------------------------------------------------------------


def _blank_items(result: Result, pos: np.ndarray, lang: str) -> list[np.ndarray]:
    """Blank cells: gates that cannot judge, gates and criteria that leave the firm unscored, required data."""
    zh = lang == "zh"
    flags = result.flags.iloc[pos]
    items = [
        _missing_subjects(result, pos, lang, "review", "缺少数据，无法判断：" if zh else "No data, cannot judge: "),
        _missing_subjects(result, pos, lang, "not_scored", "缺少数据，不予评分：" if zh else "No data, not scored: "),
    ]
    if flags["required_missing"].any():
        names = np.full(len(pos), "", dtype=object)
        for key, spec in result.ruleset.inputs.items():
            if spec.required and key in result.firms.columns:
                blank = result.firms[key].isna().to_numpy()[pos]
                names = append(names, np.where(blank, spec.label.get(lang), ""), LIST[lang])
        prefix = "缺少必填数据：" if zh else "Required data missing: "
        items.append(np.where(flags["required_missing"].to_numpy() & (names != ""), prefix + names, ""))
    for key, text_zh, text_en in (
        ("criterion_unscored", "评分所需数据缺失，不予评分", "Data needed for scoring is missing: not scored"),
        ("no_scoring_set", "不属于任何评分类别", "Belongs to no scoring set"),
    ):
        items.append(np.where(flags[key].to_numpy(), text_zh if zh else text_en, ""))
    return items


def _missing_subjects(result: Result, pos: np.ndarray, lang: str, policy: str, prefix: str) -> np.ndarray:
    """One item listing each blank value once, with the departments whose gates wait for it."""
    by_subject: dict[str, np.ndarray] = {}
    for outcome in result.gates.values():
        gate = outcome.gate
        if gate.on_missing != policy:
            continue
        gate_missing = outcome.status[pos] == MISSING
        if outcome.blocked is not None:
            gate_missing &= ~outcome.blocked[pos]
        if not gate_missing.any():
            continue
        for test in outcome.tests:
            hit = gate_missing & (test.status[pos] == MISSING)
            label = result.ruleset.label_of(test.subject, lang)
            depts = by_subject.setdefault(label, np.full(len(pos), "", dtype=object))
            dept = gate.department.label(lang)
            by_subject[label] = np.where(
                hit & (np.char.find(depts.astype(str), dept) < 0), append(depts, dept, "、"), depts
            )
    listed = np.full(len(pos), "", dtype=object)
    for label, depts in by_subject.items():
        open_, close = ("（", "）") if lang == "zh" else (" (", ")")
        listed = append(listed, np.where(depts != "", label + open_ + depts + close, ""), LIST[lang])
    return np.where(listed != "", prefix + listed, "")


def _material_item(result: Result, pos: np.ndarray, lang: str) -> np.ndarray:
    """'待补充材料：产业目录类别（经信）、工业增加值' for firms whose judgement waits for absent columns."""
    listed = np.full(len(pos), "", dtype=object)
    if result.materials.empty or not result.materials.to_numpy().any():
        return listed
    decision = result.summary["decision"].to_numpy()[pos]
    open_, close = ("（", "）") if lang == "zh" else (" (", ")")
    for name in result.materials.columns:
        needed = result.materials[name].to_numpy()[pos] & (decision != Decision.REJECT.value)
        if not needed.any():
            continue
        depts = np.full(len(pos), "", dtype=object)
        for outcome in result.gates.values():
            if name in outcome.absent and outcome.blocked is not None:
                dept = outcome.gate.department.label(lang)
                hit = outcome.blocked[pos] & (np.char.find(depts.astype(str), dept) < 0)
                depts = np.where(hit, append(depts, dept, "、"), depts)
        label = result.ruleset.label_of(name, lang)
        listed = append(
            listed, np.where(needed, np.where(depts != "", label + open_ + depts + close, label), ""), LIST[lang]
        )
    prefix = "待补充材料：" if lang == "zh" else "Material to supply: "
    return np.where(listed != "", prefix + listed, "")


# --- the score and class, then notes -----------------------------------------------------------------------


def _class_item(result: Result, pos: np.ndarray, lang: str) -> np.ndarray:
    """'综合得分 82.1，A 级，准予入园' for scored firms no veto rejected (the decision only if the class made it)."""
    summary = result.summary
    total = summary["total"].to_numpy()[pos]
    show = ~np.isnan(total) & ~result.flags["veto_fail"].to_numpy()[pos]
    texts = np.full(len(pos), "", dtype=object)
    if not show.any():
        return texts
    classes = summary["class"].to_numpy(dtype=object, na_value="")[pos]
    decisions = summary["decision"].to_numpy()[pos]
    model = result.ruleset.model
    own = {
        c: d.value for d in (Decision.ADMIT, Decision.REVIEW, Decision.REJECT) for c in getattr(model.decision, d.value)
    }
    cuts = _upper_cuts(result)
    made = []
    for t, c, d in zip(total[show], classes[show], decisions[show], strict=True):
        score = fmt_against(t, cuts[c], 1)[0] if cuts.get(c) is not None else fmt(t, 1)
        text = f"综合得分 {score}，{c} 级" if lang == "zh" else f"score {score}, class {c}"
        if not model.is_evaluation and own.get(c) == d:
            text += f"，{Decision(d).zh}" if lang == "zh" else f": {Decision(d).en}"
        elif d == Decision.REVIEW.value and own.get(c) == Decision.REJECT.value:
            text += "（缺少数据，转待复核）" if lang == "zh" else " (data missing: review)"
        made.append(text)
    texts[show] = made
    return texts


def _upper_cuts(result: Result) -> dict[str, float | None]:
    """Per class, the cut-off of the class above it: a score just below it must not print equal to it."""
    bands = result.ruleset.model.classes.bands
    cuts: dict[str, float | None] = {bands[0].klass: None}
    for better, band in itertools.pairwise(bands):
        cuts[band.klass] = better.min_score
    return cuts


def _note_items(result: Result, pos: np.ndarray, lang: str) -> list[np.ndarray]:
    zh = lang == "zh"
    flags = result.flags.iloc[pos]
    classes = result.summary["class"].to_numpy(dtype=object, na_value="")[pos]
    items = []
    moved = flags["quota_moved"].to_numpy()
    if moved.any():
        words = np.asarray([f"等级名额限制，调为 {c} 级" if zh else f"Class quota: moved to {c}" for c in classes])
        items.append(np.where(moved, words.astype(object), ""))
    for key, kind in (("class_floored", "floors"), ("class_capped", "caps")):
        ids = flags[key].astype(str).to_numpy(dtype=object)
        if (ids != "").any():
            labels = {r.id: r.label.get(lang) for r in getattr(result.ruleset.model.classes, kind)}
            words = [
                ((f"{labels[i]}：{c} 级" if zh else f"{labels[i]}: class {c}") if i else "")
                for i, c in zip(ids, classes, strict=True)
            ]
            items.append(np.asarray(words, dtype=object))
    if flags["capacity_overflow"].any():
        cap = result.ruleset.model.decision.capacity
        text = (
            f"园区用地指标（{fmt(cap.quota_mu, 0)} 亩）按排名已用完或本企业用地需求未填"
            if zh
            else f"Park land quota ({fmt(cap.quota_mu, 0)} mu) used up by higher-ranked firms, or no land request"
        )
        items.append(np.where(flags["capacity_overflow"].to_numpy(), text, ""))
    return items + _gap_notes(result, pos, lang)


def _gap_notes(result: Result, pos: np.ndarray, lang: str) -> list[np.ndarray]:
    """Blank cells filled by a default; gates skipped or judged on an assumed value; scores without a criterion."""
    zh = lang == "zh"
    rs = result.ruleset
    size = len(pos)
    items = []
    for name in result.filled.columns:
        value = shown_value(rs.inputs[name].default, lang)
        label = rs.label_of(name, lang)
        text = f"{label} 空白，按默认值 {value} 计" if zh else f"{label} blank: the default {value} is used"
        items.append(np.where(result.filled[name].to_numpy()[pos], text, ""))
    for outcome in result.gates.values():
        gate = outcome.gate
        if not outcome.absent or gate.absent_policy not in ("skip", "assume"):
            continue
        absent = LIST[lang].join(rs.label_of(n, lang) for n in outcome.absent)
        if gate.absent_policy == "skip":
            text = (
                f"未检查“{gate.label.zh}”：表格无“{absent}”列"
                if zh
                else f"Not checked: {gate.label.get('en')} (no {absent} column)"
            )
        else:
            value = shown_value(gate.assumed, lang)
            text = (
                f"“{gate.label.zh}”按假定值 {value} 判断：表格无“{absent}”列"
                if zh
                else f"{gate.label.get('en')} judged on the assumed value {value} (no {absent} column)"
            )
        items.append(np.full(size, text, dtype=object))
    items.append(_unscored_criteria_note(result, pos, lang))
    return items


def _unscored_criteria_note(result: Result, pos: np.ndarray, lang: str) -> np.ndarray:
    """For firms scored without a criterion whose column the list lacks (and not sent to review for it)."""
    flags = result.flags.iloc[pos]
    show = flags["scoring_absent"].to_numpy() & ~flags["review_for_data"].to_numpy() & ~flags["veto_fail"].to_numpy()
    texts = np.full(len(pos), "", dtype=object)
    if not show.any() or not result.absent:
        return texts
    rs = result.ruleset
    absent = set(result.absent)
    by_set = {}
    for scoring_set in rs.model.scoring.all_sets():
        labels = [
            (c.label or rs.indicators[c.indicator].spec.label).get(lang)
            for c in scoring_set.criteria
            if needed_inputs(rs, c.indicator) & absent
        ]
        if labels:
            prefix = "得分未含（表格无相应列）：" if lang == "zh" else "Score leaves out (no column in the list): "
            by_set[scoring_set.id] = prefix + LIST[lang].join(labels)
    sets = result.summary["scoring_set"].astype(str).to_numpy(dtype=object)[pos]
    texts[show] = [by_set.get(s, "") for s in sets[show]]
    return texts
