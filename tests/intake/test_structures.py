"""Structures and cells seen in real files (tests/fixtures/layouts.py, after the corpus layouts)."""

import pytest

from screening.intake.guards import Limits
from screening.intake.loading import load_firms
from screening.issues.record import ScreeningError
from tests.fixtures import layouts
from tests.fixtures.make_fixtures import CODES

HERE = Limits(isolate=False)  # the isolated parser has its own tests; these look at the layouts


def _load(built, profiles, **options):
    name, data = built
    return load_firms(data, name, profiles["smart-mfg-town"].load_fields, limits=options.pop("limits", HERE), **options)


def _codes(table) -> set[str]:
    return set(table.issues["code"])


def _value(table, column, row):
    return table.firms.set_index("source_row").loc[row, column]


def _every_row_accounted(table):
    account = table.accounting()
    assert account["source_row"].tolist() == list(range(1, table.physical_rows + 1))


def test_a_unit_row_and_a_column_number_row_are_header_parts_whose_units_apply(profiles):
    table = _load(layouts.unit_and_column_number_rows(), profiles)
    assert table.header.rows == (1, 2, 3)  # header, 计量单位 row, 栏次 row (0-based)
    assert table.firms["source_row"].tolist() == [5, 6, 7]  # neither extra row became a firm
    assert _value(table, "revenue", 5) == pytest.approx(20_000)  # 200 000 千元
    assert _value(table, "land_area", 5) == pytest.approx(20, abs=1e-3)  # 13 333.3 平方米
    assert _value(table, "tax_paid", 6) == pytest.approx(360)  # 税收实际贡献 in 千元
    assert {"header-unit-row", "unit-converted"} <= _codes(table)
    _every_row_accounted(table)


def test_totals_on_top_and_breakdown_rows_are_skipped(profiles):
    table = _load(layouts.totals_on_top_and_part_rows(), profiles)
    skipped = dict(zip(table.skipped["source_row"], table.skipped["reason_code"], strict=True))
    assert skipped == {2: "total-row", 4: "part-row", 6: "part-row"}
    assert table.firms["name"].tolist() == layouts.NAMES
    _every_row_accounted(table)


def test_merged_cells_in_a_data_column_fill_down_with_a_note(profiles):
    table = _load(layouts.merged_park_cells(), profiles)
    assert table.firms["target_park"].tolist() == ["智造新城", "智造新城", "化工园"]
    assert "cells-filled-down" in _codes(table)
    # 用地面积 beside 拟申请用地面积 is the land used today: the sheet settles the uncertain term
    assert table.mapping.inputs["land_area"].column.letter == "E"


def test_a_hidden_sheet_is_never_chosen_over_a_visible_one(profiles):
    table = _load(layouts.hidden_sheet_first(), profiles)
    assert table.sheet == "名单"
    assert table.firms["name"].tolist() == layouts.NAMES
    assert "sheet-hidden" in _codes(table)


def test_a_second_table_with_the_same_inputs_is_read_under_its_own_header(profiles):
    table = _load(layouts.stacked_tables(same_columns=True), profiles)
    assert table.firms["name"].tolist() == layouts.NAMES[:2]
    assert _value(table, "tax_paid", 5) == 360  # columns in another order, read under their own header
    assert _value(table, "land_area", 5) == 15
    assert "table-second" in _codes(table)
    _every_row_accounted(table)


def test_a_different_second_table_is_refused_clearly_never_read_under_the_first(profiles):
    table = _load(layouts.stacked_tables(same_columns=False), profiles)
    assert table.firms["name"].tolist() == layouts.NAMES[:1]
    skipped = dict(zip(table.skipped["source_row"], table.skipped["reason_code"], strict=True))
    assert skipped == {3: "blank-row", 4: "table-header", 5: "second-table"}
    assert "table-second" in _codes(table)


def test_cells_percent_unit_minus_and_formula_text(profiles):
    table = _load(layouts.odd_cells(), profiles)
    issues = table.issues.set_index(["code", "row"])
    assert _value(table, "tax_paid", 2) == pytest.approx(800)  # '800万' under 元: the cell's unit wins
    assert ("cell-unit-converted", 2) in issues.index
    assert ("cell-percent-unexpected", 2) in issues.index  # '12%' in a 万元 column: reported, not blank
    negative = table.issues[table.issues["code"] == "value-negative"]
    found = set(zip(negative["row"].astype(int), negative["value"], strict=True))
    assert found == {(3, "-5"), (3, "-1200"), (4, "-300")}  # U+2212 and full-width minus keep the sign
    assert ("value-negative", 3) in issues.index
    assert ("cell-not-number", 4) in issues.index  # =cmd|' /C calc'!A0 is not a number …
    assert _value(table, "tax_paid", 4) != _value(table, "tax_paid", 4)  # … and never 0 (NaN)


@pytest.mark.parametrize(
    "built",
    [
        layouts.text_export("\t", "utf-8", "tab.txt"),
        layouts.text_export(";", "gb18030", "semicolon.csv"),
        layouts.text_export("\t", "utf-16", "utf16-export.xls"),
    ],
    ids=["tab", "semicolon-gbk", "utf16-as-xls"],
)
def test_delimiters_are_found_below_a_title_line(built, profiles):
    table = _load(built, profiles)
    assert table.firms["credit_code"].tolist() == CODES
    assert table.firms["tax_paid"].tolist() == [800, 360, 250]
    assert table.skipped["reason_code"].tolist() == ["title-row"]


def test_an_html_page_saved_as_xls_is_read_and_said_so(profiles):
    table = _load(layouts.html_as_xls(), profiles)
    assert table.kind == "html"
    assert table.firms["credit_code"].tolist() == CODES
    assert "file-content-kind" in _codes(table)


def test_spreadsheetml_2003_saved_as_xls_is_read_in_the_isolated_parser(profiles):
    table = _load(layouts.spreadsheetml_as_xls(), profiles, limits=Limits())
    assert table.kind == "xml2003"
    assert table.sheet == "名单"  # the hidden 说明 sheet is not chosen
    assert table.firms["land_area"].tolist() == [20, 15, 10]
    assert {"file-content-kind", "sheet-hidden"} <= _codes(table)


@pytest.mark.parametrize("kind, offset_text", [("truncated", "end"), ("mixed", "mix")])
def test_a_broken_text_file_names_the_byte_offset_and_the_encodings_tried(kind, offset_text, profiles):
    name, data = layouts.broken_text(kind)
    with pytest.raises(ScreeningError) as caught:
        _load((name, data), profiles)
    issue = caught.value.issues[0]
    assert issue.code == "text-encoding-failed"
    assert "UTF-8" in issue.message_en and str(issue.params["offset"]).isdigit()
    assert int(issue.params["offset"]) > len(data) // 2  # the bad part is near the end, not at byte 0
