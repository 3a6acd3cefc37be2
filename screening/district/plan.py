"""The district's answer in one object: the matrix, the optimal allocation beside the rank-order fill,
why each firm is in or out, the money, the batch summary — frames and numbers, no UI.

    batch = load_batch(uploads, rulesets)                 # every firm screened against every park
    matrix = district_matrix(batch)                       # cache this: it depends only on the batch
    plan = allocate(batch, matrix, Options(objective=Objective.TAX, budget=50_000))
    plan.firms, plan.totals, plan.greedy_totals, plan.differences, plan.frontier()
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..issues.record import ScreeningError, concat_issues, issues_frame, make_issue
from ..vocabulary import Objective, Role
from .batch import Batch
from .explain import marginal_firms, number_text, placements
from .frontier import DISTRICT, Frontier, frontier
from .greedy import rank_order_fill
from .matrix import applied_park_issues, firm_table, pair_table, wide
from .money import batch_summary, money_table
from .problem import Options, Problem, build_problem
from .solve import Solution, feasible, solve


@dataclass(frozen=True)
class Matrix:
    """What every park says about every firm (``pairs``, long) and what that means per firm (``firms``)."""

    pairs: pd.DataFrame
    firms: pd.DataFrame

    def grid(self, column: str = "decision") -> pd.DataFrame:
        """One pair column as a firm × park table (rows in firm order, columns park ids)."""
        return wide(self.pairs, column)


@dataclass(frozen=True)
class DistrictPlan:
    batch: Batch
    options: Options
    matrix: Matrix
    problem: Problem
    solution: Solution
    greedy: np.ndarray  # bool per pair: the rank-order fill
    firms: pd.DataFrame  # per firm: identity, best fit, money, optimum and greedy park, placement, reason
    totals: dict
    greedy_totals: dict
    differences: pd.DataFrame
    parks: pd.DataFrame
    summary: pd.DataFrame
    issues: pd.DataFrame

    @property
    def status(self) -> str:
        """``optimal``, ``infeasible``, or the gap in words (``gap 0.03%``)."""
        if self.solution.status == "gap":
            return f"gap {self.solution.gap:.4%}"
        return self.solution.status

    def eligible(self) -> pd.DataFrame:
        """The pairs the optimiser could choose: firm, park, value under the objective, land."""
        p = self.problem
        return pd.DataFrame(
            {
                "firm": p.firm,
                "source_file": self.batch.firms["source_file"].to_numpy(dtype=object)[p.firm],
                "source_row": self.batch.firms["source_row"].to_numpy()[p.firm],
                "park": np.array(p.parks, dtype=object)[p.park],
                "value": p.value,
                "land": p.pair_land,
            }
        )

    def frontier(self, scope: str = DISTRICT, step: float = 50.0, steps: int = 20, time_limit: float = 3.0) -> Frontier:
        """What each extra ``step`` 亩 buys, for one park or the district's shared extra land."""
        if scope != DISTRICT and scope not in self.problem.parks:
            raise ScreeningError(
                [make_issue("district-unknown-park", value=scope, allowed="、".join(self.problem.parks))]
            )
        tax = self.batch.role_numbers(Role.TAX)
        start = self.solution.chosen if self.solution.status != "infeasible" else None
        return frontier(self.problem, tax, scope, step, steps, time_limit, self.options.gap, start)


def district_matrix(batch: Batch) -> Matrix:
    pairs = pair_table(batch)
    return Matrix(pairs, firm_table(batch, pairs))


def plan_district(batch: Batch, options: Options | None = None) -> DistrictPlan:
    return allocate(batch, district_matrix(batch), options or Options())


