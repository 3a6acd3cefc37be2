"""The meeting pack: the summary list, one print-ready page per firm (一企一表), the draft decision list.

Built from a round's result and the departments' current opinions (plain frames: this module knows
nothing of the database). The decision sheet is meant to be filled in at the meeting and read back
(``store.decisions``): its column words are :data:`DECISION_HEADERS`, shared with that reader.

Safety as in the export: every text cell is written as text (``strings_to_formulas`` off), so a
firm or a note that starts with ``=`` never becomes a formula.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import xlsxwriter

from ..analysis.levers import lever_ids
from ..analysis.targets import Target
from ..analysis.whatif import what_it_takes
from ..engine.result import Result
from ..vocabulary import WORKING_GROUP, Decision, Verdict
from .analysis_sheets import whatif_table
from .explain import fmt, gate_table, points_table, reasons
from .words import WORDS as EXPORT_WORDS

MAX_BREAKS = 1000  # Excel keeps at most 1026 manual page breaks per sheet
DECISION_SHEET = {"zh": "会议决定", "en": "Decisions"}
DECISION_HEADERS = {
    "round": ("轮次", "Round"),
    "firm_row": ("名单行号", "List row"),
    "name": ("企业名称", "Firm"),
    "credit_code": ("统一社会信用代码", "Credit code"),
    "screening": ("甄别结论", "Screening decision"),
    "class": ("等级", "Class"),
    "score": ("综合得分", "Score"),
    "opinions": ("部门意见", "Department opinions"),
    "draft": ("建议决定", "Draft decision"),
    "draft_conditions": ("建议条件", "Draft conditions"),
    "meeting_decision": ("会议决定", "Meeting decision"),
    "conditions": ("附加条件", "Conditions"),
    "reason": ("决定理由", "Reason"),
}
MEETING_CHOICES = (Decision.ADMIT, Decision.REVIEW, Decision.REJECT)
WORDS = {
    "zh": {
        "sheets": ("汇总名单", "一企一表", "说明"),
        "rank": "排名",
        "reasons": "甄别原因",
        "gates": "门槛与指标",
        "gate_columns": ["规则", "部门", "性质", "企业数值", "要求", "差额", "结果", "依据"],
        "points": "评分",
        "point_columns": ["项目", "数值", "单位", "方法", "参照", "权重", "得分"],
        "gap": "差距：要达到什么",
        "gap_none": "（本园区规则未声明可调整项，或该企业无需调整。）",
        "opinions": "部门意见",
        "opinion_columns": ["部门", "意见", "条件", "说明", "填写人", "时间"],
        "no_opinion": "尚无意见",
        "row": "名单行号",
        "industry": "行业代码",
        "disagree": "{dept}不同意",
        "guide": [
            "会议材料 · 轮次：{round}（{park}，规则版本 {version}，{created}）",
            "“汇总名单”列出参与甄别的全部企业；“一企一表”每家上会企业一页，可直接打印；",
            "“会议决定”：请在“会议决定”列选择 准予入园 / 待复核 / 不予入园，填写理由和附加条件；",
            "会议决定与甄别结论不同时，必须填写理由。未填写决定的企业视为未决定。",
            "填好后导入：python -m screening rounds decide “{round}” --from 本文件.xlsx",
        ],
    },
    "en": {
        "sheets": ("Summary", "One page per firm", "How to use"),
        "rank": "Rank",
        "reasons": "Reasons",
        "gates": "Gates and indicators",
        "gate_columns": ["Rule", "Department", "Severity", "Value", "Requirement", "Margin", "Result", "Basis"],
        "points": "Score",
        "point_columns": ["Item", "Value", "Unit", "Method", "Reference", "Weight", "Points"],
        "gap": "What it would take",
        "gap_none": "(The park's rules declare no levers, or the firm needs no change.)",
        "opinions": "Department opinions",
        "opinion_columns": ["Department", "Verdict", "Conditions", "Note", "By", "When"],
        "no_opinion": "no opinion yet",
        "row": "List row",
        "industry": "Industry code",
        "disagree": "{dept} disagrees",
        "guide": [
            "Meeting pack · round: {round} ({park}, rules version {version}, {created})",
            "'Summary' lists every screened firm; 'One page per firm' prints one page per firm before the meeting;",
            "'Decisions': choose Admit / Review / Reject in 'Meeting decision', with the reason and any conditions;",
            "a decision that differs from the screening needs a reason. A firm left blank stays undecided.",
            "Then read it back: python -m screening rounds decide '{round}' --from this-file.xlsx",
        ],
    },
}


Gaps = Callable[[Result, int, str], list[str]]  # (result, summary position, lang) -> lines of 差距


@dataclass(frozen=True)
class PackFacts:
    round_name: str
    created: str  # who and when the round was saved
    opinions: pd.DataFrame  # current opinions: source_row, department, verdict, conditions, note, author, at
    gaps: Gaps | None = None
    extra: dict = field(default_factory=dict)


def what_it_would_take(result: Result, positions: np.ndarray, lang: str) -> Gaps:
    """差距 for the firms on the meeting's pages, computed once (``screening.analysis``): per lever, the
    smallest single change that gets the firm admitted — or why that lever alone cannot."""
    if not lever_ids(result.ruleset) or result.ruleset.model.is_evaluation or len(positions) == 0:
        return lambda _result, _position, lang_: [WORDS[lang_]["gap_none"]]
    rows = result.summary["source_row"].to_numpy()[positions]
    found = what_it_takes(result, rows=rows, targets=[Target("admit")])
    table = whatif_table(result, found, lang)
    by_row = {int(r): _gap_lines(part, lang) for r, part in table.groupby(table.columns[0], sort=False)}
    source = result.summary["source_row"].to_numpy()
    return lambda _result, position, lang_: by_row.get(int(source[position]), [WORDS[lang_]["gap_none"]])


def _gap_lines(part: pd.DataFrame, lang: str) -> list[str]:
    """One line per lever: '实缴税金（万元）：1,200 → 1,560（+360）' or the reason it cannot."""
    if (part.iloc[:, 8].fillna(0) == 0).all() and (part.iloc[:, 9] == part.iloc[0, 9]).all() and len(part):
        return [part.iloc[0, 9]] if part.iloc[0, 9] else []  # admitted already: one line, not one per lever
    lines = []
    for values in part.itertuples(index=False, name=None):  # a firm's few levers, not firms
        _row, _name, _decision, _score, _target, lever, current, needed, change, note = values
        if note:
            lines.append(f"{lever}：{note}" if lang == "zh" else f"{lever}: {note}")
        else:
            shown = f"{_number(current)} → {_number(needed)}（{change:+,.2f}）"
            lines.append(
                f"{lever}：{shown}" if lang == "zh" else f"{lever}: {shown.replace('（', ' (').replace('）', ')')}"
            )
    return lines


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def meeting_positions(result: Result, opinions: pd.DataFrame) -> np.ndarray:
    """Summary positions of the firms before the meeting, in display order: admitted and review, and
    any other firm a department has given an opinion on."""
    order = result.display_order()
    decision = result.summary["decision"].to_numpy()[order]
    rows = result.summary["source_row"].to_numpy()[order]
    keep = np.isin(decision, [Decision.ADMIT.value, Decision.REVIEW.value]) | np.isin(rows, opinions["source_row"])
    return order[keep]


def write_pack(result: Result, facts: PackFacts, lang: str = "zh") -> bytes:
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    book = xlsxwriter.Workbook(buffer, options)
    styles = _styles(book)
    words = WORDS[lang]
    texts = opinion_texts(result, facts.opinions, lang)
    _write_frame(book, words["sheets"][0], summary_frame(result, texts, lang), styles, facts.round_name)
    positions = meeting_positions(result, facts.opinions)
    if facts.gaps is None:
        facts = replace(facts, gaps=what_it_would_take(result, positions, lang))
    for part, start in enumerate(range(0, max(len(positions), 1), MAX_BREAKS)):
        name = words["sheets"][1] + (f" ({part + 1})" if part else "")
        _write_pages(book, name, result, positions[start : start + MAX_BREAKS], facts, lang, styles)
    draft = draft_frame(result, positions, texts, facts, lang)
    _write_frame(book, DECISION_SHEET[lang], draft, styles, facts.round_name, title_row=True, choices=lang)
    _write_guide(book, words, facts, result, styles)
    book.close()
    return buffer.getvalue()


def _styles(book) -> dict:
    return {
        "header": book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        ),
        "title": book.add_format({"bold": True, "font_size": 14}),
        "section": book.add_format({"bold": True, "font_size": 11, "bottom": 1}),
        "label": book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1}),
        "cell": book.add_format({"text_wrap": True, "valign": "top", "border": 1}),
        "input": book.add_format({"bg_color": "#FFF2CC", "border": 1, "text_wrap": True, "valign": "top"}),
    }


def opinion_texts(result: Result, opinions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per screened firm (summary order) and department: '同意', '有条件同意：…', '' where none."""
    rows = result.summary["source_row"].to_numpy()
    out = pd.DataFrame(index=range(len(rows)))
    for dept in WORKING_GROUP:
        mine = opinions[opinions["department"] == dept.value].drop_duplicates("source_row", keep="last")
        mine = mine.set_index("source_row")
        verdict = mine["verdict"].map(lambda v: Verdict(v).label(lang))
        conditions = mine["conditions"].fillna("")
        text = verdict.where(conditions == "", verdict + ("：" if lang == "zh" else ": ") + conditions)
        out[dept.value] = text.reindex(rows).fillna("").to_numpy()
        out[dept.value + ":verdict"] = mine["verdict"].reindex(rows).fillna("").to_numpy()
    return out


