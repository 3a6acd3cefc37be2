"""What several commands share: finding a rule file by profile id, printing aligned tables."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from ..rules.loading import RULES_DIR, RuleSet, load_rules


def resolve_rules(name: str) -> RuleSet:
    """A rule file path, or a shipped profile id such as ``smart-mfg-town``."""
    path = Path(name)
    if not path.exists() and (RULES_DIR / f"{name}.yaml").exists():
        path = RULES_DIR / f"{name}.yaml"
    return load_rules(path)


def usage_error(message: str) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(2)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(headers: list[str], rows: list[tuple]) -> str:
    """Rows as aligned columns for a terminal (Chinese characters count double)."""
    widths = [max([_width(h)] + [_width(str(r[i])) for r in rows]) for i, h in enumerate(headers)]

    def line(cells) -> str:
        return "  ".join(str(c) + " " * (w - _width(str(c))) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])
