"""Command line: ``python -m screening COMMAND ...`` — one module per command in this package.

    python -m screening score INPUT --rules RULES [--set ID=VALUE ...] [--out FILE] [--sheet NAME]
    python -m screening rules check FILE [FILE ...]
    python -m screening rules params FILE
    python -m screening docs

Exit codes: 0 done; 2 bad input or bad rules (one line per problem saying what to fix, no
traceback); 1 an internal error. A closed pipe (``… | head``) ends quietly.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..issues.record import ScreeningError
from . import db, district, docs, opinions, robustness, rounds, rules, score, whatif

COMMANDS = (
    score,
    rules,
    district,
    whatif,
    robustness,
    rounds,
    opinions,
    db,
    docs,
)  # each: add(subparsers) registers it


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m screening", description="入园甄别 · park-entry screening")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of messages (default zh)")
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add(commands)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ScreeningError as exc:
        for issue in exc.issues:
            print(issue.one_line(args.lang), file=sys.stderr)
        return 2
    except BrokenPipeError:  # ``… | head`` closed the pipe: the reader has what it wanted
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # an internal error: say so plainly, never dump a traceback on the official
        print(f"internal error / 内部错误: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail on the closed
    pipe again and print "Exception ignored … BrokenPipeError" (Python docs, "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (tests capture it)
        pass