def summary_frame(result: Result, texts: pd.DataFrame, lang: str) -> pd.DataFrame:
    order = result.display_order()
    summary = result.summary.iloc[order]
    head = DECISION_HEADERS
    i = 0 if lang == "zh" else 1
    frame = pd.DataFrame(
        {
            WORDS[lang]["rank"]: summary["rank"].to_numpy(dtype=object, na_value=None),
            head["firm_row"][i]: summary["source_row"].to_numpy(),
            head["name"][i]: _text(summary, "name"),
            head["credit_code"][i]: _text(summary, "credit_code"),
            head["screening"][i]: [Decision(d).label(lang) for d in summary["decision"].astype(str)],
            head["class"][i]: summary["class"].to_numpy(dtype=object, na_value=None),
            head["score"][i]: np.round(summary["total"].to_numpy(dtype=float), 2),
        }
    )
    for dept in WORKING_GROUP:
        frame[dept.label(lang)] = texts[dept.value].to_numpy()[order]
    frame[WORDS[lang]["reasons"]] = reasons(result, order, lang).to_numpy()
    return frame


def draft_frame(
    result: Result, positions: np.ndarray, texts: pd.DataFrame, facts: PackFacts, lang: str
) -> pd.DataFrame:
    """The draft decision list: the screening's decision, held for review where a department disagrees;
    the meeting's columns left empty to be filled in."""
    summary = result.summary.iloc[positions]
    decision = summary["decision"].astype(str).to_numpy()
    disagree = np.full(len(positions), "", dtype=object)
    conditions = np.full(len(positions), "", dtype=object)
    sep = "；" if lang == "zh" else "; "
    for dept in WORKING_GROUP:
        verdict = texts[dept.value + ":verdict"].to_numpy()[positions]
        said = np.where(verdict == Verdict.DISAGREE.value, WORDS[lang]["disagree"].format(dept=dept.label(lang)), "")
        disagree = _join(disagree, said, sep)
        conditional = np.where(verdict == Verdict.CONDITIONAL.value, texts[dept.value].to_numpy()[positions], "")
        conditions = _join(conditions, conditional, sep)
    draft = np.where((decision == Decision.ADMIT.value) & (disagree != ""), Decision.REVIEW.value, decision)
    opinions = np.full(len(positions), "", dtype=object)
    all_texts = [texts[d.value].to_numpy()[positions] for d in WORKING_GROUP]
    for dept, said in zip(WORKING_GROUP, all_texts, strict=True):
        opinions = _join(
            opinions, np.where(said != "", dept.label(lang) + ("：" if lang == "zh" else ": ") + said, ""), sep
        )
    i = 0 if lang == "zh" else 1
    head = {key: words[i] for key, words in DECISION_HEADERS.items()}
    return pd.DataFrame(
        {
            head["round"]: facts.round_name,
            head["firm_row"]: summary["source_row"].to_numpy(),
            head["name"]: _text(summary, "name"),
            head["credit_code"]: _text(summary, "credit_code"),
            head["screening"]: [Decision(d).label(lang) for d in decision],
            head["class"]: summary["class"].to_numpy(dtype=object, na_value=None),
            head["score"]: np.round(summary["total"].to_numpy(dtype=float), 2),
            head["opinions"]: opinions,
            head["draft"]: [Decision(d).label(lang) for d in draft],
            head["draft_conditions"]: conditions,
            head["meeting_decision"]: "",
            head["conditions"]: "",
            head["reason"]: "",
        }
    )


