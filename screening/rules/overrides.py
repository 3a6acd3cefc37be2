"""Run-time overrides of tunable values (sliders, ``--set``) and the adjusted rule file they imply.

An override never edits the standard: it yields a new :class:`RuleSet` that records every change
as standard -> used (-> effective, for weights re-normalised to the scoring total), and the rule
file can be written back with the used values and the official's comments kept.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..issues.record import Issue, ScreeningError, make_issue
from .loading import RuleSet, build_ruleset
from .parameters import Change, ParamValue, differs
from .yaml_io import dump_document, get_path, load_document, set_path


def parse_override(text: str) -> tuple[str, ParamValue]:
    """'gate.min-tax=35' -> ('gate.min-tax', 35.0); 'gate.x=0.7,1.8' -> ('gate.x', (0.7, 1.8))."""
    if "=" not in text:
        raise ScreeningError(
            [
                make_issue(
                    "override-bad-value",
                    column=text,
                    value=text,
                    detail_zh="应写成 参数=取值",
                    detail_en="write it as PARAMETER=VALUE",
                )
            ]
        )
    key, _, raw = text.partition("=")
    try:
        parts = [float(p) for p in raw.split(",")]
    except ValueError:
        raise ScreeningError(
            [
                make_issue(
                    "override-bad-value", column=key.strip(), value=raw, detail_zh="不是数字", detail_en="not a number"
                )
            ]
        ) from None
    return key.strip(), parts[0] if len(parts) == 1 else tuple(parts)  # type: ignore[return-value]


def apply_overrides(ruleset: RuleSet, overrides: Mapping[str, ParamValue]) -> RuleSet:
    """A new RuleSet with tunable values replaced; weights re-normalised to the scoring total.

    The result records every change as standard -> used (-> effective for weights).
    """
    standard = ruleset
    issues = [issue for pid, value in overrides.items() if (issue := _check_override(standard, pid, value))]
    if issues:
        raise ScreeningError(issues)
    plain = copy.deepcopy(standard.plain)
    requested = {pid: value for pid, value in overrides.items() if differs(standard.parameters[pid].value, value)}
    for pid, value in requested.items():
        set_path(plain, standard.parameters[pid].path, list(value) if isinstance(value, tuple) else value)
    _renormalise_weights(plain, standard, requested)
    changed = build_ruleset(plain, standard.plain, standard.text, standard.source)
    changes = tuple(_change(standard, changed, pid, value) for pid, value in requested.items())
    return replace(changed, sha256=standard.sha256, changes=changes, requested=dict(requested))


def _check_override(ruleset: RuleSet, pid: str, value: ParamValue) -> Issue | None:
    param = ruleset.parameters.get(pid)
    if param is None:
        return make_issue("override-unknown-parameter", value=pid, allowed=", ".join(ruleset.parameters))
    values = value if isinstance(value, tuple) else (value,)
    shape_ok = isinstance(param.value, tuple) == isinstance(value, tuple) and all(math.isfinite(v) for v in values)
    if not shape_ok:
        want = (
            ("两个数字 下限,上限", "two numbers LOW,HIGH")
            if isinstance(param.value, tuple)
            else ("一个数字", "one number")
        )
        return make_issue(
            "override-bad-value", column=pid, value=value, detail_zh=f"应为{want[0]}", detail_en=f"expected {want[1]}"
        )
    if any(not (param.low <= v <= param.high) for v in values):
        return make_issue(
            "override-out-of-range", column=pid, value=value, low=f"{param.low:g}", high=f"{param.high:g}"
        )
    if isinstance(value, tuple) and value[0] > value[1]:
        return make_issue(
            "override-bad-value", column=pid, value=value, detail_zh="下限大于上限", detail_en="low is above high"
        )
    return None


def _renormalise_weights(plain: dict, standard: RuleSet, requested: Mapping[str, ParamValue]) -> None:
    touched = {standard.parameters[p].path[:-2] for p in requested if standard.parameters[p].kind == "weight"}
    total = standard.model.scoring.total
    for criteria_path in touched:
        criteria = get_path(plain, criteria_path)
        weight_sum = sum(c["weight"] for c in criteria)
        if weight_sum <= 0:
            raise ScreeningError(
                [
                    make_issue(
                        "override-bad-value",
                        column="weight",
                        value=0,
                        detail_zh="权重不能全为 0",
                        detail_en="weights cannot all be 0",
                    )
                ]
            )
        for crit in criteria:
            crit["weight"] = crit["weight"] * total / weight_sum


def _change(standard: RuleSet, changed: RuleSet, pid: str, used: ParamValue) -> Change:
    param = standard.parameters[pid]
    effective = changed.parameters[pid].value if param.kind == "weight" else None
    return Change(pid, param.label, param.value, used, effective)


def adjusted_rule_text(ruleset: RuleSet) -> str:
    """The rule file with the used values written in, comments kept (loads to the same rules)."""
    if not ruleset.changes:
        return ruleset.text
    document = load_document(ruleset.text)
    _sync_numbers(document, ruleset.plain)
    return dump_document(document)


def _sync_numbers(document: Any, plain: Any) -> None:
    """Copy every number (and number list) of ``plain`` that differs into the commented document."""
    keys = plain.keys() if isinstance(plain, dict) else range(len(plain))
    for key in keys:
        new, old = plain[key], document[key]
        if isinstance(new, dict | list) and not _is_number_pair(new):
            _sync_numbers(old, new)
        elif _is_number_pair(new) and [float(v) for v in old] != [float(v) for v in new]:
            document[key] = list(new)
        elif isinstance(new, float | int) and not isinstance(new, bool) and float(old) != float(new):
            document[key] = new


def _is_number_pair(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )
