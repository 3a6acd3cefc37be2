"""Rule files -> validated, hashed :class:`RuleSet`; tunable parameters and run-time overrides.

A rule file is data: YAML in the ``park-rules/1`` shape (docs/rules.md). Loading collects
every problem it can find (shape, references, cycles, weights, sources) as issues that name
the file, the key path and the line, and raises :class:`ScreeningError` if there is any.
"""

from __future__ import annotations

import copy
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..issues.record import Issue, ScreeningError, make_issue
from . import errors as rule_errors
from .checks import Checker
from .fields import FieldSpec, with_display_fields
from .formulas import Formula
from .schema import IndicatorSpec, RuleFile, Text, Tunable
from .sources import Source, load_sources
from .yaml_io import dump_document, get_path, load_document, set_path, to_plain

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"

ParamValue = float | tuple[float, float]


@dataclass(frozen=True)
class Indicator:
    id: str
    spec: IndicatorSpec
    formula: Formula


@dataclass(frozen=True)
class Parameter:
    """One tunable number: a threshold, a weight, bonus points, a class cut-off or the land quota."""

    id: str
    kind: str  # threshold | weight | points | band | capacity
    label: Text
    group: str  # department for thresholds; 权重 / 加减分 / 等级 / 用地 otherwise
    unit: str
    value: ParamValue
    low: float
    high: float
    step: float | None
    path: tuple
    basis: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    parameter: str
    label: Text
    standard: ParamValue
    used: ParamValue
    effective: ParamValue | None = None  # weights after re-normalisation to the total


@dataclass(frozen=True)
class RuleSet:
    model: RuleFile
    plain: dict
    text: str
    source: str
    sha256: str
    inputs: dict[str, FieldSpec]
    indicators: dict[str, Indicator]
    parameters: dict[str, Parameter]
    changes: tuple[Change, ...] = ()
    requested: Mapping[str, ParamValue] = field(default_factory=dict)

    @property
    def load_fields(self) -> dict[str, FieldSpec]:
        """What the import maps: the rule's inputs plus the usual identity columns."""
        return with_display_fields(self.inputs)

    def label_of(self, name: str, lang: str = "zh") -> str:
        if name in self.indicators:
            return self.indicators[name].spec.label.get(lang)
        if name in self.inputs:
            return self.inputs[name].label.get(lang)
        return name

    def unit_of(self, name: str) -> str:
        if name in self.indicators:
            return self.indicators[name].spec.unit
        if name in self.inputs:
            return self.inputs[name].unit
        return ""


# --- loading ------------------------------------------------------------------------------


def load_rules(path: str | Path, sources: dict[str, Source] | None = None) -> RuleSet:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScreeningError([make_issue("rule-file-unreadable", source=str(path), detail=exc.strerror)]) from None
    return parse_rules(data, source=_display(path), sources=sources)


def parse_rules(data: bytes | str, source: str = "<rules>", sources: dict[str, Source] | None = None) -> RuleSet:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScreeningError(
            [make_issue("rule-file-unreadable", source=source, detail="not UTF-8 text / 不是 UTF-8 文本")]
        ) from None
    document = _parse_yaml(text, source)
    plain = to_plain(document)
    ruleset = build_ruleset(plain, document, text, source, sources)
    return replace(ruleset, sha256=hashlib.sha256(raw).hexdigest())


