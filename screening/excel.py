"""Spreadsheet addressing shared by the import (reading cell references) and the export (writing them)."""

from __future__ import annotations


def column_number(letters: str) -> int:
    """'A' -> 1, 'AB' -> 28, 'XFD' -> 16384."""
    number = 0
    for ch in letters:
        number = number * 26 + (ord(ch) - 64)
    return number


def column_letter(number: int) -> str:
    """1 -> 'A', 28 -> 'AB' (1-based, as Excel counts)."""
    letters = ""
    while number > 0:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_letters(count: int) -> list[str]:
    """The first ``count`` column letters: A, B, … ."""
    return [column_letter(n) for n in range(1, count + 1)]
