"""The words the whole library shares: decisions, departments, severities, statuses, parameter kinds.

Each is a ``StrEnum`` whose members carry their Chinese and English labels, so a decision is
``Decision.ADMIT`` everywhere (its value ``"admit"`` is what tables, CSV and JSON hold) and
its words come from one place: ``Decision.ADMIT.label("zh") == "准予入园"``. The order in
which members are declared is meaningful where it says so (decisions: best first).
This module imports nothing from the library: every floor may use it.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Self


class Labelled(StrEnum):
    """A string enum whose members carry ``zh`` and ``en`` labels."""

    zh: str
    en: str

    def __new__(cls, value: str, zh: str, en: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh = zh
        member.en = en
        return member

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def code(self) -> int:
        """Position in declaration order (the integer code used in numpy arrays)."""
        return list(type(self)).index(self)

    @classmethod
    def parse(cls, text: str) -> Self:
        """A member from its id or its Chinese label (``"econ"`` or ``"经信"``); ValueError otherwise."""
        for member in cls:
            if text in (member.value, member.zh):
                return member
        raise ValueError(text)

    @classmethod
    def choices(cls) -> str:
        return ", ".join(f"{m.value} ({m.zh})" for m in cls)


class Decision(Labelled):
    """What the screening concludes for a firm, best first (the order ranks and sorts use).
    ``GRADED`` is the only outcome of an evaluation profile (scored and classed, nobody admitted)."""

    ADMIT = "admit", "准予入园", "Admit"
    REVIEW = "review", "待复核", "Review"
    REJECT = "reject", "不予入园", "Reject"
    GRADED = "graded", "已评价", "Evaluated"
    NOT_SCORED = "not_scored", "未评分", "Not scored"


ENTRY_DECISIONS = (Decision.ADMIT, Decision.REVIEW, Decision.REJECT, Decision.NOT_SCORED)
EVALUATION_DECISIONS = (Decision.GRADED, Decision.NOT_SCORED)


class Department(Labelled):
    """Who owns a rule. Rule files may name a department by id or by its Chinese name."""

    ECON = "econ", "经信", "economy"
    TECH = "tech", "科技", "science"
    ENV = "env", "环保", "environment"
    SAFETY = "safety", "安监", "safety"
    LAND = "land", "自然资源", "land"
    DEV = "dev", "发改", "development"
    GENERAL = "general", "综合", "general"


WORKING_GROUP = (Department.ECON, Department.TECH, Department.ENV, Department.SAFETY)


class GateSeverity(Labelled):
    """What failing a gate does: reject (veto), cap the decision at review, or only inform."""

    VETO = "veto", "一票否决", "veto"
    REVIEW = "review", "需复核", "review"
    INFO = "info", "提示", "info"


class IssueSeverity(Labelled):
    """How serious a reported problem is, most serious first."""

    ERROR = "error", "错误", "error"
    WARNING = "warning", "警告", "warning"
    INFO = "info", "提示", "info"


class Status(IntEnum):
    """A test's answer for one firm; the integer is what status arrays hold (int8)."""

    PASS = 0
    FAIL = 1
    MISSING = 2
    NA = 3

    @property
    def key(self) -> str:
        return _STATUS_WORDS[self][0]

    def label(self, lang: str = "zh") -> str:
        return _STATUS_WORDS[self][1 if lang == "zh" else 2]


_STATUS_WORDS = {
    Status.PASS: ("pass", "通过", "pass"),
    Status.FAIL: ("fail", "未通过", "fail"),
    Status.MISSING: ("missing", "缺数据", "missing"),
    Status.NA: ("n/a", "不适用", "n/a"),
}


class ParamKind(Labelled):
    """What a tunable parameter moves. Thresholds are grouped by department; the rest by kind."""

    THRESHOLD = "threshold", "门槛", "Thresholds"
    WEIGHT = "weight", "权重", "Weights"
    POINTS = "points", "加减分", "Bonus and penalty points"
    BAND = "band", "等级", "Class cut-offs"
    CAPACITY = "capacity", "用地", "Land quota"


class ScoringMethod(Labelled):
    """How a criterion turns an indicator value into points (the rule file's ``method``)."""

    RATIO = "ratio", "比值法：指标值 ÷ 基准值 × 权重", "value ÷ reference × weight"
    LINEAR = "linear", "区间法：在最差值与最佳值之间按比例计分", "in proportion between the worst and the best value"
    LOWER_RATIO = (
        "lower_ratio",
        "越低越好法：为基准值 2 倍时得 0 分",
        "lower is better: no points at twice the reference",
    )
    INVERSE_RATIO = (
        "inverse_ratio",
        "越低越好比值法：基准值 ÷ 指标值 × 权重",
        "lower is better: reference ÷ value × weight",
    )
    PERCENTILE = "percentile", "百分位法：按本批企业中的排位计分", "by rank among the firms scored together"


