"""What a firm may aim for: pass a gate, reach a score, reach a class, be admitted.

Written as text on the command line and in the JSON (``admit``, ``score:70``, ``class:B``,
``gate:min-tax-per-mu``, ``next_class``); parsed here into a :class:`Target`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..issues.record import ScreeningError, make_issue
from ..rules.loading import RuleSet

KINDS = ("admit", "score", "class", "gate", "next_class")


@dataclass(frozen=True)
class Target:
    kind: str
    value: str | float | None = None

    @property
    def text(self) -> str:
        if self.value is None:
            return self.kind
        value = f"{self.value:g}" if isinstance(self.value, float) else self.value
        return f"{self.kind}:{value}"

    def label(self, ruleset: RuleSet, lang: str = "zh") -> str:
        zh = lang == "zh"
        if self.kind == "admit":
            return "准予入园" if zh else "admission"
        if self.kind == "next_class":
            return "升一个等级" if zh else "the next class"
        if self.kind == "score":
            return f"综合得分 ≥ {self.value:g}" if zh else f"a score of {self.value:g}"
        if self.kind == "class":
            return f"{self.value} 级" if zh else f"class {self.value}"
        gate = next(g for g in ruleset.model.gates if g.id == self.value)
        return ("通过：" if zh else "pass: ") + gate.label.get(lang)


def parse_target(text: str, ruleset: RuleSet) -> Target:
    """``admit`` | ``score:S`` | ``class:X`` | ``gate:ID`` | ``next_class``; a clear issue otherwise."""
    kind, _, value = text.strip().partition(":")
    classes = [b.klass for b in ruleset.model.classes.bands]
    gates = [g.id for g in ruleset.model.gates]
    entry = not ruleset.model.is_evaluation  # an evaluation admits nobody
    if kind in ("admit", "next_class") and not value and (entry or kind == "next_class"):
        return Target(kind)
    if kind == "score":
        try:
            return Target("score", float(value))
        except ValueError:
            pass
    if kind == "class" and value in classes:
        return Target("class", value)
    if kind == "gate" and value in gates:
        return Target("gate", value)
    allowed = (
        ["admit"] * entry + ["next_class", "score:S"] + [f"class:{c}" for c in classes] + [f"gate:{g}" for g in gates]
    )
    raise ScreeningError([make_issue("whatif-bad-target", value=text, allowed=", ".join(allowed))])
