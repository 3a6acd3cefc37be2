"""The result as tables: the machine-readable one (CSV / JSON), the shortlist, every firm, the issues.

Columns carry their decimals in ``frame.attrs["digits"]`` (the indicator's own ``digits``), so
a writer can format them without knowing what they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..engine.money import payback_years
from ..engine.result import Result
from ..vocabulary import Decision, Role, Status
from .reasons import failed_gates, reasons
from .shown import rule_text
from .words import WORDS


def result_table(result: Result) -> pd.DataFrame:
    """The machine-readable table for CSV / JSON: one row per firm, stable snake_case columns."""
    summary = result.summary
    table = pd.DataFrame(
        {
            "source_row": summary["source_row"],
            "name": summary.get("name"),
            "credit_code": summary.get("credit_code"),
            "industry_code": summary.get("industry_code"),
            "scoring_set": summary["scoring_set"],
            "decision": summary["decision"].astype(str),
            "score": summary["total"],  # full double precision: a reader can check a method to 1e-9
            "class": summary["class"],
            "rank": summary["rank"],
            "criteria_points": summary["score"],
            "adjustment": summary["adjustment"],
            "failed_gates": failed_gates(result),
            "missing_gates": failed_gates(result, status_code=2),
            "reasons_zh": reasons(result, lang="zh"),
            "reasons_en": reasons(result, lang="en"),
        }
    )
    for key in result.points.columns:
        table[f"points.{key}"] = result.points[key]
    for key in result.indicators.columns:
        table[key] = result.indicators[key]
    return table.iloc[result.display_order()].reset_index(drop=True)


def shortlist_frame(result: Result, lang: str = "zh") -> pd.DataFrame:
    words = WORDS[lang]
    order = result.display_order()
    summary = result.summary.iloc[order]
    keep = summary["decision"].isin(["admit", "review", "graded"]).to_numpy()  # graded: an evaluation's firms
    positions = order[keep]
    frame = _identity(result, positions, lang)
    frame.insert(0, words["rank"], result.summary["rank"].array[positions])  # Int64: 3, never 3.0
    for key in _key_indicators(result):
        frame[_indicator_header(result, key, lang)] = result.indicators[key].to_numpy()[positions]
    rs = result.ruleset
    if rs.input_for(Role.LAND_REQUESTED) in result.firms:
        frame[words["land"]] = result.role_numbers(Role.LAND_REQUESTED)[positions]
    if rs.input_for(Role.COMPENSATION) in result.firms:
        frame[words["compensation"]] = result.role_numbers(Role.COMPENSATION)[positions]
        if rs.input_for(Role.TAX) in result.firms:
            frame[words["payback"]] = payback_years(result)[positions]
    frame[words["reasons"]] = reasons(result, positions, lang).to_numpy()
    digits = {words["rank"]: 0, words["land"]: 1, words["compensation"]: 0, words["payback"]: 1}
    frame.attrs["digits"] = {**_base_digits(result, lang), **digits}
    return frame


def _base_digits(result: Result, lang: str) -> dict[str, int]:
    """Decimals per column header: each indicator's own ``digits``, 2 for scores."""
    words = WORDS[lang]
    digits = {_indicator_header(result, key, lang): ind.spec.digits for key, ind in result.ruleset.indicators.items()}
    return {**digits, words["total"]: 2, words["score"]: 2, words["adjustment"]: 1, words["rank"]: 0, words["row"]: 0}


def _identity(result: Result, positions: np.ndarray, lang: str) -> pd.DataFrame:
    words = WORDS[lang]
    summary = result.summary
    frame = pd.DataFrame({words["name"]: _col(summary, "name", positions)})
    frame[words["credit_code"]] = _col(summary, "credit_code", positions)
    frame[words["industry_code"]] = _col(summary, "industry_code", positions)
    frame[words["decision"]] = [Decision(d).label(lang) for d in summary["decision"].to_numpy()[positions]]
    frame[words["class"]] = summary["class"].to_numpy(dtype=object, na_value=None)[positions]
    frame[words["total"]] = summary["total"].to_numpy()[positions]
    return frame


def _col(frame: pd.DataFrame, key: str, positions: np.ndarray) -> np.ndarray:
    if key not in frame:
        return np.full(len(positions), None, dtype=object)
    return frame[key].to_numpy(dtype=object)[positions]


def _key_indicators(result: Result) -> list[str]:
    used = []
    model = result.ruleset.model
    for gate in model.gates:
        used += [t.indicator for t in gate.tests() if t.indicator]
    for scoring_set in model.scoring.all_sets():
        used += [c.indicator for c in scoring_set.criteria]
    return list(dict.fromkeys(k for k in used if k in result.indicators.columns))


