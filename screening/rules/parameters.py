"""Tunable parameters: every number a rule file marks ``tunable`` becomes one slider / ``--set``.

A parameter is a threshold (grouped by its department), a criterion weight, bonus or penalty
points, a class cut-off, or the land quota; it knows its standard value, its range, its unit,
where it sits in the file (to write a changed value back) and its policy basis.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..vocabulary import Department, ParamKind
from .fields import FieldSpec
from .schema import Gate, RuleFile, Text, Tunable

ParamValue = float | tuple[float, float]


@dataclass(frozen=True)
class Parameter:
    """One tunable number: a threshold, a weight, bonus points, a class cut-off or the land quota."""

    id: str
    kind: ParamKind
    label: Text
    department: Department | None  # the owner of a threshold; None for the other kinds
    unit: str
    value: ParamValue
    low: float
    high: float
    step: float | None
    path: tuple
    basis: tuple[str, ...]

    @property
    def group(self) -> Department | ParamKind:
        """How sliders are grouped: thresholds by department, everything else by kind."""
        return self.department if self.department is not None else self.kind


@dataclass(frozen=True)
class Change:
    parameter: str
    label: Text
    standard: ParamValue
    used: ParamValue
    effective: ParamValue | None = None  # weights after re-normalisation to the total


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


def collect_parameters(model: RuleFile, inputs: dict[str, FieldSpec]) -> dict[str, Parameter]:
    found = [*_thresholds(model, inputs), *_weights(model), *_points(model), *_bands(model), *_capacity(model)]
    return {p.id: p for p in found}


def _parameter(pid, kind, label, unit, value, tunable: Tunable, path, basis, department=None) -> Parameter:
    basis_ids = (basis,) if isinstance(basis, str) else tuple(basis or ())
    value = tuple(value) if isinstance(value, list) else float(value)
    return Parameter(pid, kind, label, department, unit, value, tunable.min, tunable.max, tunable.step, path, basis_ids)


def _thresholds(model: RuleFile, inputs: dict[str, FieldSpec]) -> Iterator[Parameter]:
    def unit(test) -> str:
        name = test.indicator or test.input
        if name in model.indicators:
            return model.indicators[name].unit
        return inputs[name].unit if name in inputs else ""

    for i, gate in enumerate(model.gates):
        for pid, test, label, path in _gate_tests(gate, i):
            if test.tunable is not None:
                yield _parameter(
                    pid,
                    ParamKind.THRESHOLD,
                    label,
                    unit(test),
                    test.value,
                    test.tunable,
                    path,
                    gate.basis,
                    gate.department,
                )


def _gate_tests(gate: Gate, index: int):
    """(parameter id, test, label, path of its value) for the one or several tests of a gate."""
    if gate.all is None and gate.any is None:
        yield f"gate.{gate.id}", gate, gate.label, ("gates", index, "value")
        return
    key = "all" if gate.all is not None else "any"
    for j, test in enumerate(gate.tests()):
        label = gate.label
        if test.label:
            label = Text(zh=f"{gate.label.zh} · {test.label.zh}", en=f"{gate.label.get('en')} · {test.label.get('en')}")
        yield f"gate.{gate.id}.{test.id}", test, label, ("gates", index, key, j, "value")


def _weights(model: RuleFile) -> Iterator[Parameter]:
    scoring = model.scoring
    for s_index, scoring_set in enumerate(scoring.all_sets()):
        base = ("scoring", "sets", s_index) if scoring.sets is not None else ("scoring",)
        for c_index, crit in enumerate(scoring_set.criteria):
            if crit.tunable is not None:
                label = crit.label or model.indicators[crit.indicator].label
                path = (*base, "criteria", c_index, "weight")
                yield _parameter(
                    f"weight.{crit.key}", ParamKind.WEIGHT, label, "分", crit.weight, crit.tunable, path, crit.basis
                )


def _points(model: RuleFile) -> Iterator[Parameter]:
    for a_index, adj in enumerate(model.scoring.adjustments):
        if adj.tunable is not None:
            path = ("scoring", "adjustments", a_index, "points")
            yield _parameter(
                f"points.{adj.id}", ParamKind.POINTS, adj.label, "分", adj.points, adj.tunable, path, adj.basis
            )


def _bands(model: RuleFile) -> Iterator[Parameter]:
    key = "min_score" if model.classes.method == "bands" else "top_share"
    for b_index, band in enumerate(model.classes.bands):
        value = getattr(band, key)
        if value is not None and band.tunable is not None:
            label = band.label or Text(zh=f"{band.klass} 级", en=f"Class {band.klass}")
            unit = "分" if key == "min_score" else "比例"
            path = ("classes", "bands", b_index, key)
            yield _parameter(
                f"band.{band.klass}", ParamKind.BAND, label, unit, value, band.tunable, path, model.classes.basis
            )


def _capacity(model: RuleFile) -> Iterator[Parameter]:
    cap = model.decision.capacity
    if cap is not None and cap.tunable is not None:
        label = cap.label or Text(zh="园区用地指标", en="Park land quota")
        path = ("decision", "capacity", "quota_mu")
        yield _parameter("capacity", ParamKind.CAPACITY, label, "亩", cap.quota_mu, cap.tunable, path, cap.basis)
