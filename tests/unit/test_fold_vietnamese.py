"""`fold` reads Vietnamese exactly as it did with unidecode: search keys stored before
anyascii replaced it (issue 17: unidecode is GPL) must still be found.

unidecode is no longer a dependency: the comparisons with it run where it is still
installed; the comparisons with plain Unicode decomposition run everywhere."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderdesk import geo
from orderdesk.text import _SPACES, fold, nfc

_VOWELS = "aăâeêioôơuưy"
_TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # huyền sắc ngã hỏi nặng


def _letters() -> list[str]:
    """The precomposed Vietnamese letters: vowels bare and with each tone, and đ."""
    found = []
    for vowel in _VOWELS + _VOWELS.upper():
        for tone in ("", *_TONES):
            letter = nfc(vowel + tone)
            if not letter.isascii():
                found.append(letter)
    return [*found, "đ", "Đ"]


LETTERS = _letters()
# What a keyboard puts around Vietnamese words; the NBSP and zero-width space come in with
# text copied from web pages and chats.
PUNCTUATION = "“”‘’–—…·×₫\u00a0\u200b"


def _written(letter: str, form: int) -> str:
    """`letter` as a keyboard may send it: composed (NFC), decomposed (NFD), or as
    "Unicode tổ hợp" keyboards do, the vowel composed and its tone combining after it."""
    if form == 0:
        return letter
    decomposed = unicodedata.normalize("NFD", letter)
    if form == 1:
        return decomposed
    tone = next((mark for mark in decomposed if mark in _TONES), "")
    return nfc(decomposed.replace(tone, "")) + tone


def _text(*others: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    letters = st.builds(_written, st.sampled_from(LETTERS), st.integers(0, 2))
    return st.lists(st.one_of(letters, *others), max_size=40).map("".join)


def _unidecode_fold(value: str) -> str:
    """`fold` as it was, reading each character with unidecode."""
    unidecode = pytest.importorskip("unidecode").unidecode
    return _SPACES.sub(" ", "".join(unidecode(c) for c in nfc(value)).lower()).strip()


def _stripped_fold(value: str) -> str:
    """Vietnamese letters without their marks, đ as d: what both libraries make of them."""
    bare = "".join(c for c in unicodedata.normalize("NFD", value) if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare.replace("đ", "d").replace("Đ", "D").lower()).strip()


def test_there_are_134_letters() -> None:
    assert len(LETTERS) == len(set(LETTERS)) == 134
    assert all(len(letter) == 1 for letter in LETTERS)


def test_every_letter_folds_to_its_bare_letter() -> None:
    for letter in LETTERS:
        for form in (0, 1, 2):
            written = _written(letter, form)
            assert fold(written) == _stripped_fold(letter), (letter, form)
            assert len(fold(written)) == 1


def test_every_letter_folds_as_before() -> None:
    for letter in LETTERS:
        for form in (0, 1, 2):
            written = _written(letter, form)
            assert fold(written) == _unidecode_fold(written), (letter, form)


@settings(max_examples=1000)
@given(_text(st.characters(codec="ascii")))
def test_vietnamese_words_fold_to_bare_letters(value: str) -> None:
    assert fold(value) == _stripped_fold(value)


@settings(max_examples=2000)
@given(_text(st.characters(codec="ascii"), st.sampled_from(PUNCTUATION)))
def test_vietnamese_text_folds_as_before(value: str) -> None:
    assert fold(value) == _unidecode_fold(value)


def test_every_place_name_folds_as_before() -> None:
    names = [p.name for p in geo.provinces()]
    names += [w.name for p in geo.provinces() for w in geo.wards_of(p.code)]
    assert len(names) > 3000
    # Beside letters the names hold a typographic apostrophe (Cư M’gar) and an en dash.
    stripped = [_stripped_fold(n).replace("’", "'").replace("–", "-") for n in names]
    assert [fold(n) for n in names] == stripped
    assert [fold(n) for n in names] == [_unidecode_fold(n) for n in names]


def test_emoji_and_flags_fold_to_nothing_as_before() -> None:
    # anyascii would spell them ":house:", "VN"; a pasted label must still lead its line.
    assert fold("🏠 Địa chỉ:") == "dia chi:"
    assert fold("Lan 🌸🇻🇳 ❤️") == "lan"
    for value in ("🏠 Địa chỉ: 12 Lý Thường Kiệt", "Lan 🌸🇻🇳", "📞 0912 345 678 ❤️"):
        assert fold(value) == _unidecode_fold(value)


def test_chinese_keeps_a_word_per_ideograph_as_before() -> None:
    # Product names copied from Chinese wholesale sites.
    value = "Váy 连衣裙 中国制造"
    assert fold(value) == "vay lian yi qun zhong guo zhi zao"
    assert fold(value) == _unidecode_fold(value)