def check_rules(path: str | Path) -> list[Issue]:
    try:
        load_rules(path)
    except ScreeningError as exc:
        return exc.issues
    return []


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _parse_yaml(text: str, source: str) -> Any:
    try:
        document = load_document(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        if "duplicate key" in str(exc.problem or ""):
            key = str(exc.problem).split('"')[1] if '"' in str(exc.problem) else ""
            issue = make_issue("rule-duplicate-key", source=source, row=line, value=key)
        else:
            issue = make_issue("rule-yaml-syntax", source=source, row=line, detail=exc.problem or str(exc))
        raise ScreeningError([issue]) from None
    except YAMLError as exc:
        raise ScreeningError([make_issue("rule-yaml-syntax", source=source, detail=str(exc))]) from None
    if not isinstance(document, dict):
        raise ScreeningError(
            [
                make_issue(
                    "rule-wrong-type",
                    source=source,
                    value=type(document).__name__,
                    expected_zh="映射（键: 值）",
                    expected_en="a mapping (key: value)",
                )
            ]
        )
    return document


def build_ruleset(
    plain: dict, document: Any, text: str, source: str, sources: dict[str, Source] | None = None
) -> RuleSet:
    try:
        model = RuleFile.model_validate(plain)
    except ValidationError as exc:
        raise ScreeningError(rule_errors.translate(exc, plain, document, source)) from None
    checker = Checker(model=model, document=document, source=source, sources=sources or load_sources())
    issues = checker.run()
    if issues:
        raise ScreeningError(issues)
    indicators = {k: Indicator(k, model.indicators[k], checker.formulas[k]) for k in checker.order}
    return RuleSet(
        model=model,
        plain=plain,
        text=text,
        source=source,
        sha256="",
        inputs=checker.inputs,
        indicators=indicators,
        parameters=collect_parameters(model, checker.inputs),
    )


# --- tunable parameters --------------------------------------------------------------------


def collect_parameters(model: RuleFile, inputs: dict[str, FieldSpec]) -> dict[str, Parameter]:
    params: list[Parameter] = []

    def add(pid, kind, label, group, unit, value, tunable: Tunable | None, path, basis) -> None:
        if tunable is None:
            return
        basis_ids = (basis,) if isinstance(basis, str) else tuple(basis or ())
        value = tuple(value) if isinstance(value, list) else float(value)
        params.append(
            Parameter(pid, kind, label, group, unit, value, tunable.min, tunable.max, tunable.step, path, basis_ids)
        )

    def unit(test) -> str:
        name = test.indicator or test.input
        if name in model.indicators:
            return model.indicators[name].unit
        return inputs[name].unit if name in inputs else ""

    for i, gate in enumerate(model.gates):
        if gate.all is None and gate.any is None:
            add(
                f"gate.{gate.id}",
                "threshold",
                gate.label,
                gate.department,
                unit(gate),
                gate.value,
                gate.tunable,
                ("gates", i, "value"),
                gate.basis,
            )
            continue
        key = "all" if gate.all is not None else "any"
        for j, test in enumerate(gate.tests()):
            label = Text(
                zh=f"{gate.label.zh} · {(test.label or gate.label).zh}",
                en=f"{gate.label.get('en')} · {(test.label or gate.label).get('en')}",
            )
            add(
                f"gate.{gate.id}.{test.id}",
                "threshold",
                label if test.label else gate.label,
                gate.department,
                unit(test),
                test.value,
                test.tunable,
                ("gates", i, key, j, "value"),
                gate.basis,
            )
    scoring = model.scoring
    for s_index, scoring_set in enumerate(scoring.all_sets()):
        base = ("scoring", "sets", s_index) if scoring.sets is not None else ("scoring",)
        for c_index, crit in enumerate(scoring_set.criteria):
            label = crit.label or model.indicators[crit.indicator].label
            add(
                f"weight.{crit.key}",
                "weight",
                label,
                "权重",
                "分",
                crit.weight,
                crit.tunable,
                base + ("criteria", c_index, "weight"),
                crit.basis,
            )
    for a_index, adj in enumerate(scoring.adjustments):
        add(
            f"points.{adj.id}",
            "points",
            adj.label,
            "加减分",
            "分",
            adj.points,
            adj.tunable,
            ("scoring", "adjustments", a_index, "points"),
            adj.basis,
        )
    key = "min_score" if model.classes.method == "bands" else "top_share"
    for b_index, band in enumerate(model.classes.bands):
        value = getattr(band, key)
        if value is not None:
            label = band.label or Text(zh=f"{band.klass} 级", en=f"Class {band.klass}")
            add(
                f"band.{band.klass}",
                "band",
                label,
                "等级",
                "分" if key == "min_score" else "比例",
                value,
                band.tunable,
                ("classes", "bands", b_index, key),
                model.classes.basis,
            )
    cap = model.decision.capacity
    if cap is not None:
        add(
            "capacity",
            "capacity",
            cap.label or Text(zh="园区用地指标", en="Park land quota"),
            "用地",
            "亩",
            cap.quota_mu,
            cap.tunable,
            ("decision", "capacity", "quota_mu"),
            cap.basis,
        )
    return {p.id: p for p in params}


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


def differs(a: ParamValue, b: ParamValue) -> bool:
    """Whether two parameter values (numbers or (low, high) pairs) differ."""
    a_vals = a if isinstance(a, tuple) else (a,)
    b_vals = b if isinstance(b, tuple) else (b,)
    return any(abs(float(x) - float(y)) > 1e-9 for x, y in zip(a_vals, b_vals, strict=False))


def format_parameter(value: ParamValue) -> str:
    """30.0 -> '30'; (0.7, 1.8) -> '0.7–1.8'."""
    if isinstance(value, tuple):
        return "–".join(f"{v:g}" for v in value)
    return f"{value:g}"


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


def list_rule_files(directory: Path = RULES_DIR) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if not p.name.startswith("_"))
