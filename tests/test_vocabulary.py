"""The shared words: ids, labels, order, and reading a word from a rule file."""

import pytest

from screening.vocabulary import Decision, Department, GateSeverity, ParamKind, Role, Status


def test_decisions_are_ordered_best_first_and_compare_as_their_ids():
    assert [d.code for d in Decision] == [0, 1, 2, 3, 4]
    assert Decision.ADMIT == "admit" and Decision("not_scored") is Decision.NOT_SCORED
    assert Decision.ADMIT.label("zh") == "准予入园" and Decision.REJECT.label("en") == "Reject"


def test_departments_are_read_by_id_or_chinese_name_and_nothing_else():
    assert Department.parse("经信") is Department.ECON is Department.parse("econ")
    assert Department.SAFETY.zh == "安监"
    with pytest.raises(ValueError):
        Department.parse("经济")
    assert "econ (经信)" in Department.choices()


def test_status_codes_are_the_integers_status_arrays_hold():
    assert [int(s) for s in Status] == [0, 1, 2, 3]
    assert Status(2).key == "missing" and Status.FAIL.label("zh") == "未通过"


def test_every_word_has_both_labels():
    for vocabulary in (Decision, Department, GateSeverity, ParamKind, Role):
        for member in vocabulary:
            assert member.zh and member.en and member.zh != member.value
