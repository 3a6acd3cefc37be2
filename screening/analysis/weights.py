"""What the working group knows about the weights, as linear constraints per scoring set.

Four kinds of information (``--weights`` on the command line):

- ``uniform``      none at all: every weighting that adds up to the total is equally likely;
- ``spread:0.2``   each weight within ±20 % of the standard weight;
- a YAML file with per-criterion ranges, a spread for the rest, and rank orders per department:

  .. code-block:: yaml

      spread: 0.2                                # ±20 % for criteria without a range
      ranges: {tax_per_mu: [25, 40]}             # points, on the scale of the rule file's weights
      orders:                                    # per department, heaviest first
        经信: [tax_per_mu, investment_intensity]
        科技: [rd_ratio, value_added_per_energy]

Weights always add up to the scoring total and are never negative. The feasible set of each
scoring set is ``{w : lo <= w <= hi, Σw = total, w_a >= w_b for each ordered pair}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import numpy as np
from pydantic import Field, ValidationError

from ..issues.record import ScreeningError, make_issue
from ..rules import errors as rule_errors
from ..rules.loading import RuleSet
from ..rules.schema import Strict
from ..rules.schema_base import DepartmentWord
from ..rules.yaml_io import load_document, to_plain


class WeightFile(Strict):
    spread: float | None = Field(default=None, ge=0, le=1)
    ranges: dict[str, Annotated[list[float], Field(min_length=2, max_length=2)]] = Field(default_factory=dict)
    orders: dict[DepartmentWord, list[str]] = Field(default_factory=dict)


@dataclass(frozen=True)
class WeightInfo:
    kind: str  # "none" | "spread" | "file"
    spread: float | None = None
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    orders: tuple[tuple[str, ...], ...] = ()
    source: str = "uniform"

    @property
    def informative(self) -> bool:
        return self.kind != "none"


@dataclass(frozen=True)
class SetConstraints:
    """The feasible weights of one scoring set."""

    set_id: str
    keys: list[str]  # criterion keys, in rule-file order
    standard: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    total: float
    pairs: list[tuple[int, int]]  # (a, b): w_a >= w_b


def parse_weights(text: str) -> WeightInfo:
    """``uniform`` | ``spread:X`` | a YAML file path (see the module docs)."""
    if text in ("uniform", "none"):
        return WeightInfo("none")
    if text.startswith("spread:"):
        try:
            spread = float(text.partition(":")[2])
        except ValueError:
            spread = -1.0
        if not 0 <= spread <= 1:
            raise ScreeningError(
                [_bad(text, "spread 应为 0–1 之间的数，如 spread:0.2", "spread must be 0–1, e.g. spread:0.2")]
            )
        return WeightInfo("spread", spread=spread, source=text)
    return load_weight_file(Path(text))


def _bad(source: str, zh: str, en: str):
    return make_issue("weights-bad-file", value=source, detail_zh=zh, detail_en=en)


def load_weight_file(path: Path) -> WeightInfo:
    try:
        text = path.read_text(encoding="utf-8-sig")
        document = load_document(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ScreeningError([_bad(str(path), f"无法读取（{exc}）", f"cannot be read ({exc})")]) from None
    except Exception as exc:  # a YAML syntax error: say where, never a traceback
        raise ScreeningError([_bad(str(path), f"YAML 语法错误：{exc}", f"YAML syntax error: {exc}")]) from None
    plain = to_plain(document) if document is not None else {}
    if not isinstance(plain, dict):
        raise ScreeningError([_bad(str(path), "应为 键: 值 的映射", "expected a mapping (key: value)")])
    try:
        model = WeightFile.model_validate(plain)
    except ValidationError as exc:
        raise ScreeningError(rule_errors.translate(exc, plain, document, str(path))) from None
    for key, (low, high) in model.ranges.items():
        if not 0 <= low <= high:
            raise ScreeningError(
                [_bad(str(path), f"{key} 的范围应满足 0 ≤ 下限 ≤ 上限", f"{key}: need 0 <= low <= high")]
            )
    orders = tuple(tuple(chain) for chain in model.orders.values())
    ranges = {key: (float(low), float(high)) for key, (low, high) in model.ranges.items()}
    return WeightInfo("file", spread=model.spread, ranges=ranges, orders=orders, source=str(path))


def constraints(ruleset: RuleSet, info: WeightInfo) -> list[SetConstraints]:
    """One constraint set per scoring set; unknown criteria in the information are errors."""
    sets = ruleset.model.scoring.all_sets()
    known = [c.key for s in sets for c in s.criteria]
    named = list(info.ranges) + [k for chain in info.orders for k in chain]
    unknown = [k for k in dict.fromkeys(named) if k not in known]
    if unknown:
        raise ScreeningError(
            [make_issue("weights-unknown-criterion", value=k, allowed=", ".join(known)) for k in unknown]
        )
    total = ruleset.model.scoring.total
    out = []
    for scoring_set in sets:
        keys = [c.key for c in scoring_set.criteria]
        standard = np.array([c.weight for c in scoring_set.criteria], dtype=float)
        spread = info.spread
        lo = standard * (1 - spread) if spread is not None else np.zeros(len(keys))
        hi = standard * (1 + spread) if spread is not None else np.full(len(keys), total)
        for i, key in enumerate(keys):
            if key in info.ranges:
                lo[i], hi[i] = info.ranges[key]
        pairs = [
            (keys.index(a), keys.index(b))
            for chain in info.orders
            for a, b in zip([k for k in chain if k in keys], [k for k in chain if k in keys][1:], strict=False)
        ]
        out.append(SetConstraints(scoring_set.id, keys, standard, lo, np.minimum(hi, total), total, pairs))
    return out