def _join(acc: np.ndarray, texts: np.ndarray, sep: str) -> np.ndarray:
    texts = np.asarray(texts, dtype=object)
    return np.where(texts == "", acc, np.where(acc == "", texts, acc + sep + texts)).astype(object)


def _text(frame: pd.DataFrame, key: str) -> np.ndarray:
    if key not in frame:
        return np.full(len(frame), "", dtype=object)
    return frame[key].astype(object).where(frame[key].notna(), "").to_numpy(dtype=object)


def _cell(value):
    """A value as written: blanks for NaN/NA, numpy scalars unwrapped."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return value.item() if isinstance(value, np.generic) else value


def _write_frame(book, name, frame, styles, round_name, title_row=False, choices=None) -> None:
    sheet = book.add_worksheet(name)
    top = 1 if title_row else 0
    if title_row:
        sheet.write_string(0, 0, f"{name} · {round_name}", styles["title"])
    sheet.write_row(top, 0, list(frame.columns), styles["header"])
    for r, values in enumerate(frame.itertuples(index=False, name=None), start=top + 1):
        sheet.write_row(r, 0, [_cell(v) for v in values], styles["cell"])
    for c, column in enumerate(frame.columns):
        sheet.set_column(c, c, _width(frame[column], column))
    if choices and len(frame):
        _decision_inputs(sheet, frame, top, styles, choices)
    sheet.freeze_panes(top + 1, 3)
    sheet.autofilter(top, 0, top + max(len(frame), 1), len(frame.columns) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(top)
    sheet.set_header(f'&L&"-,Bold"{round_name.replace("&", "&&")}&R&D')
    sheet.set_footer("&C&P / &N")


def _decision_inputs(sheet, frame: pd.DataFrame, top: int, styles: dict, lang: str) -> None:
    """The meeting's columns highlighted, the decision one a drop-down of the three decisions."""
    i = 0 if lang == "zh" else 1
    columns = list(frame.columns)
    last = top + len(frame)
    for key in ("meeting_decision", "conditions", "reason"):
        c = columns.index(DECISION_HEADERS[key][i])
        sheet.set_column(c, c, 24 if key != "meeting_decision" else 14, styles["input"])
        for r in range(top + 1, last + 1):
            sheet.write_blank(r, c, None, styles["input"])
    c = columns.index(DECISION_HEADERS["meeting_decision"][i])
    sheet.data_validation(top + 1, c, last, c, {"validate": "list", "source": [d.label(lang) for d in MEETING_CHOICES]})


