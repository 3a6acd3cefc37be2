"""Accounts and access: hashed passwords, sign-in, who may write what, serving beyond localhost."""

from __future__ import annotations

import pytest

from screening.issues.record import ScreeningError
from screening.store.access import (
    Actor,
    accounts_frame,
    actor_for,
    add_account,
    is_local_address,
    local_actor,
    require_decision_right,
    serving_problem,
    sign_in,
)
from screening.vocabulary import Department

PASSWORD = "correct horse battery"


@pytest.mark.parametrize(
    ("address", "local"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
     ("0.0.0.0", False), ("192.168.1.20", False), ("", False), (None, False), ("example.org", False)],
)  # fmt: skip
def test_only_loopback_addresses_count_as_local(address, local):
    assert is_local_address(address) is local


def test_serving_beyond_localhost_needs_accounts(ws):
    assert serving_problem(ws, "127.0.0.1") is None
    problem = serving_problem(ws, "0.0.0.0")
    assert problem is not None and problem.issues[0].code == "access-accounts-required"
    assert str(ws.path) in problem.issues[0].message("zh")
    add_account(ws, "经信 王五", PASSWORD, Department.ECON)
    assert serving_problem(ws, "0.0.0.0") is None


def test_passwords_are_stored_as_argon2_hashes_only(ws):
    add_account(ws, "经信 王五", PASSWORD, Department.ECON)
    stored = ws.db.read(lambda conn: conn.execute("SELECT password_hash FROM accounts").fetchone()[0])
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert "password_hash" not in accounts_frame(ws).columns


def test_sign_in_takes_the_right_password_only(ws):
    add_account(ws, "经信 王五", PASSWORD, Department.ECON)
    actor = sign_in(ws, "经信 王五", PASSWORD)
    assert actor is not None and actor.account.department == Department.ECON
    assert sign_in(ws, "经信 王五", PASSWORD + "x") is None
    assert sign_in(ws, "nobody", PASSWORD) is None
    assert sign_in(ws, "经信 王五", "") is None


@pytest.mark.parametrize(
    ("name", "password", "department", "code"),
    [("", PASSWORD, None, "account-bad-name"), ("x", "short", None, "account-password-weak"),
     ("x", PASSWORD, Department.LAND, "opinion-bad-department")],
)  # fmt: skip
def test_bad_accounts_are_refused(ws, name, password, department, code):
    with pytest.raises(ScreeningError) as caught:
        add_account(ws, name, password, department)
    assert caught.value.issues[0].code == code
    assert accounts_frame(ws).empty


def test_an_account_name_is_taken_once(ws):
    add_account(ws, "办公室", PASSWORD, decides=True)
    with pytest.raises(ScreeningError, match="account-exists"):
        add_account(ws, "办公室", PASSWORD)


def test_only_an_account_marked_to_decide_records_decisions(ws):
    member = add_account(ws, "科技 李四", PASSWORD, Department.TECH)
    office = add_account(ws, "办公室", PASSWORD, decides=True)
    with pytest.raises(ScreeningError, match="access-cannot-decide"):
        require_decision_right(Actor(member.name, member))
    require_decision_right(Actor(office.name, office))
    require_decision_right(local_actor())  # this machine's user, no accounts involved


def test_the_command_line_actor_takes_the_rights_of_the_account_it_names(ws):
    add_account(ws, "科技 李四", PASSWORD, Department.TECH)
    assert actor_for(ws, "科技 李四").account.department == Department.TECH
    assert actor_for(ws, "someone").account is None
