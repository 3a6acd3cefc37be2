"""Department opinions: append-only, validated, the current one per department, the missing ones."""

from __future__ import annotations

import sqlite3

import pytest

from screening.issues.record import ScreeningError
from screening.store.access import Account, Actor, local_actor
from screening.store.opinions import add_opinion, firm_opinions, missing_by_department, missing_opinions, opinions_frame
from screening.vocabulary import Department

REVIEW_ROW = 6  # 戊 in list A: class C, review (tests/fixtures/store/firms.py)


def test_a_change_of_mind_is_a_new_entry_and_the_history_stays(two_rounds):
    add_opinion(two_rounds, "A", REVIEW_ROW, "env", "disagree", local_actor("赵六"), note="排放未达标")
    add_opinion(two_rounds, "A", REVIEW_ROW, "环保", "conditional", local_actor("赵六"), conditions="一年内完成改造")
    current = firm_opinions(two_rounds, "A", REVIEW_ROW).set_index("department")
    assert current.loc["env", "verdict"] == "conditional" and current.loc["env", "conditions"] == "一年内完成改造"
    assert current.loc[["econ", "tech", "safety"], "verdict"].isna().all()
    history = opinions_frame(two_rounds, "A", history=True)
    assert history["verdict"].tolist() == ["disagree", "conditional"]


def test_the_database_itself_refuses_to_rewrite_or_delete_an_opinion(two_rounds):
    add_opinion(two_rounds, "A", REVIEW_ROW, "econ", "agree", local_actor())
    for sql in ("UPDATE opinions SET verdict = 'disagree'", "DELETE FROM opinions"):
        with sqlite3.connect(two_rounds.path) as conn, pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    assert opinions_frame(two_rounds, "A")["verdict"].tolist() == ["agree"]


@pytest.mark.parametrize(
    ("dept", "verdict", "conditions", "row", "code"),
    [
        ("land", "agree", "", REVIEW_ROW, "opinion-bad-department"),  # not one of the working group
        ("econ", "maybe", "", REVIEW_ROW, "opinion-bad-verdict"),
        ("econ", "conditional", "", REVIEW_ROW, "opinion-conditions-missing"),
        ("econ", "agree", "若…", REVIEW_ROW, "opinion-conditions-unexpected"),
        ("econ", "agree", "", 99, "opinion-unknown-firm"),
        ("econ", "agree", "", 1, "opinion-unknown-firm"),  # row 1 is the title, not a firm
    ],
)
def test_bad_opinions_are_refused_with_what_to_fix(two_rounds, dept, verdict, conditions, row, code):
    with pytest.raises(ScreeningError) as caught:
        add_opinion(two_rounds, "A", row, dept, verdict, local_actor(), conditions=conditions)
    assert caught.value.issues[0].code == code
    assert opinions_frame(two_rounds, "A", history=True).empty


def test_a_department_account_writes_only_its_own_department(two_rounds):
    econ = Actor("经信 王五", Account("经信 王五", Department.ECON, False))
    add_opinion(two_rounds, "A", REVIEW_ROW, "econ", "agree", econ)
    with pytest.raises(ScreeningError, match="access-other-department"):
        add_opinion(two_rounds, "A", REVIEW_ROW, "tech", "agree", econ)
    entry = opinions_frame(two_rounds, "A").iloc[0]
    assert (entry["author"], entry["account"]) == ("经信 王五", "经信 王五")  # stamped with the account


def test_the_missing_list_has_every_review_firm_and_department_without_an_opinion(two_rounds):
    # round B: only 戊 (row 2) is under review; 丙 is rejected and 甲 乙 丁 admitted
    assert missing_opinions(two_rounds, "B")[["source_row", "department"]].values.tolist() == [
        [2, "econ"],
        [2, "tech"],
        [2, "env"],
        [2, "safety"],
    ]
    add_opinion(two_rounds, "B", 2, "tech", "agree", local_actor())
    add_opinion(two_rounds, "B", 3, "env", "agree", local_actor())  # an admitted firm: not on the list anyway
    missing = missing_opinions(two_rounds, "B")
    assert missing["department"].tolist() == ["econ", "env", "safety"]
    assert set(missing["name"]) == {"戊精密制造有限公司"}
    assert missing_by_department(missing) == {
        Department.ECON: 1,
        Department.TECH: 0,
        Department.ENV: 1,
        Department.SAFETY: 1,
    }


def test_a_refused_write_is_not_mistaken_for_a_damaged_file(two_rounds):
    add_opinion(two_rounds, "A", REVIEW_ROW, "econ", "agree", local_actor())
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        two_rounds.db.write(lambda conn: conn.execute("DELETE FROM opinions"))
    assert len(opinions_frame(two_rounds, "A")) == 1