def _width(series: pd.Series, column: str) -> float:
    sample = [str(column)] + [str(v) for v in series.head(50)]
    widest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) for text in sample)
    return float(min(max(widest + 2, 8), 50))


def _write_guide(book, words: dict, facts: PackFacts, result: Result, styles: dict) -> None:
    sheet = book.add_worksheet(words["sheets"][2])
    sheet.set_column(0, 0, 110)
    model = result.ruleset.model
    park = model.park.name.get("zh" if words is WORDS["zh"] else "en")
    for r, line in enumerate(words["guide"]):
        text = line.format(round=facts.round_name, park=park, version=model.version, created=facts.created)
        sheet.write_string(r, 0, text, styles["title"] if r == 0 else styles["cell"])


# --- one page per firm ----------------------------------------------------------------------------


def _write_pages(book, name: str, result: Result, positions: np.ndarray, facts: PackFacts, lang: str, styles) -> None:
    sheet = book.add_worksheet(name)
    for c, width in enumerate((22, 12, 10, 14, 26, 10, 8, 22)):
        sheet.set_column(c, c, width)
    breaks, row = [], 0
    by_firm = facts.opinions.set_index(["source_row", "department"]) if len(facts.opinions) else None
    for position in positions:
        if row:
            breaks.append(row)
        row = _firm_page(sheet, row, result, int(position), by_firm, facts, lang, styles)
    sheet.set_h_pagebreaks(breaks)
    sheet.set_portrait()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.set_header(f'&L&"-,Bold"{facts.round_name.replace("&", "&&")}&R&D')
    sheet.set_footer("&C&P / &N")


