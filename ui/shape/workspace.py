"""The 工作组 page's tables, built from what ``screening.store`` returns — plain frames, no Streamlit.

Ids become words here: decisions, departments and verdicts by the vocabulary's labels, parks by the
rule files' names, parameters by their labels; times are shown as the machine's local time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from screening.rules.loading import RuleSet
from screening.rules.parameters import format_parameter
from screening.store.rounds import RoundInfo
from screening.store.snapshot import Snapshot
from screening.vocabulary import WORKING_GROUP, Decision, Department, Verdict

from ..text import DECISION_MARKS


@dataclass(frozen=True)
class CurrentScreening:
    """What the main page is screening, left in ``st.session_state[keys.CURRENT_SCREENING]`` so that the
    workspace can save exactly that as a round (without it the workspace page asks for its own list)."""

    files: tuple[tuple[str, bytes], ...]
    park: str
    overrides: tuple[tuple[str, Any], ...] = ()
    sheet: str | None = None
    manual: tuple[tuple[str, str | None], ...] = ()
    applicants_only: bool = True
    extra: dict = field(default_factory=dict, compare=False)


def _zh(lang: str) -> bool:
    return lang == "zh"


def decision_words(lang: str) -> dict[str, str]:
    return {d.value: f"{DECISION_MARKS[d.value]} {d.label(lang)}" for d in Decision}


def verdict_words(lang: str) -> dict[str, str]:
    return {v.value: v.label(lang) for v in Verdict}


def department_words(lang: str) -> dict[str, str]:
    return {d.value: d.label(lang) for d in Department}


def local_time(values: pd.Series | list) -> np.ndarray:
    """ISO times as stored (UTC) -> "2026-03-02 14:05" in this machine's time zone; blank stays blank."""
    stamps = pd.to_datetime(pd.Series(values, dtype=object), utc=True, errors="coerce")
    local = stamps.dt.tz_convert(dt.datetime.now().astimezone().tzinfo)
    shown = local.dt.strftime("%Y-%m-%d %H:%M")
    return shown.astype(object).where(stamps.notna(), None).to_numpy(dtype=object)


def rounds_table(rounds: pd.DataFrame, park_names: dict[str, str], lang: str) -> pd.DataFrame:
    """Every saved round, newest first, with its counts by decision."""
    zh = _zh(lang)
    frame = pd.DataFrame(
        {
            "轮次" if zh else "Round": rounds["name"].to_numpy(dtype=object),
            "园区" if zh else "Park": rounds["park"].map(lambda p: park_names.get(p, p)).to_numpy(dtype=object),
            "规则版本" if zh else "Rules version": rounds["rules_version"].to_numpy(dtype=object),
        }
    )
    for decision in (Decision.ADMIT, Decision.REVIEW, Decision.REJECT, Decision.NOT_SCORED):
        frame[decision.label(lang)] = rounds[decision.value].to_numpy()
    frame["调整的参数" if zh else "Parameters changed"] = rounds["changed"].to_numpy()
    frame["保存人" if zh else "Saved by"] = rounds["created_by"].to_numpy(dtype=object)
    frame["保存时间" if zh else "Saved at"] = local_time(rounds["created_at"])
    return frame


def parameter_label(ruleset: RuleSet | None, pid: str, lang: str) -> str:
    """A tunable parameter's label (with its unit) from the park's rule file; its id if the file no longer has it."""
    param = ruleset.parameters.get(pid) if ruleset is not None else None
    if param is None:
        return pid
    return f"{param.label.get(lang)}（{param.unit}）" if param.unit and _zh(lang) else param.label.get(lang)


