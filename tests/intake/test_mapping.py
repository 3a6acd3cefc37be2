"""Which column feeds which input (screening/mapping.py)."""

from screening.intake.mapping import Column, columns_from_header, map_columns
from screening.intake.text import split_unit


def _columns(*headers):
    return columns_from_header([("", h) for h in headers])


def test_units_are_split_from_either_bracket_style():
    assert split_unit("实缴税金（万元）") == ("实缴税金", "万元")
    assert split_unit("用地面积(平方米)") == ("用地面积", "平方米")
    assert split_unit("金额(单位：元)") == ("金额", "元")
    assert split_unit(" 企业\n名称 ") == ("企业名称", None)


def test_labels_aliases_and_qualified_names_map(profiles):
    fields = profiles["smart-mfg-town"].load_fields
    mapping = map_columns(_columns("纳税人名称", "2025年实缴税金（万元）", "占地面积（公顷）", "备注"), fields)
    assert mapping.inputs["name"].how == "alias"
    assert mapping.inputs["tax_paid"].how == "qualified"
    land = mapping.inputs["land_area"]
    assert (land.column.header, land.factor, land.unit) == ("占地面积（公顷）", 15.0, "公顷")
    assert [c.header for c in mapping.ignored] == []  # 备注 maps to remarks


def test_a_sheet_wide_money_unit_applies_to_money_columns_without_their_own(profiles):
    fields = profiles["smart-mfg-town"].load_fields
    mapping = map_columns(_columns("企业名称", "实缴税金", "用地面积"), fields, sheet_unit="元")
    assert mapping.inputs["tax_paid"].factor == 0.0001
    assert mapping.inputs["land_area"].factor == 1.0


def test_problems_are_issues(profiles):
    fields = profiles["smart-mfg-town"].load_fields
    mapping = map_columns(_columns("企业名称", "纳税总额", "税收合计", "现用地面积（英亩）"), fields)
    codes = sorted(i.code for i in mapping.issues)
    assert codes == ["column-ambiguous", "unit-unknown"]  # a required column in an unknown unit is said once


def test_manual_choice_by_letter_or_header(profiles):
    fields = profiles["smart-mfg-town"].load_fields
    columns = _columns("企业名称", "金额一", "金额二")
    mapping = map_columns(columns, fields, manual={"tax_paid": "C", "relocation_compensation": "金额一"})
    assert mapping.inputs["tax_paid"].column.header == "金额二"
    assert mapping.inputs["relocation_compensation"].column.header == "金额一"
    assert isinstance(mapping.inputs["tax_paid"].column, Column)
