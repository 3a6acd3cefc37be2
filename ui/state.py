"""Every session-state key the app uses.

Language, park profile and every slider are bound to the URL's query parameters (Streamlit's
``bind="query-params"``): a refresh, or a link copied to a colleague, keeps the adjustments.
A slider's parameter is named ``<park>:<parameter>``, e.g. ``smart-mfg-town:gate.min-tax-per-mu=25``.
"""

from __future__ import annotations

LANG = "lang"
PARK = "park"
UPLOAD = "upload"
SHEET = "sheet"
VIEW = "view"
DECISIONS = "decision_filter"
DECISIONS_EVALUATION = "decisions_evaluation"  # an evaluation profile has other outcomes
OWN_PARK = "own_park_only"
FIRM = "firm"
FIRM_ROW = "firm_row"
TABLE = "ranked_table"
CHART_INDICATOR = "chart_indicator"
CHART_X = "chart_x"
CHART_Y = "chart_y"
CHART_LOG = "chart_log"
SWEEP = "sweep_parameter"
RESET = "reset"
MAPPING_APPLY = "mapping_apply"
MAPPING = "mapping"  # (table id, {input id: column letter or None}) chosen in the mapping review
MAP_PREFIX = "map::"
ACTOR = "actor"  # the signed-in screening.store.access.Actor (ui/access.py)
SIGN_IN = "sign_in"
SIGN_IN_NAME = "sign_in_name"
SIGN_IN_PASSWORD = "sign_in_password"
SIGN_IN_SUBMIT = "sign_in_submit"
SIGN_OUT = "sign_out"


def param_key(park: str, parameter: str) -> str:
    return f"{park}:{parameter}"


def map_key(table_id: str, input_id: str) -> str:
    """Mapping widgets belong to one file and park: another upload starts from its own suggestions."""
    return f"{MAP_PREFIX}{table_id}:{input_id}"


def manual_mapping(st_state, table_id: str) -> tuple:
    """The mapping chosen by hand for this file and park, as a hashable tuple (empty if none)."""
    chosen = st_state.get(MAPPING)
    if not chosen or chosen[0] != table_id:
        return ()
    return tuple(sorted(chosen[1].items()))
