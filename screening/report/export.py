"""The screening result as files: a five-sheet Excel workbook for the leadership meeting,
and CSV / JSON tables for other systems. Used by the CLI (``--out``) and the app's download.

Safety: every text cell is written as text (XlsxWriter ``strings_to_formulas`` off), so a firm
named ``=HYPERLINK(...)`` can never become a live formula; CSV cells that start with
= + - @ tab or CR are prefixed with ' (OWASP) and the CSV is UTF-8 with BOM for Excel.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter

from .. import __version__
from ..engine.conditions import STATUS_NAMES
from ..engine.result import DECISION_LABELS, SEVERITY_LABELS, Result
from ..rules.loading import adjusted_rule_text, format_parameter
from ..rules.sources import cite
from .explain import failed_gates, reasons, rule_text
from .xlsx_rows import splice_rows

RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

WORDS = {
    "zh": {
        "sheets": ("入园建议名单", "全部企业评分", "数据问题", "规则与参数", "说明"),
        "status": {"pass": "通过", "fail": "未通过", "missing": "缺数据", "n/a": "不适用"},
        "rank": "排名",
        "row": "Excel行号",
        "name": "企业名称",
        "credit_code": "统一社会信用代码",
        "industry_code": "行业代码",
        "set": "评分类别",
        "decision": "结论",
        "class": "等级",
        "total": "综合得分",
        "score": "指标得分",
        "adjustment": "加减分",
        "reasons": "原因",
        "land": "拟申请用地（亩）",
        "compensation": "搬迁补偿（万元）",
        "payback": "补偿回收年限（年）",
        "gate": "门槛",
        "margin": "差额",
        "threshold": "门槛值",
        "points": "得分",
        "title": "入园建议名单",
    },
    "en": {
        "sheets": ("Shortlist", "All firms", "Data issues", "Rules and parameters", "How to read"),
        "status": {"pass": "pass", "fail": "fail", "missing": "missing", "n/a": "n/a"},
        "rank": "Rank",
        "row": "Excel row",
        "name": "Firm",
        "credit_code": "Credit code",
        "industry_code": "Industry code",
        "set": "Scoring set",
        "decision": "Decision",
        "class": "Class",
        "total": "Total score",
        "score": "Criteria score",
        "adjustment": "Bonus/penalty",
        "reasons": "Reasons",
        "land": "Land requested (mu)",
        "compensation": "Relocation compensation (10k yuan)",
        "payback": "Payback (years)",
        "gate": "Gate",
        "margin": "margin",
        "threshold": "threshold",
        "points": "Points",
        "title": "Shortlist",
    },
}


# --- tables -------------------------------------------------------------------------------------


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
            "score": summary["total"].round(4),
            "class": summary["class"],
            "rank": summary["rank"],
            "failed_gates": failed_gates(result),
            "missing_gates": failed_gates(result, status_code=2),
            "reasons_zh": reasons(result, lang="zh"),
            "reasons_en": reasons(result, lang="en"),
        }
    )
    for key in result.indicators.columns:
        table[key] = result.indicators[key].round(6)
    return table.iloc[result.display_order()].reset_index(drop=True)


def shortlist_frame(result: Result, lang: str = "zh") -> pd.DataFrame:
    words = WORDS[lang]
    order = result.display_order()
    summary = result.summary.iloc[order]
    keep = summary["decision"].isin(["admit", "review"]).to_numpy()
    positions = order[keep]
    frame = _identity(result, positions, lang)
    frame.insert(0, words["rank"], result.summary["rank"].to_numpy()[positions])
    for key in _key_indicators(result):
        frame[_indicator_header(result, key, lang)] = result.indicators[key].to_numpy()[positions]
    firms = result.firms
    if "requested_land" in firms:
        frame[words["land"]] = pd.to_numeric(firms["requested_land"], errors="coerce").to_numpy()[positions]
    if "relocation_compensation" in firms:
        comp = pd.to_numeric(firms["relocation_compensation"], errors="coerce").to_numpy()
        frame[words["compensation"]] = comp[positions]
        if "tax_paid" in firms:
            tax = pd.to_numeric(firms["tax_paid"], errors="coerce").to_numpy()
            with np.errstate(divide="ignore", invalid="ignore"):
                payback = np.where(tax > 0, comp / tax, np.nan)
            frame[words["payback"]] = payback[positions]
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
    frame[words["decision"]] = [DECISION_LABELS[d][lang] for d in summary["decision"].to_numpy()[positions]]
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
    frame[words["rank"]] = summary["rank"].to_numpy()[order]
    frame[words["set"]] = summary["scoring_set"].to_numpy()[order]
    for key in result.indicators.columns:
        frame[_indicator_header(result, key, lang)] = result.indicators[key].to_numpy()[order]
    status_names = np.array([words["status"][STATUS_NAMES[code]] for code in range(4)], dtype=object)
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


def rules_blocks(result: Result, lang: str = "zh", run_time: str = "") -> list[tuple[str, pd.DataFrame]]:
    rs = result.ruleset
    model = rs.model
    zh = lang == "zh"
    source = result.source or {}
    facts = [
        ("园区" if zh else "Park", model.park.name.get(lang)),
        ("规则编号" if zh else "Rule id", model.park.id),
        ("规则版本" if zh else "Rule version", model.version),
        ("规则文件" if zh else "Rule file", rs.source),
        ("规则文件 SHA-256" if zh else "Rule file SHA-256", rs.sha256),
        ("行业代码版本" if zh else "Industry codes", model.industry_codes),
        ("输入文件" if zh else "Input file", source.get("file_name", "")),
        ("输入文件 SHA-256" if zh else "Input file SHA-256", source.get("sha256", "")),
        ("工作表" if zh else "Sheet", source.get("sheet", "")),
        ("表头行" if zh else "Header rows", "、".join(str(r) for r in source.get("header_rows", []))),
        ("工具版本" if zh else "Tool version", f"park-entry-screening {__version__}"),
        ("运行时间" if zh else "Run time", run_time),
        ("调整的参数" if zh else "Parameters changed", str(len(rs.changes))),
        ("参与甄别的企业" if zh else "Firms screened", str(result.size)),
        ("申请其他园区、未参与甄别" if zh else "Applying elsewhere, not screened", str(len(result.elsewhere))),
    ]
    blocks = [("", pd.DataFrame(facts, columns=["项目" if zh else "Item", "内容" if zh else "Value"]))]
    changed = {c.parameter: c for c in rs.changes}
    params = []
    for param in rs.parameters.values():
        change = changed.get(param.id)
        standard = change.standard if change else param.value
        used = change.used if change else param.value
        params.append(
            (
                param.id,
                param.label.get(lang),
                param.group,
                param.unit,
                format_parameter(standard),
                format_parameter(used),
                ("是" if zh else "yes") if change else "",
                cite(param.basis),
            )
        )
    headers = (
        ["参数", "名称", "归口/类别", "单位", "标准值", "本次取值", "已调整", "政策依据"]
        if zh
        else ["Parameter", "Name", "Group", "Unit", "Standard", "Used", "Changed", "Basis"]
    )
    blocks.append(
        (
            "可调参数（标准值 → 本次取值）" if zh else "Tunable parameters (standard → used)",
            pd.DataFrame(params, columns=headers),
        )
    )
    gates = []
    for gate in model.gates:
        for test in gate.tests():
            gates.append(
                (
                    gate.id,
                    gate.label.get(lang),
                    gate.department,
                    SEVERITY_LABELS[gate.severity][lang],
                    rule_text(test, rs, lang),
                    _condition_text(gate.only_if, rs, lang),
                    cite(gate.basis),
                )
            )
    blocks.append(
        (
            "门槛（本次使用）" if zh else "Gates (as used)",
            pd.DataFrame(
                gates,
                columns=(
                    ["编号", "名称", "部门", "性质", "要求", "适用条件", "政策依据"]
                    if zh
                    else ["Id", "Name", "Department", "Severity", "Requirement", "Applies if", "Basis"]
                ),
            ),
        )
    )
    criteria = []
    for scoring_set in model.scoring.all_sets():
        for crit in scoring_set.criteria:
            spec = rs.indicators[crit.indicator].spec
            refs = ", ".join(
                f"{k} {v}"
                for k, v in (("baseline", crit.baseline), ("best", crit.best), ("worst", crit.worst), ("cap", crit.cap))
                if v is not None
            )
            criteria.append(
                (
                    scoring_set.label.get(lang),
                    (crit.label or spec.label).get(lang),
                    crit.weight,
                    crit.method,
                    refs,
                    crit.missing,
                    cite(crit.basis),
                )
            )
    for adj in model.scoring.adjustments:
        criteria.append(
            (
                "",
                adj.label.get(lang),
                adj.points,
                "adjustment",
                _condition_text(adj.when, rs, lang),
                "",
                cite(adj.basis),
            )
        )
    blocks.append(
        (
            "评分项与加减分" if zh else "Criteria and adjustments",
            pd.DataFrame(
                criteria,
                columns=(
                    ["评分类别", "指标", "权重/分值", "方法", "基准", "缺数据处理", "政策依据"]
                    if zh
                    else ["Set", "Indicator", "Weight/points", "Method", "Reference", "Missing data", "Basis"]
                ),
            ),
        )
    )
    return blocks


def _condition_text(cond, ruleset, lang: str) -> str:
    if cond is None:
        return ""
    if cond.missing is not None:
        return f"{ruleset.label_of(cond.missing, lang)} {'缺失' if lang == 'zh' else 'missing'}"
    if cond.all is not None or cond.any is not None:
        joiner = (
            (" 且 " if cond.all is not None else " 或 ")
            if lang == "zh"
            else (" and " if cond.all is not None else " or ")
        )
        return joiner.join(_condition_text(c, ruleset, lang) for c in (cond.all or cond.any))
    return rule_text(cond, ruleset, lang)


def guide_lines(result: Result, lang: str = "zh") -> list[str]:
    rs = result.ruleset
    model = rs.model
    zh = lang == "zh"
    bands = ", ".join(
        f"{b.klass} ≥ {b.min_score:g}"
        if b.min_score is not None
        else (f"{b.klass}: top {b.top_share:.0%}" if b.top_share is not None else f"{b.klass}: rest")
        for b in model.classes.bands
    )
    mapping = "; ".join(
        f"{DECISION_LABELS[k][lang]}: {', '.join(getattr(model.decision, k))}"
        for k in ("admit", "review", "reject")
        if getattr(model.decision, k)
    )
    if zh:
        return [
            f"{model.park.name.zh} · 入园甄别结果说明",
            "",
            "一、结论",
            "  准予入园：通过全部一票否决门槛，等级达到准予标准，且在园区用地指标内。",
            "  待复核：有需复核的门槛未通过或缺数据、等级为复核档，或用地指标已用完，需审查工作班子研究。",
            "  不予入园：至少一项一票否决门槛未通过（如行业不符、安全事故、环境违法、亩均税收不达标），"
            "或等级为不予入园档。",
            "  未评分：缺少必填数据，无法评分；补齐数据后可重新甄别。",
            "",
            "二、得分",
            "  综合得分 = 各评分项得分之和 + 加减分。各评分项按规则文件规定的方法计分：",
            "  比值法 = 指标值 ÷ 基准值 × 权重（有封顶的不超过权重）；区间法 = 在最差值与最佳值之间按比例计分；",
            "  百分位法 = 按本批企业中的排位计分；越低越好法 = 指标为基准值的 2 倍时得 0 分。",
            f"  等级划分：{bands}。结论映射：{mapping}。",
            "",
            "三、各工作表",
            "  入园建议名单：准予入园和待复核的企业，按结论和排名排序，附关键指标和原因。",
            "  全部企业评分：每家企业每项门槛的结果和差额（正数表示超出门槛的余量，负数表示差距）、每项得分。",
            "  数据问题：上传表格中的问题及被跳过的行（标题、合计、空行等），均注明 Excel 行号。",
            "  规则与参数：本次使用的园区规则、每个可调参数的标准值与本次取值、政策依据和文件指纹（SHA-256）。",
            "",
            "四、复现",
            "  同一输入文件、同一规则文件、同一参数可得到完全相同的结果；规则文件和输入文件的 SHA-256 见“规则与参数”。",
        ]
    return [
        f"{model.park.name.get('en')} · how to read this workbook",
        "",
        "1. Decisions",
        "  Admit: passes every veto gate, its class is an admitting class, and it fits the park's land quota.",
        "  Review: a review gate failed or lacked data, the class is a review class, or the land quota is used up.",
        "  Reject: at least one veto gate failed (industry, accident, violation, tax per mu …) or the class rejects.",
        "  Not scored: required data is missing; complete it and screen again.",
        "",
        "2. Score",
        "  Total = sum of criterion points + bonus/penalty points. Methods: ratio = value ÷ baseline × weight",
        "  (capped where the rule says); linear = position between worst and best; percentile = rank in the batch;",
        "  lower_ratio = zero points at twice the baseline.",
        f"  Classes: {bands}. Decisions: {mapping}.",
        "",
        "3. Sheets",
        "  Shortlist: admitted and to-review firms in order, with key indicators and reasons.",
        "  All firms: every gate's outcome and margin (positive = room above the threshold)"
        " and every criterion's points.",
        "  Data issues: problems in the uploaded list and the rows skipped (titles, totals, blanks), with Excel rows.",
        "  Rules and parameters: the rules used, each tunable parameter's standard and used value, sources, SHA-256.",
        "",
        "4. Reproducing",
        "  The same input file, rule file and parameters give exactly the same result; see the SHA-256 fingerprints.",
    ]


# --- writers ------------------------------------------------------------------------------------


def write_xlsx(result: Result, lang: str = "zh", run_time: str | None = None) -> bytes:
    run_time = run_time or dt.datetime.now().astimezone().isoformat(timespec="seconds")
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    book = xlsxwriter.Workbook(buffer, options)
    styles = _styles(book)
    names = WORDS[lang]["sheets"]
    park = result.ruleset.model.park.name.get(lang)
    tables = [
        (names[0], shortlist_frame(result, lang), f"{park} · {names[0]}", True),
        (names[1], all_firms_frame(result, lang), f"{park} · {names[1]}", True),
        (names[2], issues_frame_for_export(result, lang), f"{park} · {names[2]}", False),
    ]
    rest = {}
    for number, (name, frame, title, decorate) in enumerate(tables, start=1):
        _write_table(book, name, frame, styles, lang, title, decorate)
        rest[f"xl/worksheets/sheet{number}.xml"] = (frame.iloc[1:], 3)  # rows after the first data row
    _write_blocks(book, names[3], rules_blocks(result, lang, run_time), styles)
    _write_lines(book, names[4], guide_lines(result, lang), styles)
    book.close()
    return splice_rows(buffer.getvalue(), rest)


def _styles(book) -> dict[str, Any]:
    return {
        "header": book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        ),
        "title": book.add_format({"bold": True, "font_size": 13}),
        "bold": book.add_format({"bold": True}),
        "text": book.add_format({"text_wrap": False}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "book": book,
        "numbers": {},
        "admit": book.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"}),
        "review": book.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"}),
        "reject": book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        "not_scored": book.add_format({"bg_color": "#EDEDED", "font_color": "#595959"}),
    }


def _write_table(
    book, name: str, frame: pd.DataFrame, styles: dict, lang: str, page_title: str, decorate: bool = True
) -> None:
    sheet = book.add_worksheet(name)
    words = WORDS[lang]
    sheet.set_row(0, 48)
    sheet.write_row(0, 0, list(frame.columns), styles["header"])
    digits = frame.attrs.get("digits", {})
    formats = [_number_format(column, frame[column], styles, digits) for column in frame.columns]
    for c, column in enumerate(frame.columns):
        sheet.set_column(c, c, _width(column, frame[column]), formats[c])
    for values in _rows(frame.head(1)):  # the first data row; xlsx_rows adds the others in its style
        for c, value in enumerate(values):
            if value is None:
                sheet.write_blank(1, c, None, formats[c])
            else:
                sheet.write(1, c, value, formats[c])
    last_row, last_col = len(frame), max(len(frame.columns) - 1, 0)
    sheet.freeze_panes(1, 2 if decorate else 0)
    sheet.autofilter(0, 0, max(last_row, 1), last_col)
    if decorate and len(frame):
        _decorate(sheet, frame, words, lang, styles, last_row)
    sheet.set_landscape()
    sheet.set_paper(8 if len(frame.columns) > 12 else 9)  # A3 for wide tables, else A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_header(f'&L&"-,Bold"{_escape_header(page_title)}&R&D')
    sheet.set_footer("&C&P / &N")


def _decorate(sheet, frame: pd.DataFrame, words: dict, lang: str, styles: dict, last_row: int) -> None:
    columns = list(frame.columns)
    if words["decision"] in columns:
        c = columns.index(words["decision"])
        for key in ("admit", "review", "reject", "not_scored"):
            sheet.conditional_format(
                1,
                c,
                last_row,
                c,
                {"type": "cell", "criteria": "==", "value": f'"{DECISION_LABELS[key][lang]}"', "format": styles[key]},
            )
    if words["total"] in columns:
        c = columns.index(words["total"])
        sheet.conditional_format(
            1,
            c,
            last_row,
            c,
            {"type": "data_bar", "bar_color": "#5B9BD5", "bar_solid": True, "min_type": "num", "min_value": 0},
        )


def _rows(frame: pd.DataFrame):
    data = frame.astype(object).where(frame.notna(), None)
    for values in data.itertuples(index=False, name=None):
        yield [None if isinstance(v, float) and not np.isfinite(v) else v for v in values]


def _number_format(column: str, series: pd.Series, styles: dict, digits: dict[str, int]):
    """Text stays text; numbers get the decimals their indicator declares (2 when nothing says)."""
    if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return styles["text"]
    places = digits.get(column, 2)
    if places not in styles["numbers"]:
        styles["numbers"][places] = styles["book"].add_format(
            {"num_format": "#,##0" + ("." + "0" * places if places else "")}
        )
    return styles["numbers"][places]


def _width(column: str, series: pd.Series) -> float:
    sample = [str(column)[:24]] + [str(v) for v in series.head(50) if v is not None]
    widest = max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text) for text in sample)
    limit = 60 if str(column) in ("原因", "Reasons", "说明", "Message") else 28
    return min(max(widest + 2, 8), limit)


def _escape_header(text: str) -> str:
    return text.replace("&", "&&")


def _write_blocks(book, name: str, blocks: list[tuple[str, pd.DataFrame]], styles: dict) -> None:
    sheet = book.add_worksheet(name)
    row = 0
    widths: dict[int, float] = {}
    for title, frame in blocks:
        if title:
            sheet.write(row, 0, title, styles["title"])
            row += 1
        sheet.write_row(row, 0, list(frame.columns), styles["header"])
        row += 1
        for values in _rows(frame):
            sheet.write_row(row, 0, values)
            row += 1
        for c, column in enumerate(frame.columns):
            widths[c] = max(widths.get(c, 8), _width(column, frame[column]))
        row += 1
    for c, width in widths.items():
        sheet.set_column(c, c, width)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _write_lines(book, name: str, lines: list[str], styles: dict) -> None:
    sheet = book.add_worksheet(name)
    sheet.set_column(0, 0, 120)
    for r, line in enumerate(lines):
        sheet.write_string(r, 0, line, styles["title"] if r == 0 else styles["text"])


def neutralise(value: Any) -> Any:
    """OWASP CSV-injection defence: text starting with = + - @ tab or CR gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(RISKY_PREFIXES):
        return "'" + value
    return value


def write_csv(result: Result) -> bytes:
    table = result_table(result)
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column].dtype):
            table[column] = table[column].map(neutralise)
    return table.to_csv(index=False).encode("utf-8-sig")


def write_json(result: Result) -> bytes:
    table = result_table(result)
    records = json.loads(table.to_json(orient="records", force_ascii=False))
    payload = {
        "park": result.ruleset.model.park.id,
        "rules_version": result.ruleset.model.version,
        "rules_sha256": result.ruleset.sha256,
        "source": result.source,
        "changes": [{"parameter": c.parameter, "standard": c.standard, "used": c.used} for c in result.ruleset.changes],
        "counts": result.counts(),
        "firms": records,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def write_rules(result: Result) -> bytes:
    """The rule file with this run's parameters written in (loads again to the same result)."""
    return adjusted_rule_text(result.ruleset).encode("utf-8")
