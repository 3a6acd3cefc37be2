"""One lever, seen through the rules: what it moves, in what form, and where no closed form applies.

A lever is an input the rule file marks ``lever: true`` (tax paid, planned investment, requested
land, R&D spending, energy use). For each one this module builds a :class:`LeverModel`: the
firm's score as ``base + Σ w·clip(a + b·u, lo, hi)`` over the criteria the lever moves, the form
of every gate test on it, and the reasons the closed form does not apply (a batch statistic or a
percentile that moves with the firm, a formula that is not affine or reciprocal in the lever, a
bonus or class rule whose condition depends on it). Those firms are searched over the engine.

The model is read off a *probe*: the list screened once with the lever filled in where it is
missing, so that everything the lever does not touch is known as it will be.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine.result import Result
from ..engine.screen import screen
from ..rules.loading import RuleSet
from ..rules.schema import Condition
from .forms import AFFINE, CONST, OTHER, RECIP, Form, depends_on, lever_form
from .scorefn import Terms, build_terms, is_fixed

ORDERING_OPS = (">=", ">", "<=", "<", "between")


def lever_ids(ruleset: RuleSet) -> list[str]:
    """The inputs the rule file declares as levers, in file order."""
    return [key for key, spec in ruleset.model.inputs.items() if spec.lever and key in ruleset.inputs]


@dataclass(frozen=True)
class LeverModel:
    lever: str
    current: np.ndarray  # the firm's value now (NaN where missing)
    floor: float  # smallest allowed value (the input's ``min``, else 0)
    probe: Result  # the list screened with the lever filled in where missing
    kind: str  # AFFINE or RECIP: the variable the score is linear in; CONST if the lever moves no score
    terms: Terms
    base: np.ndarray  # total score minus the moving terms' points
    forms: dict[str, Form]  # per subject (input / indicator) the lever touches
    slow_reason: str  # "" when the closed form applies to every firm

    def u_of(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return 1.0 / x if self.kind == RECIP else x


def probe_values(result: Result, lever: str) -> np.ndarray:
    """The lever as it is, with a typical positive value where it is missing (so that formulas compute)."""
    x = result.numbers(lever)
    usable = np.isfinite(x) & (x > 0)
    typical = float(np.median(x[usable])) if usable.any() else 1.0
    return np.where(usable, x, typical)


def with_lever(firms: pd.DataFrame, lever: str, values: np.ndarray) -> pd.DataFrame:
    return firms.assign(**{lever: values})


def build_model(result: Result, lever: str) -> LeverModel:
    ruleset = result.ruleset
    probe = screen(with_lever(result.firms, lever, probe_values(result, lever)), ruleset)
    size = probe.size
    forms: dict[str, Form] = {}

    def form_of(name: str) -> Form:
        if name not in forms:
            forms[name] = lever_form(ruleset, probe.numbers, name, lever, size)
        return forms[name]

    items, kinds, reason = [], set(), ""
    set_index = probe.summary["scoring_set"].cat.codes.to_numpy()
    for i, scoring_set in enumerate(ruleset.model.scoring.all_sets()):
        for crit in scoring_set.criteria:
            if lever not in depends_on(ruleset, crit.indicator):
                continue
            form = form_of(crit.indicator)
            if not is_fixed(crit):
                reason = reason or "batch"
            elif form.kind == OTHER:
                reason = reason or "formula"
            elif form.moves:
                kinds.add(form.kind)
                items.append((crit, probe.references[crit.key], form, set_index == i))
    if len(kinds) > 1:
        reason = reason or "formula"
    reason = reason or _condition_reason(ruleset, lever)
    for gate in ruleset.model.gates:
        for test in gate.tests():
            if lever in depends_on(ruleset, test.indicator or test.input):
                form_of(test.indicator or test.input)
    kind = kinds.pop() if len(kinds) == 1 else CONST
    terms = build_terms(items, size)
    u_probe = 1.0 / probe_values(result, lever) if kind == RECIP else probe_values(result, lever)
    base = probe.summary["total"].to_numpy(dtype=float) - terms.points(u_probe)
    field = ruleset.inputs[lever]
    floor = float(field.min) if field.min is not None else 0.0
    return LeverModel(lever, result.numbers(lever), floor, probe, kind, terms, base, forms, reason)


def _condition_reason(ruleset: RuleSet, lever: str) -> str:
    """'condition' when a bonus, class rule, scoring set or ``only_if`` depends on the lever."""
    model = ruleset.model
    conditions = [adj.when for adj in model.scoring.adjustments]
    conditions += [rule.when for rule in (*model.classes.caps, *model.classes.floors, *model.classes.exempt)]
    conditions += [s.when for s in model.scoring.all_sets() if s.when is not None]
    conditions += [g.only_if for g in model.gates if g.only_if is not None]
    return "condition" if any(condition_uses(ruleset, c, lever) for c in conditions) else ""


def condition_uses(ruleset: RuleSet, cond: Condition, lever: str) -> bool:
    """Whether a condition's outcome can change with the lever's value (``missing: lever`` cannot:
    a what-if value is always a number)."""
    if cond.all is not None or cond.any is not None:
        return any(condition_uses(ruleset, c, lever) for c in (cond.all or cond.any or []))
    if cond.missing is not None:
        return cond.missing != lever and lever in depends_on(ruleset, cond.missing)
    return lever in depends_on(ruleset, cond.input or cond.indicator)


def gate_is_closed_form(ruleset: RuleSet, gate, forms: dict[str, Form], lever: str) -> bool:
    """Every test of the gate that the lever touches is an ordering on an affine/reciprocal form."""
    for test in gate.tests():
        name = test.indicator or test.input
        if lever not in depends_on(ruleset, name):
            continue
        if test.op not in ORDERING_OPS or forms[name].kind not in (AFFINE, RECIP, CONST):
            return False
    return True
