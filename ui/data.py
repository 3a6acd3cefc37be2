"""Cached calls into the core. Parsing is keyed by the file's SHA-256, so moving a slider only
re-runs the engine; screening results are kept for the last few parameter sets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from screening.engine.result import Result
from screening.intake.loading import LoadedTable, load_firms
from screening.issues.record import Issue, ScreeningError
from screening.pipeline import screen_table
from screening.report import figures
from screening.report.writers import write_csv, write_rules
from screening.report.xlsx import write_xlsx
from screening.rules.loading import RuleSet, list_rule_files, load_rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "demo_firms.xlsx"
DEFAULT_PARK = "smart-mfg-town"


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    sha256: str

    @classmethod
    def of(cls, name: str, data: bytes) -> Upload:
        return cls(name, data, hashlib.sha256(data).hexdigest())


@st.cache_resource(show_spinner=False)
def profiles() -> tuple[dict[str, RuleSet], list[Issue]]:
    """Every shipped park profile; a broken rule file is reported, not fatal."""
    loaded, problems = {}, []
    for path in list_rule_files():
        try:
            ruleset = load_rules(path)
        except ScreeningError as exc:
            problems += exc.issues
            continue
        loaded[ruleset.model.park.id] = ruleset
    return loaded, problems


@st.cache_resource(show_spinner=False)
def sample() -> Upload:
    return Upload.of(SAMPLE.name, SAMPLE.read_bytes())


@st.cache_resource(show_spinner=False, max_entries=6)
def table(
    sha256: str, name: str, park: str, sheet: str | None, manual: tuple, _upload: Upload, _ruleset: RuleSet
) -> LoadedTable:
    """Load, map and validate an upload (cached by the file's hash, the park's inputs, sheet, mapping)."""
    return load_firms(_upload.data, name, _ruleset.load_fields, sheet=sheet, manual=dict(manual) or None)


@st.cache_resource(show_spinner=False, max_entries=16)
def screened(
    table_key: tuple, overrides: tuple, applicants_only: bool, _table: LoadedTable, _ruleset: RuleSet
) -> Result:
    return screen_table(_table, _ruleset, dict(overrides), applicants_only)


@st.cache_data(show_spinner=False, max_entries=32)
def sweep(cache_key: tuple, overrides: tuple, parameter: str, values: tuple, _firms, _ruleset: RuleSet):
    """Admitted firms and their tax at each value of one parameter (the firms that were screened)."""
    return figures.admitted_sweep(_firms, _ruleset, parameter, values, dict(overrides))


def workbook_bytes(result: Result, lang: str):
    """A callable for the download button: the workbook is built only when someone clicks."""
    return lambda: write_xlsx(result, lang)


def csv_bytes(result: Result):
    return lambda: write_csv(result)


def rules_bytes(result: Result) -> bytes:
    return write_rules(result)
