"""全区统筹 · the district's whole relocation batch: every park at once, land allocated optimally.

The page reads the upload once for all parks (cached by the files' SHA-256 and the parks chosen),
builds the firm × park matrix once (cached with it), and re-allocates only when a setting
changes (cached by the settings). While settings change the solver gets a quarter of a second;
when that does not prove the optimum, the page says so and offers to keep solving.
"""

from __future__ import annotations

from dataclasses import astuple, replace

import streamlit as st

from screening.district import Batch, DistrictPlan, Matrix, district_matrix, load_batch
from screening.district.plan import allocate
from screening.issues.record import ScreeningError
from screening.rules.loading import RuleSet
from screening.vocabulary import Objective

from ..data import Upload
from ..shape import district as shape
from ..shape.district import Settings
from ..text import plain
from . import common, district_views, keys
from .district_words import WORDS

VIEWS = ("allocation", "compare", "matrix", "parks", "frontier", "money", "issues", "download")
HINTS = {"district-no-quota": "hint_quota", "district-force-nowhere": "hint_force", "district-infeasible": "infeasible"}


def say(lang: str, key: str, **values) -> str:
    return common.say(WORDS, lang, key, **values)


@st.cache_resource(show_spinner=False, max_entries=4)
def _batch(digests: tuple[str, ...], parks: tuple[str, ...], _files: tuple[Upload, ...], _rules: tuple) -> Batch:
    """Every firm of the lists screened against every park (read and screened once per files and parks)."""
    return load_batch([(f.name, f.data) for f in _files], list(_rules))


@st.cache_resource(show_spinner=False, max_entries=4)
def _matrix(digests: tuple[str, ...], parks: tuple[str, ...], _batch: Batch) -> Matrix:
    return district_matrix(_batch)


@st.cache_resource(show_spinner=False, max_entries=24)
def _plan(
    digests: tuple[str, ...],
    parks: tuple[str, ...],
    settings: tuple,
    _batch: Batch,
    _matrix: Matrix,
    _settings: Settings,
) -> DistrictPlan:
    return allocate(_batch, _matrix, _settings.options())


def render(lang: str) -> None:
    profiles = common.page_head(WORDS, lang)
    files = common.uploads(keys.DISTRICT, lang)
    chosen = _park_choice(profiles, lang)
    if not chosen:
        st.info(say(lang, "parks_none"))
        return
    digests = tuple(f.sha256 for f in files)
    try:
        batch = _batch(digests, chosen, _files=files, _rules=tuple(profiles[p] for p in chosen))
        matrix = _matrix(digests, chosen, _batch=batch)
    except ScreeningError as exc:
        common.refusal(exc, lang)
        return
    settings = _settings(batch, lang)
    if settings is None:
        return
    try:
        with st.spinner(say(lang, "solving"), show_time=True):
            plan = _plan(digests, chosen, astuple(settings), _batch=batch, _matrix=matrix, _settings=settings)
    except ScreeningError as exc:
        common.refusal(exc, lang)
        for code in dict.fromkeys(issue.code for issue in exc.issues):
            if code in HINTS:  # the library's words name the command line; say where it is done here
                st.info(say(lang, HINTS[code]))
        return
    _status(plan, settings, lang)
    _headline(plan, lang)
    view = common.view_picker(keys.DISTRICT, VIEWS, WORDS, lang)
    district_views.show(view, plan, (digests, chosen, astuple(settings)), lang)


def _park_choice(profiles: dict[str, RuleSet], lang: str) -> tuple[str, ...]:
    """Every entry standard by default; annual evaluations are no park (said once, not offered)."""
    entry = {pid: r for pid, r in profiles.items() if r.model.kind == "entry"}
    others = [r.model.park.name.get(lang) for pid, r in profiles.items() if pid not in entry]
    picked = common.choose(
        st,
        "multiselect",
        say(lang, "parks"),
        list(entry),
        keys.D_PARKS,
        lang,
        lambda pid: entry[pid].model.park.name.get(lang),
        default=list(entry),
    )
    if others:
        st.caption(plain(say(lang, "evaluations_left_out", names="、".join(others))))
    return tuple(pid for pid in entry if pid in picked)  # the rule files' order, whatever the click order


def _settings(batch: Batch, lang: str) -> Settings | None:
    """The allocation's settings from the widgets; None (with what is missing) when they cannot be used yet."""
    with st.expander(say(lang, "settings"), expanded=True):
        left, middle, right = st.columns(3)
        objective = common.choose(
            left,
            "radio",
            say(lang, "objective"),
            [o.value for o in Objective],
            keys.D_OBJECTIVE,
            lang,
            lambda o: Objective(o).label(lang),
        )
        years = common.number(middle, WORDS, lang, "years", keys.D_YEARS, min_value=1, max_value=50, value=None)
        budget = common.number(
            right, WORDS, lang, "budget", keys.D_BUDGET, min_value=0.0, value=None, step=1000.0, format="%.0f"
        )
        quotas = _quotas(batch, lang)
    retention = _money_inputs(lang)
    force_in, force_out = _forced(batch, lang)
    if objective == Objective.NET.value and years is None:
        st.info(say(lang, "years_needed"))
        return None
    settings = Settings(
        objective=objective,
        years=None if years is None else int(years),
        budget=budget,
        quotas=quotas,
        force_in=force_in,
        force_out=force_out,
        time_limit=shape.INTERACTIVE_SECONDS,
        **retention,
    )
    if st.session_state.get(keys.D_PROVE) == astuple(settings):
        settings = replace(settings, time_limit=shape.PROOF_SECONDS)
    return settings


