"""The district's workbook and JSON: summary, allocation, firm × park matrix, differences from the
rank-order fill, parks, money, the land frontier, data issues.

Written with the shortlist workbook's helpers (``report/xlsx.py``): every text cell is text (never a
formula), bulk rows are streamed in by ``xlsx_rows``.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import xlsxwriter

from ..district.frontier import Frontier
from ..district.money import speech_sentence
from ..district.plan import DistrictPlan
from ..vocabulary import Decision, Placement
from .xlsx import _styles, _write_blocks, _write_table
from .xlsx_rows import splice_rows

WORDS = {
    "zh": {
        "sheets": (
            "全区汇总",
            "分配方案",
            "园区矩阵",
            "最优与排序法差异",
            "各园区",
            "资金",
            "新增用地边际",
            "数据问题",
        ),
        "file": "文件",
        "row": "Excel行号",
        "name": "企业名称",
        "applied": "拟入园区",
        "best": "最适园区",
        "eligible": "可接收园区",
        "park": "分配园区（最优）",
        "greedy": "分配园区（排序法）",
        "change": "与排序法相比",
        "placement": "结果",
        "reason": "说明",
        "value": "目标价值",
        "land": "拟申请用地（亩）",
        "tax": "年税收（万元）",
        "compensation": "搬迁补偿（万元）",
        "payback": "简单回收年限（年）",
        "retained": "区级留成税收（万元/年）",
        "retained_payback": "区级动态回收年限（年）",
        "npv": "补偿净现值（万元）",
        "decision": "结论",
        "score": "得分",
        "class": "等级",
        "first": "首个未通过规则",
        "changes": {"in": "最优方案新增", "out": "最优方案移出", "moved": "换园区", "": ""},
    },
    "en": {
        "sheets": ("Summary", "Allocation", "Park matrix", "Optimum vs rank order", "Parks", "Money", "Land frontier")
        + ("Data issues",),
        "file": "File",
        "row": "Excel row",
        "name": "Firm",
        "applied": "Park applied for",
        "best": "Best-fit park",
        "eligible": "Parks that take it",
        "park": "Park (optimum)",
        "greedy": "Park (rank order)",
        "change": "Against rank order",
        "placement": "Outcome",
        "reason": "Reasons",
        "value": "Value",
        "land": "Land requested (mu)",
        "tax": "Annual tax (10k yuan)",
        "compensation": "Compensation (10k yuan)",
        "payback": "Simple payback (years)",
        "retained": "Retained tax (10k yuan/yr)",
        "retained_payback": "District payback (years)",
        "npv": "Net present value (10k yuan)",
        "decision": "Decision",
        "score": "Score",
        "class": "Class",
        "first": "First rule failed",
        "changes": {"in": "added by optimum", "out": "dropped by optimum", "moved": "moved", "": ""},
    },
}


def allocation_frame(plan: DistrictPlan, lang: str = "zh") -> pd.DataFrame:
    """Every firm, in Excel order: where the optimum puts it, where the rank-order fill would, and why."""
    w, f = WORDS[lang], plan.firms
    names = _park_names(plan, lang)
    frame = pd.DataFrame(
        {
            w["row"]: f["source_row"].to_numpy(),
            w["file"]: f["source_file"].to_numpy(dtype=object),
            w["name"]: f["name"].to_numpy(dtype=object),
            w["applied"]: f["applied_park"].map(names).to_numpy(dtype=object),
            w["park"]: f["park"].map(names).to_numpy(dtype=object),
            w["greedy"]: f["greedy_park"].map(names).to_numpy(dtype=object),
            w["change"]: f["change"].map(w["changes"]).to_numpy(dtype=object),
            w["placement"]: [Placement(p).label(lang) for p in f["placement"]],
            w["value"]: f["value"].to_numpy(dtype=float),
            w["land"]: f["land"].to_numpy(dtype=float),
            w["tax"]: f["tax"].to_numpy(dtype=float),
            w["compensation"]: f["compensation"].to_numpy(dtype=float),
            w["best"]: f["best_park"].map(names).to_numpy(dtype=object),
            w["reason"]: f[f"reason_{lang}"].to_numpy(dtype=object),
        }
    )
    frame.attrs["digits"] = {w["row"]: 0, w["value"]: 1, w["land"]: 1, w["tax"]: 1, w["compensation"]: 0}
    return frame


def matrix_frame(plan: DistrictPlan, lang: str = "zh") -> pd.DataFrame:
    """One row per firm; for every park its decision, score, class and the first rule the firm fails there."""
    w = WORDS[lang]
    frame = pd.DataFrame(
        {w["row"]: plan.firms["source_row"].to_numpy(), w["name"]: plan.firms["name"].to_numpy(dtype=object)}
    )
    grid = {column: plan.matrix.grid(column) for column in ("decision", "score", "class", f"reason_{lang}")}
    digits = {w["row"]: 0}
    for park, name in _park_names(plan, lang).items():
        frame[f"{name} · {w['decision']}"] = [Decision(d).label(lang) for d in grid["decision"][park]]
        frame[f"{name} · {w['score']}"] = grid["score"][park].to_numpy(dtype=float)
        frame[f"{name} · {w['class']}"] = grid["class"][park].to_numpy(dtype=object)
        frame[f"{name} · {w['first']}"] = grid[f"reason_{lang}"][park].to_numpy(dtype=object)
        digits[f"{name} · {w['score']}"] = 1
    frame[w["eligible"]] = plan.firms["eligible_parks"].to_numpy(dtype=object)
    frame.attrs["digits"] = digits
    return frame


def differences_frame(plan: DistrictPlan, lang: str = "zh") -> pd.DataFrame:
    """The firms the optimum places differently from the rank-order fill."""
    frame = allocation_frame(plan, lang)
    keep = plan.firms["change"].to_numpy() != ""
    out = frame[keep].reset_index(drop=True)
    out.attrs["digits"] = frame.attrs["digits"]
    return out


def parks_frame(plan: DistrictPlan, lang: str = "zh") -> pd.DataFrame:
    zh = lang == "zh"
    p = plan.parks
    headers = {
        "name": "园区" if zh else "Park",
        "quota": "用地指标（亩）" if zh else "Land quota (mu)",
        "eligible_firms": "可接收企业" if zh else "Eligible firms",
        "marginal_value_per_mu": "边际企业每亩价值" if zh else "Marginal value per mu",
    }
    frame = pd.DataFrame({headers["name"]: p[f"name_{lang}"]})
    for key in ("quota", "eligible_firms"):
        frame[headers[key]] = p[key].to_numpy()
    for label, word in (("optimum", "最优" if zh else "optimum"), ("greedy", "排序法" if zh else "rank order")):
        for key, zh_word, en_word in (
            ("firms", "企业数", "firms"),
            ("land", "用地（亩）", "land (mu)"),
            ("tax", "年税收（万元）", "tax (10k yuan)"),
            ("compensation", "搬迁补偿（万元）", "compensation (10k yuan)"),
            ("value", "目标价值", "value"),
        ):
            frame[f"{word} · {zh_word if zh else en_word}"] = p[f"{label}_{key}"].to_numpy()
    frame[headers["marginal_value_per_mu"]] = p["marginal_value_per_mu"].to_numpy()
    frame.attrs["digits"] = {c: 1 for c in frame.columns[1:]}
    return frame


def money_frame(plan: DistrictPlan, lang: str = "zh") -> pd.DataFrame:
    w, f = WORDS[lang], plan.firms
    frame = pd.DataFrame({w["row"]: f["source_row"].to_numpy(), w["name"]: f["name"].to_numpy(dtype=object)})
    frame[w["park"]] = f["park"].map(_park_names(plan, lang)).to_numpy(dtype=object)
    columns = {"tax": "tax", "compensation": "compensation", "payback": "payback", "retained": "retained_tax"}
    columns |= {"retained_payback": "retained_payback", "npv": "npv"}
    for key, column in columns.items():
        frame[w[key]] = f[column].to_numpy(dtype=float)
    frame.attrs["digits"] = {w["row"]: 0, **{w[k]: 1 for k in ("tax", "payback", "retained", "retained_payback")}}
    return frame


FRONTIER_HEADERS = {
    "extra_mu": ("新增用地（亩）", "Extra land (mu)"),
    "objective": ("目标价值", "Value"),
    "bound": ("价值上界", "Upper bound"),
    "gap": ("相对差距", "Gap"),
    "firms": ("入选企业", "Firms"),
    "land_used": ("用地（亩）", "Land used (mu)"),
    "tax": ("年税收（万元）", "Annual tax (10k yuan)"),
    "compensation": ("搬迁补偿（万元）", "Compensation (10k yuan)"),
    "gain_objective": ("本步新增价值", "Value added by the step"),
    "gain_firms": ("本步新增企业", "Firms added"),
    "gain_tax": ("本步新增税收", "Tax added"),
    "gain_compensation": ("本步新增补偿", "Compensation added"),
    "gain_per_mu": ("每亩新增价值", "Value added per mu"),
}


def frontier_frame(frontier: Frontier, lang: str = "zh") -> pd.DataFrame:
    names = {key: words[lang != "zh"] for key, words in FRONTIER_HEADERS.items()}
    frame = frontier.table[list(names)].rename(columns=names)
    frame.attrs["digits"] = {v: (4 if k == "gap" else 1) for k, v in names.items()}
    return frame


def summary_blocks(plan: DistrictPlan, lang: str, run_time: str, frontier: Frontier | None) -> list:
    """The first sheet: the run's settings, the optimum against the rank-order fill, the speech's figures."""
    zh = lang == "zh"
    o = plan.options
    facts = [
        ("名单" if zh else "Lists", "、".join(plan.batch.files)),
        ("园区" if zh else "Parks", "、".join(plan.parks[f"name_{lang}"])),
        ("目标" if zh else "Objective", o.objective.label(lang)),
        ("年限 N" if zh else "Years N", "" if o.years is None else str(o.years)),
        ("补偿预算（万元）" if zh else "Budget (10k yuan)", "" if o.budget is None else f"{o.budget:g}"),
        (
            "区级留成比例" if zh else "District share of tax",
            "" if o.retention.share is None else f"{o.retention.share:g}",
        ),
        ("达产年限" if zh else "Ramp-up (years)", f"{o.retention.ramp_up:g}"),
        ("折现率" if zh else "Discount rate", f"{o.retention.rate:g}"),
        ("求解结果" if zh else "Solver status", plan.status),
        ("运行时间" if zh else "Run at", run_time),
    ]
    blocks = [("", pd.DataFrame(facts, columns=["项目" if zh else "Item", "值" if zh else "Value"]))]
    totals = pd.DataFrame([_totals_row(plan.totals, "最优方案" if zh else "Optimum", zh),
                           _totals_row(plan.greedy_totals, "排序法" if zh else "Rank order", zh)])  # fmt: skip
    blocks.append(("最优方案与排序法" if zh else "Optimum and rank-order fill", totals))
    sentences = pd.DataFrame({"": _speech(plan, lang)})
    blocks.append(("按讲话口径" if zh else "In the speech's terms", sentences))
    if frontier is not None:
        unit = "亩/步" if zh else "mu a step"
        title = f"{'新增用地边际' if zh else 'Land frontier'}: {frontier.scope}, {frontier.step:g} {unit}"
        blocks.append((title, pd.DataFrame()))
    return blocks


def _totals_row(totals: dict, label: str, zh: bool) -> dict:
    return {
        "方案" if zh else "Plan": label,
        "目标价值" if zh else "Value": round(totals["objective"], 2),
        "企业数" if zh else "Firms": totals["firms"],
        "用地（亩）" if zh else "Land (mu)": round(totals["land"], 1),
        "年税收（万元）" if zh else "Tax (10k yuan)": round(totals["tax"], 1),
        "搬迁补偿（万元）" if zh else "Compensation (10k yuan)": round(totals["compensation"], 1),
    }


def _speech(plan: DistrictPlan, lang: str) -> list[str]:
    labels = {
        "batch": ("全部企业", "Whole batch"),
        "optimum": ("最优方案", "Optimum"),
        "greedy": ("排序法", "Rank order"),
    }
    return [
        f"{labels[row['group']][lang != 'zh']}: {speech_sentence(row, plan.options.tax_lines, lang)}"
        for _, row in plan.summary.iterrows()  # three groups
    ]


def _park_names(plan: DistrictPlan, lang: str) -> dict[str, str]:
    return dict(zip(plan.parks["park"], plan.parks[f"name_{lang}"], strict=True))


def issues_frame(plan: DistrictPlan, lang: str = "zh") -> pd.DataFrame:
    message = "message_zh" if lang == "zh" else "message_en"
    table = plan.issues[["code", "severity", "source", "row", "column", "value", message]]
    headers = ["代码", "严重程度", "文件", "Excel行号", "列", "值", "说明"] if lang == "zh" else [
        "Code", "Severity", "File", "Excel row", "Column", "Value", "Message"]  # fmt: skip
    return table.set_axis(headers, axis=1).reset_index(drop=True)


def write_district_xlsx(
    plan: DistrictPlan, lang: str = "zh", frontier: Frontier | None = None, run_time: str | None = None
) -> bytes:
    run_time = run_time or dt.datetime.now().astimezone().isoformat(timespec="seconds")
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    book = xlsxwriter.Workbook(buffer, options)
    styles = _styles(book)
    names = WORDS[lang]["sheets"]
    _write_blocks(book, names[0], summary_blocks(plan, lang, run_time, frontier), styles)
    tables = [
        (names[1], allocation_frame(plan, lang)),
        (names[2], matrix_frame(plan, lang)),
        (names[3], differences_frame(plan, lang)),
        (names[4], parks_frame(plan, lang)),
        (names[5], money_frame(plan, lang)),
    ]
    if frontier is not None:
        tables.append((names[6], frontier_frame(frontier, lang)))
    tables.append((names[7], issues_frame(plan, lang)))
    rest = {}
    for number, (name, frame) in enumerate(tables, start=2):  # sheet 1 is the summary
        _write_table(book, name, frame, styles, lang, name, decorate=False)
        rest[f"xl/worksheets/sheet{number}.xml"] = (frame.iloc[1:], 3)
    book.close()
    return splice_rows(buffer.getvalue(), rest)


def district_json(plan: DistrictPlan, frontier: Frontier | None = None) -> dict:
    """The machine-readable answer: ``allocation``, ``eligible``, ``totals``, ``greedy``, ``status`` and more."""
    f = plan.firms
    allocation = pd.DataFrame(
        {
            "source_file": f["source_file"], "source_row": f["source_row"], "name": f["name"], "park": f["park"],
            "reason": f["reason_zh"], "reason_en": f["reason_en"], "placement": f["placement"],
            "greedy_park": f["greedy_park"], "change": f["change"], "value": f["value"], "land": f["land"],
            "tax": f["tax"], "compensation": f["compensation"], "payback": f["payback"],
            "retained_payback": f["retained_payback"], "npv": f["npv"], "best_park": f["best_park"],
            "applied_park": f["applied_park"], "applied_eligible": f["applied_eligible"],
            "other_parks": f["other_parks"],
        }
    )  # fmt: skip
    pairs = plan.matrix.pairs.assign(source_row=plan.batch.firms["source_row"].to_numpy()[plan.matrix.pairs["firm"]])
    payload = {
        "status": plan.status,
        "gap": plan.solution.gap,
        "bound": plan.solution.bound,
        "seconds": round(plan.solution.seconds, 3),
        "objective": plan.options.objective.value,
        "parks": _records(plan.parks),
        "totals": plan.totals,
        "greedy": plan.greedy_totals,
        "allocation": _records(allocation),
        "eligible": _records(plan.eligible().drop(columns="firm")),
        "matrix": _records(pairs.drop(columns="firm")),
        "summary": _records(plan.summary),
        "issues": _records(plan.issues),
    }
    if frontier is not None:
        payload["frontier"] = {"scope": frontier.scope, "step": frontier.step, "points": _records(frontier.table)}
    return payload


def write_district_json(plan: DistrictPlan, frontier: Frontier | None = None) -> bytes:
    return json.dumps(district_json(plan, frontier), ensure_ascii=False, indent=1).encode("utf-8")


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON values (NaN and missing become null)."""
    clean = frame.astype(object).where(frame.notna(), None)
    return json.loads(clean.to_json(orient="records", force_ascii=False)) if len(clean) else []