def allocate(batch: Batch, matrix: Matrix, options: Options) -> DistrictPlan:
    """Solve the allocation for ``options`` and put every answer beside the rank-order fill."""
    check_options(batch, options)
    problem = build_problem(batch, matrix.pairs, options)
    greedy = rank_order_fill(problem)
    solution = solve(problem, options.time_limit, options.gap, start=greedy if feasible(problem, greedy) else None)
    tax = batch.role_numbers(Role.TAX)
    compensation = batch.role_numbers(Role.COMPENSATION)
    firms = _firm_frame(batch, matrix, problem, solution, greedy, options)
    chosen_firms = _members(problem, solution.chosen)
    greedy_firms = _members(problem, greedy)
    groups = {"batch": np.ones(batch.size, dtype=bool), "optimum": chosen_firms, "greedy": greedy_firms}
    return DistrictPlan(
        batch=batch,
        options=options,
        matrix=matrix,
        problem=problem,
        solution=solution,
        greedy=greedy,
        firms=firms,
        totals=_totals(problem, solution.chosen, tax),
        greedy_totals=_totals(problem, greedy, tax),
        differences=firms[firms["change"].to_numpy() != ""].copy(),
        parks=_park_frame(batch, problem, solution.chosen, greedy, tax),
        summary=batch_summary(
            tax, compensation, groups, options.tax_lines, {k: firms[k].to_numpy() for k in ("retained_tax", "npv")}
        ),
        issues=concat_issues(batch.issues, applied_park_issues(batch), _plan_issues(batch, solution)),
    )


def _members(problem: Problem, chosen: np.ndarray) -> np.ndarray:
    members = np.zeros(problem.size, dtype=bool)
    members[problem.firm[chosen]] = True
    return members


def _firm_frame(
    batch: Batch, matrix: Matrix, problem: Problem, solution: Solution, greedy: np.ndarray, options: Options
) -> pd.DataFrame:
    words = _no_value_words(batch, options)
    placed = placements(batch, matrix.pairs, matrix.firms, problem, solution.chosen, options.force_out, words)
    money = money_table(
        batch.role_numbers(Role.TAX), batch.role_numbers(Role.COMPENSATION), options.retention, options.years
    )
    greedy_park = np.full(batch.size, None, dtype=object)
    greedy_park[problem.firm[greedy]] = np.array(problem.parks, dtype=object)[problem.park[greedy]]
    value = np.full(batch.size, np.nan)
    value[problem.firm[solution.chosen]] = problem.value[solution.chosen]
    frame = pd.concat([matrix.firms, money, placed], axis=1)
    frame["greedy_park"] = greedy_park
    frame["value"] = value
    frame["land"] = batch.role_numbers(Role.LAND_REQUESTED)
    frame["change"] = _changes(frame["park"].to_numpy(dtype=object), greedy_park)
    return frame


def _no_value_words(batch: Batch, options: Options) -> tuple[np.ndarray, np.ndarray]:
    """Why an eligible firm is worth nothing under the objective, per firm, in words."""
    size = batch.size
    fixed = {
        Objective.SCORE: ("综合得分不为正", "its score is not positive"),
        Objective.TAX: ("没有税收数据", "no tax"),
    }
    if options.objective in fixed:
        zh, en = fixed[options.objective]
        return np.full(size, zh, dtype=object), np.full(size, en, dtype=object)
    tax, compensation = batch.role_numbers(Role.TAX), batch.role_numbers(Role.COMPENSATION)
    share = 1.0 if options.retention.share is None else options.retention.share
    income = number_text(options.retention.present_value(np.nan_to_num(tax), options.years, share))
    cost = number_text(compensation)
    years = str(options.years)
    return (
        years + " 年税收（现值）" + income + " 万元不抵搬迁补偿 " + cost + " 万元",
        years + " years of tax (present value) " + income + " do not cover the compensation of " + cost,
    )


def _changes(optimum: np.ndarray, greedy: np.ndarray) -> np.ndarray:
    """Per firm, how the optimum differs from the rank-order fill: in, out, moved, or ''."""
    has_o, has_g = ~pd.isna(optimum), ~pd.isna(greedy)
    change = np.full(len(optimum), "", dtype=object)
    change[has_o & ~has_g] = "in"
    change[~has_o & has_g] = "out"
    change[has_o & has_g & (optimum != greedy)] = "moved"
    return change


