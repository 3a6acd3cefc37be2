"""Whole-file checks of scoring, classes and the decision map (a mixin of :class:`checks.Checker`)."""

from __future__ import annotations

import itertools
from typing import Any

from .yaml_io import Path

WEIGHT_TOLERANCE = 1e-6

# What an unknown name was expected to be (rule-unknown-reference), zh / en.
INPUT = ("输入字段", "an input")
INDICATOR = ("指标", "an indicator")
INPUT_OR_INDICATOR = ("输入字段或指标", "an input or indicator")
FORMULA_NAME = ("公式中的数值输入或指标", "a number input or indicator in a formula")
TIER_BY = ("分档依据的数值输入或指标", "a number input or indicator to tier by")


class GradingChecks:
    """Weights add up, methods fit their indicator's direction, bands are ordered, classes exist."""

    def unknown(self, path: Path, value: str, kind: tuple[str, str], allowed: str) -> None:
        """A name that is not declared: what it should have been, and what is declared."""
        self.add(
            "rule-unknown-reference",
            path,
            value=value,
            kind_zh=kind[0],
            kind_en=kind[1],
            allowed=allowed,
        )

    # --- scoring -------------------------------------------------------------------------
    def check_scoring(self) -> None:
        scoring = self.model.scoring
        base: Path = ("scoring",)
        sets = scoring.all_sets()
        if scoring.sets is not None:
            self.unique([(s.id, base + ("sets", i, "id")) for i, s in enumerate(sets)])
        keys = []
        for s_index, scoring_set in enumerate(sets):
            set_path = base + ("sets", s_index) if scoring.sets is not None else base
            if scoring_set.when is not None:
                self.check_condition(scoring_set.when, set_path + ("when",))
            elif scoring.sets is not None and s_index != len(sets) - 1:
                self.add(
                    "rule-invalid",
                    set_path,
                    detail_zh="只有最后一个评分类别可以不写 when",
                    detail_en="only the last scoring set may leave out 'when'",
                )
            total = 0.0
            for c_index, crit in enumerate(scoring_set.criteria):
                path = set_path + ("criteria", c_index)
                keys.append((crit.key, path))
                total += crit.weight
                self.in_range(crit.weight, crit.tunable, path + ("weight",))
                self.check_criterion(crit, path)
            if abs(total - scoring.total) > WEIGHT_TOLERANCE:
                self.add(
                    "rule-weights-sum", set_path + ("criteria",), value=f"{total:g}", expected=f"{scoring.total:g}"
                )
        self.unique(keys)
        self.unique([(a.id, base + ("adjustments", i, "id")) for i, a in enumerate(scoring.adjustments)])
        for a_index, adj in enumerate(scoring.adjustments):
            path = base + ("adjustments", a_index)
            self.check_condition(adj.when, path + ("when",))
            self.in_range(adj.points, adj.tunable, path + ("points",))

    def check_criterion(self, crit: Any, path: Path) -> None:
        spec = self.model.indicators.get(crit.indicator)
        if spec is None:
            self.unknown(path + ("indicator",), crit.indicator, INDICATOR, ", ".join(self.model.indicators))
            return
        needed = {"ratio": "higher", "lower_ratio": "lower", "inverse_ratio": "lower"}.get(crit.method)
        if needed and spec.better != needed:
            self.add(
                "rule-method-direction",
                path + ("method",),
                detail_zh=f"评分方法 {crit.method} 要求指标 {crit.indicator} 写明 better: {needed}",
                detail_en=f"method {crit.method} needs indicator {crit.indicator} to say better: {needed}",
            )
        if crit.method == "percentile" and spec.better is None:
            self.add(
                "rule-method-direction",
                path + ("method",),
                detail_zh=f"按百分位评分需要指标 {crit.indicator} 写明 better",
                detail_en=f"percentile scoring needs indicator {crit.indicator} to say better",
            )
        if crit.method == "linear" and isinstance(crit.best, float) and isinstance(crit.worst, float):
            contradicts = spec.better is not None and (spec.better == "higher") != (crit.best > crit.worst)
            if crit.best == crit.worst or contradicts:
                self.add(
                    "rule-method-direction",
                    path + ("best",),
                    detail_zh=f"best ({crit.best:g}) 与 worst ({crit.worst:g}) 和指标方向（{spec.better}）不一致",
                    detail_en=f"best ({crit.best:g}) and worst ({crit.worst:g}) contradict better: {spec.better}",
                )

    # --- classes and decisions -------------------------------------------------------------
    def check_classes_and_decision(self) -> None:
        classes = self.model.classes
        path: Path = ("classes",)
        names = [b.klass for b in classes.bands]
        self.unique([(n, path + ("bands", i, "class")) for i, n in enumerate(names)])
        key = "min_score" if classes.method == "bands" else "top_share"
        other = "top_share" if key == "min_score" else "min_score"
        limits = []
        for i, band in enumerate(classes.bands):
            last = i == len(classes.bands) - 1
            value = getattr(band, key)
            if getattr(band, other) is not None:
                self.bad_bands(
                    path + ("bands", i, other),
                    f"方法 {classes.method} 使用 {key}，不用 {other}",
                    f"method {classes.method} uses {key}, not {other}",
                )
            if last and value is not None:
                self.bad_bands(
                    path + ("bands", i),
                    f"最后一档（{band.klass}）收底，不写 {key}",
                    f"the last band ({band.klass}) takes the rest; leave out {key}",
                )
            if not last and value is None:
                self.bad_bands(path + ("bands", i), f"等级 {band.klass} 缺少 {key}", f"class {band.klass} needs {key}")
            if value is not None:
                limits.append((i, value))
                self.in_range(value, band.tunable, path + ("bands", i, key))
        descending = key == "min_score"
        for (_, a), (j, b) in itertools.pairwise(limits):
            if (descending and not a > b) or (not descending and not a < b):
                word = ("递减", "decrease") if descending else ("递增", "increase")
                self.bad_bands(
                    path + ("bands", j, key), f"各档 {key} 必须{word[0]}", f"{key} must {word[1]} band by band"
                )
        self.check_class_rules(names)
        self.check_decision(names + [e.klass for e in classes.exempt])

    def check_class_rules(self, names: list[str]) -> None:
        classes = self.model.classes
        path: Path = ("classes",)
        for cls in (e.klass for e in classes.exempt):
            if cls in names:
                self.bad_bands(
                    path + ("exempt",),
                    f"不评等级的类别 {cls} 不能与分档等级重名",
                    f"exempt class {cls} must differ from the band classes",
                )
        for cls in classes.quotas:
            if cls not in names:
                self.bad_bands(
                    path + ("quotas", cls), f"配额中的等级 {cls} 不存在", f"quota class {cls} does not exist"
                )
        for kind in ("caps", "floors"):
            rules = getattr(classes, kind)
            self.unique([(r.id, path + (kind, i, "id")) for i, r in enumerate(rules)])
            for i, rule in enumerate(rules):
                self.check_condition(rule.when, path + (kind, i, "when"))
                wanted = ("max_class", "min_class") if kind == "caps" else ("min_class", "max_class")
                target = getattr(rule, wanted[0])
                if target is None or getattr(rule, wanted[1]) is not None:
                    self.bad_bands(
                        path + (kind, i),
                        f"{kind} 中每条写且只写 {wanted[0]}",
                        f"each entry in {kind} takes {wanted[0]} only",
                    )
                elif target not in names:
                    self.bad_bands(
                        path + (kind, i, wanted[0]), f"等级 {target} 不存在", f"class {target} does not exist"
                    )
        for i, rule in enumerate(classes.exempt):
            self.check_condition(rule.when, path + ("exempt", i, "when"))

    def bad_bands(self, path: Path, zh: str, en: str) -> None:
        self.add("rule-bad-bands", path, detail_zh=zh, detail_en=en)

    def check_decision(self, classes: list[str]) -> None:
        decision = self.model.decision
        if self.model.is_evaluation:
            if decision.admit or decision.review or decision.reject or decision.capacity is not None:
                self.add(
                    "rule-decision-class",
                    ("decision",),
                    value="decision",
                    detail_zh="评价类规则（kind: evaluation）只评分、评等级，不作入园结论：请删去 decision",
                    detail_en="an evaluation (kind: evaluation) scores and grades only: remove decision",
                )
            return
        seen: dict[str, str] = {}
        for outcome in ("admit", "review", "reject"):
            for i, cls in enumerate(getattr(decision, outcome)):
                path = ("decision", outcome, i)
                if cls not in classes:
                    self.add(
                        "rule-decision-class",
                        path,
                        value=cls,
                        detail_zh=f"等级 {cls} 不存在（已有 {classes}）",
                        detail_en=f"class {cls} does not exist (classes: {classes})",
                    )
                elif cls in seen:
                    self.add(
                        "rule-decision-class",
                        path,
                        value=cls,
                        detail_zh=f"等级 {cls} 同时在 {seen[cls]} 和 {outcome}",
                        detail_en=f"class {cls} is in both {seen[cls]} and {outcome}",
                    )
                seen.setdefault(cls, outcome)
        for cls in classes:
            if cls not in seen:
                self.add(
                    "rule-decision-class",
                    ("decision",),
                    value=cls,
                    detail_zh=f"等级 {cls} 没有对应结论",
                    detail_en=f"class {cls} has no decision",
                )
        cap = decision.capacity
        if cap is not None:
            path = ("decision", "capacity")
            self.ref_kind(path, input=cap.input, indicator=None)
            self.in_range(cap.quota_mu, cap.tunable, path + ("quota_mu",))
