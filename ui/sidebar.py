"""The sidebar: language, park profile, upload, sheet, column mapping, sliders, reset."""

from __future__ import annotations

import math

import streamlit as st

from screening.intake.loading import LoadedTable
from screening.pipeline import applicants
from screening.rules.loading import RuleSet
from screening.rules.parameters import Parameter, differs, format_parameter
from screening.vocabulary import Department, ParamKind

from . import state
from .data import Upload, sample
from .text import group_title, plain, t

GROUP_ORDER = [*Department, *(k for k in ParamKind if k is not ParamKind.THRESHOLD)]


def language() -> str:
    return st.sidebar.radio(
        t("zh", "language"),
        ["zh", "en"],
        key=state.LANG,
        horizontal=True,
        format_func=lambda code: "中文" if code == "zh" else "English",
        bind="query-params",
    )


def park_picker(parks: dict[str, RuleSet], lang: str) -> str:
    ids = list(parks)
    default = ids.index("smart-mfg-town") if "smart-mfg-town" in ids else 0
    return st.sidebar.selectbox(
        t(lang, "park"),
        ids,
        index=default,
        key=state.PARK,
        bind="query-params",
        format_func=lambda pid: parks[pid].model.park.name.get(lang),
    )


def upload(lang: str) -> Upload:
    file = st.sidebar.file_uploader(
        t(lang, "upload"), type=["xlsx", "xlsm", "xls", "csv"], key=state.UPLOAD, help=t(lang, "upload_help")
    )
    if file is None:
        st.sidebar.caption(t(lang, "using_sample"))
        return sample()
    st.sidebar.caption(plain(t(lang, "using_upload", name=file.name)))
    return Upload.of(file.name, file.getvalue())


def applicants_only(table: LoadedTable, ruleset: RuleSet, lang: str) -> bool:
    """Screen only the firms that applied to this park (when the list says where each applied)."""
    mask = applicants(table.firms, ruleset)
    if mask is None:
        return False
    label = t(lang, "own_park", park=ruleset.model.park.name.get(lang), count=int(mask.sum()), total=len(table.firms))
    return st.sidebar.toggle(label, value=True, key=state.OWN_PARK, help=t(lang, "own_park_help"))


def sheet_picker(table: LoadedTable, lang: str) -> None:
    if len(table.sheet_names) > 1:
        st.sidebar.selectbox(
            t(lang, "sheet"), table.sheet_names, index=table.sheet_names.index(table.sheet), key=state.SHEET
        )


def mapping_review(table: LoadedTable, ruleset: RuleSet, table_id: str, lang: str) -> None:
    """One selectbox per rule input, the import's choice preselected; opened when something is missing."""
    fields = ruleset.load_fields
    problems = table.mapping.needs_review
    options = [""] + [c.letter for c in table.columns]
    labels = {"": t(lang, "mapping_none"), **{c.letter: f"{c.letter} · {c.header}" for c in table.columns}}
    with st.sidebar.expander(t(lang, "mapping"), expanded=problems), st.form(state.MAPPING_APPLY, border=False):
        st.caption(t(lang, "mapping_help"))
        for key, mapped in table.mapping.inputs.items():
            current = mapped.column.letter if mapped.column else ""
            label = fields[key].label.get(lang) + (" *" if fields[key].required else "")
            st.selectbox(
                label, options, index=options.index(current), key=state.map_key(table_id, key), format_func=labels.get
            )
        st.form_submit_button(
            t(lang, "mapping_apply"), on_click=_apply_mapping, args=(table_id, list(table.mapping.inputs))
        )


def _apply_mapping(table_id: str, inputs: list[str]) -> None:
    """Runs before the next script run, so the table is read again with the new mapping at once."""
    chosen = {k: st.session_state[state.map_key(table_id, k)] or None for k in inputs}
    st.session_state[state.MAPPING] = (table_id, chosen)


def sliders(ruleset: RuleSet, lang: str) -> dict:
    """A slider per tunable parameter, grouped by department; returns the values that differ."""
    park = ruleset.model.park.id
    params = list(ruleset.parameters.values())
    st.sidebar.subheader(t(lang, "sliders"))
    st.sidebar.button(t(lang, "reset"), key=state.RESET, on_click=_reset, args=(ruleset,))
    overrides = {}
    groups = sorted({p.group for p in params}, key=lambda g: GROUP_ORDER.index(g) if g in GROUP_ORDER else 99)
    for group in groups:
        title = group_title(lang, group)
        with st.sidebar.expander(title, expanded=group is Department.ECON):
            for param in (p for p in params if p.group == group):
                value = _slider(param, park, lang)
                if differs(value, param.value):
                    overrides[param.id] = value
    _changes(ruleset, overrides, lang)
    return overrides


def _slider(param: Parameter, park: str, lang: str):
    step = param.step or _nice_step(param.high - param.low)
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    label = (
        f"{param.label.get(lang)}（{param.unit}）"
        if param.unit and lang == "zh"
        else (f"{param.label.get(lang)} ({param.unit})" if param.unit else param.label.get(lang))
    )
    value = param.value if not isinstance(param.value, tuple) else tuple(param.value)
    return st.slider(
        label,
        min_value=float(param.low),
        max_value=float(param.high),
        value=value,
        step=float(step),
        format=f"%.{decimals}f",
        key=state.param_key(park, param.id),
        bind="query-params",
    )


def _nice_step(span: float) -> float:
    raw = span / 100
    return 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0


def _reset(ruleset: RuleSet) -> None:
    park = ruleset.model.park.id
    for param in ruleset.parameters.values():
        st.session_state[state.param_key(park, param.id)] = param.value


def _changes(ruleset: RuleSet, overrides: dict, lang: str) -> None:
    st.sidebar.markdown(f"**{t(lang, 'changed')}**")
    if not overrides:
        st.sidebar.caption(t(lang, "no_changes"))
        return
    lines = []
    for pid, value in overrides.items():
        param = ruleset.parameters[pid]
        colon = "：" if lang == "zh" else ": "
        change = f"{format_parameter(param.value)} → {format_parameter(value)}"
        lines.append(f"- {plain(param.label.get(lang))}{colon}{change} {plain(param.unit)}")
    st.sidebar.markdown("\n".join(lines))
    if any(ruleset.parameters[p].kind == "weight" for p in overrides):
        st.sidebar.caption(t(lang, "weights_note", total=f"{ruleset.model.scoring.total:g}"))
