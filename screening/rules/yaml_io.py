"""YAML in and out with ruamel.yaml (YAML 1.2, safe round-trip mode).

Round-trip mode keeps the official's comments when an adjusted rule file is written back,
reports duplicate keys, and records the line of every key so that validation errors can
point at it. ``yes``/``no`` stay strings (YAML 1.2), unlike PyYAML.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

Path = tuple[str | int, ...]


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    return yaml


def load_document(text: str) -> Any:
    """Parse YAML text into ruamel's commented containers (raises ruamel errors)."""
    return _yaml().load(text)


def dump_document(document: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(document, stream)
    return stream.getvalue()


def to_plain(node: Any) -> Any:
    """Commented containers and scalar subclasses -> plain dict/list/str/int/float/bool."""
    if isinstance(node, dict):
        return {to_plain(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def line_of(document: Any, path: Path) -> int | None:
    """1-based line of the deepest key on ``path`` that the document knows."""
    line = None
    node = document
    for key in path:
        found = _line_in(node, key)
        if found is None:
            break
        line = found
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
    return line


def _line_in(node: Any, key: str | int) -> int | None:
    if isinstance(node, CommentedMap) and key in node:
        return node.lc.key(key)[0] + 1
    if isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
        return node.lc.item(key)[0] + 1
    return None


def set_path(document: Any, path: Path, value: Any) -> None:
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def get_path(document: Any, path: Path) -> Any:
    node = document
    for key in path:
        node = node[key]
    return node


def path_text(path: Path) -> str:
    """('gates', 2, 'value') -> 'gates[2].value'"""
    text = ""
    for key in path:
        if isinstance(key, int):
            text += f"[{key}]"
        else:
            text += f".{key}" if text else str(key)
    return text