def round_facts(info: RoundInfo, park_names: dict[str, str], ruleset: RuleSet | None, lang: str) -> pd.DataFrame:
    """What the round was: park, rules (version, file, fingerprint), files, parameters changed, who, when."""
    zh = _zh(lang)
    files = "；".join(
        f"{i['file_name']}（{i['sha256'][:12]}）"
        + ("" if i["kept"] else ("，内容已过保存期" if zh else ", content purged"))
        for i in info.inputs
    )
    changes = "；".join(
        f"{parameter_label(ruleset, pid, lang)} = {format_parameter(tuple(v) if isinstance(v, list) else v)}"
        for pid, v in info.overrides.items()
    )
    rows = [
        ("园区" if zh else "Park", park_names.get(info.park, info.park)),
        ("规则版本" if zh else "Rules version", info.rules_version),
        ("规则文件" if zh else "Rule file", f"{info.rules_source}（{info.rules_sha256[:12]}）"),
        ("名单文件" if zh else "Lists", files),
        ("调整的参数" if zh else "Parameters changed", changes or ("全部为标准值" if zh else "all at the standard")),
        ("保存人" if zh else "Saved by", info.created_by + (f"（{info.account}）" if info.account else "")),
        ("保存时间" if zh else "Saved at", local_time([info.created_at])[0]),
    ]
    return pd.DataFrame(rows, columns=["项目" if zh else "Item", "内容" if zh else "Value"])


def _current(entries: pd.DataFrame, department: str) -> pd.Series:
    mine = entries[entries["department"] == department]
    return mine.set_index("source_row")["verdict"]


