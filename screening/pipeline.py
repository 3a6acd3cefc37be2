"""One call from file bytes to a screening result: load, map, validate, screen."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .engine import screen
from .guards import Limits
from .issues import ScreeningError, make_issue
from .loading import LoadedTable, load_firms
from .result import Result
from .rules import ParamValue, RuleSet


def screen_table(table: LoadedTable, ruleset: RuleSet, overrides: Mapping[str, ParamValue] | None = None) -> Result:
    result = screen(table.firms, ruleset, overrides, issues=table.issues)
    result.skipped = table.skipped
    result.source = table.source_info
    return result


def screen_file(
    path_or_bytes: str | Path | bytes,
    ruleset: RuleSet,
    *,
    file_name: str | None = None,
    overrides: Mapping[str, ParamValue] | None = None,
    sheet: str | None = None,
    manual: Mapping[str, str | None] | None = None,
    limits: Limits | None = None,
) -> Result:
    if isinstance(path_or_bytes, bytes):
        data, name = path_or_bytes, file_name or "upload.xlsx"
    else:
        path = Path(path_or_bytes)
        try:
            data = path.read_bytes()
        except OSError:
            raise ScreeningError([make_issue("file-not-found", value=str(path))]) from None
        name = file_name or path.name
    table = load_firms(data, name, ruleset.load_fields, sheet=sheet, manual=manual, limits=limits)
    return screen_table(table, ruleset, overrides)
