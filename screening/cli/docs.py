"""``python -m screening docs``: regenerate docs/errors.md from the issue catalogue."""

from __future__ import annotations

from pathlib import Path

from ..issues.docs import catalogue_markdown

DEFAULT = Path(__file__).resolve().parents[2] / "docs" / "errors.md"


def add(commands) -> None:
    docs = commands.add_parser("docs", help="regenerate docs/errors.md from the issue catalogue")
    docs.add_argument("--out", type=Path, default=DEFAULT)
    docs.set_defaults(run=run)


def run(args) -> int:
    args.out.write_text(catalogue_markdown() + "\n", encoding="utf-8")
    print(f"→ {args.out}")
    return 0
