import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from munitag.normalize import encode, fold, fold_shape, has_ignorables, is_folded_word_char, is_word_char, separator_variants


@given(st.text())
def test_fold_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)
    assert len(fold_shape(text)) == len(text)


def test_every_code_point_folds_to_one() -> None:
    wide = [chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF]
    assert all(len(fold(c)) == 1 for c in wide)


def test_fold_is_per_character() -> None:
    text = "İSTANBUL ΟΔΟΣ MON‑50 Ｍｏｎ－５０ Ёж"
    assert fold(text) == "".join(fold(c) for c in text)


def test_dotted_capital_i_does_not_shift_offsets() -> None:
    text = "İİİ PFM-1"
    assert fold(text).index("pfm-1") == text.index("PFM-1")


def test_dashes_spaces_quotes_and_full_width() -> None:
    assert fold("MON\u201150") == "mon-50"
    assert fold("MON\u201350") == "mon-50"
    assert fold("MON\u221250") == "mon-50"
    assert fold("cluster\u00a0munition") == "cluster munition"
    assert fold("cluster\nmunition") == "cluster munition"
    assert fold("ＭＯＮ－５０") == "mon-50"
    assert fold("MON-50\u2019s") == "mon-50's"
    assert fold("Ёлка") == "елка"


def test_fold_shape_keeps_case() -> None:
    assert fold_shape("PFM\u20111S") == "PFM-1S"


def test_word_chars_of_every_script() -> None:
    assert all(is_word_char(c) for c in "aZ09жЖїé٣\u0301")
    assert not any(is_word_char(c) for c in " -'\"«»._,\u00a0😀")


def test_apostrophe_look_alikes_fold_to_the_apostrophe() -> None:
    assert fold("\u2018\u2019\u02bc\u02b9\u2032\u0060\u00b4\uff07") == "'" * 8
    assert fold("\u02bb") == "\u02bb"  # the turned comma is a letter (Uzbek oʻ, Hawaiian ʻokina)


def test_folded_word_char_is_the_word_char_of_the_fold() -> None:
    wide = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    assert [c for c, f in zip(wide, fold(wide)) if is_folded_word_char(c) != is_word_char(f)] == []


def test_modifier_letter_apostrophe_is_a_word_char_only_unfolded() -> None:
    assert is_word_char("\u02bc") and not is_folded_word_char("\u02bc")
    assert is_folded_word_char("ї") and not is_folded_word_char("'")


def test_separator_variants() -> None:
    assert separator_variants("mon-50") == ["mon-50", "mon 50", "mon50"]
    assert set(separator_variants("type 72")) == {"type 72", "type-72", "type72"}
    assert set(separator_variants("cluster munition")) == {"cluster munition", "cluster-munition"}
    assert separator_variants("adam") == ["adam"]


def test_letter_digit_junction_may_take_a_separator() -> None:
    assert separator_variants("bl755") == ["bl755", "bl-755", "bl 755"]
    assert set(separator_variants("pmr-2a")) == {
        "pmr-2a", "pmr 2a", "pmr2a", "pmr-2-a", "pmr 2-a", "pmr2-a", "pmr-2 a", "pmr 2 a", "pmr2 a",
    }


def test_suffix_letters_may_be_set_off() -> None:
    assert set(separator_variants("тм-62п")) >= {"тм-62 п", "тм 62-п", "тм62п"}
    # only letters that end a designation: the "a" inside m16a1 is not a suffix
    assert "m16 a1" not in separator_variants("m16a1")
    assert "9 n235" not in separator_variants("9n235")


# Pieces the scan encoder sees: ASCII runs around and across its 128-character stretch pieces,
# Cyrillic, letters cp1251 lacks (é, Greek, a stress mark), a lone surrogate, a soft hyphen.
_PIECES = st.sampled_from(["a", " ", "MON-50 ", "x" * 127, "x" * 300, "\n", "мина ", "Ё", "é", "ΟΔΟΣ", "\u0301", "\ud800", "\u00ad"])


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_encode_is_cp1251_with_a_scan_byte_for_the_rest(text: str) -> None:
    assert encode(text) == text.encode("cp1251", "munitag.scan")


def test_encode_stretches_end_where_ascii_resumes() -> None:
    text = "a" * 200 + "мина" + "b" * 126 + "é" + "c" * 500 + "ΟΔΟΣ"
    assert encode(text) == text.encode("cp1251", "munitag.scan")
    assert len(encode(text)) == len(text)


@pytest.mark.parametrize("tail", ["", "x" * 300, "x" * 300 + "ё ΟΔΟΣ é\u0301" + "y" * 200])
def test_a_long_stretch_takes_the_rest_of_the_text(tail: str) -> None:
    text = "Report. " + "Противопехотная мина ПФМ-1 «Лепесток», 1 шт. " * 200 + tail  # over 4,096 characters
    assert encode(text) == text.encode("cp1251", "munitag.scan")
    assert len(encode(text)) == len(text)


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_ignorables_are_found_among_many_letters_cp1251_lacks(text: str) -> None:
    expected = any(mark in text for mark in ("\u00ad", "\u0300", "\u0301"))
    assert has_ignorables(text, encode(text)) == expected
    assert has_ignorables("é" * 20 + text, encode("é" * 20 + text)) == expected
    assert has_ignorables("ΟΔΟΣ" + text + "é" * 20, encode("ΟΔΟΣ" + text + "é" * 20)) == expected
