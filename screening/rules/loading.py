"""Rule files -> validated, hashed :class:`RuleSet` (overrides of tunable values: ``overrides.py``).

A rule file is data: YAML in the ``park-rules/1`` shape (docs/rules.md). Loading collects
every problem it can find (shape, references, cycles, weights, sources) as issues that name
the file, the key path and the line, and raises :class:`ScreeningError` if there is any.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..issues.record import Issue, ScreeningError, make_issue
from ..vocabulary import Role
from . import errors as rule_errors
from .checks import Checker
from .fields import FieldSpec, with_display_fields
from .formulas import Formula
from .guards import MAX_NUMBER, check_numbers, check_size
from .parameters import Change, Parameter, ParamValue, collect_parameters
from .schema import IndicatorSpec, RuleFile
from .sources import Source, load_sources
from .yaml_io import Refused, load_document, to_plain

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


@dataclass(frozen=True)
class Indicator:
    id: str
    spec: IndicatorSpec
    formula: Formula


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

    @cached_property
    def load_fields(self) -> dict[str, FieldSpec]:
        """What the import maps: the rule's inputs plus the usual identity columns."""
        return with_display_fields(self.inputs)

    def input_for(self, role: Role) -> str | None:
        """The input that plays ``role`` (the rule's own inputs first, then the identity columns)."""
        return next((key for key, spec in self.load_fields.items() if spec.role == role), None)

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
        check_size(path.stat().st_size, _display(path))  # before reading: a huge file is refused unread
        data = path.read_bytes()
    except OSError as exc:
        raise ScreeningError([make_issue("rule-file-unreadable", source=str(path), detail=exc.strerror)]) from None
    return parse_rules(data, source=_display(path), sources=sources)


def parse_rules(data: bytes | str, source: str = "<rules>", sources: dict[str, Source] | None = None) -> RuleSet:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    check_size(len(raw), source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScreeningError(
            [make_issue("rule-file-unreadable", source=source, detail="not UTF-8 text / 不是 UTF-8 文本")]
        ) from None
    document = _parse_yaml(text, source)
    check_numbers(document, source)
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
    except Refused as exc:
        raise ScreeningError([_refusal(exc, source)]) from None
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


def _refusal(exc: Refused, source: str) -> Issue:
    if exc.kind == "alias":
        return make_issue("rule-yaml-alias", source=source, row=exc.line, value=exc.detail)
    if exc.kind == "depth":
        return make_issue("rule-too-deep", source=source, row=exc.line, limit=exc.detail)
    return make_issue("rule-number-unusable", source=source, row=exc.line, value=exc.detail, limit=f"{MAX_NUMBER:.0e}")


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


def list_rule_files(directory: Path = RULES_DIR) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if not p.name.startswith("_"))
