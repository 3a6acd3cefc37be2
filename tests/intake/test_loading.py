"""Loading real-world firm lists: one fixture per defect (tests/fixtures/make_fixtures.py)."""

from dataclasses import replace

import pytest

from screening.intake.guards import Limits
from screening.intake.loading import load_firms
from screening.issues.record import ScreeningError
from screening.pipeline import screen_table
from screening.rules.fields import load_catalogue, resolve_input
from tests.fixtures.make_fixtures import FIXTURES, write_all

BY_NAME = {f.name: f for f in FIXTURES}


@pytest.fixture(scope="session")
def fixture_files(tmp_path_factory):
    return write_all(tmp_path_factory.mktemp("fixtures"))


def test_there_are_at_least_thirty_defect_fixtures():
    assert len(FIXTURES) >= 30
    assert len({f.name for f in FIXTURES}) == len(FIXTURES)


def _load(name, files, rules):
    fixture = BY_NAME[name]
    fields = dict(rules.load_fields)
    catalogue = load_catalogue()
    for key in fixture.extra_fields:
        fields[key] = resolve_input(key, catalogue.fields[key], catalogue)
    options = dict(fixture.limits)
    sheet = options.pop("sheet", None)
    limits = replace(Limits(), **options)
    return load_firms(files[name].read_bytes(), name, fields, sheet=sheet, limits=limits)


@pytest.mark.parametrize("name", [f.name for f in FIXTURES if f.refused is None])
def test_fixture_loads_with_exactly_its_issues(name, fixture_files, profiles):
    fixture = BY_NAME[name]
    rules = profiles["smart-mfg-town"]
    table = _load(name, fixture_files, rules)
    result = screen_table(table, rules)
    issues = result.issues
    found = {
        (c, None if r is None or str(r) == "<NA>" else int(r))
        for c, r, s in zip(issues["code"], issues["row"], issues["severity"], strict=True)
        if s != "info"
    }
    assert found == fixture.issues
    infos = set(issues.loc[issues["severity"] == "info", "code"])
    assert fixture.info <= infos
    skipped = dict(zip(table.skipped["source_row"], table.skipped["reason_code"], strict=True))
    assert skipped == fixture.skipped
    if fixture.firm_rows is not None:
        assert table.firms["source_row"].tolist() == fixture.firm_rows
    if fixture.check:
        fixture.check(table)
    _assert_accounting(table, result)


def _assert_accounting(table, result):
    """Every physical row is exactly one of header / skipped / firm, and every firm is in the result."""
    account = table.accounting()
    assert account["source_row"].tolist() == list(range(1, table.physical_rows + 1))
    assert set(account["kind"]) <= {"header", "skipped", "firm"}
    assert len(result.summary) == (account["kind"] == "firm").sum()
    assert result.summary["source_row"].tolist() == table.firms["source_row"].tolist()


@pytest.mark.parametrize("name", [f.name for f in FIXTURES if f.refused is not None])
def test_refused_files_say_why_and_load_nothing(name, fixture_files, profiles):
    with pytest.raises(ScreeningError) as caught:
        _load(name, fixture_files, profiles["smart-mfg-town"])
    issues = caught.value.issues
    assert [i.code for i in issues] == [BY_NAME[name].refused]
    assert issues[0].message_zh and issues[0].message_en


def test_messy_workbook_scores_exactly_like_the_clean_one(fixture_files, profiles):
    rules = profiles["smart-mfg-town"]
    clean = screen_table(_load("clean.xlsx", fixture_files, rules), rules)
    messy = screen_table(_load("messy-but-valid.xlsx", fixture_files, rules), rules)
    assert messy.summary["name"].tolist() == clean.summary["name"].tolist()
    assert messy.summary["decision"].tolist() == clean.summary["decision"].tolist()
    assert messy.summary["total"].tolist() == pytest.approx(clean.summary["total"].tolist())
    for column in clean.indicators:
        assert messy.indicators[column].tolist() == pytest.approx(clean.indicators[column].tolist(), nan_ok=True)


def test_identifier_columns_stay_text(fixture_files, profiles):
    table = _load("clean.xlsx", fixture_files, profiles["smart-mfg-town"])
    codes = table.firms["credit_code"].tolist()
    assert all(isinstance(c, str) and len(c) == 18 for c in codes)
    assert table.firms["industry_code"].tolist() == ["3421", "3670", "3982"]


def test_manual_mapping_resolves_a_missing_column(fixture_files, profiles):
    rules = profiles["smart-mfg-town"]
    data = fixture_files["missing-required-column.xlsx"].read_bytes()
    table = load_firms(data, "x.xlsx", rules.load_fields, manual={"tax_paid": "搬迁补偿（万元）"})
    assert "tax_paid" in table.firms.columns
    assert table.mapping.inputs["tax_paid"].how == "manual"
    assert not any(i.code == "column-required-missing" for i in table.mapping.issues)


def test_a_parser_crash_in_the_child_is_a_message_and_the_caller_survives(fixture_files, profiles):
    """Guards off: the far-away cell makes calamine abort (SIGABRT) — only the child process dies."""
    limits = Limits(max_rows=2_000_000, max_columns=20_000)
    with pytest.raises(ScreeningError) as caught:
        load_firms(
            fixture_files["far-away-cell.xlsx"].read_bytes(),
            "far.xlsx",
            profiles["smart-mfg-town"].load_fields,
            limits=limits,
        )
    assert caught.value.issues[0].code == "file-parse-failed"
