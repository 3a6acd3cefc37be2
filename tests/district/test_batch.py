"""One batch, every park: every firm kept with its file and Excel row, lists read alike whatever their headers."""

from __future__ import annotations

import numpy as np
import pytest

from screening.district.batch import find_firm, load_batch, merged_fields
from screening.issues.record import ScreeningError
from screening.vocabulary import Role
from tests.conftest import minimal_rules
from tests.district.conftest import SCALE, VARIANT_ROWS


def test_every_firm_is_screened_against_every_park_and_none_is_lost(demo_batch, demo_frame):
    assert demo_batch.size == len(demo_frame) == 300
    assert demo_batch.park_ids == ("bio-medicine-park", "chemical-park", "smart-mfg-town", "sme-park", "talent-base")
    for park in demo_batch.parks:
        summary = park.result.summary
        assert len(summary) == 300  # rows in = rows out, whatever the firm applied for
        assert (summary["source_row"].to_numpy() == demo_batch.firms["source_row"].to_numpy()).all()
        assert len(park.result.elsewhere) == 0


def test_an_annual_evaluation_is_set_aside_with_a_warning(demo_batch):
    notes = demo_batch.issues[demo_batch.issues["code"] == "district-not-a-park"]
    assert notes["value"].tolist() == ["huangyan-2022"]


def test_the_engine_does_not_fill_land_here_the_allocation_does(demo_batch):
    for park in demo_batch.parks:
        assert park.ruleset.model.decision.capacity is None
        assert not park.result.flags["capacity_overflow"].any()
    quotas = {p.id: p.quota_mu for p in demo_batch.parks}
    assert quotas == {
        "bio-medicine-park": 500,
        "chemical-park": 800,
        "smart-mfg-town": 600,
        "sme-park": 300,
        "talent-base": 120,
    }


def test_a_list_with_other_headers_and_units_reads_to_the_same_numbers(demo_upload, variant_upload, all_rulesets):
    batch = load_batch([demo_upload, variant_upload], all_rulesets)
    assert batch.size == 300 + VARIANT_ROWS
    assert batch.files == ("demo_firms.xlsx", "另一个办公室.xlsx")
    first, second = slice(0, VARIANT_ROWS), slice(300, 300 + VARIANT_ROWS)
    for role in (Role.LAND_REQUESTED, Role.COMPENSATION, Role.TAX, Role.LAND_USED):
        values = batch.role_numbers(role)
        np.testing.assert_allclose(values[second], values[first], rtol=1e-9)  # 平方米, 亿元, 千元 converted
    applied = batch.role_texts(Role.APPLIED_PARK)
    assert (applied[second] == applied[first]).all()  # 拟入驻园区 read as the park applied for
    assert batch.firms["source_row"].to_numpy()[second].tolist() == list(range(2, 2 + VARIANT_ROWS))
    converted = batch.issues[
        (batch.issues["code"] == "unit-converted") & (batch.issues["source"] == "另一个办公室.xlsx")
    ]
    assert len(converted) == len(SCALE)  # each conversion is reported, not done silently


def test_a_list_without_land_requested_allocates_nothing_and_says_why(demo_frame, all_rulesets):
    import io

    from screening.district import Options, district_matrix
    from screening.district.plan import allocate

    buffer = io.BytesIO()
    demo_frame.drop(columns=["拟申请用地（亩）"]).to_excel(buffer, index=False)
    batch = load_batch([("no-land.xlsx", buffer.getvalue())], all_rulesets)
    plan = allocate(batch, district_matrix(batch), Options())
    assert plan.totals["firms"] == 0 and len(plan.firms) == 300
    assert "district-no-land-column" in plan.issues["code"].tolist()
    assert set(plan.matrix.pairs["eligibility"]) <= {"no_land", "veto", "reject_class", "not_scored"}


def test_the_same_firm_in_two_lists_is_reported(demo_upload, all_rulesets):
    batch = load_batch([demo_upload, ("copy.xlsx", demo_upload[1])], all_rulesets)
    twice = batch.issues[batch.issues["code"] == "district-duplicate-firm"]
    assert len(twice) == 300 - 6  # six demo firms have no credit code
    assert set(twice["source"]) == {"copy.xlsx"}


def test_rows_are_found_by_excel_row_and_file(demo_upload, variant_upload, all_rulesets):
    batch = load_batch([demo_upload, variant_upload], all_rulesets)
    assert find_firm(batch, "另一个办公室.xlsx:5") == 300 + 3
    assert find_firm(batch, "2:5") == 300 + 3
    assert find_firm(batch, "demo_firms.xlsx:5") == 1
    assert find_firm(batch, "250") == 246  # only the demo has a row 250
    with pytest.raises(ScreeningError) as ambiguous:
        find_firm(batch, "5")
    assert ambiguous.value.issues[0].code == "district-row-ambiguous"
    for text in ("999", "x"):
        with pytest.raises(ScreeningError) as unknown:
            find_firm(batch, text)
        assert unknown.value.issues[0].code == "district-row-unknown"


def test_columns_are_pooled_across_parks():
    plain = minimal_rules()
    stricter = minimal_rules(**{"  tax_paid: {}": "  tax_paid: {required: true, aliases: [年度纳税]}"})
    fields = merged_fields([plain, stricter])
    assert fields["tax_paid"].required
    assert "年度纳税" in fields["tax_paid"].aliases and "纳税总额" in fields["tax_paid"].aliases


def test_no_list_or_no_park_is_a_clear_error(all_rulesets, demo_upload):
    with pytest.raises(ScreeningError) as nothing:
        load_batch([], all_rulesets)
    assert nothing.value.issues[0].code == "district-no-input"
    evaluation = [r for r in all_rulesets if r.model.kind == "evaluation"]
    with pytest.raises(ScreeningError) as no_park:
        load_batch([demo_upload], evaluation)
    assert no_park.value.issues[0].code == "district-not-a-park"
    twice = [all_rulesets[0], all_rulesets[0]]
    with pytest.raises(ScreeningError) as duplicate:
        load_batch([demo_upload], twice)
    assert duplicate.value.issues[0].code == "district-duplicate-park"
