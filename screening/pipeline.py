"""One call from file bytes to a screening result: load, map, validate, screen."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .engine.result import ELSEWHERE_COLUMNS, Result, Setting
from .engine.screen import screen
from .intake.guards import Limits
from .intake.loading import LoadedTable, load_firms
from .intake.merge import MergedTable, load_files
from .issues.record import ScreeningError, make_issue
from .rules.loading import RuleSet
from .rules.parameters import ParamValue
from .vocabulary import Role


def applicants(firms: pd.DataFrame, ruleset: RuleSet) -> np.ndarray | None:
    """Firms whose 拟入园区 (the input with role applied_park) names this park; None when the list has
    no such column or names nobody here."""
    column = ruleset.input_for(Role.APPLIED_PARK)
    if column is None or column not in firms.columns:
        return None
    park = ruleset.model.park
    mask = firms[column].isin({park.name.zh, park.name.get("en"), park.id}).to_numpy()
    return mask if mask.any() else None


def screen_table(
    table: LoadedTable | MergedTable,
    ruleset: RuleSet,
    overrides: Mapping[str, ParamValue] | None = None,
    applicants_only: bool = True,
) -> Result:
    """Screen a loaded list. When the list says which park each firm applies to, only this park's
    applicants compete (for ranks, quotas and land); the others are listed in ``result.elsewhere``."""
    firms = table.firms
    mask = applicants(firms, ruleset) if applicants_only else None
    elsewhere = firms.iloc[:0] if mask is None else firms[~mask]
    if mask is not None:
        firms = firms[mask]
    applied = ruleset.input_for(Role.APPLIED_PARK)
    if applied is not None and applied != "target_park" and applied in elsewhere.columns:
        elsewhere = elsewhere.rename(columns={applied: "target_park"})  # the list's own name for it, one output name
    setting = Setting(
        issues=table.issues,
        skipped=table.skipped,
        elsewhere=elsewhere[[c for c in ELSEWHERE_COLUMNS if c in elsewhere.columns]],
        source=table.source_info,
    )
    return screen(firms, ruleset, overrides, setting)


Source = str | Path | bytes | tuple[str, bytes]


def read_source(source: Source, file_name: str | None = None) -> tuple[str, bytes]:
    """A path, raw bytes, or (name, bytes) -> (file name, bytes); a missing file is a clear error."""
    if isinstance(source, tuple):
        return source
    if isinstance(source, bytes):
        return file_name or "upload.xlsx", source
    path = Path(source)
    try:
        return file_name or path.name, path.read_bytes()
    except OSError:
        raise ScreeningError([make_issue("file-not-found", value=str(path))]) from None


def load_sources(
    sources: list[Source],
    ruleset: RuleSet,
    *,
    sheet: str | None = None,
    manual: Mapping[str, str | None] | None = None,
    limits: Limits | None = None,
) -> LoadedTable | MergedTable:
    """One file -> its LoadedTable; several -> their MergedTable (joined on credit codes)."""
    read = [read_source(s) for s in sources]
    if len(read) == 1:
        name, data = read[0]
        return load_firms(data, name, ruleset.load_fields, sheet=sheet, manual=manual, limits=limits)
    return load_files(read, ruleset.load_fields, manual=manual, limits=limits)


def screen_files(
    sources: list[Source],
    ruleset: RuleSet,
    *,
    overrides: Mapping[str, ParamValue] | None = None,
    manual: Mapping[str, str | None] | None = None,
    limits: Limits | None = None,
    applicants_only: bool = True,
) -> Result:
    """Several department files (paths, bytes or (name, bytes)) joined into one list and screened;
    one file is simply :func:`screen_file`. The merge report is ``load_files(...).report``."""
    if len(sources) == 1:
        name, data = read_source(sources[0])
        return screen_file(
            data,
            ruleset,
            file_name=name,
            overrides=overrides,
            manual=manual,
            limits=limits,
            applicants_only=applicants_only,
        )
    table = load_files([read_source(s) for s in sources], ruleset.load_fields, manual=manual, limits=limits)
    return screen_table(table, ruleset, overrides, applicants_only)


def screen_file(
    path_or_bytes: str | Path | bytes,
    ruleset: RuleSet,
    *,
    file_name: str | None = None,
    overrides: Mapping[str, ParamValue] | None = None,
    sheet: str | None = None,
    manual: Mapping[str, str | None] | None = None,
    limits: Limits | None = None,
    applicants_only: bool = True,
) -> Result:
    name, data = read_source(path_or_bytes, file_name)
    table = load_firms(data, name, ruleset.load_fields, sheet=sheet, manual=manual, limits=limits)
    return screen_table(table, ruleset, overrides, applicants_only)