def _indicator_header(result: Result, key: str, lang: str) -> str:
    spec = result.ruleset.indicators[key].spec
    return (
        f"{spec.label.get(lang)}（{spec.unit}）"
        if spec.unit and lang == "zh"
        else (f"{spec.label.get(lang)} ({spec.unit})" if spec.unit else spec.label.get(lang))
    )


def all_firms_frame(result: Result, lang: str = "zh") -> pd.DataFrame:
    """Every firm with every gate (status, margin), every criterion's points, bonus and reasons."""
    words = WORDS[lang]
    order = result.display_order()
    summary = result.summary
    frame = pd.DataFrame({words["row"]: summary["source_row"].to_numpy()[order]})
    frame = pd.concat([frame, _identity(result, order, lang)], axis=1)
    frame[words["score"]] = summary["score"].to_numpy()[order]
    frame[words["adjustment"]] = summary["adjustment"].to_numpy()[order]
    frame[words["rank"]] = summary["rank"].array[order]
    frame[words["set"]] = summary["scoring_set"].to_numpy()[order]
    for key in result.indicators.columns:
        frame[_indicator_header(result, key, lang)] = result.indicators[key].to_numpy()[order]
    status_names = np.array([words["status"][status.key] for status in Status], dtype=object)
    digits = _base_digits(result, lang)
    for outcome in result.gates.values():
        for test in outcome.tests:
            title = f"{words['gate']}：{rule_text(test.test, result.ruleset, lang)}"
            frame[title] = status_names[np.where(outcome.status == 3, 3, test.status)[order]]
            places = (
                result.ruleset.indicators[test.subject].spec.digits if test.subject in result.ruleset.indicators else 2
            )
            if isinstance(test.threshold, np.ndarray):
                frame[f"{title} · {words['threshold']}"] = test.threshold[order]
                digits[f"{title} · {words['threshold']}"] = places
            if test.margin is not None:
                frame[f"{title} · {words['margin']}"] = np.asarray(test.margin, dtype=float)[order]
                digits[f"{title} · {words['margin']}"] = places
    for scoring_set in result.ruleset.model.scoring.all_sets():
        for crit in scoring_set.criteria:
            label = (crit.label or result.ruleset.indicators[crit.indicator].spec.label).get(lang)
            frame[f"{words['points']}：{label}（{crit.weight:g}）"] = result.points[crit.key].to_numpy()[order]
    for adj in result.ruleset.model.scoring.adjustments:
        frame[f"{words['adjustment']}：{adj.label.get(lang)}"] = result.adjustments[adj.id].to_numpy()[order]
    frame[words["reasons"]] = reasons(result, order, lang).to_numpy()
    frame.attrs["digits"] = digits
    return frame


def issues_frame_for_export(result: Result, lang: str = "zh") -> pd.DataFrame:
    message = "message_zh" if lang == "zh" else "message_en"
    issues = result.issues[["code", "severity", "row", "column", "value", message]].rename(columns={message: "message"})
    skipped = result.skipped
    skipped_rows = pd.DataFrame(
        {
            "code": "skipped-" + skipped["reason_code"].astype(str),
            "severity": "info",
            "row": skipped["source_row"].astype("Int64"),
            "column": "",
            "value": skipped["text"],
            "message": skipped["reason_zh" if lang == "zh" else "reason_en"],
        }
    )
    elsewhere = result.elsewhere
    elsewhere_rows = pd.DataFrame(
        {
            "code": "other-park",
            "severity": "info",
            "row": elsewhere["source_row"].astype("Int64"),
            "column": "",
            "value": elsewhere.get("name", ""),
            "message": (
                ("申请" if lang == "zh" else "applies to ")
                + elsewhere["target_park"].astype(str)
                + ("，未参与本园区甄别" if lang == "zh" else "; not screened for this park")
            )
            if "target_park" in elsewhere
            else "",
        }
    )
    table = pd.concat([issues, skipped_rows, elsewhere_rows], ignore_index=True)
    severity_rank = table["severity"].map({"error": 0, "warning": 1, "info": 2})
    table = table.assign(_s=severity_rank).sort_values(["_s", "row"], na_position="first", kind="stable")
    headers = {
        "zh": ["代码", "严重程度", "Excel行号", "列", "值", "说明"],
        "en": ["Code", "Severity", "Excel row", "Column", "Value", "Message"],
    }[lang]
    table = table.drop(columns="_s")
    table.columns = headers
    return table.reset_index(drop=True)
