"""Uploads kept once per content, under a disk cap and a retention period."""

from __future__ import annotations

import datetime as dt

import pytest

from screening.issues.record import ScreeningError
from screening.store.access import local_actor
from screening.store.rounds import InputFile, list_rounds, reopen, round_info, save_round
from screening.store.uploads import MB, UploadPolicy, purge_expired, used_bytes
from screening.store.workspace import open_workspace
from tests.conftest import minimal_rules
from tests.fixtures.store.firms import list_a, list_b


def _save(ws, name: str, data: bytes):
    return save_round(ws, name, [InputFile(f"{name}.csv", data)], minimal_rules(), {}, local_actor())


def test_the_same_file_in_two_rounds_is_stored_once(ws):
    _save(ws, "one", list_a())
    _save(ws, "two", list_a())
    assert ws.db.read(used_bytes) == len(list_a())


def test_a_save_beyond_the_cap_is_refused_and_stores_nothing(tmp_path):
    cap = len(list_a()) + len(list_b()) - 1  # room for one of the two lists, not both
    ws = open_workspace(tmp_path / "w.sqlite3", UploadPolicy(cap_bytes=cap))
    _save(ws, "one", list_a())
    with pytest.raises(ScreeningError) as caught:
        _save(ws, "two", list_b())
    assert caught.value.issues[0].code == "store-upload-cap"
    assert "SCREENING_UPLOAD_CAP_MB" in caught.value.issues[0].message("en")
    assert list_rounds(ws)["name"].tolist() == ["one"]
    _save(ws, "again", list_a())  # a file already kept costs nothing more


def test_the_retention_period_deletes_the_content_but_the_round_still_opens(tmp_path):
    ws = open_workspace(tmp_path / "w.sqlite3", UploadPolicy(retention_days=30))
    _save(ws, "old", list_a())
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=29)
    assert ws.db.write(lambda conn: purge_expired(conn, ws.uploads, soon)) == 0
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    assert ws.db.write(lambda conn: purge_expired(conn, ws.uploads, later)) == 1
    assert ws.db.read(used_bytes) == 0
    assert round_info(ws, "old").inputs[0]["kept"] is False
    opened = reopen(ws, "old")
    assert opened.result is None and opened.issues[0].code == "round-upload-purged"
    assert opened.snapshot.counts["admit"] == 2  # what was decided then still shows
    _save(ws, "new", list_a())  # the same content uploaded again is kept again
    assert round_info(ws, "old").inputs[0]["kept"] is True


def test_opening_the_workspace_purges_what_has_expired(tmp_path):
    path = tmp_path / "w.sqlite3"
    _save(open_workspace(path, UploadPolicy()), "old", list_a())
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=400)
    ws = open_workspace(path, UploadPolicy(retention_days=365), now=later)
    assert ws.db.read(used_bytes) == 0


def test_the_policy_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SCREENING_UPLOAD_CAP_MB", "2.5")
    monkeypatch.setenv("SCREENING_UPLOAD_RETENTION_DAYS", "90")
    assert UploadPolicy.from_environment() == UploadPolicy(cap_bytes=int(2.5 * MB), retention_days=90.0)
    monkeypatch.setenv("SCREENING_UPLOAD_CAP_MB", "lots")
    with pytest.raises(ScreeningError, match="store-bad-setting"):
        UploadPolicy.from_environment()