def snapshot_table(snapshot: Snapshot, opinions: pd.DataFrame, decisions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """What the round decided, firm by firm, with each department's current verdict and the meeting's
    decision beside the rules' verdict (ranked firms first)."""
    zh = _zh(lang)
    firms = snapshot.firms
    order = np.lexsort((firms["source_row"].to_numpy(), pd.to_numeric(firms["rank"], errors="coerce").fillna(1e9)))
    firms = firms.iloc[order]
    rows = firms["source_row"].to_numpy()
    frame = pd.DataFrame(
        {
            "排名" if zh else "Rank": pd.to_numeric(firms["rank"], errors="coerce").to_numpy(dtype=float),
            "Excel行号" if zh else "Excel row": rows,
            "企业名称" if zh else "Firm": firms["name"].to_numpy(dtype=object) if "name" in firms else None,
            "结论" if zh else "Decision": firms["decision"].map(decision_words(lang)).to_numpy(dtype=object),
            "等级" if zh else "Class": firms["class"].to_numpy(dtype=object),
            "综合得分" if zh else "Score": firms["score"].to_numpy(dtype=float),
        }
    )
    verdicts = verdict_words(lang)
    for department in WORKING_GROUP:
        current = _current(opinions, department.value).map(verdicts)
        frame[department.label(lang)] = current.reindex(rows).to_numpy(dtype=object)
    final = decisions.set_index("source_row") if len(decisions) else pd.DataFrame(columns=["decision", "reason"])
    frame["会议决定" if zh else "Meeting decision"] = (
        final["decision"].map(decision_words(lang)).reindex(rows).to_numpy(dtype=object)
    )
    frame["决定理由" if zh else "Reason"] = final["reason"].reindex(rows).to_numpy(dtype=object)
    frame.attrs["digits"] = {frame.columns[0]: 0, frame.columns[1]: 0, frame.columns[5]: 2}
    return frame


def firm_choices(snapshot: Snapshot, lang: str) -> dict[int, str]:
    """Excel row -> "第N行 · name · decision", the firms up for review first, then the others in Excel order."""
    firms = snapshot.firms
    review = (firms["decision"] == Decision.REVIEW.value).to_numpy()
    order = np.lexsort((firms["source_row"].to_numpy(), ~review))
    firms = firms.iloc[order]
    rows = firms["source_row"].astype(str)
    names = firms["name"].astype(object).where(firms["name"].notna(), "").astype(str) if "name" in firms else ""
    decisions = firms["decision"].map(decision_words(lang))
    head = ("第" + rows + "行 · ") if _zh(lang) else ("row " + rows + " · ")
    return dict(zip(firms["source_row"].astype(int).tolist(), (head + names + " · " + decisions).tolist(), strict=True))


def opinions_table(entries: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Opinions (current, one per department; or a history), in words, oldest first."""
    zh = _zh(lang)
    return pd.DataFrame(
        {
            "部门" if zh else "Department": entries["department"].map(department_words(lang)).to_numpy(dtype=object),
            "意见" if zh else "Verdict": entries["verdict"].map(verdict_words(lang)).to_numpy(dtype=object),
            "附加条件" if zh else "Conditions": entries["conditions"].to_numpy(dtype=object),
            "说明" if zh else "Note": entries["note"].to_numpy(dtype=object),
            "填写人" if zh else "By": entries["author"].to_numpy(dtype=object),
            "时间" if zh else "When": local_time(entries["at"]),
        }
    )


def missing_table(missing: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Review firms still missing an opinion: one row per firm, the departments that have not given one."""
    zh = _zh(lang)
    words = department_words(lang)
    named = missing.assign(department=missing["department"].map(words))
    grouped = named.groupby("source_row", sort=True).agg(name=("name", "first"), departments=("department", list))
    joiner = "、" if zh else ", "
    return pd.DataFrame(
        {
            "Excel行号" if zh else "Excel row": grouped.index.to_numpy(),
            "企业名称" if zh else "Firm": grouped["name"].to_numpy(dtype=object),
            "尚未给出意见的部门" if zh else "Departments yet to give an opinion": grouped["departments"]
            .map(joiner.join)
            .to_numpy(dtype=object),
        }
    )


def comparison_tables(diff: dict, ruleset: RuleSet | None, lang: str) -> dict[str, pd.DataFrame]:
    """``entered`` and ``left`` (who, from what to what, why) and ``parameters`` (what was changed)."""
    zh = _zh(lang)
    decisions = decision_words(lang)
    joiner = "；" if zh else "; "

    def why(reasons: list[dict]) -> str:
        return joiner.join(_reason_text(r, ruleset, lang) for r in reasons)

    def records(key: str) -> pd.DataFrame:
        found = diff[key]
        return pd.DataFrame(
            {
                "Excel行号" if zh else "Excel row": [r["source_row"] for r in found],
                "企业名称" if zh else "Firm": [r["name"] for r in found],
                "上一轮" if zh else "Before": [decisions.get(r["from"]) for r in found],
                "本轮" if zh else "Now": [decisions.get(r["to"]) for r in found],
                "原因" if zh else "Why": [why(r["why"]) for r in found],
            }
        )  # the records of the firms that moved: a handful, not every firm

    parameters = pd.DataFrame(
        {
            "参数" if zh else "Parameter": [parameter_label(ruleset, p["id"], lang) for p in diff["parameters"]],
            "上一轮" if zh else "Before": [_shown(p["from"]) for p in diff["parameters"]],
            "本轮" if zh else "Now": [_shown(p["to"]) for p in diff["parameters"]],
        }
    )
    return {"entered": records("entered"), "left": records("left"), "parameters": parameters}


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    return format_parameter(tuple(value) if isinstance(value, list) else value)


def _reason_text(reason: dict, ruleset: RuleSet | None, lang: str) -> str:
    """The library's sentence, except that a parameter is named by its label rather than its id."""
    if reason["kind"] != "parameter":
        return reason["text"]
    label = parameter_label(ruleset, reason["item"], lang)
    pattern = "参数“{label}”：{a} → {b}" if _zh(lang) else "parameter '{label}': {a} -> {b}"
    return pattern.format(label=label, a=_shown(reason["from"]) or "—", b=_shown(reason["to"]) or "—")


def decisions_table(final: pd.DataFrame, firms: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The meeting's decision per firm beside what the rules said, with its reason, who and when."""
    zh = _zh(lang)
    known = firms.set_index("source_row")
    rows = final["source_row"]
    decisions = decision_words(lang)
    names = known["name"].reindex(rows).to_numpy(dtype=object) if "name" in known else None
    return pd.DataFrame(
        {
            "Excel行号" if zh else "Excel row": rows.to_numpy(),
            "企业名称" if zh else "Firm": names,
            "规则结论" if zh else "The rules said": known["decision"]
            .map(decisions)
            .reindex(rows)
            .to_numpy(dtype=object),
            "会议决定" if zh else "Decision": final["decision"].map(decisions).to_numpy(dtype=object),
            "决定理由" if zh else "Reason": final["reason"].to_numpy(dtype=object),
            "附加条件" if zh else "Conditions": final["conditions"].to_numpy(dtype=object),
            "记录人" if zh else "Recorded by": final["author"].to_numpy(dtype=object),
            "时间" if zh else "When": local_time(final["at"]),
        }
    )
