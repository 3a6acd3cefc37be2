"""Building blocks of the rule-file schema: strict models, ids, texts, tunable ranges, vocabulary words."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from ..vocabulary import Department, GateSeverity, Labelled, Role
from .operators import SYMBOLS

SCHEMA_ID = "park-rules/1"
ID_PATTERN = r"^[a-z][a-z0-9_\-]*$"

Id = Annotated[str, Field(pattern=ID_PATTERN)]
Op = Literal[SYMBOLS]
FieldType = Literal["number", "flag", "text", "industry", "id", "name"]
Method = Literal["ratio", "linear", "lower_ratio", "inverse_ratio", "percentile"]
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
