"""A fresh workspace per test, and the two hand-computed firm lists saved as rounds."""

from __future__ import annotations

import pytest

from screening.store.access import local_actor
from screening.store.rounds import InputFile, save_round
from screening.store.uploads import UploadPolicy
from screening.store.workspace import open_workspace
from tests.conftest import minimal_rules
from tests.fixtures.store.firms import list_a, list_b


@pytest.fixture()
def ws(tmp_path):
    return open_workspace(tmp_path / "workspace.sqlite3", UploadPolicy())


@pytest.fixture()
def two_rounds(ws):
    """Round A: list A, gate 30. Round B: list B, gate 20 (see tests/fixtures/store/firms.py)."""
    rules = minimal_rules()
    save_round(ws, "A", [InputFile("a.csv", list_a())], rules, {}, local_actor("张三"))
    save_round(ws, "B", [InputFile("b.csv", list_b())], rules, {"gate.min-tax": 20.0}, local_actor("李四"))
    return ws
