"""How an indicator moves when one lever moves, the others held fixed: the closed forms.

A rule's formula is walked (the same whitelisted tree the engine evaluates) with one input
marked as the lever ``x``. Every other name becomes its per-firm value. What comes out, per firm:

- ``const``   the indicator does not depend on the lever;
- ``affine``  p + q·x            (tax ÷ land with the tax as lever: q = 1 ÷ land);
- ``recip``   p + q ÷ x          (investment ÷ requested land with the land as lever);
- ``other``   anything else (the lever twice in a product, min/max/abs of it): no closed form,
              the caller falls back to a search over the engine.

Affine and reciprocal forms are monotone on x > 0, so a threshold on the indicator becomes a
threshold on the lever: :func:`solve` inverts them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import numpy as np

from ..rules.loading import RuleSet

CONST, AFFINE, RECIP, OTHER = "const", "affine", "recip", "other"


@dataclass(frozen=True)
class Form:
    kind: str
    p: np.ndarray  # the constant part (the value itself for ``const``)
    q: np.ndarray  # the coefficient of x (affine) or of 1/x (recip); zeros for const

    def value(self, x: np.ndarray) -> np.ndarray:
        """The indicator at lever value ``x`` (per firm)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.kind == AFFINE:
                return self.p + self.q * x
            if self.kind == RECIP:
                return self.p + self.q / x
        return np.broadcast_to(self.p, np.shape(x)).astype(float)

    @property
    def moves(self) -> bool:
        return self.kind in (AFFINE, RECIP)


def _const(values, size: int) -> Form:
    p = np.broadcast_to(np.asarray(values, dtype=float), (size,)).copy()
    return Form(CONST, p, np.zeros(size))


def lever_form(ruleset: RuleSet, numbers, name: str, lever: str, size: int) -> Form:
    """The form of input or indicator ``name`` in the lever; ``numbers(name)`` gives current values."""
    if name == lever:
        return Form(AFFINE, np.zeros(size), np.ones(size))
    if name not in ruleset.indicators:
        return _const(numbers(name), size)
    if lever not in depends_on(ruleset, name):
        return _const(numbers(name), size)
    return _walk(ruleset.indicators[name].formula.tree, ruleset, numbers, lever, size)


def depends_on(ruleset: RuleSet, name: str) -> set[str]:
    """The inputs an indicator (or input) is computed from, through other indicators."""
    if name not in ruleset.indicators:
        return {name}
    return {i for dep in ruleset.indicators[name].formula.names for i in depends_on(ruleset, dep)}


def _walk(node: ast.expr, ruleset: RuleSet, numbers, lever: str, size: int) -> Form:
    if isinstance(node, ast.Constant):
        return _const(float(node.value), size)
    if isinstance(node, ast.Name):
        return lever_form(ruleset, numbers, node.id, lever, size)
    if isinstance(node, ast.UnaryOp):
        inner = _walk(node.operand, ruleset, numbers, lever, size)
        return Form(inner.kind, -inner.p, -inner.q) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        left = _walk(node.left, ruleset, numbers, lever, size)
        right = _walk(node.right, ruleset, numbers, lever, size)
        return _combine(node.op, left, right, size)
    args = [_walk(a, ruleset, numbers, lever, size) for a in node.args]  # min / max / abs
    if all(a.kind == CONST for a in args):
        stacked = np.stack([a.p for a in args])
        name = node.func.id  # type: ignore[union-attr]
        return _const(np.abs(stacked[0]) if name == "abs" else getattr(stacked, name)(axis=0), size)
    return Form(OTHER, np.full(size, np.nan), np.full(size, np.nan))


def _combine(op: ast.operator, left: Form, right: Form, size: int) -> Form:
    other = Form(OTHER, np.full(size, np.nan), np.full(size, np.nan))
    if OTHER in (left.kind, right.kind):
        return other
    with np.errstate(divide="ignore", invalid="ignore"):
        if isinstance(op, ast.Add | ast.Sub):
            sign = 1.0 if isinstance(op, ast.Add) else -1.0
            if left.kind != CONST and right.kind != CONST and left.kind != right.kind:
                return other
            kind = left.kind if left.kind != CONST else right.kind
            return Form(kind, left.p + sign * right.p, left.q + sign * right.q)
        if isinstance(op, ast.Mult):
            if left.kind == CONST:
                left, right = right, left
            if right.kind != CONST:
                return other
            return Form(left.kind, left.p * right.p, left.q * right.p)
        # division
        if right.kind == CONST:
            divisor = np.where(right.p == 0, np.nan, right.p)  # the engine: not computable
            return Form(left.kind, left.p / divisor, left.q / divisor)
        if left.kind == CONST and np.all((right.p == 0) | np.isnan(right.p)):
            flipped = RECIP if right.kind == AFFINE else AFFINE  # c / (q·x) = (c/q) / x, c / (q/x) = (c/q)·x
            return Form(flipped, np.zeros(size), left.p / right.q)
    return other


def solve(form: Form, target: np.ndarray) -> np.ndarray:
    """The lever value at which the indicator equals ``target`` (NaN where no positive one does)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if form.kind == AFFINE:
            x = (target - form.p) / form.q
        elif form.kind == RECIP:
            x = form.q / (target - form.p)
            x = np.where(x > 0, x, np.nan)
        else:
            x = np.full(np.shape(target), np.nan)
    return np.where(np.isfinite(x), x, np.nan)


def slope_sign(form: Form) -> np.ndarray:
    """+1 where the indicator rises with the lever (on x > 0), -1 where it falls, 0 where flat."""
    if form.kind == AFFINE:
        return np.sign(form.q)
    if form.kind == RECIP:
        return -np.sign(form.q)
    return np.zeros(np.shape(form.p))
