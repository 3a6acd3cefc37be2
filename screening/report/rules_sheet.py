"""The "rules and parameters" sheet: provenance, every tunable value (standard -> used), gates, criteria."""

from __future__ import annotations

import pandas as pd

from .. import __version__
from ..engine.result import Result
from ..rules.parameters import format_parameter
from ..rules.sources import cite
from ..vocabulary import AbsentPolicy
from .shown import (
    condition_text,
    criterion_references,
    method_text,
    missing_text,
    references_text,
    rule_text,
    shown_value,
)

Block = tuple[str, pd.DataFrame]


def rules_blocks(result: Result, lang: str = "zh", run_time: str = "") -> list[Block]:
    """The sheet's tables in order: facts, tunable parameters, gates, criteria and adjustments."""
    return [
        _facts(result, lang, run_time),
        _parameters(result, lang),
        _gates(result, lang),
        _criteria(result, lang),
    ]


def _facts(result: Result, lang: str, run_time: str) -> Block:
    rs, model, zh = result.ruleset, result.ruleset.model, lang == "zh"
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
    return "", pd.DataFrame(facts, columns=["项目" if zh else "Item", "内容" if zh else "Value"])


def _parameters(result: Result, lang: str) -> Block:
    rs, zh = result.ruleset, lang == "zh"
    changed = {c.parameter: c for c in rs.changes}
    params = []
    for param in rs.parameters.values():
        change = changed.get(param.id)
        standard = change.standard if change else param.value
        used = change.used if change else param.value
        flag = ("是" if zh else "yes") if change else ""
        params.append(
            (
                param.id,
                param.label.get(lang),
                param.group.label(lang),
                param.unit,
                format_parameter(standard),
                format_parameter(used),
                flag,
                cite(param.basis),
            )
        )
    headers = (
        ["参数", "名称", "归口/类别", "单位", "标准值", "本次取值", "已调整", "政策依据"]
        if zh
        else ["Parameter", "Name", "Group", "Unit", "Standard", "Used", "Changed", "Basis"]
    )
    title = "可调参数（标准值 → 本次取值）" if zh else "Tunable parameters (standard → used)"
    return title, pd.DataFrame(params, columns=headers)


def _gates(result: Result, lang: str) -> Block:
    rs = result.ruleset
    rows = [
        (
            gate.id,
            gate.label.get(lang),
            gate.department.label(lang),
            gate.severity.label(lang),
            rule_text(test, rs, lang),
            condition_text(gate.only_if, rs, lang),
            _absent_text(gate, result, lang),
            cite(gate.basis),
        )
        for gate in rs.model.gates
        for test in gate.tests()
    ]
    headers = (
        ["编号", "名称", "部门", "性质", "要求", "适用条件", "表格缺列时", "政策依据"]
        if lang == "zh"
        else [
            "Id",
            "Name",
            "Department",
            "Severity",
            "Requirement",
            "Applies if",
            "If the list lacks the column",
            "Basis",
        ]
    )
    return ("门槛（本次使用）" if lang == "zh" else "Gates (as used)"), pd.DataFrame(rows, columns=headers)


def _absent_text(gate, result: Result, lang: str) -> str:
    """The gate's on_absent policy in words, marked when this list does lack its column."""
    text = AbsentPolicy(gate.absent_policy).label(lang)
    if gate.absent_policy == "assume":
        text += f" {shown_value(gate.assumed, lang)}"
    outcome = result.gates.get(gate.id)
    if outcome is not None and outcome.absent:
        text += "（本表缺此列）" if lang == "zh" else " (this list lacks it)"
    return text


def _criteria(result: Result, lang: str) -> Block:
    rs = result.ruleset
    rows = []
    for scoring_set in rs.model.scoring.all_sets():
        for crit in scoring_set.criteria:
            spec = rs.indicators[crit.indicator].spec
            refs = references_text(criterion_references(crit), lang, spec.digits)
            label = (crit.label or spec.label).get(lang)
            method, missing = method_text(crit, lang), missing_text(crit, lang)
            rows.append((scoring_set.label.get(lang), label, crit.weight, method, refs, missing, cite(crit.basis)))
    for adj in rs.model.scoring.adjustments:
        when = condition_text(adj.when, rs, lang)
        kind = ("加分" if adj.points >= 0 else "减分") if lang == "zh" else ("bonus" if adj.points >= 0 else "penalty")
        rows.append(("", adj.label.get(lang), adj.points, kind, when, "", cite(adj.basis)))
    headers = (
        ["评分类别", "指标", "权重/分值", "方法", "基准", "缺数据处理", "政策依据"]
        if lang == "zh"
        else ["Set", "Indicator", "Weight/points", "Method", "References", "Missing data", "Basis"]
    )
    return ("评分项与加减分" if lang == "zh" else "Criteria and adjustments"), pd.DataFrame(rows, columns=headers)
