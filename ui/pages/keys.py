"""Every session-state key of the three standalone pages (全区统筹, 稳健性, 工作组).

Each page's keys carry its prefix (``district:``, ``robustness:``, ``workspace:``), so they never
collide with the main screening page's keys (``ui/state.py``) or with each other. Widgets are
found by these keys in the tests, too.
"""

from __future__ import annotations

DISTRICT = "district:"
ROBUSTNESS = "robustness:"
WORKSPACE = "workspace:"


def shown(key: str, lang: str) -> str:
    """The widget behind ``key`` in one language (see ``common.choose``): ``key`` itself keeps the choice."""
    return f"{key}@{lang}"


def upload(prefix: str, generation: int = 0) -> str:
    """The page's file-upload widget (several files allowed); a new generation is a new, empty widget
    (how the page empties it: an uploader's value cannot be set)."""
    return f"{prefix}upload" + (f"#{generation}" if generation else "")


def upload_generation(prefix: str) -> str:
    return f"{prefix}upload_generation"


def files(prefix: str) -> str:
    """The uploaded files themselves, kept as ``((name, bytes), …)`` so they survive a visit to another
    page (a widget's own value is dropped when its page is left)."""
    return f"{prefix}files"


def use_sample(prefix: str) -> str:
    """The button that forgets the kept upload and goes back to the built-in sample."""
    return f"{prefix}use_sample"


def park(prefix: str) -> str:
    return f"{prefix}park"


def applicants_only(prefix: str) -> str:
    return f"{prefix}applicants_only"


def view(prefix: str) -> str:
    return f"{prefix}view"


# --- 全区统筹 -------------------------------------------------------------------------------------
D_PARKS = "district:parks"
D_OBJECTIVE = "district:objective"
D_YEARS = "district:years"
D_BUDGET = "district:budget"
D_SHARE = "district:share_percent"
D_RAMP = "district:ramp_up"
D_RATE = "district:rate_percent"
D_TAX_HIGH = "district:tax_line_high"
D_TAX_LOW = "district:tax_line_low"
D_FORCE_IN = "district:force_in"
D_FORCE_OUT = "district:force_out"
D_PROVE = "district:prove"  # options (as a key) for which the user asked for a proven optimum
D_PROVE_BUTTON = "district:prove_button"
D_MATRIX_SHOW = "district:matrix_show"
D_FRONTIER_SCOPE = "district:frontier_scope"
D_FRONTIER_STEP = "district:frontier_step"
D_FRONTIER_STEPS = "district:frontier_steps"
D_FRONTIER_RUN = "district:frontier_run"
D_FRONTIER_ASKED = "district:frontier_asked"  # the frontier settings last asked for
D_DOWNLOAD = "district:download"


def quota(park_id: str) -> str:
    return f"district:quota:{park_id}"


def force_park(position: int) -> str:
    """The park a forced-in firm (by its position in the batch) must go to."""
    return f"district:force_park:{position}"


# --- 稳健性 ---------------------------------------------------------------------------------------
R_MODE = "robustness:weight_mode"
R_SPREAD = "robustness:spread_percent"
R_SAMPLES = "robustness:samples"
R_SEED = "robustness:seed"
R_FIRM = "robustness:firm"
R_DOWNLOAD = "robustness:download"


def weight_range(criterion: str) -> str:
    return f"robustness:range:{criterion}"


def weight_order(department: str) -> str:
    return f"robustness:order:{department}"


# --- 工作组 ---------------------------------------------------------------------------------------
CURRENT_SCREENING = "workspace:current"  # a ui.shape.workspace.CurrentScreening the main page may leave here
W_ROUND_NAME = "workspace:round_name"
W_SAVE = "workspace:save"
W_ROUND = "workspace:round"
W_COMPARE_A = "workspace:compare_a"
W_COMPARE_B = "workspace:compare_b"
W_FIRM = "workspace:firm"
W_DEPARTMENT = "workspace:department"
W_VERDICT = "workspace:verdict"
W_CONDITIONS = "workspace:conditions"
W_NOTE = "workspace:note"
W_OPINION_FORM = "workspace:opinion_form"
W_OPINION_SUBMIT = "workspace:opinion_submit"
W_PACK_BUILD = "workspace:pack_build"
W_PACK = "workspace:pack"  # (round name, lang, xlsx bytes) of the pack last built
W_PACK_DOWNLOAD = "workspace:pack_download"
W_DECISIONS_UPLOAD = "workspace:decisions_upload"
W_DECISIONS_RECORD = "workspace:decisions_record"
W_RECORDED = "workspace:recorded"  # (round, workbook SHA-256) of the decisions last recorded in this session