def _totals(problem: Problem, chosen: np.ndarray, tax: np.ndarray) -> dict:
    totals = problem.totals(chosen)
    totals["land"] = float(sum(totals["land_by_park"].values()))
    totals["tax"] = float(np.nansum(tax[problem.firm[chosen]]))
    return totals


def _park_frame(
    batch: Batch, problem: Problem, chosen: np.ndarray, greedy: np.ndarray, tax: np.ndarray
) -> pd.DataFrame:
    """Per park: quota, and for the optimum and the rank-order fill: firms, land, tax, compensation."""
    frame = pd.DataFrame(
        {
            "park": list(problem.parks),
            "name_zh": [p.name.get("zh") for p in batch.parks],
            "name_en": [p.name.get("en") for p in batch.parks],
            "quota": problem.quota,
            "eligible_firms": np.bincount(problem.park, minlength=len(problem.parks)),
        }
    )
    firm_tax = np.nan_to_num(tax, nan=0.0)[problem.firm]
    for label, picked in (("optimum", chosen), ("greedy", greedy)):
        park = problem.park[picked]
        count = len(problem.parks)
        frame[f"{label}_firms"] = np.bincount(park, minlength=count)
        frame[f"{label}_land"] = np.bincount(park, weights=problem.pair_land[picked], minlength=count)
        frame[f"{label}_tax"] = np.bincount(park, weights=firm_tax[picked], minlength=count)
        frame[f"{label}_compensation"] = np.bincount(
            park, weights=problem.compensation[problem.firm[picked]], minlength=count
        )
        frame[f"{label}_value"] = np.bincount(park, weights=problem.value[picked], minlength=count)
    frame["marginal_value_per_mu"] = marginal_firms(problem, chosen)["value_per_mu"].to_numpy()
    return frame


def _plan_issues(batch: Batch, solution: Solution) -> pd.DataFrame:
    found = []
    land = batch.column_for(Role.LAND_REQUESTED)
    if land is None or land not in batch.firms.columns:
        label = batch.fields[land].label.zh if land in batch.fields else Role.LAND_REQUESTED.zh
        found.append(make_issue("district-no-land-column", column=label))
    if solution.status == "infeasible":
        found.append(make_issue("district-infeasible"))
    return issues_frame(found)


def check_options(batch: Batch, options: Options) -> None:
    """Settings that cannot be meant (a negative budget, a share above 1 …) stop with a clear message."""
    problems = []
    checks = [
        (options.years is not None and options.years < 1, options.years, "年限至少 1 年", "years must be at least 1"),
        (options.budget is not None and options.budget < 0, options.budget, "补偿预算不能为负", "a negative budget"),
        (options.time_limit <= 0, options.time_limit, "求解时限必须为正", "the time limit must be positive"),
        (any(q < 0 for q in options.quotas.values()), dict(options.quotas), "用地指标不能为负", "a quota is negative"),
    ]
    retention = options.retention
    share = retention.share
    checks += [
        (share is not None and not 0 < share <= 1, share, "税收留成比例应在 0–1 之间", "the share must be in (0, 1]"),
        (retention.ramp_up < 0, retention.ramp_up, "达产年限不能为负", "the ramp-up cannot be negative"),
        (not 0 <= retention.rate < 1, retention.rate, "折现率应在 0–1 之间", "the discount rate must be in [0, 1)"),
    ]
    for bad, value, zh, en in checks:
        if bad:
            problems.append(make_issue("district-bad-option", value=str(value), detail_zh=zh, detail_en=en))
    both = set(options.force_in) & set(options.force_out)
    rows = batch.firms["source_row"].to_numpy()
    problems += [make_issue("district-force-conflict", value=int(rows[f])) for f in sorted(both)]
    problems += [
        make_issue("district-unknown-park", value=p, allowed="、".join(batch.park_ids))
        for p in options.force_in.values()
        if p is not None and p not in batch.park_ids
    ]
    if problems:
        raise ScreeningError(problems)
