"""The shape of a rule file (schema ``park-rules/1``), as strict pydantic models.

Only shape lives here: key names, types, choices, and checks local to one item. Checks that
need the whole file (references, cycles, weight sums, policy sources) live in
``rule_checks.py``. docs/rules.md documents every key; a test keeps the two in step.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from ..vocabulary import Department, GateSeverity, Labelled, Role
from .operators import OPERATORS, ORDERING, SYMBOLS

SCHEMA_ID = "park-rules/1"
ID_PATTERN = r"^[a-z][a-z0-9_\-]*$"

Id = Annotated[str, Field(pattern=ID_PATTERN)]
Op = Literal[SYMBOLS]
FieldType = Literal["number", "flag", "text", "industry", "id", "name"]
Method = Literal["ratio", "linear", "lower_ratio", "percentile"]
Edition = Literal["GB/T 4754-2017", "GB/T 4754-2011", "GB/T 4754-2002"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _fail(code: str, zh: str, en: str) -> PydanticCustomError:
    return PydanticCustomError(code, "{en}", {"zh": zh, "en": en})


def _word_of(vocabulary: type[Labelled]):
    """A validator that reads a vocabulary word by id or Chinese label (``econ`` or ``经信``)."""

    def parse(value: Any) -> Any:
        if isinstance(value, vocabulary):
            return value
        try:
            return vocabulary.parse(value)
        except (ValueError, TypeError):
            raise PydanticCustomError(
                "rule-bad-choice", "{value} is not one of {allowed}", {"allowed": vocabulary.choices()}
            ) from None

    return BeforeValidator(parse)


DepartmentWord = Annotated[Department, _word_of(Department)]
SeverityWord = Annotated[GateSeverity, _word_of(GateSeverity)]
RoleWord = Annotated[Role, _word_of(Role)]


def _exactly_one(model: BaseModel, names: tuple[str, ...], where_zh: str, where_en: str) -> None:
    given = [n for n in names if getattr(model, n) is not None]
    if len(given) != 1:
        keys = " / ".join(names)
        raise _fail(
            "rule-invalid",
            f"{where_zh}须且只能写 {keys} 中的一个（现有：{given or '无'}）",
            f"{where_en} needs exactly one of {keys} (found: {given or 'none'})",
        )


class Text(Strict):
    zh: str
    en: str | None = None

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.zh


class Tunable(Strict):
    min: float
    max: float
    step: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Tunable:
        if not self.min < self.max:
            raise _fail(
                "rule-invalid",
                f"tunable 的 min ({self.min:g}) 必须小于 max ({self.max:g})",
                f"tunable min ({self.min:g}) must be below max ({self.max:g})",
            )
        if self.step is not None and self.step <= 0:
            raise _fail("rule-invalid", "tunable 的 step 必须大于 0", "tunable step must be above 0")
        return self


class Park(Strict):
    id: Id
    name: Text
    description: Text | None = None
    industries: Text | None = None


class InputSpec(Strict):
    label: Text | None = None
    type: FieldType | None = None
    unit: str | None = None
    units: dict[str, float] | None = None
    aliases: list[str] = []
    required: bool = False
    min: float | None = None
    max: float | None = None
    values: list[str] | None = None
    description: Text | None = None
    role: RoleWord | None = None


class IndicatorSpec(Strict):
    label: Text
    unit: str = ""
    formula: str
    better: Literal["higher", "lower"] | None = None
    digits: int = 2
    plausible_max: float | None = None
    description: Text | None = None
    basis: str | list[str] | None = None


class Condition(Strict):
    """A test on one input or indicator, a missing-data test, or all/any of conditions."""

    input: str | None = None
    indicator: str | None = None
    op: Op | None = None
    value: Any = None
    missing: str | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    label: Text | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = {
            "test": self.input is not None or self.indicator is not None,
            "missing": self.missing is not None,
            "all": self.all is not None,
            "any": self.any is not None,
        }
        if sum(forms.values()) != 1:
            raise _fail(
                "rule-invalid",
                "条件须且只能是以下一种：input/indicator + op + value、missing、all、any",
                "a condition is exactly one of: input/indicator + op + value, missing, all, any",
            )
        if forms["test"]:
            _exactly_one(self, ("input", "indicator"), "条件", "a condition")
            if self.op is None:
                raise PydanticCustomError("missing", "Field required", {"field": "op"})
            check_op_value(self.op, self.value)
        return self


def check_op_value(op: str, value: Any) -> None:
    problem = OPERATORS[op].value_problem(value)
    if problem is not None:
        raise PydanticCustomError(
            "rule-op-value",
            "{op} needs {needs_en}",
            {"op": op, "needs_zh": problem[0], "needs_en": problem[1], "value": repr(value), "field": "value"},
        )


class TierBand(Strict):
    upto: float | None = None
    value: float


class Tiers(Strict):
    by: str
    bands: list[TierBand] = Field(min_length=2)

    @model_validator(mode="after")
    def _ascending(self) -> Tiers:
        limits = [b.upto for b in self.bands]
        if limits[-1] is not None or any(u is None for u in limits[:-1]):
            raise PydanticCustomError(
                "rule-bad-tiers",
                "only the last band may (and must) omit upto",
                {"zh": "只有最后一档不写 upto，其余各档都要写", "en": "only the last band may (and must) omit upto"},
            )
        if any(a >= b for a, b in itertools.pairwise(limits[:-1])):
            raise PydanticCustomError(
                "rule-bad-tiers",
                "upto must increase",
                {"zh": "各档 upto 必须递增", "en": "upto must increase from band to band"},
            )
        return self


class GateTest(Strict):
    """One threshold test inside a composite gate (``all`` / ``any``)."""

    id: Id
    label: Text | None = None
    input: str | None = None
    indicator: str | None = None
    op: Op
    value: Any = None
    by_industry: dict[str, float] | None = None
    tiers: Tiers | None = None
    tunable: Tunable | None = None

    @model_validator(mode="after")
    def _threshold(self) -> GateTest:
        _exactly_one(self, ("input", "indicator"), "门槛", "a threshold test")
        _check_threshold(self)
        return self


def _check_threshold(test: Any) -> None:
    if test.tiers is not None:
        if test.value is not None or test.by_industry is not None:
            raise _fail(
                "rule-invalid",
                "写了 tiers 就不要再写 value 或 by_industry",
                "with tiers, leave out value and by_industry",
            )
        if test.op not in ORDERING:
            raise _fail("rule-invalid", "分档门槛只能用 >= <= > <", "tiers work only with >= <= > <")
        if test.tunable is not None:
            raise _fail("rule-invalid", "分档门槛不能设为可调（tunable）", "tiered thresholds cannot be tunable")
        return
    if test.value is None:
        raise PydanticCustomError("missing", "Field required", {"field": "value"})
    check_op_value(test.op, test.value)
    if test.by_industry is not None and not OPERATORS[test.op].is_numeric:
        raise _fail("rule-invalid", "分行业门槛只能用于数值比较", "by_industry works only with numeric comparisons")


class Gate(Strict):
    id: Id
    label: Text
    department: DepartmentWord
    severity: SeverityWord
    basis: str | list[str]
    note: Text | None = None
    only_if: Condition | None = None
    on_missing: Literal["review", "fail", "not_scored"] = "review"
    input: str | None = None
    indicator: str | None = None
    op: Op | None = None
    value: Any = None
    by_industry: dict[str, float] | None = None
    tiers: Tiers | None = None
    tunable: Tunable | None = None
    all: list[GateTest] | None = None
    any: list[GateTest] | None = None

    @model_validator(mode="after")
    def _form(self) -> Gate:
        composite = self.all is not None or self.any is not None
        if composite:
            _exactly_one(self, ("all", "any"), "门槛", "a gate")
            inline = [
                k
                for k in ("input", "indicator", "op", "value", "by_industry", "tiers", "tunable")
                if getattr(self, k) is not None
            ]
            if inline:
                raise _fail(
                    "rule-invalid",
                    f"组合门槛（all/any）中不能再直接写 {inline}",
                    f"a composite gate (all/any) cannot also have {inline}",
                )
            return self
        _exactly_one(self, ("input", "indicator"), "门槛", "a gate")
        if self.op is None:
            raise PydanticCustomError("missing", "Field required", {"field": "op"})
        _check_threshold(self)
        return self

    def tests(self) -> list[GateTest | Gate]:
        return list(self.all or self.any or [self])


class Stat(Strict):
    stat: Literal["mean", "median", "max", "min"]
    times: float = 1.0


class Criterion(Strict):
    id: Id | None = None
    indicator: str
    weight: float = Field(ge=0)
    method: Method
    baseline: float | Stat | None = None
    cap: float | None = Field(default=None, gt=0)
    best: float | Stat | None = None
    worst: float | Stat | None = None
    floor: float = Field(default=0.0, ge=0, le=1)
    missing: Literal["zero", "mean", "not_scored"] = "zero"
    tunable: Tunable | None = None
    label: Text | None = None
    basis: str | list[str]

    @property
    def key(self) -> str:
        return self.id or self.indicator

    @model_validator(mode="after")
    def _method_params(self) -> Criterion:
        needs = {"ratio": {"baseline"}, "lower_ratio": {"baseline"}, "linear": {"best", "worst"}, "percentile": set()}[
            self.method
        ]
        allowed = (
            needs
            | ({"cap"} if self.method == "ratio" else set())
            | ({"floor"} if self.method in ("linear", "percentile") else set())
        )
        for name in ("baseline", "best", "worst", "cap"):
            given = getattr(self, name) is not None
            if name in needs and not given:
                raise PydanticCustomError("missing", "Field required", {"field": name})
            if given and name not in allowed:
                raise _fail(
                    "rule-invalid", f"评分方法 {self.method} 不使用 {name}", f"method {self.method} does not use {name}"
                )
        if self.floor and "floor" not in allowed:
            raise _fail(
                "rule-invalid", f"评分方法 {self.method} 不使用 floor", f"method {self.method} does not use floor"
            )
        if isinstance(self.baseline, float) and self.baseline <= 0:
            raise _fail("rule-invalid", "baseline 必须大于 0", "baseline must be above 0")
        return self


class ScoringSet(Strict):
    id: Id
    label: Text
    when: Condition | None = None
    criteria: list[Criterion] = Field(min_length=1)


class Adjustment(Strict):
    id: Id
    label: Text
    when: Condition
    points: float
    tunable: Tunable | None = None
    basis: str | list[str]


class Scoring(Strict):
    total: float = Field(default=100.0, gt=0)
    criteria: list[Criterion] | None = None
    sets: list[ScoringSet] | None = None
    adjustments: list[Adjustment] = []
    bonus_cap: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_way(self) -> Scoring:
        _exactly_one(self, ("criteria", "sets"), "scoring ", "scoring")
        return self

    def all_sets(self) -> list[ScoringSet]:
        if self.sets is not None:
            return list(self.sets)
        return [ScoringSet(id="all", label=Text(zh="全部企业", en="All firms"), criteria=self.criteria or [])]


class Band(Strict):
    klass: str = Field(alias="class", min_length=1)
    label: Text | None = None
    min_score: float | None = None
    top_share: float | None = Field(default=None, gt=0, le=1)
    tunable: Tunable | None = None


class Quota(Strict):
    max_share: float | None = Field(default=None, ge=0, le=1)
    min_share: float | None = Field(default=None, ge=0, le=1)


class ClassRule(Strict):
    id: Id
    label: Text
    when: Condition
    max_class: str | None = None
    min_class: str | None = None
    basis: str | list[str]


class Exempt(Strict):
    id: Id
    label: Text
    when: Condition
    klass: str = Field(alias="class")
    basis: str | list[str]


class Classes(Strict):
    method: Literal["bands", "percentile"]
    bands: list[Band] = Field(min_length=1)
    quotas: dict[str, Quota] = {}
    caps: list[ClassRule] = []
    floors: list[ClassRule] = []
    exempt: list[Exempt] = []
    group: Literal["set", "all"] = "set"
    basis: str | list[str]


class Capacity(Strict):
    input: str = "requested_land"
    quota_mu: float = Field(gt=0)
    overflow: Literal["review", "reject"] = "review"
    label: Text | None = None
    tunable: Tunable | None = None
    basis: str | list[str]


class Decision(Strict):
    admit: list[str]
    review: list[str] = []
    reject: list[str] = []
    capacity: Capacity | None = None


class TieBreak(Strict):
    input: str | None = None
    indicator: str | None = None
    order: Literal["asc", "desc"] = "desc"

    @model_validator(mode="after")
    def _one(self) -> TieBreak:
        _exactly_one(self, ("input", "indicator"), "tie_break 项", "a tie_break entry")
        return self


class Ranking(Strict):
    tie_break: list[TieBreak] = []


class RuleFile(Strict):
    schema_id: Literal["park-rules/1"] = Field(alias="schema")
    park: Park
    version: str
    kind: Literal["entry", "evaluation"] = "entry"
    industry_codes: Edition = "GB/T 4754-2017"
    basis: list[str] = Field(min_length=1)
    notes: Text | None = None
    inputs: dict[str, InputSpec] = Field(min_length=1)
    indicators: dict[str, IndicatorSpec] = {}
    gates: list[Gate] = []
    scoring: Scoring
    classes: Classes
    decision: Decision
    ranking: Ranking = Ranking()
