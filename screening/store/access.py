"""Who may do what: accounts (argon2 password hashes), the signed-in actor, and the rules of access.

Local-only is the default: on this machine, with no accounts, the actor is the local user and
everything is allowed (the file's own permissions are the protection). When the app is served
beyond localhost it must refuse to start unless accounts exist (:func:`serving_problem`); with
accounts, nothing is read or written without signing in, every opinion and decision is stamped
with the account, a department account writes only its own department's opinions, and only an
account marked ``decides`` records the meeting's final decisions.

Passwords are hashed with argon2id (argon2-cffi's RFC 9106 low-memory profile); an unknown name
costs the same verification time as a wrong password, so names cannot be probed by timing.
"""

from __future__ import annotations

import getpass
import ipaddress
import sqlite3
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..issues.record import ScreeningError, make_issue
from ..vocabulary import WORKING_GROUP, Department
from .uploads import now_text
from .workspace import Workspace

MIN_PASSWORD = 10
HASHER = PasswordHasher()
_DUMMY = HASHER.hash("not a real password, only spends the same time")
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class Account:
    name: str
    department: Department | None
    decides: bool


@dataclass(frozen=True)
class Actor:
    """Whoever acts: a signed-in account, or (account None) the local user of this machine."""

    name: str
    account: Account | None = None

    @property
    def account_name(self) -> str | None:
        return self.account.name if self.account else None


def local_actor(name: str | None = None) -> Actor:
    return Actor(name or getpass.getuser())


def is_local_address(address: str | None) -> bool:
    """Whether a server bound to ``address`` is reachable from this machine only. Streamlit binds
    to every interface when no address is set, so an empty one is not local."""
    if not address:
        return False
    if address.strip().lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(address.strip()).is_loopback
    except ValueError:
        return False


def serving_problem(ws: Workspace, address: str | None) -> ScreeningError | None:
    """Why the app must not start when bound to ``address`` (None when it may)."""
    if is_local_address(address) or has_accounts(ws):
        return None
    return ScreeningError([make_issue("access-accounts-required", value=address or "0.0.0.0", db=str(ws.path))])


def has_accounts(ws: Workspace) -> bool:
    return ws.db.read(lambda conn: conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0]) > 0


def add_account(
    ws: Workspace, name: str, password: str, department: Department | None = None, decides: bool = False
) -> Account:
    name = name.strip()
    if not name:
        raise ScreeningError([make_issue("account-bad-name", value=name)])
    if len(password) < MIN_PASSWORD:
        raise ScreeningError([make_issue("account-password-weak", value=name, minimum=MIN_PASSWORD)])
    if department is not None and department not in WORKING_GROUP:
        raise ScreeningError([make_issue("opinion-bad-department", value=department, allowed=_group_ids())])
    hashed = HASHER.hash(password)

    def insert(conn: sqlite3.Connection) -> None:
        if conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone():
            raise ScreeningError([make_issue("account-exists", value=name)])
        conn.execute(
            "INSERT INTO accounts (name, department, decides, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
            (name, department.value if department else None, int(decides), hashed, now_text()),
        )

    ws.db.write(insert)
    return Account(name, department, decides)


def accounts_frame(ws: Workspace) -> pd.DataFrame:
    """Every account without its hash: name, department, decides, created_at."""
    rows = ws.db.read(
        lambda conn: conn.execute("SELECT name, department, decides, created_at FROM accounts ORDER BY name").fetchall()
    )
    return pd.DataFrame(rows, columns=["name", "department", "decides", "created_at"])


def find_account(ws: Workspace, name: str) -> tuple[Account, str] | None:
    row = ws.db.read(
        lambda conn: conn.execute(
            "SELECT name, department, decides, password_hash FROM accounts WHERE name = ?", (name,)
        ).fetchone()
    )
    if row is None:
        return None
    return Account(row[0], Department(row[1]) if row[1] else None, bool(row[2])), row[3]


def sign_in(ws: Workspace, name: str, password: str) -> Actor | None:
    """The actor for a right name and password; None otherwise (same time either way)."""
    found = find_account(ws, name.strip())
    stored = found[1] if found else _DUMMY
    try:
        HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if found is None:
        return None
    account = found[0]
    if HASHER.check_needs_rehash(stored):
        rehashed = HASHER.hash(password)
        ws.db.write(lambda conn: conn.execute("UPDATE accounts SET password_hash = ? WHERE name = ?", (rehashed, name)))
    return Actor(account.name, account)


def actor_for(ws: Workspace, name: str | None) -> Actor:
    """The command line's actor: ``--by NAME``, with that account's rights if NAME is an account."""
    actor = local_actor(name)
    found = find_account(ws, actor.name)
    return Actor(actor.name, found[0]) if found else actor


def require_opinion_right(actor: Actor, department: Department) -> None:
    account = actor.account
    if account is not None and account.department != department:
        own = account.department.label("zh") if account.department else "—"
        raise ScreeningError(
            [make_issue("access-other-department", value=actor.name, department=department.label("zh"), own=own)]
        )


def require_decision_right(actor: Actor) -> None:
    if actor.account is not None and not actor.account.decides:
        raise ScreeningError([make_issue("access-cannot-decide", value=actor.name)])


def _group_ids() -> str:
    return ", ".join(d.value for d in WORKING_GROUP)
