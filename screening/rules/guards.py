"""What a rule file may not be: too large, built with YAML anchors/aliases, nested too deep, or
holding a number no computation can use. Each is refused at load with one clear issue, fast.

- size: a rule file is a few kB; above :func:`max_rule_bytes` (1 MB, or ``$SCREENING_MAX_RULE_BYTES``)
  it is refused before it is decoded or parsed (a 50 MB file took a minute to parse);
- anchors, aliases, depth and number literals of more than 30 characters: refused by the YAML
  composer (``yaml_io``) before any node is shared, any recursion can overflow or any huge integer
  is converted;
- numbers: every number must be finite and at most :data:`MAX_NUMBER` in size — an integer literal
  with 400 digits passes the schema (strict floats take ints) and would overflow only when a firm is
  scored; ``.inf`` and ``.nan`` would make every comparison meaningless.
"""

from __future__ import annotations

import math
import os
from typing import Any

from ..issues.record import Issue, ScreeningError, make_issue
from .yaml_io import Path, line_of, path_text

ENV_MAX_BYTES = "SCREENING_MAX_RULE_BYTES"
DEFAULT_MAX_BYTES = 1_000_000
MAX_NUMBER = 1e15  # far above any threshold, weight or quota (10¹⁵ 万元), far below float overflow


def max_rule_bytes() -> int:
    """The size cap for rule files: ``$SCREENING_MAX_RULE_BYTES`` if set to a positive integer, else 1 MB."""
    configured = os.environ.get(ENV_MAX_BYTES, "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else DEFAULT_MAX_BYTES


def check_size(size: int, source: str, limit: int | None = None) -> None:
    limit = limit or max_rule_bytes()
    if size > limit:
        raise ScreeningError(
            [make_issue("rule-file-too-large", source=source, value=_bytes_text(size), limit=_bytes_text(limit))]
        )


def _bytes_text(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.1f} kB"


def usable_number(value: Any) -> bool:
    """A number a computation can use: finite and no larger than :data:`MAX_NUMBER` (bools are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    try:
        number = float(value)
    except OverflowError:
        return False
    return math.isfinite(number) and abs(number) <= MAX_NUMBER


def check_numbers(document: Any, source: str) -> None:
    """Every number in the document is usable; otherwise one issue per number naming its line and key."""
    found: list[Issue] = []
    stack: list[tuple[Path, Any]] = [((), document)]
    while stack:  # iterative: the depth is bounded already, but a walk needs no recursion
        path, node = stack.pop()
        if isinstance(node, dict):
            stack.extend((path + (key,), value) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((path + (i,), value) for i, value in enumerate(node))
        elif not usable_number(node):
            found.append(
                make_issue(
                    "rule-number-unusable",
                    source=source,
                    row=line_of(document, path),
                    column=path_text(path),
                    value=_short_number(node),
                    limit=f"{MAX_NUMBER:.0e}",
                )
            )
    if found:
        raise ScreeningError(sorted(found, key=lambda issue: issue.row or 0))


def _short_number(value: int | float) -> str:
    if isinstance(value, int) and value.bit_length() > 80:  # never print a huge integer in full
        return f"≈ 2^{value.bit_length()}"
    return repr(value)
