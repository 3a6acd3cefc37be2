"""Header recognition on 353 real wordings gathered from public forms (tests/fixtures/headers/corpus.yaml).

Each header is matched alone against the whole field catalogue — no other column helps it:
a header with an input must be used for that input, a decoy (input: null) for none, and an
ambiguous one (ambiguous_with) must go to the mapping review with one of its readings suggested.
"""

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from screening.intake.lexicon import all_fields, names_of
from screening.intake.mapping import columns_from_header, map_columns
from screening.intake.matching import assign, evidence, heading
from screening.intake.units import factor

CORPUS = YAML(typ="safe").load((Path(__file__).parents[1] / "fixtures" / "headers" / "corpus.yaml").read_text("utf-8"))
HEADERS = CORPUS["headers"]


def match_alone(text: str):
    fields = all_fields({})
    found = evidence(heading(0, text), names_of(fields), fields)
    choices = assign([found], list(fields), {})
    return choices[0] if choices else None


def verdict(entry) -> str:
    got = match_alone(entry["text"])
    wanted, readings = entry.get("input"), entry.get("ambiguous_with")
    if readings:
        ok = got is not None and not got.confident and got.field in {*readings, wanted}
        return "ok" if ok else f"not sent to review: {got}"
    if wanted is None:
        return "ok" if got is None or not got.confident else f"decoy used as {got.field}"
    return "ok" if got is not None and got.confident and got.field == wanted else f"wanted {wanted}, got {got}"


def test_the_corpus_is_the_size_it_claims():
    assert len(HEADERS) == 353
    assert sum(1 for h in HEADERS if h.get("input") is None and not h.get("ambiguous_with")) >= 80
    assert sum(1 for h in HEADERS if h.get("ambiguous_with")) == 49


@pytest.mark.parametrize("entry", HEADERS, ids=[f"{i}:{h['text'][:16]}" for i, h in enumerate(HEADERS)])
def test_every_header_maps_to_its_input_or_to_nothing_or_goes_to_review(entry):
    assert verdict(entry) == "ok"


def test_no_header_is_ever_used_for_a_wrong_input():
    wrong = []
    for entry in HEADERS:
        got = match_alone(entry["text"])
        allowed = {entry.get("input"), *(entry.get("ambiguous_with") or [])}
        if got is not None and got.confident and got.field not in allowed:
            wrong.append((entry["text"], got.field))
    assert wrong == []


def test_a_check_that_could_fail_does_fail():
    """The verdict is not vacuous: a decoy declared as an input, or an input declared a decoy, fails."""
    assert verdict({"text": "亩均税收（万元/亩）", "input": "tax_paid"}) != "ok"
    assert verdict({"text": "实缴税金（万元）", "input": None}) != "ok"
    assert verdict({"text": "实缴税金（万元）", "input": "tax_paid", "ambiguous_with": ["tax_paid"]}) != "ok"


def test_units_printed_in_corpus_headers_convert_to_the_fields_unit():
    """Where the corpus names a unit of the field's family, the import converts it (factors by hand)."""
    fields = all_fields({})
    expected = {
        "平方米": 0.0015,
        "万平方米": 15.0,
        "千元": 0.1,
        "元": 0.0001,
        "万元": 1.0,
        "亿元": 10_000.0,
        "吨标煤": 1.0,
        "千瓦时": 0.0001,
        "kg": 0.001,
    }
    checked = 0
    for entry in HEADERS:
        got = match_alone(entry["text"])
        unit = heading(0, entry["text"]).unit
        if entry.get("unit") in expected and got is not None and got.confident and unit is not None:
            assert factor(unit, fields[got.field]) == pytest.approx(expected[entry["unit"]]), entry["text"]
            checked += 1
    assert checked >= 50


def test_the_brief_s_header_maps_to_land_area_in_square_metres(profiles):
    fields = profiles["smart-mfg-town"].load_fields
    mapping = map_columns(columns_from_header([("", "企业名称"), ("", "现有用地面积（平方米）")]), fields)
    land = mapping.inputs["land_area"]
    assert (land.column.letter, land.unit, land.factor) == ("B", "平方米", 0.0015)
    assert land.confidence >= 0.9 and "land_area" not in mapping.suggested


def test_an_uncertain_term_is_settled_by_the_other_columns_of_the_sheet(profiles):
    fields = profiles["smart-mfg-town"].load_fields
    alone = map_columns(columns_from_header([("", "企业名称"), ("", "用地面积（亩）")]), fields)
    assert alone.inputs["land_area"].column is None and alone.inputs["land_area"].suggestion.letter == "B"
    assert alone.needs_review
    beside = map_columns(
        columns_from_header([("", "企业名称"), ("", "用地面积（亩）"), ("", "拟申请用地（亩）")]), fields
    )
    assert beside.inputs["land_area"].column.letter == "B"
    assert beside.inputs["requested_land"].column.letter == "C"


def test_content_settles_an_uncertain_header(profiles):
    fields = profiles["huangyan-2022"].load_fields
    columns = columns_from_header([("", "企业名称"), ("", "企业规模")])
    size_class = map_columns(columns, fields, samples={1: ["规上", "规下", "规上", "规上"]})
    assert size_class.inputs["scale"].column.letter == "B" and size_class.inputs["scale"].how == "content"
    other = map_columns(columns, fields, samples={1: ["大型", "中型", "小型", "小型"]})
    assert other.inputs["scale"].column is None and other.inputs["scale"].suggestion.letter == "B"


def test_corpus_pass_count_is_reported(capsys):
    counts = {"ok": 0, "failed": 0}
    for entry in HEADERS:
        counts["ok" if verdict(entry) == "ok" else "failed"] += 1
    with capsys.disabled():
        print(f"\nheader corpus: {counts['ok']} of {len(HEADERS)} pass")
    assert counts["failed"] == 0