def _quotas(batch: Batch, lang: str) -> tuple[tuple[str, float], ...]:
    """One quota per park, the rule file's to start with; every park's is passed on (a park without one in
    its rule file, left empty, is refused by the library with what to do)."""
    st.markdown(f"**{say(lang, 'quotas')}**")
    columns = st.columns(len(batch.parks))
    quotas = []
    for column, park in zip(columns, batch.parks, strict=True):  # a loop over parks
        value = column.number_input(
            park.name.get(lang),
            min_value=0.0,
            value=None if park.quota_mu is None else float(park.quota_mu),
            step=10.0,
            format="%.0f",
            key=keys.quota(park.id),
            placeholder=say(lang, "quota_placeholder"),
        )
        if value is not None:
            quotas.append((park.id, float(value)))
    return tuple(quotas)


def _money_inputs(lang: str) -> dict:
    with st.expander(say(lang, "money")):
        first, second, third = st.columns(3)
        share = common.number(
            first, WORDS, lang, "share", keys.D_SHARE, min_value=0.0, max_value=100.0, value=None, step=5.0
        )
        ramp = common.number(second, WORDS, lang, "ramp", keys.D_RAMP, min_value=0.0, max_value=10.0, step=0.5)
        rate = common.number(third, WORDS, lang, "rate", keys.D_RATE, min_value=0.0, max_value=30.0, step=0.5)
        line = {"min_value": 0.0, "value": None, "format": "%.0f", "help": say(lang, "tax_line_help")}
        high = common.number(first, WORDS, lang, "tax_high", keys.D_TAX_HIGH, step=50.0, **line)
        low = common.number(second, WORDS, lang, "tax_low", keys.D_TAX_LOW, step=10.0, **line)
    lines = tuple(float(v) for v in (high, low) if v is not None)
    return {"share_percent": share, "ramp_up": float(ramp), "rate_percent": float(rate), "tax_lines": lines}


def _forced(batch: Batch, lang: str) -> tuple[tuple[tuple[int, str | None], ...], tuple[int, ...]]:
    """Firms forced in (each to any park that takes it, or to a park named) and forced out, by Excel row."""
    choices = shape.firm_choices(batch, lang)
    with st.expander(say(lang, "force")):
        left, right = st.columns(2)
        force_in = common.choose(
            left, "multiselect", say(lang, "force_in"), list(choices), keys.D_FORCE_IN, lang, choices.get
        )
        force_out = common.choose(
            right, "multiselect", say(lang, "force_out"), list(choices), keys.D_FORCE_OUT, lang, choices.get
        )
        names = shape.park_names(batch, lang)
        parks: list[tuple[int, str | None]] = []
        for position in force_in:  # the handful of firms the user named
            park = common.choose(
                left,
                "selectbox",
                say(lang, "force_park", firm=choices[position]),
                [None, *names],
                keys.force_park(position),
                lang,
                lambda p: say(lang, "any_park") if p is None else names[p],
            )
            parks.append((int(position), park))
    return tuple(parks), tuple(int(p) for p in force_out)


def _status(plan: DistrictPlan, settings: Settings, lang: str) -> None:
    found = shape.status(plan)
    if found["kind"] == "optimal":
        st.caption(say(lang, "optimal", seconds=found["seconds"]))
    elif found["kind"] == "infeasible":
        st.error(say(lang, "infeasible"))
    else:
        st.info(say(lang, "gap", seconds=found["seconds"], gap=found["gap_percent"], bound=found["bound"]))
        if settings.time_limit < shape.PROOF_SECONDS:
            asked = astuple(replace(settings, time_limit=shape.INTERACTIVE_SECONDS))
            st.button(say(lang, "prove"), key=keys.D_PROVE_BUTTON, on_click=_ask_proof, args=(asked,))


def _ask_proof(settings_key: tuple) -> None:
    st.session_state[keys.D_PROVE] = settings_key


def _headline(plan: DistrictPlan, lang: str) -> None:
    """The optimum's figures, each with its difference from the rank-order fill (three, then two, so that
    the numbers keep their room on a 1024-pixel screen)."""
    best, greedy = plan.totals, plan.greedy_totals
    first, second = st.columns(3), st.columns(3)
    first[0].metric(say(lang, "m_firms"), f"{best['firms']:,} / {greedy['firms']:,}")
    figures = (
        ("m_value", "objective", 1),
        ("m_land", "land", 1),
        ("m_tax", "tax", 0),
        ("m_compensation", "compensation", 0),
    )
    for column, (label, key, digits) in zip([*first[1:], *second[:2]], figures, strict=True):
        delta = best[key] - greedy[key]
        column.metric(
            say(lang, label),
            f"{best[key]:,.{digits}f}",
            delta=f"{delta:+,.{digits}f}" if abs(delta) > 1e-9 else None,
            delta_color="off" if key != "objective" else "normal",
        )
    second[2].caption(say(lang, "m_delta_note"))
