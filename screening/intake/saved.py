"""Column mappings a person confirmed, kept on this machine and applied to the next file with the
same header layout; and mapping files given on the command line (``--mapping FILE.yaml``).

A layout's fingerprint is the hash of its column letters and normalised header texts, so a new
month's list from the same system (same headers, other firms) gets the same mapping; a list with
one column more or renamed does not. Files live under ``settings.data_dir()/mappings/`` as YAML a
person can read and edit; the same format works as ``--mapping``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAMLError

from ..issues.record import ScreeningError, make_issue
from ..rules.yaml_io import dump_document, load_document, to_plain
from ..settings import data_dir
from .text import normalize_label

FOLDER = "mappings"


@dataclass(frozen=True)
class SavedMapping:
    fingerprint: str
    file: str
    saved_at: str
    choices: dict[str, str | None]  # input -> column letter, None for "no column"


def fingerprint(headers: Sequence[tuple[str, str]]) -> str:
    """(column letter, header text) pairs -> a short stable hash of the layout."""
    text = "\x1f".join(f"{letter}={normalize_label(header)}" for letter, header in headers)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def mapping_path(print_: str) -> Path:
    """Where the mapping of this layout is (or would be) saved; deleting the file forgets it."""
    return _path(print_)


def _path(print_: str) -> Path:
    folder = data_dir() / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{print_}.yaml"


def saved_mapping(print_: str) -> SavedMapping | None:
    path = _path(print_)
    if not path.exists():
        return None
    try:
        plain = to_plain(load_document(path.read_text(encoding="utf-8")))
        return SavedMapping(print_, str(plain.get("file", "")), str(plain.get("saved_at", "")), _choices(plain))
    except (YAMLError, ValueError, AttributeError, OSError):
        return None  # a damaged file is ignored, the mapping is simply not applied


def save_mapping(
    print_: str, choices: Mapping[str, str | None], file_name: str, headers: Sequence[tuple[str, str]]
) -> Path:
    """Store (and merge into) the confirmed mapping of this layout; returns the file written."""
    before = saved_mapping(print_)
    merged = {**(before.choices if before else {}), **choices}
    document = {
        "file": file_name,
        "saved_at": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "headers": {letter: header for letter, header in headers},
        "mapping": merged,
    }
    path = _path(print_)
    path.write_text(
        "# 入园甄别 · a confirmed column mapping (input: column letter); edit or delete freely\n"
        + dump_document(document),
        encoding="utf-8",
    )
    return path


def read_mapping_file(path: Path) -> dict[str, str | None]:
    """``--mapping FILE.yaml``: ``{input: column letter or header}`` or a saved mapping file."""
    try:
        plain = to_plain(load_document(path.read_text(encoding="utf-8")))
        return _choices(plain)
    except OSError:
        detail = "无法读取文件 / cannot read the file"
    except YAMLError as exc:
        detail = f"YAML: {str(exc).splitlines()[0]}"
    except ValueError as exc:
        detail = str(exc)
    raise ScreeningError([make_issue("mapping-file-bad", value=str(path), detail=detail)])


def _choices(plain: object) -> dict[str, str | None]:
    if isinstance(plain, dict) and isinstance(plain.get("mapping"), dict):
        plain = plain["mapping"]
    if not isinstance(plain, dict):
        raise ValueError("应为“输入: 列”的映射 / expected 'input: column' pairs")
    return {str(k): (None if v in (None, "") else str(v)) for k, v in plain.items()}


def parse_map_option(text: str) -> tuple[str, str | None]:
    """``--map tax_paid=F`` or ``--map 实缴税金=纳税总额（万元）`` -> (input, column); ``input=`` means none."""
    if "=" not in text:
        raise ScreeningError([make_issue("mapping-file-bad", value=text, detail="缺少“=” / missing '='")])
    key, _, column = text.partition("=")
    return key.strip(), column.strip() or None
