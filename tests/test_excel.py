from screening.excel import column_letter, column_letters, column_number


def test_column_letters_follow_excel():
    assert column_letter(1) == "A" and column_letter(26) == "Z" and column_letter(27) == "AA"
    assert column_letter(28) == "AB" and column_letter(16384) == "XFD"
    assert column_letters(3) == ["A", "B", "C"]


def test_letters_and_numbers_round_trip():
    assert all(column_number(column_letter(n)) == n for n in (1, 26, 27, 52, 200, 702, 703, 16384))
    assert column_number("XFD") == 16384
