"""Why each firm got its decision: reasons in words (zh/en), gate tables, point breakdowns.

Reasons are built gate by gate over the rows asked for (the table shown, the firm opened,
the export), so a million-firm run stays numeric until someone looks, and an export of
100 k firms formats only the failing tests.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..engine.conditions import FAIL, MISSING, NA
from ..engine.result import Result, TestOutcome
from ..rules.operators import OPERATORS
from ..rules.sources import cite
from ..vocabulary import Decision, Status

SEP = {"zh": "；", "en": "; "}


def fmt(value: float | None, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def failed_gates(result: Result, status_code: int = FAIL) -> pd.Series:
    """Ids of the gates each firm failed, joined by ';' (all firms, vectorised per gate)."""
    joined = np.full(result.size, "", dtype=object)
    for gid, outcome in result.gates.items():
        joined = _append(joined, np.where(outcome.status == status_code, gid, ""), ";")
    return pd.Series(joined, index=result.summary.index, name="failed_gates")


def _append(acc: np.ndarray, texts: np.ndarray, sep: str) -> np.ndarray:
    """Element-wise ``acc + sep + text`` where text is non-empty (whole arrays of Python strings)."""
    texts = np.asarray(texts, dtype=object)
    has = texts != ""
    joiner = np.where(acc != "", sep, "").astype(object)
    return np.where(has, acc + joiner + texts, acc)


def reasons(result: Result, rows: Iterable[int] | None = None, lang: str = "zh") -> pd.Series:
    """Reasons per firm — failed vetoes, then reviews, then data and class notes — for summary positions."""
    pos = np.arange(result.size) if rows is None else np.asarray(list(rows), dtype=np.int64)
    acc = np.full(len(pos), "", dtype=object)
    for severity in ("veto", "review", "info"):
        for outcome in result.gates.values():
            if outcome.gate.severity != severity:
                continue
            gate_bad = np.isin(outcome.status[pos], (FAIL, MISSING))
            for test in outcome.tests:
                status = test.status[pos]
                show = gate_bad & np.isin(status, (FAIL, MISSING))
                if show.any():
                    texts = np.full(len(pos), "", dtype=object)
                    texts[show] = _test_texts(result, test, pos[show], status[show], lang)
                    acc = _append(acc, texts, SEP[lang])
    for texts in _scoring_texts(result, pos, lang):
        acc = _append(acc, texts, SEP[lang])
    decision = result.summary["decision"].to_numpy()[pos]
    plain = (acc == "") & np.isin(decision, ["admit", "review", "reject"])
    if plain.any():
        acc[plain] = _class_texts(result, pos[plain], lang)
    return pd.Series(acc, index=result.summary.index[pos], name=f"reasons_{lang}")


def firm_reasons(result: Result, row: int, lang: str = "zh") -> list[str]:
    text = reasons(result, [row], lang).iloc[0]
    return [t for t in text.split(SEP[lang]) if t]


def _tag(gate, lang: str) -> str:
    dept = gate.department.label(lang)
    severity = gate.severity.label(lang)
    return f"（{dept}，{severity}）" if lang == "zh" else f" ({dept}, {severity})"


def _test_texts(result: Result, test: TestOutcome, rows: np.ndarray, status: np.ndarray, lang: str) -> list[str]:
    rs = result.ruleset
    subject = rs.label_of(test.subject, lang)
    tag = _tag(test.gate, lang)
    no_data = (f"{subject} 无数据，无法判断" if lang == "zh" else f"{subject}: no data, cannot judge") + tag
    if test.margin is None:
        label = test.label.get(lang)
        values = raw_values(result, test.subject, rows, lang)
        if lang == "zh":
            made = [f"未满足“{label}”：{subject}为 {v}{tag}" for v in values]
        else:
            made = [f"Not met: {label} ({subject} is {v}){tag}" for v in values]
    else:
        digits = digits_of(result, test.subject)
        values = values_of(result, test.subject, rows)
        thresholds = threshold_texts(test, rows, digits)
        unit = rs.unit_of(test.subject)
        neg = OPERATORS[test.test.op].negated
        made = [
            f"{subject} {fmt(v, digits)} {neg} {t} {unit}".rstrip() + tag
            for v, t in zip(values, thresholds, strict=True)
        ]
    return [no_data if s == MISSING else m for s, m in zip(status, made, strict=True)]


def threshold_texts(test: TestOutcome, rows: np.ndarray, digits: int = 2) -> list[str]:
    threshold = test.threshold
    if isinstance(threshold, np.ndarray):
        return [fmt(float(t), digits) for t in threshold[rows]]
    if isinstance(threshold, tuple):
        text = f"{fmt(threshold[0], digits)}–{fmt(threshold[1], digits)}"
    elif isinstance(threshold, list):
        text = ", ".join(fmt(v, digits) for v in threshold)
    else:
        text = fmt(threshold, digits) if threshold is not None else "—"
    return [text] * len(rows)


def _scoring_texts(result: Result, pos: np.ndarray, lang: str) -> list[np.ndarray]:
    flags = result.flags.iloc[pos]
    rs = result.ruleset
    zh = lang == "zh"
    size = len(pos)
    out = []
    if flags["required_missing"].any():
        names = np.full(size, "", dtype=object)
        for key, spec in rs.inputs.items():
            if spec.required:
                missing = missing_mask(result, key)[pos]
                names = _append(names, np.where(missing, spec.label.get(lang), ""), "、" if zh else ", ")
        prefix = "缺少必填数据：" if zh else "Required data missing: "
        out.append(np.where(flags["required_missing"].to_numpy() & (names != ""), prefix + names, ""))
    constant = (
        ("no_scoring_set", "不属于任何评分类别", "Belongs to no scoring set"),
        ("criterion_unscored", "评分所需数据缺失", "Data needed for scoring is missing"),
    )
    for key, text_zh, text_en in constant:
        out.append(np.where(flags[key].to_numpy(), text_zh if zh else text_en, ""))
    classes = result.summary["class"].to_numpy(dtype=object, na_value="")[pos]
    moved = flags["quota_moved"].to_numpy()
    if moved.any():
        words = [f"等级名额限制，调为 {c} 级" if zh else f"Class quota: moved to {c}" for c in classes]
        out.append(np.where(moved, np.asarray(words, dtype=object), ""))
    for key, kind in (("class_floored", "floors"), ("class_capped", "caps")):
        ids = flags[key].astype(str).to_numpy(dtype=object)
        if (ids != "").any():
            labels = {r.id: r.label.get(lang) for r in getattr(rs.model.classes, kind)}
            words = [
                ((f"{labels[i]}：{c} 级" if zh else f"{labels[i]}: class {c}") if i else "")
                for i, c in zip(ids, classes, strict=True)
            ]
            out.append(np.asarray(words, dtype=object))
    if flags["capacity_overflow"].any():
        cap = rs.model.decision.capacity
        text = (
            f"园区用地指标（{fmt(cap.quota_mu, 0)} 亩）按排名已用完或本企业用地需求未填"
            if zh
            else f"Park land quota ({fmt(cap.quota_mu, 0)} mu) used up by higher-ranked firms, or no land request"
        )
        out.append(np.where(flags["capacity_overflow"].to_numpy(), text, ""))
    return out


def _class_texts(result: Result, rows: np.ndarray, lang: str) -> list[str]:
    summary = result.summary
    totals = summary["total"].to_numpy()[rows]
    classes = summary["class"].to_numpy(dtype=object)[rows]
    decisions = summary["decision"].to_numpy()[rows]
    if lang == "zh":
        return [
            f"综合得分 {fmt(t, 1)}，{c} 级，{Decision(d).zh}"
            for t, c, d in zip(totals, classes, decisions, strict=True)
        ]
    return [
        f"score {fmt(t, 1)}, class {c}: {Decision(d).en}" for t, c, d in zip(totals, classes, decisions, strict=True)
    ]


# --- values as shown --------------------------------------------------------------------------


def missing_mask(result: Result, name: str) -> np.ndarray:
    if name not in result.firms.columns:
        return np.ones(result.size, dtype=bool)
    return result.firms[name].isna().to_numpy()


def values_of(result: Result, name: str, rows: np.ndarray) -> np.ndarray:
    if name in result.indicators.columns:
        return result.indicators[name].to_numpy()[rows]
    if name in result.firms.columns:
        return pd.to_numeric(result.firms[name].iloc[rows], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.full(len(rows), np.nan)


def raw_values(result: Result, name: str, rows: np.ndarray, lang: str) -> list[str]:
    if name not in result.firms.columns:
        return ["—"] * len(rows)
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    out = []
    for value in result.firms[name].iloc[rows]:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            out.append("—")
        elif isinstance(value, bool | np.bool_):
            out.append(yes if value else no)
        else:
            out.append(str(value))
    return out


def digits_of(result: Result, name: str) -> int:
    indicator = result.ruleset.indicators.get(name)
    return indicator.spec.digits if indicator else 2


def rule_text(test, ruleset, lang: str = "zh") -> str:
    """A test as one line: '亩均税收 ≥ 30 万元/亩', '行业代码 ∈ 33、34…', '近三年安全事故 = 否'."""
    name = test.indicator or test.input
    subject = ruleset.label_of(name, lang)
    op = OPERATORS[test.op].shown
    tiers = getattr(test, "tiers", None)
    if tiers is not None:
        bands = ", ".join(
            f"≤{fmt(b.upto, 0)}: {fmt(b.value)}" if b.upto is not None else f"else {fmt(b.value)}" for b in tiers.bands
        )
        return f"{subject} {op} [{ruleset.label_of(tiers.by, lang)} {bands}] {ruleset.unit_of(name)}".strip()
    value = test.value
    if isinstance(value, bool):
        shown = ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    elif isinstance(value, list):
        shown = (
            f"{fmt(value[0])}–{fmt(value[1])}"
            if test.op == "between"
            else ("、" if lang == "zh" else ", ").join(str(v) for v in value)
        )
    elif isinstance(value, int | float):
        shown = fmt(float(value))
    else:
        shown = str(value)
    text = f"{subject} {op} {shown} {ruleset.unit_of(name) if not isinstance(value, bool | str) else ''}".strip()
    if getattr(test, "by_industry", None):
        extra = ", ".join(f"{k}: {fmt(v)}" for k, v in test.by_industry.items())
        text += f"（分行业：{extra}）" if lang == "zh" else f" (by industry: {extra})"
    return text


# --- per-firm tables for the firm view ------------------------------------------------------------


def gate_table(result: Result, row: int, lang: str = "zh") -> pd.DataFrame:
    """Every test of every gate for one firm: value, threshold, margin, status, department, basis."""
    rs = result.ruleset
    rows = np.array([row])
    records = []
    for outcome in result.gates.values():
        gate = outcome.gate
        for test in outcome.tests:
            numeric = test.margin is not None
            digits = digits_of(result, test.subject)
            status = int(outcome.status[row]) if outcome.status[row] == NA else int(test.status[row])
            records.append(
                {
                    "gate": test.key,
                    "rule": test.label.get(lang),
                    "department": gate.department.label(lang),
                    "severity": gate.severity.label(lang),
                    "value": fmt(values_of(result, test.subject, rows)[0], digits)
                    if numeric
                    else raw_values(result, test.subject, rows, lang)[0],
                    "requirement": _requirement(test, row, rs, lang, digits),
                    "margin": float(test.margin[row]) if numeric else np.nan,
                    "status": Status(status).key,
                    "basis": cite(gate.basis),
                }
            )
    return pd.DataFrame.from_records(
        records, columns=["gate", "rule", "department", "severity", "value", "requirement", "margin", "status", "basis"]
    )


def _requirement(test: TestOutcome, row: int, ruleset, lang: str, digits: int) -> str:
    if isinstance(test.threshold, np.ndarray):
        unit = ruleset.unit_of(test.subject)
        used = threshold_texts(test, np.array([row]), digits)[0]
        return f"{ruleset.label_of(test.subject, lang)} {OPERATORS[test.test.op].shown} {used} {unit}".strip()
    return rule_text(test.test, ruleset, lang)


def points_table(result: Result, row: int, lang: str = "zh") -> pd.DataFrame:
    """Criterion by criterion: value, method, reference, weight, points; then bonus/penalty lines."""
    rs = result.ruleset
    set_id = result.summary["scoring_set"].iloc[row]
    rows = np.array([row])
    records = []
    for scoring_set in rs.model.scoring.all_sets():
        if scoring_set.id != set_id:
            continue
        for crit in scoring_set.criteria:
            spec = rs.indicators[crit.indicator].spec
            refs = result.references.get(crit.key, {})
            records.append(
                {
                    "item": (crit.label or spec.label).get(lang),
                    "kind": "criterion",
                    "value": fmt(values_of(result, crit.indicator, rows)[0], spec.digits),
                    "unit": spec.unit,
                    "method": crit.method,
                    "reference": ", ".join(f"{k} {fmt(v, spec.digits)}" for k, v in refs.items()),
                    "weight": crit.weight,
                    "points": float(result.points[crit.key].iloc[row]),
                    "basis": cite(crit.basis),
                }
            )
    for adj in rs.model.scoring.adjustments:
        pts = float(result.adjustments[adj.id].iloc[row])
        if pts:
            records.append(
                {
                    "item": adj.label.get(lang),
                    "kind": "adjustment",
                    "value": "",
                    "unit": "",
                    "method": "",
                    "reference": "",
                    "weight": np.nan,
                    "points": pts,
                    "basis": cite(adj.basis),
                }
            )
    return pd.DataFrame.from_records(
        records, columns=["item", "kind", "value", "unit", "method", "reference", "weight", "points", "basis"]
    )
