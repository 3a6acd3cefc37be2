"""Scoring, classes, the decision map and ranking in a rule file."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .schema_base import Id, Method, Strict, Text, Tunable, _exactly_one, _fail
from .schema_gates import Condition


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
        needs = {
            "ratio": {"baseline"},
            "lower_ratio": {"baseline"},
            "inverse_ratio": {"baseline"},
            "linear": {"best", "worst"},
            "percentile": set(),
        }[self.method]
        allowed = (
            needs
            | ({"cap"} if self.method in ("ratio", "inverse_ratio") else set())
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
    admit: list[str] = []
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