class Reference(Labelled):
    """The numbers a scoring method works with, as shown next to a criterion."""

    BASELINE = "baseline", "基准值", "reference"
    BEST = "best", "最佳值", "best value"
    WORST = "worst", "最差值", "worst value"
    CAP = "cap", "封顶（权重的倍数）", "cap (times the weight)"
    FLOOR = "floor", "保底（权重的比例）", "floor (share of the weight)"


class BatchStat(Labelled):
    """A reference taken from the firms scored together (``{stat: mean, times: 2}``)."""

    MEAN = "mean", "本批平均值", "batch average"
    MEDIAN = "median", "本批中位数", "batch median"
    MAX = "max", "本批最大值", "batch maximum"
    MIN = "min", "本批最小值", "batch minimum"


class MissingPolicy(Labelled):
    """What a scored firm without the criterion's value gets (the criterion's ``missing``)."""

    ZERO = "zero", "记 0 分", "no points"
    MEAN = "mean", "取有数据企业的平均得分", "the average points of the firms with data"
    NOT_SCORED = "not_scored", "该企业不予评分", "the firm is not scored"


class AbsentPolicy(Labelled):
    """What a gate does when the list has no column at all for what it tests (the gate's ``on_absent``)."""

    REVIEW = "review", "转待复核，注明待补充材料", "review, listing the material to supply"
    SKIP = "skip", "不检查", "not checked"
    FAIL = "fail", "按未通过处理", "counts as failed"
    ASSUME = "assume", "按假定值判断", "judged on an assumed value"


class ProfileKind(Labelled):
    """An entry standard decides admission; an evaluation only scores and grades (亩均评价)."""

    ENTRY = "entry", "入园标准", "Entry standard"
    EVALUATION = "evaluation", "综合评价", "Evaluation"


class Role(Labelled):
    """What an input means to the district, whatever the rule file calls it: the tax a firm pays,
    the land it asks for … Figures, the export, the district view and the analyses find their
    columns by role (declared in the field catalogue or the rule file), never by a column name."""

    TAX = "tax", "税收", "Tax paid"
    LAND_USED = "land_used", "现用地面积", "Land used today"
    LAND_REQUESTED = "land_requested", "拟申请用地", "Land requested"
    COMPENSATION = "compensation", "搬迁补偿", "Relocation compensation"
    INVESTMENT = "investment", "计划投资", "Planned investment"
    APPLIED_PARK = "applied_park", "拟入园区", "Park applied for"


class Verdict(Labelled):
    """A working-group department's opinion on a firm in a saved round (issue 14)."""

    AGREE = "agree", "同意", "agree"
    DISAGREE = "disagree", "不同意", "disagree"
    CONDITIONAL = "conditional", "有条件同意", "agree with conditions"


class Objective(Labelled):
    """What the district's land allocation maximises (``python -m screening district --objective``)."""

    SCORE = "score", "综合得分之和", "Total score"
    TAX = "tax", "年税收之和", "Total annual tax"
    NET = "net", "N 年税收扣除搬迁补偿", "Tax over N years net of compensation"


class Eligibility(Labelled):
    """Whether a park could take a firm before land is counted, and if not, the first thing in the way."""

    ELIGIBLE = "eligible", "可入园", "Eligible"
    VETO = "veto", "未通过一票否决项", "Fails a veto"
    REJECT_CLASS = "reject_class", "等级为不予入园", "In a rejected class"
    NOT_SCORED = "not_scored", "缺少数据、未评分", "Not scored (data missing)"
    NO_LAND = "no_land", "未填拟申请用地", "No land requested"


class Placement(Labelled):
    """Where the district allocation leaves a firm, and why (in or out)."""

    ALLOCATED = "allocated", "入选", "Allocated"
    FORCED_IN = "forced_in", "指定入园", "Forced in"
    FORCED_OUT = "forced_out", "指定不入园", "Forced out"
    NOT_ELIGIBLE = "not_eligible", "没有园区可以接收", "No park can take it"
    NO_VALUE = "no_value", "价值不为正", "No positive value"
    LAND = "land", "用地留给了每亩价值更高的企业", "The land is worth more to others"
    BUDGET = "budget", "补偿预算留给了价值更高的企业", "The budget is worth more to others"


class Robustness(Labelled):
    """How a decision fares under every weighting the working group finds reasonable (robust
    portfolio modelling's core / borderline / exterior, by the share of sampled weightings)."""

    CORE = "core", "稳定入选", "core"
    BORDERLINE = "borderline", "边缘", "borderline"
    EXTERIOR = "exterior", "稳定落选", "exterior"
    # An evaluation admits nobody: what can be stable is the firm's class.
    CLASS_STABLE = "class_stable", "等级稳定", "class stable"
    CLASS_SHIFTS = "class_shifts", "等级可能变化", "class may change"
