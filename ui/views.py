"""The main area: headline figures, and one view at a time (ranking, firm, charts, issues, export)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from screening.engine.result import Result
from screening.report import figures
from screening.report.explain import gate_table, points_table, reasons
from screening.rules.loading import RuleSet

from . import charts, data, state
from .text import decision_label, plain, t

TABLE_ROWS = 500  # rows sent to the browser; the full result is in the export
SWEEP_POINTS = 11
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headline(result: Result, lang: str) -> None:
    figs = figures.headline(result)
    columns = st.columns(5)
    columns[0].metric(t(lang, "candidates"), f"{figs['candidates']:,}")
    for column, key in zip(columns[1:], ("admit", "review", "reject", "not_scored"), strict=True):
        column.metric(decision_label(lang, key), f"{figs[key]:,}")
    columns = st.columns(3)
    quota = figs["land_quota"]
    quota_text = f"{quota:,.0f}" if quota else t(lang, "park_quota_none")
    columns[0].metric(t(lang, "land"), f"{figs['land_admitted']:,.1f} / {quota_text}")
    columns[1].metric(t(lang, "tax"), f"{figs['tax_admitted']:,.0f}")
    columns[2].metric(t(lang, "compensation"), f"{figs['compensation_admitted']:,.0f}")


def ranked_table(result: Result, lang: str) -> None:
    order = result.display_order()
    summary = result.summary
    keys = ["graded", "not_scored"] if result.is_evaluation else ["admit", "review", "reject", "not_scored"]
    chosen = st.multiselect(
        t(lang, "filter"),
        keys,
        default=keys,
        key=state.DECISIONS_EVALUATION if result.is_evaluation else state.DECISIONS,
        format_func=lambda k: decision_label(lang, k),
    )
    positions = order[np.isin(summary["decision"].to_numpy()[order], chosen)]
    shown = positions[:TABLE_ROWS]
    frame = _table_frame(result, shown, lang)
    top = max(float(np.nanmax(summary["total"].to_numpy())) if summary["total"].notna().any() else 100.0, 100.0)
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=520,
        key=state.TABLE,
        column_config={
            t(lang, "col_total"): st.column_config.ProgressColumn(
                t(lang, "col_total"), min_value=0.0, max_value=top, format="%.1f"
            ),
            t(lang, "col_reasons"): st.column_config.TextColumn(t(lang, "col_reasons"), width="large"),
            t(lang, "col_name"): st.column_config.TextColumn(t(lang, "col_name"), width="medium"),
        },
    )
    if len(positions) > TABLE_ROWS:
        st.caption(t(lang, "shown_rows", shown=TABLE_ROWS, total=len(positions)))


def _table_frame(result: Result, positions: np.ndarray, lang: str) -> pd.DataFrame:
    summary = result.summary

    def column(name: str) -> np.ndarray:
        return summary[name].to_numpy(dtype=object)[positions] if name in summary else np.full(len(positions), None)

    frame = pd.DataFrame(
        {
            t(lang, "col_rank"): summary["rank"].to_numpy(dtype="float")[positions],
            t(lang, "col_name"): column("name"),
            t(lang, "col_decision"): [decision_label(lang, d) for d in summary["decision"].to_numpy()[positions]],
            t(lang, "col_class"): summary["class"].to_numpy(dtype=object, na_value="")[positions],
            t(lang, "col_total"): summary["total"].to_numpy()[positions],
            t(lang, "col_reasons"): reasons(result, positions, lang).to_numpy(),
            t(lang, "col_industry"): column("industry_code"),
            t(lang, "col_row"): summary["source_row"].to_numpy()[positions],
        }
    )
    if "target_park" in result.firms.columns:
        frame.insert(6, t(lang, "col_park"), result.firms["target_park"].to_numpy(dtype=object)[positions])
    return frame


def firm_view(result: Result, lang: str) -> None:
    order = result.display_order()
    if not len(order):
        st.info(t(lang, "firm_none"))
        return
    summary = result.summary
    names = summary["name"].to_numpy(dtype=object) if "name" in summary else np.full(result.size, "")

    def label(position: int) -> str:
        rank = summary["rank"].iloc[position]
        prefix = f"#{rank} · " if not pd.isna(rank) else ""
        return f"{prefix}{names[position]} · {t(lang, 'col_row')} {summary['source_row'].iloc[position]}"

    pick, find = st.columns([4, 1])
    position = pick.selectbox(t(lang, "firm_pick"), order[:TABLE_ROWS].tolist(), key=state.FIRM, format_func=label)
    wanted = find.number_input(t(lang, "firm_find"), min_value=0, step=1, value=0, key=state.FIRM_ROW)
    if wanted:
        found = np.flatnonzero(summary["source_row"].to_numpy() == wanted)
        if len(found):
            position = int(found[0])
        else:
            find.caption(t(lang, "firm_not_found"))
    decision = summary["decision"].iloc[position]
    st.subheader(plain(names[position] or ""))
    st.markdown(
        f"**{decision_label(lang, decision)}** · {t(lang, 'col_class')} "
        f"{plain(summary['class'].iloc[position]) if pd.notna(summary['class'].iloc[position]) else '—'} · "
        f"{t(lang, 'col_total')} {summary['total'].iloc[position]:.1f}"
    )
    for line in reasons(result, [position], lang).iloc[0].split("；" if lang == "zh" else "; "):
        st.markdown(f"- {plain(line)}")
    st.markdown(f"#### {t(lang, 'firm_gates')}")
    gates = gate_table(result, position, lang)
    gates["status"] = gates["status"].map(lambda s: t(lang, f"status_{s}"))
    gates = gates.drop(columns=["gate"]).rename(
        columns={
            "rule": t(lang, "gate_rule"),
            "department": t(lang, "gate_department"),
            "severity": t(lang, "gate_severity"),
            "value": t(lang, "gate_value"),
            "requirement": t(lang, "gate_requirement"),
            "margin": t(lang, "gate_margin"),
            "status": t(lang, "gate_status"),
            "basis": t(lang, "gate_basis"),
        }
    )
    margin = t(lang, "gate_margin")
    gates[margin] = gates[margin].map(lambda m: "" if pd.isna(m) else f"{m:+,.2f}")
    st.dataframe(gates, hide_index=True, width="stretch", height=36 * (len(gates) + 1) + 4)
    left, right = st.columns(2)
    points = points_table(result, position, lang)
    if len(points):
        left.plotly_chart(
            charts.waterfall(points, t(lang, "points_total"), t(lang, "firm_points")),
            key="firm_waterfall",
            config={"displaylogo": False},
        )
        shares = figures.radar(result, position)
        if len(shares):
            right.plotly_chart(
                charts.radar(shares, lang, t(lang, "firm_radar")), key="firm_radar", config={"displaylogo": False}
            )
        shown = points.rename(
            columns={
                "item": t(lang, "points_item"),
                "value": t(lang, "points_value"),
                "method": t(lang, "points_method"),
                "reference": t(lang, "points_reference"),
                "weight": t(lang, "points_weight"),
                "points": t(lang, "points_points"),
                "basis": t(lang, "gate_basis"),
            }
        ).drop(columns=["kind", "unit"])
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={t(lang, "points_points"): st.column_config.NumberColumn(format="%.2f")},
        )


def charts_view(result: Result, ruleset: RuleSet, overrides: dict, cache_key: tuple, lang: str) -> None:
    indicators = list(ruleset.indicators)
    if not indicators:
        return
    labels = {k: ruleset.indicators[k].spec.label.get(lang) for k in indicators}
    decisions = result.summary["decision"].astype(str)
    values = result.indicators
    left, right = st.columns(2)
    with left:
        chosen = st.selectbox(t(lang, "chart_indicator"), indicators, key=state.CHART_INDICATOR, format_func=labels.get)
        st.plotly_chart(
            charts.distribution(
                values[chosen],
                decisions,
                figures.gate_line(result, chosen),
                f"{t(lang, 'chart_distribution')} · {labels[chosen]}",
                ruleset.unit_of(chosen),
                lang,
            ),
            key="chart_distribution",
            config={"displaylogo": False},
        )
    with right:
        st.plotly_chart(
            charts.class_bars(figures.class_counts(result), lang),
            key="chart_classes",
            config={"displaylogo": False},
        )
    x_col, y_col, log_col = st.columns([2, 2, 1])
    x = x_col.selectbox(t(lang, "chart_x"), indicators, index=0, key=state.CHART_X, format_func=labels.get)
    y = y_col.selectbox(
        t(lang, "chart_y"), indicators, index=min(1, len(indicators) - 1), key=state.CHART_Y, format_func=labels.get
    )
    log = log_col.toggle(t(lang, "chart_log"), value=False, key=state.CHART_LOG)
    names = result.summary["name"] if "name" in result.summary else pd.Series([""] * result.size)
    st.plotly_chart(
        charts.scatter(
            values[x],
            values[y],
            decisions,
            names,
            (labels[x], labels[y]),
            (figures.gate_line(result, x), figures.gate_line(result, y)),
            log,
            lang,
        ),
        key="chart_scatter",
        config={"displaylogo": False},
    )
    _sweep(result, ruleset, overrides, cache_key, lang)


def _sweep(result: Result, ruleset: RuleSet, overrides: dict, cache_key: tuple, lang: str) -> None:
    thresholds = [p for p in ruleset.parameters.values() if p.kind == "threshold" and not isinstance(p.value, tuple)]
    if not thresholds:
        st.caption(t(lang, "sweep_none"))
        return
    by_id = {p.id: p for p in thresholds}
    pid = st.selectbox(
        t(lang, "chart_sweep_param"), list(by_id), key=state.SWEEP, format_func=lambda p: by_id[p].label.get(lang)
    )
    param = by_id[pid]
    passing = figures.gate_sweep(result, pid)
    values = tuple(figures.sweep_points(param.low, param.high, param.step, SWEEP_POINTS).tolist())
    others = tuple(sorted((k, v) for k, v in overrides.items() if k != pid))
    admitted = data.sweep(cache_key, others, pid, values, _firms=result.firms, _ruleset=ruleset)
    current = overrides.get(pid, param.value)
    label = f"{param.label.get(lang)} ({param.unit})"
    st.plotly_chart(
        charts.sweep(passing, admitted, float(current), label, lang), key="chart_sweep", config={"displaylogo": False}
    )


def issues_view(result: Result, lang: str) -> None:
    st.markdown(f"#### {t(lang, 'issues_title')}")
    issues = result.issues
    if issues.empty:
        st.success(t(lang, "issues_none"))
    else:
        message = "message_zh" if lang == "zh" else "message_en"
        frame = issues.sort_values(["row"], na_position="first")[
            ["row", "severity", "code", "column", "value", message]
        ]
        frame = frame.assign(
            row=frame["row"].astype(object).where(frame["row"].notna(), ""),
            severity=frame["severity"].map(lambda s: t(lang, f"severity_{s}")),
        )
        frame.columns = [
            t(lang, "col_row"),
            t(lang, "col_severity"),
            t(lang, "col_code_issue"),
            t(lang, "col_column"),
            t(lang, "col_value"),
            t(lang, "col_message"),
        ]
        st.dataframe(frame.head(5000), hide_index=True, width="stretch")
    if len(result.elsewhere):
        st.markdown(f"#### {t(lang, 'elsewhere_title')}")
        elsewhere = result.elsewhere.rename(
            columns={"source_row": t(lang, "col_row"), "name": t(lang, "col_name"), "target_park": t(lang, "col_park")}
        )
        st.dataframe(elsewhere, hide_index=True, width="stretch")
    st.markdown(f"#### {t(lang, 'skipped_title')}")
    skipped = result.skipped[["source_row", "reason_zh" if lang == "zh" else "reason_en", "text"]].copy()
    skipped.columns = [t(lang, "col_row"), t(lang, "col_reason"), t(lang, "col_text")]
    st.dataframe(skipped, hide_index=True, width="stretch")


def export_view(result: Result, lang: str) -> None:
    st.markdown(f"#### {t(lang, 'export_title')}")
    st.caption(t(lang, "export_note"))
    park = result.ruleset.model.park.id
    downloads = [
        ("export_xlsx", data.workbook_bytes(result, lang), f"{park}-shortlist.xlsx", XLSX_MIME, "primary"),
        ("export_csv", data.csv_bytes(result), f"{park}-results.csv", "text/csv", "secondary"),
        ("export_rules", data.rules_bytes(result), f"{park}-adjusted.yaml", "application/x-yaml", "secondary"),
    ]
    for label, content, file_name, mime, kind in downloads:  # files are built only when clicked
        st.download_button(
            t(lang, label),
            content,
            file_name=file_name,
            mime=mime,
            key=f"download_{label}",
            type=kind,
            on_click="ignore",
        )
