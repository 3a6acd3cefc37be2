"""Turn pydantic validation errors into rule-file issues that name the file, key path and line."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..issues.catalogue import CATALOGUE
from ..issues.record import Issue, make_issue
from .schema import RuleFile
from .yaml_io import Path, line_of, path_text

_TYPE_NAMES = {
    "float_type": ("数字", "a number"),
    "float_parsing": ("数字", "a number"),
    "int_type": ("整数", "a whole number"),
    "int_from_float": ("整数", "a whole number"),
    "bool_type": ("true/false", "true/false"),
    "string_type": ("文字", "a text"),
    "list_type": ("列表", "a list"),
    "dict_type": ("映射（键: 值）", "a mapping (key: value)"),
    "model_type": ("映射（键: 值）", "a mapping (key: value)"),
    "model_attributes_type": ("映射（键: 值）", "a mapping (key: value)"),
}
_LIMITS = {
    "greater_than": ("必须大于 {gt}", "must be above {gt}"),
    "greater_than_equal": ("不能小于 {ge}", "must be at least {ge}"),
    "less_than": ("必须小于 {lt}", "must be below {lt}"),
    "less_than_equal": ("不能大于 {le}", "must be at most {le}"),
    "too_short": ("不能为空", "must not be empty"),
    "string_too_short": ("不能为空", "must not be empty"),
    "string_pattern_mismatch": (
        "编号只能由小写字母、数字、- 和 _ 组成，并以字母开头",
        "ids use lower-case letters, digits, - and _, starting with a letter",
    ),
}


def translate(error: ValidationError, plain: Any, document: Any, source: str) -> list[Issue]:
    cleaned = [(_clean_path(e, plain), e) for e in error.errors(include_url=False)]
    cleaned = _drop_union_noise(cleaned)
    merged: dict[tuple[Path, str], list[dict]] = {}
    for (path, _tagged), err in cleaned:
        kind = "type" if err["type"] in _TYPE_NAMES else err["type"]
        merged.setdefault((path, kind), []).append(err)
    issues = []
    for (path, kind), errs in merged.items():
        issues.append(_issue(path, kind, errs, plain, document, source))
    return issues


def _clean_path(err: dict, plain: Any) -> tuple[Path, bool]:
    """Drop union-member tags pydantic puts in ``loc``; keep only keys the document has."""
    path: list[str | int] = []
    node = plain
    tagged = False
    loc = list(err["loc"])
    for i, key in enumerate(loc):
        if (isinstance(node, dict) and key in node) or (
            isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
        ):
            path.append(key)
            node = node[key]
        elif err["type"] == "missing" and i == len(loc) - 1:
            path.append(key)
        else:
            tagged = True
    ctx_field = (err.get("ctx") or {}).get("field")
    if ctx_field and (err["type"] == "missing" or (isinstance(node, dict) and ctx_field in node)):
        path.append(ctx_field)
    return tuple(path), tagged


def _drop_union_noise(cleaned: list) -> list:
    """A union member's type error is noise when another member got further into the value."""
    paths = [p for (p, _), _ in cleaned]
    kept = []
    for (path, tagged), err in cleaned:
        deeper = any(len(other) > len(path) and other[: len(path)] == path for other in paths)
        if tagged and err["type"] in _TYPE_NAMES and deeper:
            continue
        kept.append(((path, tagged), err))
    return kept


def _issue(path: Path, kind: str, errs: list[dict], plain: Any, document: Any, source: str) -> Issue:
    where = {"source": source, "row": line_of(document, path), "column": path_text(path)}
    err = errs[0]
    value = _value_at(plain, path)
    if kind == "type":
        names = list(dict.fromkeys(_TYPE_NAMES[e["type"]] for e in errs))
        hint = (
            ('（加引号，例如 "2026.1"）', ' (put it in quotes, e.g. "2026.1")')
            if (any(e["type"] == "string_type" for e in errs) and isinstance(value, int | float))
            else ("", "")
        )
        return make_issue(
            "rule-wrong-type",
            value=_short(value),
            expected_zh="或".join(n[0] for n in names) + hint[0],
            expected_en=" or ".join(n[1] for n in names) + hint[1],
            **where,
        )
    if kind == "extra_forbidden":
        return make_issue("rule-unknown-key", value=path[-1], allowed=", ".join(_allowed_keys(path)), **where)
    if kind == "missing":
        return make_issue("rule-missing-key", value=path[-1], **where)
    if kind == "literal_error":
        if path == ("schema",):
            return make_issue("rule-schema-version", value=_short(value), expected="park-rules/1", **where)
        return make_issue("rule-bad-choice", value=_short(value), allowed=err["ctx"]["expected"], **where)
    if kind in _LIMITS:
        zh, en = _LIMITS[kind]
        ctx = err.get("ctx") or {}
        return make_issue(
            "rule-invalid",
            value=_short(value),
            detail_zh=f"{_short(value)} {zh.format(**ctx)}",
            detail_en=f"{_short(value)} {en.format(**ctx)}",
            **where,
        )
    if kind in CATALOGUE:
        ctx = dict(err.get("ctx") or {})
        ctx.setdefault("detail_zh", ctx.pop("zh", ""))
        ctx.setdefault("detail_en", ctx.pop("en", ""))
        ctx.setdefault("value", _short(value))
        return make_issue(kind, **{**ctx, **where})
    return make_issue("rule-invalid", value=_short(value), detail_zh=err["msg"], detail_en=err["msg"], **where)


def _value_at(plain: Any, path: Path) -> Any:
    node = plain
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _allowed_keys(path: Path) -> list[str]:
    annotations: list[Any] = [RuleFile]
    for key in path[:-1]:
        annotations = [nxt for ann in annotations for nxt in _step(ann, key)]
    keys: list[str] = []
    for ann in annotations:
        for model in _models(ann):
            keys += [f.alias or name for name, f in model.model_fields.items()]
    return list(dict.fromkeys(keys))


def _step(annotation: Any, key: str | int) -> list[Any]:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return [n for a in args for n in _step(a, key)]
    if origin is list and isinstance(key, int):
        return [args[0]]
    if origin is dict and isinstance(key, str):
        return [args[1]]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(key, str):
        for name, field in annotation.model_fields.items():
            if (field.alias or name) == key:
                return [field.annotation]
    return []


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in typing.get_args(annotation) for m in _models(a)]
