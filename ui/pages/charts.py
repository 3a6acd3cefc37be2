"""Plotly figures of the standalone pages. They draw the shaping modules' numbers; firm names in
tick labels and hover text are HTML-escaped, because Plotly renders a subset of HTML there."""

from __future__ import annotations

import html

import plotly.graph_objects as go

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
BLUE, GREY, GREEN, AMBER, RED = "#1f6feb", "#90a4ae", "#2e7d32", "#f9a825", "#c62828"
LABEL_COLOURS = {"core": GREEN, "borderline": AMBER, "exterior": RED, "class_stable": GREEN, "class_shifts": AMBER}
CLASS_COLOURS = ["#2e7d32", "#7cb342", "#f9a825", "#ef6c00", "#c62828", "#6d4c41"]
CONFIG = {"displaylogo": False}


def _layout(fig: go.Figure, title: str, height: int = 400) -> go.Figure:
    fig.update_layout(
        title={"text": html.escape(title), "font": {"size": 15}},
        height=height,
        margin={"l": 40, "r": 20, "t": 50, "b": 40},
        font={"family": FONT},
        legend={"orientation": "h", "y": -0.2},
        hovermode="closest",
    )
    return fig


def frontier(data: dict, words: dict) -> go.Figure:
    """The value of the allocation against extra land, its tax as bars; the bound where a point was
    not proven optimal. ``words``: value, bound, tax, firms, compensation, title."""
    fig = go.Figure()
    fig.add_trace(
        go.Bar(x=data["x"], y=data["tax"], name=words["tax"], yaxis="y2", marker_color="rgba(31,111,235,0.22)")
    )
    custom = list(zip(data["firms"], data["compensation"], strict=True))
    fig.add_trace(
        go.Scatter(
            x=data["x"],
            y=data["objective"],
            name=words["value"],
            mode="lines+markers",
            line={"color": GREEN, "width": 3},
            customdata=custom,
            hovertemplate=f"%{{x:,.0f}} · {words['value']} %{{y:,.1f}}<br>{words['firms']} %{{customdata[0]}}"
            f" · {words['compensation']} %{{customdata[1]:,.0f}}<extra></extra>",
        )
    )
    if not data["proven"]:
        fig.add_trace(
            go.Scatter(
                x=data["x"], y=data["bound"], name=words["bound"], mode="lines", line={"color": GREY, "dash": "dash"}
            )
        )
    fig.update_layout(
        xaxis_title=data["x_label"],
        xaxis={"tickformat": ",.0f"},
        yaxis={"title": words["value"], "rangemode": "tozero", "tickformat": ",.0f"},
        yaxis2={
            "title": words["tax"],
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "rangemode": "tozero",
            "tickformat": ",.0f",
        },
    )
    return _layout(fig, words["title"], height=420)


def park_land(data: dict, words: dict) -> go.Figure:
    """Land per park: the optimum beside the rank-order fill, the quota as a mark."""
    parks = [html.escape(p) for p in data["parks"]]
    fig = go.Figure()
    for key, colour in (("optimum", GREEN), ("greedy", GREY)):
        fig.add_trace(go.Bar(x=parks, y=data["land"][key], name=words[key], marker_color=colour))
    fig.add_trace(
        go.Scatter(
            x=parks,
            y=data["quota"],
            name=words["quota"],
            mode="markers",
            marker={"symbol": "line-ew", "size": 40, "line": {"width": 3, "color": RED}},
        )
    )
    fig.update_layout(barmode="group", yaxis={"title": words["unit"], "tickformat": ",.0f"})
    return _layout(fig, words["title"], height=380)


def probability_bars(names: list[str], values: list[float], labels: list[str], words: dict) -> go.Figure:
    """One horizontal bar per firm: its probability (0–100 %), coloured by its robustness label."""
    shown = [html.escape(n) for n in names]
    fig = go.Figure(
        go.Bar(
            x=[v * 100 for v in values],
            y=shown,
            orientation="h",
            marker_color=[LABEL_COLOURS.get(label, GREY) for label in labels],
            text=[f"{v:.0%}" for v in values],
            textposition="outside",
            hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
        )
    )
    fig.update_layout(xaxis={"title": words["axis"], "range": [0, 118], "ticksuffix": "%"}, showlegend=False)
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, words["title"], height=max(260, 60 + 24 * len(names)))


def class_bars(names: list[str], shares: dict[str, list[float]], words: dict) -> go.Figure:
    """One stacked horizontal bar per firm: the probability of each class."""
    shown = [html.escape(n) for n in names]
    fig = go.Figure()
    for i, (klass, values) in enumerate(shares.items()):
        fig.add_trace(
            go.Bar(
                x=[v * 100 for v in values],
                y=shown,
                orientation="h",
                name=html.escape(str(klass)),
                marker_color=CLASS_COLOURS[i % len(CLASS_COLOURS)],
                hovertemplate=f"%{{y}} · {html.escape(str(klass))}: %{{x:.1f}}%<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", xaxis={"title": words["axis"], "range": [0, 100], "ticksuffix": "%"})
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, words["title"], height=max(260, 80 + 24 * len(names)))
