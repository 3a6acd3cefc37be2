"""Who entered, who left and why — against the outcomes worked out by hand in tests/fixtures/store/firms.py."""

from __future__ import annotations

from screening.store.compare import compare_rounds, compare_snapshots
from screening.store.rounds import round_snapshot
from tests.fixtures.store.firms import NAMES

INPUTS = ("tax_paid", "land_area", "revenue", "rd_expense")


def _kinds(record) -> dict[str, list]:
    kinds: dict[str, list] = {}
    for why in record["why"]:
        kinds.setdefault(why["kind"], []).append((why["item"], why["from"], why["to"]))
    return kinds


def test_entered_and_left_are_the_hand_computed_firms(two_rounds):
    diff = compare_rounds(two_rounds, "A", "B")
    assert diff["match"] == "credit_code"  # list B has the firms in another order and other header words
    entered = {r["name"]: r for r in diff["entered"]}
    left = {r["name"]: r for r in diff["left"]}
    assert set(entered) == {NAMES["乙"], NAMES["丁"]}
    assert set(left) == {NAMES["丙"]}
    for record in [*diff["entered"], *diff["left"]]:
        assert set(record) == {"source_row", "name", "from", "to", "why"}
    assert (entered[NAMES["乙"]]["from"], entered[NAMES["乙"]]["to"]) == ("reject", "admit")
    assert (entered[NAMES["丁"]]["from"], entered[NAMES["丁"]]["to"]) == (None, "admit")
    assert entered[NAMES["乙"]]["source_row"] == 5  # its Excel row in list B (header on row 1)
    assert left[NAMES["丙"]]["source_row"] == 4


def test_why_names_the_parameter_for_one_firm_and_the_data_for_another(two_rounds):
    diff = compare_rounds(two_rounds, "A", "B", lang="en")
    by_name = {r["name"]: _kinds(r) for r in [*diff["entered"], *diff["left"]]}
    second = by_name[NAMES["乙"]]
    assert second["gate"] == [("min-tax", "fail", "pass")]
    assert second["parameter"] == [("gate.min-tax", 30.0, 20.0)]
    assert "data" not in second  # its own figures did not change (375 万元 = 3,750 千元, 15 亩 = 1 公顷)
    third = by_name[NAMES["丙"]]
    assert third["data"] == [("tax_paid", 600.0, 225.0)]  # list B says 2,250 千元 = 225 万元
    assert third["gate"] == [("min-tax", "pass", "fail")]
    assert by_name[NAMES["丁"]] == {"listed": [("a", None, None)]}
    assert diff["parameters"] == [{"id": "gate.min-tax", "from": 30.0, "to": 20.0}]


def test_comparing_a_round_with_itself_finds_nothing(two_rounds):
    diff = compare_rounds(two_rounds, "B", "B")
    assert diff["entered"] == [] and diff["left"] == [] and diff["parameters"] == []


def test_a_change_without_a_cause_of_its_own_is_put_down_to_the_other_firms(two_rounds):
    """Same firm, same data, same rules, other decision (a quota, a percentile class): 'others'."""
    a = round_snapshot(two_rounds, "A")
    firms = a.firms.copy()
    firms.loc[firms["name"] == NAMES["甲"], "decision"] = "review"
    b = type(a)(**{**a.__dict__, "firms": firms})
    diff = compare_snapshots(a, b, "zh")
    assert [r["name"] for r in diff["left"]] == [NAMES["甲"]]
    assert [w["kind"] for w in diff["left"][0]["why"]] == ["others"]


def test_without_codes_firms_are_matched_by_name(two_rounds):
    a, b = round_snapshot(two_rounds, "A"), round_snapshot(two_rounds, "B")
    strip = {"firms": b.firms.drop(columns="credit_code")}
    diff = compare_snapshots(a, type(b)(**{**b.__dict__, **strip}), "zh")
    assert diff["match"] == "name"
    assert {r["name"] for r in diff["entered"]} == {NAMES["乙"], NAMES["丁"]}


def _corpus_wordings(count: int) -> list[dict[str, tuple[str, float]]]:
    """``count`` header layouts from the public-form corpus: input -> (header text, factor to the canonical
    unit), taking for each input the wordings today's mapping reads as that input."""
    from ruamel.yaml import YAML

    from screening.intake.mapping import columns_from_header, map_columns
    from screening.rules.fields import load_catalogue
    from tests.conftest import ROOT, minimal_rules

    corpus = YAML(typ="safe").load((ROOT / "tests/fixtures/headers/corpus.yaml").read_text(encoding="utf-8"))
    fields, catalogue = minimal_rules().load_fields, load_catalogue()
    found: dict[str, list[tuple[str, float]]] = {}
    for entry in corpus["headers"]:
        key, text = entry.get("input"), entry["text"]
        if key not in INPUTS or "\n" in text or "," in text:
            continue
        mapped = map_columns(columns_from_header([("", text)]), fields).inputs[key]
        if mapped.column is not None and mapped.how != "manual":
            unit = entry.get("unit") or fields[key].unit
            factor = catalogue.family_of(fields[key].unit).get(unit)
            if factor:
                found.setdefault(key, []).append((text, factor))
    assert all(len(v) >= count for v in found.values()), {k: len(v) for k, v in found.items()}
    return [{key: options[i] for key, options in found.items()} for i in range(count)]


def test_the_same_firms_under_other_real_header_wordings_and_units_show_no_data_change(ws):
    from screening.store.access import local_actor
    from screening.store.rounds import InputFile, save_round
    from tests.conftest import minimal_rules
    from tests.fixtures.store.firms import CODES, LIST_A

    values = {"land_area": 15.0, "revenue": 1000.0}
    for n, layout in enumerate(_corpus_wordings(3)):
        header = ["企业名称", "统一社会信用代码", *(layout[k][0] for k in INPUTS)]
        lines = [",".join(header)]
        for firm, (tax, rd) in LIST_A.items():
            canonical = {"tax_paid": tax, "rd_expense": rd, **values}
            cells = [f"{canonical[k] / layout[k][1]:.6g}" for k in INPUTS]
            lines.append(",".join([NAMES[firm], CODES[firm], *cells]))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        save_round(ws, f"layout {n}", [InputFile(f"{n}.csv", data)], minimal_rules(), {}, local_actor())
    for n in (1, 2):
        diff = compare_rounds(ws, "layout 0", f"layout {n}")
        assert diff["entered"] == [] and diff["left"] == [] and diff["parameters"] == []
    assert round_snapshot(ws, "layout 2").counts == {"admit": 2, "review": 1, "reject": 1, "not_scored": 0}
