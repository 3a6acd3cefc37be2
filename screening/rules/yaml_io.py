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
from ruamel.yaml.composer import Composer, MaxDepthExceededError
from ruamel.yaml.events import AliasEvent, ScalarEvent

Path = tuple[str | int, ...]

# A rule file nests about 6 levels deep; 40 leaves room and stops a "[[[[…" file long before
# Python's recursion limit (the composer recurses once per level).
MAX_DEPTH = 40
# Plain scalars longer than this that look like numbers are refused before they are converted:
# Python refuses to build an int from more than 4,300 digits, and no rule needs 30.
MAX_NUMBER_CHARS = 30
_NUMBER_CHARS = frozenset("0123456789+-._eExXoOabcdefABCDEF")


class Refused(Exception):
    """A YAML feature a rule file may not use: ``kind`` is ``alias``, ``depth`` or ``number``; ``line`` 1-based."""

    def __init__(self, kind: str, line: int | None, detail: str = ""):
        self.kind = kind
        self.line = line
        self.detail = detail
        super().__init__(f"{kind} at line {line}: {detail}")


class _NoAliasComposer(Composer):
    """Refuses anchors (&a) and aliases (*a) before any node is shared: a 600-byte "billion laughs"
    file would otherwise expand to 10⁹ nodes when the document is turned into plain data."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise Refused("alias", event.start_mark.line + 1, str(event.anchor))
        if isinstance(event, ScalarEvent) and not event.style and _long_number(event.value):
            raise Refused("number", event.start_mark.line + 1, f"{event.value[:12]}…（{len(event.value)}）")
        try:
            return super().compose_node(parent, index)
        except MaxDepthExceededError as exc:
            mark = exc.problem_mark
            raise Refused("depth", mark.line + 1 if mark else None, str(MAX_DEPTH)) from None


def _long_number(text: str) -> bool:
    return len(text) > MAX_NUMBER_CHARS and text[:1] in "+-.0123456789" and set(text) <= _NUMBER_CHARS


def _yaml(safe_input: bool = False) -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    if safe_input:
        yaml.Composer = _NoAliasComposer
        yaml.max_depth = MAX_DEPTH
    return yaml


def load_document(text: str) -> Any:
    """Parse YAML text into ruamel's commented containers (raises ruamel errors, and
    :class:`Refused` for anchors, aliases and nesting deeper than :data:`MAX_DEPTH`)."""
    return _yaml(safe_input=True).load(text)


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
