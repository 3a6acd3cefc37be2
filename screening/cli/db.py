"""``python -m screening db backup|check|accounts``: the workspace database file and its accounts.

db backup PATH [--db PATH]        a consistent copy, taken while others may be writing
db check [--db PATH]              every page, index and foreign key (exit 2 if anything is wrong)
db accounts add NAME [--dept econ|tech|env|safety] [--decides] [--password-stdin] [--db PATH]
db accounts list [--db PATH]
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from ..issues.record import ScreeningError, make_issue
from ..store.access import accounts_frame, add_account
from ..store.opinions import parse_department
from ..store.workspace import open_workspace
from .common import table


def add(commands) -> None:
    db = commands.add_parser("db", help="the workspace database: backup, check, accounts")
    sub = db.add_subparsers(dest="db_command", required=True)
    backup = sub.add_parser("backup", help="copy the workspace database consistently")
    backup.add_argument("path", type=Path)
    backup.set_defaults(run=run_backup)
    check = sub.add_parser("check", help="check the workspace database thoroughly")
    check.set_defaults(run=run_check)
    accounts = sub.add_parser("accounts", help="accounts for the app when served beyond this machine")
    account_commands = accounts.add_subparsers(dest="accounts_command", required=True)
    new = account_commands.add_parser("add", help="add an account (one per department or person)")
    new.add_argument("name")
    new.add_argument("--dept", help="the department whose opinions this account writes")
    new.add_argument("--decides", action="store_true", help="may record the meeting's final decisions")
    new.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    new.set_defaults(run=run_account_add)
    listing = account_commands.add_parser("list", help="list the accounts (never their passwords)")
    listing.set_defaults(run=run_account_list)
    for parser in (backup, check, new, listing):
        parser.add_argument("--db", type=Path, help="workspace database (default: the data directory's)")


def run_backup(args) -> int:
    target = open_workspace(args.db).db.backup(args.path)
    print(f"→ {target}")
    return 0


def run_check(args) -> int:
    ws = open_workspace(args.db)
    problems = ws.db.check(thorough=True)
    for issue in problems:
        print(issue.one_line(args.lang), file=sys.stderr)
    if problems:
        return 2
    print(f"{ws.path}: OK")
    return 0


def run_account_add(args) -> int:
    ws = open_workspace(args.db)
    department = parse_department(args.dept) if args.dept else None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password / 密码: ")
        if getpass.getpass("again / 再输一次: ") != password:
            raise ScreeningError([make_issue("account-password-mismatch", value=args.name)])
    account = add_account(ws, args.name, password, department, args.decides)
    dept = account.department.label(args.lang) if account.department else "—"
    print(f"{account.name}: {dept}{' · decides' if account.decides else ''}")
    return 0


def run_account_list(args) -> int:
    frame = accounts_frame(open_workspace(args.db))
    rows = [tuple(r) for r in frame.itertuples(index=False)]
    print(table(list(frame.columns), rows) if rows else "—")
    return 0
