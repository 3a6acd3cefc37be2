"""Checks before any parser runs (screening/guards.py)."""

import pytest

from screening.excel import column_letter, column_number
from screening.intake.guards import Limits, _far_column_pattern, inspect, sniff
from screening.issues.record import ScreeningError


def test_sniffing_by_content_not_by_name():
    assert sniff(b"PK\x03\x04rest") == "xlsx"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64) == "xls"
    assert sniff("企业名称,实缴税金\n甲,1\n".encode("gb18030")) == "csv"
    assert sniff("企业名称,实缴税金\n".encode("utf-16")) == "csv"
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00") is None
    assert sniff(b"%PDF-1.7 \xff\xfe\xfd") is None


def test_column_letters_round_trip():
    assert column_letter(1) == "A" and column_letter(28) == "AB" and column_letter(16384) == "XFD"
    assert all(column_number(column_letter(n)) == n for n in (1, 26, 27, 200, 703, 16384))


@pytest.mark.parametrize("limit, inside, outside", [(200, "GR", "GS"), (26, "Z", "AA"), (3, "C", "D")])
def test_far_column_pattern(limit, inside, outside):
    pattern = _far_column_pattern(limit)
    assert not pattern.search(f' r="{inside}12"'.encode())
    assert pattern.search(f' r="{outside}12"'.encode())


def test_refusals_say_why():
    with pytest.raises(ScreeningError) as caught:
        inspect(b"x" * 100, "a.xlsx", Limits(max_bytes=10))
    assert caught.value.issues[0].code == "file-too-large"
    with pytest.raises(ScreeningError) as caught:
        inspect(b"a,b\n1,2\n", "a.pdf", Limits())
    assert caught.value.issues[0].code == "file-type-unknown"
    facts, notes = inspect(b"a,b\n1,2\n", "a.xlsx", Limits())
    assert facts.kind == "csv" and notes[0].code == "file-extension-mismatch"
