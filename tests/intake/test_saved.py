"""Saved mappings (screening/intake/saved.py): a confirmed mapping is stored per header layout and
applied to the next file with the same layout, with a note saying so."""

import pytest

from screening.intake.guards import Limits
from screening.intake.loading import load_firms
from screening.intake.saved import fingerprint, read_mapping_file
from screening.issues.record import ScreeningError
from screening.settings import data_dir
from tests.fixtures.layouts import CODES, NAMES, workbook

HERE = Limits(isolate=False)


def _list(first_header="用地面积（亩）", taxes=(800, 360, 250)) -> bytes:
    rows = [["企业名称", "统一社会信用代码", "金额（万元）", first_header]]
    rows += [[n, c, t, a] for n, c, t, a in zip(NAMES, CODES, taxes, [20, 15, 10], strict=True)]
    return workbook(rows)


def test_a_confirmed_mapping_is_saved_and_applied_to_the_next_file_with_the_same_layout(profiles):
    fields = profiles["smart-mfg-town"].load_fields
    first = load_firms(_list(), "一月.xlsx", fields, limits=HERE)
    assert first.mapping.needs_review  # 金额 is nobody's name; 用地面积 alone is uncertain
    confirmed = load_firms(_list(), "一月.xlsx", fields, limits=HERE, manual={"tax_paid": "C", "现用地面积": "D"})
    assert "mapping-saved" in set(confirmed.issues["code"])
    assert len(list((data_dir() / "mappings").glob("*.yaml"))) == 1
    later = load_firms(_list(taxes=(900, 400, 300)), "二月.xlsx", fields, limits=HERE)
    assert later.firms["tax_paid"].tolist() == [900, 400, 300]
    assert later.mapping.inputs["land_area"].how == "saved"
    applied = later.issues[later.issues["code"] == "mapping-applied"]
    assert len(applied) == 1 and "一月.xlsx" in applied["message_zh"].iloc[0]


def test_another_layout_gets_no_saved_mapping(profiles):
    fields = profiles["smart-mfg-town"].load_fields
    load_firms(_list(), "一月.xlsx", fields, limits=HERE, manual={"tax_paid": "C"})
    other = load_firms(_list(first_header="占地面积（亩）"), "x.xlsx", fields, limits=HERE)
    assert "mapping-applied" not in set(other.issues["code"])
    assert other.mapping.inputs["tax_paid"].column is None


def test_fingerprints_depend_on_letters_and_normalised_headers():
    assert fingerprint([("A", "企业名称"), ("B", "实缴税金（万元）")]) == fingerprint(
        [("A", "企业 名称"), ("B", "实缴税金(万元)")]
    )
    assert fingerprint([("A", "企业名称"), ("B", "实缴税金")]) != fingerprint([("B", "企业名称"), ("A", "实缴税金")])


def test_a_mapping_file_and_its_errors(tmp_path, profiles):
    good = tmp_path / "map.yaml"
    good.write_text("tax_paid: C\nland_area: 用地面积（亩）\nrd_expense:\n", encoding="utf-8")
    assert read_mapping_file(good) == {"tax_paid": "C", "land_area": "用地面积（亩）", "rd_expense": None}
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(ScreeningError) as caught:
        read_mapping_file(bad)
    assert caught.value.issues[0].code == "mapping-file-bad"
    fields = profiles["smart-mfg-town"].load_fields
    with pytest.raises(ScreeningError) as caught:
        load_firms(_list(), "x.xlsx", fields, limits=HERE, manual={"tax_paid": "Z"})
    assert caught.value.issues[0].code == "mapping-file-bad" and "D=用地面积" in caught.value.issues[0].message_zh
