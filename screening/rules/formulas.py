"""Safe arithmetic formulas over columns.

A formula such as ``tax_paid / land_area`` or ``max(energy_tce, 0.1) * 2`` is parsed into a
syntax tree and checked against a whitelist: numbers, declared names, ``+ - * /``, unary
minus, parentheses and the functions ``min``, ``max`` and ``abs``. Nothing is ever evaluated
as Python code; the tree is walked and each node becomes a whole-column numpy operation.
Division by zero yields NaN ("not computable") and is reported by a mask, never ``inf``.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce

import numpy as np

from .guards import usable_number

MAX_FORMULA_LENGTH = 500
FUNCTIONS = {"min": np.minimum, "max": np.maximum, "abs": np.abs}
_BINARY = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply}
_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class FormulaError(ValueError):
    """A formula uses something outside the whitelist; ``zh`` / ``en`` say what."""

    def __init__(self, zh: str, en: str):
        self.zh = zh
        self.en = en
        super().__init__(en)


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.expr
    names: frozenset[str]


def parse_formula(text: str) -> Formula:
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("公式为空", "the formula is empty")
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(f"公式超过 {MAX_FORMULA_LENGTH} 个字符", f"longer than {MAX_FORMULA_LENGTH} characters")
    try:
        module = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"第 {exc.offset} 个字符附近语法错误", f"syntax error near character {exc.offset}") from None
    names: set[str] = set()
    _check(module.body, names)
    return Formula(text.strip(), module.body, frozenset(names))


def _check(node: ast.AST, names: set[str]) -> None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(f"不允许的常量 {node.value!r}", f"constant {node.value!r} is not a number")
        if not usable_number(node.value):
            raise FormulaError("常量必须是有限数且不超过 1e15", "constants must be finite and at most 1e15")
        return
    if isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise FormulaError(f"{node.id} 必须带括号调用", f"{node.id} must be called with parentheses")
        names.add(node.id)
        return
    if isinstance(node, ast.BinOp) and type(node.op) in _SYMBOLS:
        _check(node.left, names)
        _check(node.right, names)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        _check(node.operand, names)
        return
    if isinstance(node, ast.Call):
        _check_call(node, names)
        return
    raise FormulaError(f"不允许的写法（{type(node).__name__}）", f"'{type(node).__name__}' is not allowed")


def _check_call(node: ast.Call, names: set[str]) -> None:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        raise FormulaError("只允许调用 min、max、abs", "only min, max and abs may be called")
    if node.keywords:
        raise FormulaError("函数不接受命名参数", "functions take no keyword arguments")
    wanted = "abs" if node.func.id == "abs" else "minmax"
    if (wanted == "abs" and len(node.args) != 1) or (wanted == "minmax" and len(node.args) < 2):
        raise FormulaError(f"{node.func.id} 的参数个数不对", f"{node.func.id} has the wrong number of arguments")
    for arg in node.args:
        _check(arg, names)


def evaluate(formula: Formula, columns: Mapping[str, np.ndarray | float], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Evaluate over whole columns. Returns (values as float64, mask of rows that are not computable:
    a division by zero, or a result too large for a number)."""
    not_computable = np.zeros(size, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):
        values = _eval(formula.tree, columns, not_computable)
    out = np.broadcast_to(np.asarray(values, dtype=np.float64), (size,)).copy()
    infinite = np.isinf(out)
    if infinite.any():
        not_computable |= infinite
        out[infinite] = np.nan
    return out, not_computable


def _eval(node: ast.expr, columns: Mapping[str, np.ndarray | float], div_zero: np.ndarray):
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return columns[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, columns, div_zero)
        return np.negative(operand) if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left = _eval(node.left, columns, div_zero)
        right = _eval(node.right, columns, div_zero)
        if isinstance(node.op, ast.Div):
            return _divide(left, right, div_zero)
        return _BINARY[type(node.op)](left, right)
    func = FUNCTIONS[node.func.id]  # type: ignore[union-attr]
    args = [_eval(a, columns, div_zero) for a in node.args]
    return func(args[0]) if len(args) == 1 else reduce(func, args)


def _divide(left, right, div_zero: np.ndarray):
    right_arr = np.asarray(right, dtype=np.float64)
    zero = right_arr == 0
    if np.any(zero):
        div_zero |= np.broadcast_to(zero, div_zero.shape)
        right_arr = np.where(zero, np.nan, right_arr)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.divide(left, right_arr)


def describe(formula: Formula, labels: Mapping[str, str]) -> str:
    """The formula with names replaced by their labels, for explanations ("实缴税金 / 现用地面积")."""
    return _describe(formula.tree, labels)


def _describe(node: ast.expr, labels: Mapping[str, str]) -> str:
    if isinstance(node, ast.Constant):
        return f"{node.value:g}"
    if isinstance(node, ast.Name):
        return labels.get(node.id, node.id)
    if isinstance(node, ast.UnaryOp):
        sign = "-" if isinstance(node.op, ast.USub) else "+"
        return f"{sign}{_describe(node.operand, labels)}"
    if isinstance(node, ast.BinOp):
        left, right = _describe(node.left, labels), _describe(node.right, labels)
        if isinstance(node.left, ast.BinOp) and _weaker(node.left.op, node.op):
            left = f"({left})"
        if isinstance(node.right, ast.BinOp) and not _weaker(node.op, node.right.op):
            right = f"({right})"
        return f"{left} {_SYMBOLS[type(node.op)]} {right}"
    args = ", ".join(_describe(a, labels) for a in node.args)
    return f"{node.func.id}({args})"  # type: ignore[union-attr]


def _weaker(inner: ast.operator, outer: ast.operator) -> bool:
    rank = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2}
    return rank[type(inner)] < rank[type(outer)]
