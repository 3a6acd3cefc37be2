"""Checks that need the whole rule file: references, cycles, weights, sources, bands, decisions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..issues.record import Issue, make_issue
from .checks_grading import FORMULA_NAME, INDICATOR, INPUT, INPUT_OR_INDICATOR, TIER_BY, GradingChecks
from .fields import FieldSpec, load_catalogue, resolve_input
from .formulas import Formula, FormulaError, parse_formula
from .operators import OPERATORS
from .schema import ID_PATTERN, Condition, RuleFile
from .sources import Source
from .yaml_io import Path, line_of, path_text

WEIGHT_TOLERANCE = 1e-6
INDUSTRY_KEY = re.compile(r"^[A-T]?\d{0,4}$")


@dataclass
class Checker(GradingChecks):
    model: RuleFile
    document: Any
    source: str
    sources: dict[str, Source]
    issues: list[Issue] = field(default_factory=list)
    inputs: dict[str, FieldSpec] = field(default_factory=dict)
    formulas: dict[str, Formula] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)

    def add(self, code: str, path: Path, **context: Any) -> None:
        where = {"source": self.source, "row": line_of(self.document, path), "column": path_text(path)}
        self.issues.append(make_issue(code, **{**context, **where}))

    def run(self) -> list[Issue]:
        self.check_inputs()
        self.check_indicators()
        self.check_gates()
        self.check_scoring()
        self.check_classes_and_decision()
        self.check_ranking()
        self.check_sources()
        return self.issues

    # --- inputs and indicators --------------------------------------------------------
    def check_inputs(self) -> None:
        catalogue = load_catalogue()
        for key, spec in self.model.inputs.items():
            path = ("inputs", key)
            if not re.match(ID_PATTERN, key):
                self.add(
                    "rule-invalid",
                    path,
                    value=key,
                    detail_zh=f"输入编号 “{key}” 只能用小写字母、数字和 _",
                    detail_en=f"input id '{key}' may use only lower-case letters, digits and _",
                )
                continue
            resolved = resolve_input(key, spec, catalogue)
            if resolved is None:
                self.add("rule-bad-field", path, value=key)
                continue
            self.inputs[key] = resolved
            if spec.lever and not resolved.is_numeric:
                self.add(
                    "rule-invalid",
                    path + ("lever",),
                    value=key,
                    detail_zh=f"只有数值输入才能作为可调整项（lever），“{key}” 不是数值",
                    detail_en=f"only a number input can be a lever; '{key}' is not a number",
                )
            if resolved.default is not None:
                self.check_fills(resolved.type, resolved.default, path + ("default",), key)

    def check_indicators(self) -> None:
        for key, spec in self.model.indicators.items():
            path = ("indicators", key)
            if key in self.model.inputs:
                self.add("rule-duplicate-id", path, value=key)
                continue
            try:
                formula = parse_formula(spec.formula)
            except FormulaError as exc:
                self.add(
                    "rule-formula-syntax", path + ("formula",), value=spec.formula, detail_zh=exc.zh, detail_en=exc.en
                )
                continue
            self.formulas[key] = formula
            for name in sorted(formula.names):
                if name in self.model.indicators:
                    continue
                if name not in self.inputs or not self.inputs[name].is_numeric:
                    self.unknown(path + ("formula",), name, FORMULA_NAME, ", ".join(self._numeric_names()))
        self.order = self._topological_order()

    def _numeric_names(self) -> list[str]:
        return [k for k, f in self.inputs.items() if f.is_numeric] + list(self.model.indicators)

    def _topological_order(self) -> list[str]:
        order: list[str] = []
        state: dict[str, str] = {}

        def visit(name: str, trail: list[str]) -> None:
            if state.get(name) == "done" or name not in self.formulas:
                return
            if state.get(name) == "active":
                cycle = trail[trail.index(name) :] + [name]
                self.add("rule-circular-formula", ("indicators", name, "formula"), value=" → ".join(cycle))
                return
            state[name] = "active"
            for dep in sorted(self.formulas[name].names):
                if dep in self.formulas:
                    visit(dep, trail + [name])
            state[name] = "done"
            order.append(name)

        for name in self.formulas:
            visit(name, [])
        return order

    # --- references used by conditions ----------------------------------------------------
    def ref_kind(self, path: Path, *, input: str | None, indicator: str | None) -> str | None:
        """'number' | 'flag' | 'text' | 'industry' for a reference, or None after reporting it."""
        if input is not None:
            if input not in self.inputs:
                if input not in self.model.inputs:
                    self.unknown(path + ("input",), input, INPUT, ", ".join(self.model.inputs))
                return None
            kind = self.inputs[input].type
            return "text" if kind in ("name", "id") else kind
        if indicator not in self.model.indicators:
            self.unknown(path + ("indicator",), indicator, INDICATOR, ", ".join(self.model.indicators))
            return None
        return "number"

    def check_fills(self, kind: str, value: Any, path: Path, input_id: str | None) -> None:
        """A value that stands in for a cell (an input's ``default``, a gate's assumed value) fits its type."""
        kind = "text" if kind in ("name", "id") else kind
        self.check_value_fits(kind, "==", value, path, input_id, value_key=None)

    def check_condition(self, cond: Condition, path: Path) -> None:
        if cond.not_ is not None:
            self.check_condition(cond.not_, path + ("not",))
            return
        if cond.all is not None or cond.any is not None:
            key = "all" if cond.all is not None else "any"
            for i, sub in enumerate(cond.all or cond.any or []):
                self.check_condition(sub, path + (key, i))
            return
        if cond.missing is not None:
            if cond.missing not in self.model.inputs and cond.missing not in self.model.indicators:
                self.unknown(
                    path + ("missing",),
                    cond.missing,
                    INPUT_OR_INDICATOR,
                    ", ".join(list(self.model.inputs) + list(self.model.indicators)),
                )
            return
        kind = self.ref_kind(path, input=cond.input, indicator=cond.indicator)
        if kind is not None:
            self.check_value_fits(kind, cond.op, cond.value, path, cond.input)

    def check_value_fits(
        self, kind: str, op: str, value: Any, path: Path, input_id: str | None, value_key: str | None = "value"
    ) -> None:
        """``value`` suits ``op`` on an input of this kind; problems are reported at ``path`` + ``value_key``."""
        where = path + (value_key,) if value_key else path
        numeric = OPERATORS[op].is_numeric
        if kind == "number":
            ok = numeric or all(
                isinstance(v, int | float) and not isinstance(v, bool)
                for v in (value if isinstance(value, list) else [value])
            )
        elif kind == "flag":
            ok = OPERATORS[op].takes == "scalar" and isinstance(value, bool)
        else:
            ok = not numeric and all(isinstance(v, str) for v in (value if isinstance(value, list) else [value]))
        if not ok:
            needs = {
                "number": ("数字", "numbers"),
                "flag": ("== 或 != 加 true/false", "== or != with true/false"),
                "text": ("文字（== != in not_in）", "texts (== != in not_in)"),
                "industry": ("行业代码文字（== != in not_in）", "industry codes as text (== != in not_in)"),
            }[kind]
            self.add("rule-op-value", where, op=op, value=repr(value), needs_zh=needs[0], needs_en=needs[1])
            return
        allowed = self.inputs[input_id].values if input_id in self.inputs else None
        if allowed and kind == "text":
            for v in value if isinstance(value, list) else [value]:
                if v not in allowed:
                    self.add("rule-bad-choice", where, value=v, allowed=", ".join(allowed))

    # --- gates ---------------------------------------------------------------------------
    def check_gates(self) -> None:
        self.unique([(g.id, ("gates", i, "id")) for i, g in enumerate(self.model.gates)])
        for i, gate in enumerate(self.model.gates):
            path: Path = ("gates", i)
            self.check_gate_policies(gate, path)
            if gate.only_if is not None:
                self.check_condition(gate.only_if, path + ("only_if",))
            if gate.all is not None or gate.any is not None:
                key = "all" if gate.all is not None else "any"
                self.unique([(t.id, path + (key, j, "id")) for j, t in enumerate(gate.tests())])
                for j, test in enumerate(gate.tests()):
                    self.check_test(test, path + (key, j))
            else:
                self.check_test(gate, path)

    def check_gate_policies(self, gate: Any, path: Path) -> None:
        if self.model.is_evaluation and gate.severity != "info":
            self.add(
                "rule-invalid",
                path + ("severity",),
                detail_zh="评价类规则（kind: evaluation）不作入园结论，门槛只能是 info；"
                "“一票否决不得评为 A、B”请写成等级上限 classes.caps",
                detail_en="an evaluation (kind: evaluation) admits or rejects nobody, so its gates are info only; "
                "write a veto that blocks classes A and B as a class cap (classes.caps)",
            )
        if gate.absent_policy != "assume":
            return
        if gate.all is not None or gate.any is not None:
            self.add(
                "rule-invalid",
                path + ("on_absent",),
                detail_zh="假定值（on_absent: {assume: …}）只能用于单项门槛",
                detail_en="an assumed value (on_absent: {assume: …}) needs a single-test gate",
            )
            return
        kind = "number" if gate.indicator is not None else self.inputs.get(gate.input)
        kind = kind.type if hasattr(kind, "type") else kind
        if kind is not None:
            self.check_fills(kind, gate.assumed, path + ("on_absent", "assume"), gate.input)

    def check_test(self, test: Any, path: Path) -> None:
        kind = self.ref_kind(path, input=test.input, indicator=test.indicator)
        if kind is None:
            return
        if test.value is not None:
            self.check_value_fits(kind, test.op, test.value, path, test.input)
        if test.by_industry is not None:
            if not any(f.type == "industry" for f in self.inputs.values()):
                self.add(
                    "rule-invalid",
                    path + ("by_industry",),
                    detail_zh="分行业门槛需要声明一个 type: industry 的输入",
                    detail_en="by_industry needs an input of type industry",
                )
            for code in test.by_industry:
                if not INDUSTRY_KEY.match(code) or not code:
                    self.add(
                        "rule-invalid",
                        path + ("by_industry", code),
                        value=code,
                        detail_zh=f"行业代码 “{code}” 应为 GB/T 4754 的门类字母或 1–4 位数字",
                        detail_en=f"industry code '{code}' should be a GB/T 4754 section letter or 1–4 digits",
                    )
        if test.tiers is not None:
            by = test.tiers.by
            if by not in self.model.indicators and not (by in self.inputs and self.inputs[by].is_numeric):
                self.unknown(path + ("tiers", "by"), by, TIER_BY, ", ".join(self._numeric_names()))
        if test.tunable is not None:
            if not OPERATORS[test.op].is_numeric:
                self.add(
                    "rule-invalid",
                    path + ("tunable",),
                    detail_zh="只有数值门槛可以设为可调",
                    detail_en="only numeric thresholds can be tunable",
                )
            else:
                values = test.value if isinstance(test.value, list) else [test.value]
                for v in values:
                    self.in_range(v, test.tunable, path + ("value",))

    def in_range(self, value: float, tunable: Any, path: Path) -> None:
        if tunable is not None and not (tunable.min <= value <= tunable.max):
            self.add("rule-threshold-out-of-range", path, value=value, low=f"{tunable.min:g}", high=f"{tunable.max:g}")

    def check_ranking(self) -> None:
        for i, tb in enumerate(self.model.ranking.tie_break):
            kind = self.ref_kind(("ranking", "tie_break", i), input=tb.input, indicator=tb.indicator)
            if kind is not None and kind != "number":
                self.add(
                    "rule-invalid",
                    ("ranking", "tie_break", i),
                    detail_zh="并列排序只能按数值",
                    detail_en="ties can be broken only by numbers",
                )

    # --- provenance and ids ---------------------------------------------------------------
    def check_sources(self) -> None:
        for path, ids in _basis_fields(self.model):
            for i, sid in enumerate([ids] if isinstance(ids, str) else ids):
                if sid not in self.sources:
                    self.add("rule-unknown-source", path + ((i,) if not isinstance(ids, str) else ()), value=sid)

    def unique(self, items: list[tuple[str, Path]]) -> None:
        seen = set()
        for ident, path in items:
            if ident in seen:
                self.add("rule-duplicate-id", path, value=ident)
            seen.add(ident)


def _basis_fields(model: RuleFile) -> list[tuple[Path, str | list[str]]]:
    found: list[tuple[Path, Any]] = [(("basis",), model.basis)]
    for key, ind in model.indicators.items():
        found.append((("indicators", key, "basis"), ind.basis))
    for i, gate in enumerate(model.gates):
        found.append((("gates", i, "basis"), gate.basis))
    scoring = model.scoring
    for s_index, scoring_set in enumerate(scoring.all_sets()):
        base = ("scoring", "sets", s_index) if scoring.sets is not None else ("scoring",)
        for c_index, crit in enumerate(scoring_set.criteria):
            found.append((base + ("criteria", c_index, "basis"), crit.basis))
    for i, adj in enumerate(scoring.adjustments):
        found.append((("scoring", "adjustments", i, "basis"), adj.basis))
    classes = model.classes
    found.append((("classes", "basis"), classes.basis))
    for kind in ("caps", "floors", "exempt"):
        for i, rule in enumerate(getattr(classes, kind)):
            found.append((("classes", kind, i, "basis"), rule.basis))
    if model.decision.capacity is not None:
        found.append((("decision", "capacity", "basis"), model.decision.capacity.basis))
    return [(p, ids) for p, ids in found if ids is not None]