def _firm_page(sheet, row: int, result: Result, position: int, by_firm, facts: PackFacts, lang: str, styles) -> int:
    words = WORDS[lang]
    firm = result.summary.iloc[position]
    head = {key: w[0 if lang == "zh" else 1] for key, w in DECISION_HEADERS.items()}
    sheet.write_string(row, 0, str(_cell(firm.get("name", "")) or ""), styles["title"])
    facts_rows = [
        (words["row"], firm["source_row"], head["credit_code"], _cell(firm.get("credit_code", "")), words["industry"],
         _cell(firm.get("industry_code", ""))),
        (head["screening"], Decision(str(firm["decision"])).label(lang), head["class"], _cell(firm["class"]),
         head["score"], fmt(float(firm["total"])), words["rank"], _cell(firm["rank"])),
    ]  # fmt: skip
    row += 1
    for values in facts_rows:
        for c, value in enumerate(values):
            sheet.write(row, c, _cell(value), styles["label"] if c % 2 == 0 else styles["cell"])
        row += 1
    gates = gate_table(result, position, lang)
    gate_rows = gates[["rule", "department", "severity", "value", "requirement", "margin", "status", "basis"]].copy()
    gate_rows["margin"] = gate_rows["margin"].map(lambda m: fmt(m) if pd.notna(m) else "")
    gate_rows["status"] = gate_rows["status"].map(_status_word(lang))
    row = _block(sheet, row + 1, words["gates"], words["gate_columns"], gate_rows.to_numpy(), styles)
    points = points_table(result, position, lang)
    point_rows = points[["item", "value", "unit", "method", "reference", "weight", "points"]].copy()
    point_rows["points"] = point_rows["points"].map(lambda p: fmt(p))
    point_rows["weight"] = point_rows["weight"].map(lambda w: fmt(w) if pd.notna(w) else "")
    row = _block(sheet, row + 1, words["points"], words["point_columns"], point_rows.to_numpy(), styles)
    gaps = facts.gaps(result, position, lang) if facts.gaps else [WORDS[lang]["gap_none"]]
    row = _block(sheet, row + 1, words["gap"], None, np.array([[g] for g in gaps], dtype=object), styles)
    opinion_rows = _opinion_rows(by_firm, int(firm["source_row"]), lang)
    return _block(sheet, row + 1, words["opinions"], words["opinion_columns"], opinion_rows, styles) + 1


def _status_word(lang: str):
    return EXPORT_WORDS[lang]["status"].get


def _opinion_rows(by_firm, source_row: int, lang: str) -> np.ndarray:
    rows = []
    for dept in WORKING_GROUP:
        key = (source_row, dept.value)
        if by_firm is not None and key in by_firm.index:
            entry = by_firm.loc[key]
            entry = entry.iloc[-1] if isinstance(entry, pd.DataFrame) else entry
            rows.append([dept.label(lang), Verdict(entry["verdict"]).label(lang), entry["conditions"], entry["note"],
                         entry["author"], entry["at"]])  # fmt: skip
        else:
            rows.append([dept.label(lang), WORDS[lang]["no_opinion"], "", "", "", ""])
    return np.array(rows, dtype=object)


def _block(sheet, row: int, title: str, columns: list[str] | None, values: np.ndarray, styles) -> int:
    sheet.write_string(row, 0, title, styles["section"])
    row += 1
    if columns:
        sheet.write_row(row, 0, columns, styles["header"])
        row += 1
    for line in values:
        sheet.write_row(row, 0, [_cell(v) for v in line], styles["cell"])
        row += 1
    return row
