"""CSV, JSON and the adjusted rule file: the result for other systems.

CSV cells that start with = + - @ tab or CR are prefixed with ' (OWASP), and the file is UTF-8
with BOM so that Excel opens it in Chinese.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from ..engine.result import Result
from ..rules.overrides import adjusted_rule_text
from .tables import result_table

RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """OWASP CSV-injection defence: text starting with = + - @ tab or CR gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(RISKY_PREFIXES):
        return "'" + value
    return value


def write_csv(result: Result) -> bytes:
    table = result_table(result)
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column].dtype):
            table[column] = table[column].map(neutralise)
    return table.to_csv(index=False).encode("utf-8-sig")


def write_json(result: Result) -> bytes:
    """The result as JSON; numbers at full double precision (``repr`` of each float round-trips), blanks null."""
    table = result_table(result)
    records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
    payload = {
        "park": result.ruleset.model.park.id,
        "kind": result.ruleset.model.kind,  # "evaluation": scores and classes only, nobody admitted
        "rules_version": result.ruleset.model.version,
        "rules_sha256": result.ruleset.sha256,
        "source": result.source,
        "changes": [{"parameter": c.parameter, "standard": c.standard, "used": c.used} for c in result.ruleset.changes],
        "counts": {str(k): v for k, v in result.counts().items()},
        "firms": records,
    }
    return json.dumps(payload, ensure_ascii=False, indent=1, default=_plain).encode("utf-8")


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers (json knows only the built-in types)."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.bool_):
        return bool(value)
    return str(value)


def write_rules(result: Result) -> bytes:
    """The rule file with this run's parameters written in (loads again to the same result)."""
    return adjusted_rule_text(result.ruleset).encode("utf-8")
