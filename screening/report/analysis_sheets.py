"""The analyses for people: "what would it take" (差距) and robustness as tables, columns and sheets.

- :func:`gap_table` — one firm's 差距 for the firm view: per target and lever, now → needed, the change.
- :func:`whatif_table` — every firm × lever × target, for a sheet.
- :func:`admission_columns` — per firm, the change each lever alone needs for admission (export columns).
- :func:`robustness_table` — per firm: probability of admission, label, class probabilities, central
  weights, dominance (a sheet; also the robustness view's table).
- :func:`write_analysis_xlsx` — a workbook of these sheets, written like the main export (text stays
  text: a firm called ``=HYPERLINK(…)`` never becomes a formula).
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import xlsxwriter

from ..analysis.robustness import RobustnessResult
from ..analysis.targets import Target
from ..analysis.whatif import WhatIf
from ..engine.result import Result
from ..vocabulary import Decision
from ..vocabulary import Robustness as Label
from .xlsx import _styles, _write_table
from .xlsx_rows import splice_rows

WORDS = {
    "zh": {
        "row": "Excel行号",
        "name": "企业名称",
        "decision": "结论",
        "class": "等级",
        "score": "综合得分",
        "target": "目标",
        "input": "可调整项",
        "current": "现值",
        "needed": "需达到",
        "change": "差额（需增加为正）",
        "note": "说明",
        "admit_change": "入园需调整：",
        "p_admit": "入园概率",
        "label": "稳健性",
        "dominated_by": "被以下未入园企业全面占优（Excel行号）",
        "central": "中心权重：",
        "class_p": "等级概率：",
        "sheets": ("差距分析", "稳健性分析"),
        "notes": {
            "met": "已达到",
            "blocked": "其他规则限制，单调此项无效",
            "out_of_reach": "单独调整此项无法达到",
            "not_searched": "涉及排名，需单独计算（--row）",
            "": "",
        },
    },
    "en": {
        "row": "Excel row",
        "name": "Firm",
        "decision": "Decision",
        "class": "Class",
        "score": "Total score",
        "target": "Target",
        "input": "Lever",
        "current": "Now",
        "needed": "Needed",
        "change": "Change (+ = more)",
        "note": "Note",
        "admit_change": "To be admitted: ",
        "p_admit": "P(admitted)",
        "label": "Robustness",
        "dominated_by": "Beaten or equalled on every criterion by (Excel rows, not admitted)",
        "central": "Central weight: ",
        "class_p": "P(class) ",
        "sheets": ("What it would take", "Robustness"),
        "notes": {
            "met": "already there",
            "blocked": "another rule blocks it: this lever alone cannot help",
            "out_of_reach": "not reachable by this lever alone",
            "not_searched": "rank-based: ask for this firm alone (--row)",
            "": "",
        },
    },
}


def _decision_words(lang: str) -> dict[str, str]:
    return {d.value: d.label(lang) for d in Decision}


def _target_label(result: Result, text: str, lang: str) -> str:
    kind, _, value = text.partition(":")
    return Target(kind, float(value) if kind == "score" else (value or None)).label(result.ruleset, lang)


def _lever_label(result: Result, lever: str, lang: str) -> str:
    unit = result.ruleset.unit_of(lever)
    label = result.ruleset.label_of(lever, lang)
    return f"{label}（{unit}）" if unit and lang == "zh" else (f"{label} ({unit})" if unit else label)


def whatif_table(result: Result, whatif: WhatIf, lang: str = "zh") -> pd.DataFrame:
    words = WORDS[lang]
    changes = whatif.changes
    targets = {t: _target_label(result, t, lang) for t in changes["target"].unique()}
    levers = {k: _lever_label(result, k, lang) for k in changes["input"].unique()}
    note = np.where(changes["method"] == "met", "met", changes["note"])
    frame = pd.DataFrame(
        {
            words["row"]: changes["source_row"].to_numpy(),
            words["name"]: changes["name"].to_numpy(),
            words["decision"]: changes["decision"].map(_decision_words(lang)).to_numpy(),
            words["score"]: changes["score"].to_numpy(),
            words["target"]: changes["target"].map(targets).to_numpy(),
            words["input"]: changes["input"].map(levers).to_numpy(),
            words["current"]: changes["current"].to_numpy(),
            words["needed"]: changes["needed"].to_numpy(),
            words["change"]: changes["change"].to_numpy(),
            words["note"]: pd.Series(note).map(words["notes"]).to_numpy(),
        }
    )
    frame.attrs["digits"] = {words["row"]: 0, words["score"]: 2}
    return frame


def gap_table(result: Result, whatif: WhatIf, source_row: int, lang: str = "zh") -> pd.DataFrame:
    """The firm view's 差距: one firm's rows of :func:`whatif_table`, without the identity columns."""
    words = WORDS[lang]
    table = whatif_table(result, whatif, lang)
    mine = table[table[words["row"]] == source_row]
    return mine.drop(columns=[words["row"], words["name"], words["decision"], words["score"]]).reset_index(drop=True)


def admission_columns(result: Result, whatif: WhatIf, lang: str = "zh") -> pd.DataFrame:
    """Per firm (summary order), for each lever: the change that alone gets the firm admitted; 0 when
    admitted already, empty when this lever alone cannot do it."""
    words = WORDS[lang]
    admit = whatif.changes[whatif.changes["target"] == Target("admit").text]
    wide = admit.pivot_table(index="source_row", columns="input", values="change", aggfunc="first", dropna=False)
    rows = result.summary["source_row"].to_numpy()
    out = pd.DataFrame({words["row"]: rows})
    for lever in whatif.levers:
        values = wide[lever].reindex(rows).to_numpy() if lever in wide else np.full(len(rows), np.nan)
        out[words["admit_change"] + _lever_label(result, lever, lang)] = values
    return out


def robustness_table(result: Result, robust: RobustnessResult, lang: str = "zh") -> pd.DataFrame:
    """Per firm, borderline first: decision now, P(admitted), label, class probabilities, central weights."""
    words = WORDS[lang]
    order = robust.borderline_first().index.to_numpy()
    firms = robust.firms.loc[order]
    frame = pd.DataFrame(
        {
            words["row"]: firms["source_row"].to_numpy(),
            words["name"]: firms["name"].to_numpy(),
            words["decision"]: firms["decision"].map(_decision_words(lang)).to_numpy(),
            words["class"]: firms["class"].to_numpy(),
            words["score"]: firms["score"].to_numpy(),
            words["p_admit"]: firms["p_admit"].to_numpy(),
            words["label"]: firms["label"].map({v.value: v.label(lang) for v in Label}).to_numpy(),
        }
    )
    for name in robust.class_probability.columns:
        frame[words["class_p"] + str(name)] = robust.class_probability[name].to_numpy()[order]
    for key in robust.criteria:
        title = words["central"] + result.ruleset.label_of(_indicator_of(result, key), lang)
        frame[title] = robust.central_weights[key].to_numpy()[order]
    frame[words["dominated_by"]] = [", ".join(str(r) for r in rows) for rows in firms["dominated_by"]]
    frame.attrs["digits"] = {words["row"]: 0, words["score"]: 2, words["p_admit"]: 3}
    frame.attrs["digits"].update({c: 3 for c in frame.columns if str(c).startswith(words["class_p"])})
    frame.attrs["digits"].update({c: 1 for c in frame.columns if str(c).startswith(words["central"])})
    return frame


def _indicator_of(result: Result, key: str) -> str:
    for scoring_set in result.ruleset.model.scoring.all_sets():
        for crit in scoring_set.criteria:
            if crit.key == key:
                return crit.indicator
    return key


def write_analysis_xlsx(
    result: Result, whatif: WhatIf | None = None, robust: RobustnessResult | None = None, lang: str = "zh"
) -> bytes:
    """A workbook with the 差距 and robustness sheets (whichever were computed)."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    book = xlsxwriter.Workbook(buffer, options)
    styles = _styles(book)
    names = WORDS[lang]["sheets"]
    park = result.ruleset.model.park.name.get(lang)
    tables = []
    if whatif is not None:
        tables.append((names[0], whatif_table(result, whatif, lang)))
    if robust is not None:
        tables.append((names[1], robustness_table(result, robust, lang)))
    rest = {}
    for number, (name, frame) in enumerate(tables, start=1):
        _write_table(book, name, frame, styles, lang, f"{park} · {name}", False)
        rest[f"xl/worksheets/sheet{number}.xml"] = (frame.iloc[1:], 3)  # the main export's way: rows spliced in
    book.close()
    return splice_rows(buffer.getvalue(), rest)
