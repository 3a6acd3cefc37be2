"""Plotly figures. They draw what ``screening.figures`` and the result hold; firm names in hover
text are HTML-escaped (Plotly renders a subset of HTML in labels)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .text import t

COLOURS = {"admit": "#2e7d32", "review": "#f9a825", "reject": "#c62828", "not_scored": "#9e9e9e"}
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
BINS = 40
POINTS = 5_000


def _layout(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 15}},
        height=height,
        margin={"l": 40, "r": 20, "t": 50, "b": 40},
        font={"family": FONT},
        legend={"orientation": "h", "y": -0.18},
        hovermode="closest",
    )
    return fig


def _marker(fig: go.Figure, x: float, text: str) -> None:
    """A dashed vertical line at a threshold, labelled."""
    fig.add_vline(x=x, line_dash="dash", line_color="#1f2937", annotation_text=text, annotation_position="top right")


def distribution(
    values: pd.Series, decisions: pd.Series, threshold: float | None, title: str, unit: str, lang: str
) -> go.Figure:
    fig = go.Figure()
    finite = values.replace([np.inf, -np.inf], np.nan)
    if finite.notna().any():  # binned here: 40 bars go to the browser, not every firm's value
        low, high = float(finite.min()), float(finite.quantile(0.98))
        edges = np.linspace(low, high if high > low else low + 1, BINS + 1)
        centres = (edges[:-1] + edges[1:]) / 2
        for decision, colour in COLOURS.items():
            chosen = finite[(decisions == decision).to_numpy()].dropna().clip(upper=edges[-1])
            if len(chosen):
                counts, _ = np.histogram(chosen, bins=edges)
                fig.add_trace(
                    go.Bar(
                        x=centres,
                        y=counts,
                        width=edges[1] - edges[0],
                        name=t(lang, decision),
                        marker_color=colour,
                        opacity=0.85,
                    )
                )
    fig.update_layout(barmode="stack", bargap=0.02, xaxis_title=unit, yaxis_title=t(lang, "firms"))
    if threshold is not None:
        _marker(fig, threshold, f"{t(lang, 'threshold')} {threshold:g}")
    return _layout(fig, title)


def scatter(
    x: pd.Series,
    y: pd.Series,
    decisions: pd.Series,
    names: pd.Series,
    labels: tuple[str, str],
    lines: tuple[float | None, float | None],
    log: bool,
    lang: str,
) -> go.Figure:
    fig = go.Figure()
    if len(x) > POINTS:  # a fixed sample keeps the page light; the full data is in the export
        keep = np.sort(np.random.default_rng(0).choice(len(x), POINTS, replace=False))
        x, y, decisions, names = (s.iloc[keep] for s in (x, y, decisions, names))
    hover = names.fillna("").astype(str).map(html.escape)
    for decision, colour in COLOURS.items():
        mask = (decisions == decision).to_numpy()
        if mask.any():
            fig.add_trace(
                go.Scattergl(
                    x=x[mask],
                    y=y[mask],
                    mode="markers",
                    name=t(lang, decision),
                    marker={"color": colour, "size": 7, "opacity": 0.75},
                    text=hover[mask],
                    hovertemplate="%{text}<br>%{x:,.2f} · %{y:,.2f}<extra></extra>",
                )
            )
    if lines[0] is not None:
        fig.add_vline(x=lines[0], line_dash="dash", line_color="#1f2937")
    if lines[1] is not None:
        fig.add_hline(y=lines[1], line_dash="dash", line_color="#1f2937")
    axis_type = "log" if log else "linear"
    fig.update_xaxes(title=labels[0], type=axis_type)
    fig.update_yaxes(title=labels[1], type=axis_type)
    return _layout(fig, f"{labels[0]} × {labels[1]}", height=440)


def sweep(passing: pd.DataFrame, admitted: pd.DataFrame, current: float, label: str, lang: str) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=passing["threshold"],
            y=passing["passing"],
            name=t(lang, "sweep_passing"),
            mode="lines",
            line={"color": "#90a4ae", "width": 2},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=admitted["threshold"],
            y=admitted["admitted"],
            name=t(lang, "sweep_admitted"),
            mode="lines+markers",
            line={"color": COLOURS["admit"], "width": 3},
        )
    )
    fig.add_trace(
        go.Bar(
            x=admitted["threshold"],
            y=admitted["tax"],
            name=t(lang, "sweep_tax"),
            yaxis="y2",
            marker_color="rgba(31,111,235,0.25)",
        )
    )
    _marker(fig, current, f"{t(lang, 'sweep_current')} {current:g}")
    fig.update_layout(
        xaxis_title=label,
        yaxis={"title": t(lang, "firms"), "rangemode": "tozero"},
        yaxis2={
            "title": t(lang, "sweep_tax"),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "rangemode": "tozero",
        },
    )
    return _layout(fig, t(lang, "chart_sweep"), height=420)


def class_bars(counts: pd.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure()
    for decision, colour in COLOURS.items():
        part = counts[counts["decision"] == decision]
        if len(part):
            fig.add_trace(
                go.Bar(x=part["class"].astype(str), y=part["firms"], name=t(lang, decision), marker_color=colour)
            )
    fig.update_layout(barmode="stack", yaxis_title=t(lang, "firms"))
    return _layout(fig, t(lang, "chart_classes"), height=340)


def waterfall(items: pd.DataFrame, total_label: str, title: str) -> go.Figure:
    measures = ["relative"] * len(items) + ["total"]
    fig = go.Figure(
        go.Waterfall(
            x=[*items["item"].tolist(), total_label],
            y=[*items["points"].tolist(), 0],
            measure=measures,
            texttemplate="%{y:.1f}",
            textposition="outside",
            increasing={"marker": {"color": "#1f6feb"}},
            decreasing={"marker": {"color": "#c62828"}},
            totals={"marker": {"color": "#2e7d32"}},
        )
    )
    fig.update_layout(showlegend=False)
    return _layout(fig, title, height=380)


def radar(frame: pd.DataFrame, lang: str, title: str) -> go.Figure:
    axis = frame["axis"] if lang == "zh" else frame["axis_en"]
    theta = [*axis.tolist(), axis.iloc[0]]
    fig = go.Figure()
    series = (
        ("median", "radar_median", "#90a4ae"),
        ("threshold", "radar_threshold", "#c62828"),
        ("firm", "radar_firm", "#1f6feb"),
    )
    for column, key, colour in series:
        values = frame[column]
        if values.notna().any():
            r = [*values.fillna(0).tolist(), values.fillna(0).iloc[0]]
            fig.add_trace(
                go.Scatterpolar(
                    r=r,
                    theta=theta,
                    name=t(lang, key),
                    line={"color": colour},
                    fill="toself" if column == "firm" else None,
                    opacity=0.85,
                )
            )
    fig.update_layout(polar={"radialaxis": {"range": [0, 100], "ticksuffix": "%"}})
    return _layout(fig, title, height=420)
