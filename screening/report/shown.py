"""Values, rules and methods as people read them: rounded numbers, rule lines, method words.

Numbers are rounded only here, for reading; the result and the CSV/JSON keep full precision.
A failing value is never printed equal to the threshold it fails (:func:`fmt_against`), and no
text shows ``nan``, ``None`` or a rule file's identifiers (``ratio``, ``baseline`` …).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..engine.result import Result, TestOutcome
from ..rules.operators import OPERATORS
from ..rules.schema import Condition, Criterion, Stat
from ..vocabulary import BatchStat, MissingPolicy, Reference, ScoringMethod

MAX_DIGITS = 12  # enough to tell any two different doubles of ordinary size apart


def fmt(value: float | None, digits: int = 2) -> str:
    """1234.5 -> '1,234.5'; NaN or None -> '—'; trailing zeros dropped."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{digits}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


def fmt_against(value: float, threshold: float, digits: int = 2) -> tuple[str, str]:
    """A value and the threshold it is compared with, with as many decimals as it takes for two
    different numbers to look different ("1.98 < 2 %", never "2 < 2 %")."""
    shown, limit = fmt(value, digits), fmt(threshold, digits)
    places = digits
    while shown == limit and value != threshold and places < MAX_DIGITS:  # rare: only near the threshold
        places += 1
        shown, limit = fmt(value, places), fmt(threshold, places)
    return shown, limit


def yes_no(value: bool, lang: str) -> str:
    return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")


def shown_value(value, lang: str) -> str:
    """A rule-file value (a number, a flag, a text, a list) as written for people."""
    if isinstance(value, bool):
        return yes_no(value, lang)
    if isinstance(value, int | float):
        return fmt(float(value))
    if isinstance(value, list | tuple):
        return ("、" if lang == "zh" else ", ").join(shown_value(v, lang) for v in value)
    return str(value)


# --- a firm's values -------------------------------------------------------------------------------


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
    out = []
    for value in result.firms[name].iloc[rows]:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            out.append("—")
        elif isinstance(value, bool | np.bool_):
            out.append(yes_no(bool(value), lang))
        else:
            out.append(str(value))
    return out


def digits_of(result: Result, name: str) -> int:
    indicator = result.ruleset.indicators.get(name)
    return indicator.spec.digits if indicator else 2


def threshold_texts(test: TestOutcome, rows: np.ndarray, digits: int = 2) -> list[str]:
    threshold = test.threshold
    if isinstance(threshold, np.ndarray):
        cache: dict[float, str] = {}  # a few distinct thresholds (per industry, per tier) for many firms
        texts = []
        for t in threshold[rows].tolist():
            if t not in cache:
                cache[t] = fmt(t, digits)
            texts.append(cache[t])
        return texts
    if isinstance(threshold, tuple):
        text = f"{fmt(threshold[0], digits)}–{fmt(threshold[1], digits)}"
    elif isinstance(threshold, list):
        text = ", ".join(fmt(v, digits) for v in threshold)
    else:
        text = fmt(threshold, digits) if threshold is not None else "—"
    return [text] * len(rows)


# --- rules as lines ------------------------------------------------------------------------------------


def rule_text(test, ruleset, lang: str = "zh") -> str:
    """A test as one line: '亩均税收 ≥ 30 万元/亩', '行业代码 ∈ 33、34…', '近三年安全事故 = 否'."""
    name = test.indicator or test.input
    subject = ruleset.label_of(name, lang)
    op = OPERATORS[test.op].shown
    tiers = getattr(test, "tiers", None)
    if tiers is not None:
        other = "else" if lang == "en" else "其余"
        bands = ", ".join(
            f"≤{fmt(b.upto, 0)}: {fmt(b.value)}" if b.upto is not None else f"{other} {fmt(b.value)}"
            for b in tiers.bands
        )
        return f"{subject} {op} [{ruleset.label_of(tiers.by, lang)} {bands}] {ruleset.unit_of(name)}".strip()
    value = test.value
    if isinstance(value, list) and test.op == "between":
        shown = f"{fmt(value[0])}–{fmt(value[1])}"
    else:
        shown = shown_value(value, lang)
    text = f"{subject} {op} {shown} {ruleset.unit_of(name) if not isinstance(value, bool | str) else ''}".strip()
    if getattr(test, "by_industry", None):
        extra = ", ".join(f"{k}: {fmt(v)}" for k, v in test.by_industry.items())
        text += f"（分行业：{extra}）" if lang == "zh" else f" (by industry: {extra})"
    return text


def condition_text(cond: Condition | None, ruleset, lang: str) -> str:
    """A condition in words: tests, 'X 缺失', joined by 且/或, 'not' as 非（…）."""
    if cond is None:
        return ""
    zh = lang == "zh"
    if cond.not_ is not None:
        inner = condition_text(cond.not_, ruleset, lang)
        return f"非（{inner}）" if zh else f"not ({inner})"
    if cond.missing is not None:
        return f"{ruleset.label_of(cond.missing, lang)} {'缺失' if zh else 'missing'}"
    if cond.all is not None or cond.any is not None:
        word = ("且" if cond.all is not None else "或") if zh else ("and" if cond.all is not None else "or")
        return f" {word} ".join(condition_text(c, ruleset, lang) for c in (cond.all or cond.any))
    return rule_text(cond, ruleset, lang)


# --- scoring methods in words -------------------------------------------------------------------------


def method_text(crit: Criterion, lang: str) -> str:
    return ScoringMethod(crit.method).label(lang)


def missing_text(crit: Criterion, lang: str) -> str:
    return MissingPolicy(crit.missing).label(lang)


def reference_text(value: float | Stat, lang: str, digits: int = 2) -> str:
    """A reference as written: '48.2', or a batch statistic '2 × 本批平均值' / '2 × batch average'."""
    if isinstance(value, Stat):
        stat = BatchStat(value.stat).label(lang)
        return stat if value.times == 1 else f"{fmt(value.times, 4)} × {stat}"
    return fmt(float(value), digits)


def references_text(items: Iterable[tuple[str, float | Stat | None]], lang: str, digits: int = 2) -> str:
    """'基准值 48.2，封顶 1' from (reference name, value) pairs; names are :class:`Reference` ids."""
    parts = [  # cap and floor are shares of the weight, not values of the indicator: their own decimals
        f"{Reference(name).label(lang)} {reference_text(value, lang, 4 if name in ('cap', 'floor') else digits)}"
        for name, value in items
        if value is not None and not (isinstance(value, float) and math.isnan(value))
    ]
    return ("，" if lang == "zh" else ", ").join(parts)


def criterion_references(crit: Criterion) -> list[tuple[str, float | Stat | None]]:
    """The references a criterion's method uses, as declared in the rule file."""
    floor = crit.floor if crit.method in ("linear", "percentile") and crit.floor else None
    return [
        ("baseline", crit.baseline),
        ("best", crit.best),
        ("worst", crit.worst),
        ("cap", crit.cap),
        ("floor", floor),
    ]
