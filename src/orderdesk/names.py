"""How Vietnamese place names are typed, and how a typed name is matched to an official one.

People write a unit's name with or without its unit word (`Phường Cửa Nam`, `P. Cửa Nam`,
`cua nam`), with or without diacritics, and glue numbers to abbreviations (`P5`, `Q.3`).
Some names start with a word that folds like a unit word (`Phương Liệt`, `Xa Dung`), so a
typed text is read every way it can be (`readings`), each reading is looked up, and the
diacritics, where typed, settle what folding cannot (`agrees`). geo.py (today's wards) and
geo_old.py (the units before July 2025) share this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from orderdesk.text import clean, fold, squash


@dataclass(frozen=True)
class Units:
    """The unit words a level of names may be written after."""

    words: dict[tuple[str, ...], str]  # folded unit words → the kind of unit they name
    accented: frozenset[str]  # the unit words as written with diacritics
    glued: re.Pattern[str] | None = None  # an abbreviation glued to a number: P5, Q3
    glued_kind: str = ""


@dataclass(frozen=True)
class Reading:
    """One way to read a typed name: a unit word then a name, or a name alone."""

    kind: str | None
    words: tuple[str, ...]
    marked: bool = False  # the whole text carried diacritics (a unit word's count too)

    @property
    def key(self) -> str:
        return key(self.words)


def words(text: str) -> list[str]:
    """Case-folded words, diacritics kept; dots, commas and hyphens separate words."""
    return list(_words(text))


@lru_cache(maxsize=16384)  # a file names the same few hundred places again and again
def _words(text: str) -> tuple[str, ...]:
    return tuple(_SEPARATORS.sub(" ", clean(text).casefold()).split())


_SEPARATORS = re.compile(r"[.,\-–]")


def key(name_words: Iterable[str]) -> str:
    """What all spellings of one name share: folded, no spaces, numbers without zeros
    in front (`Phường 05` is `Phường 5`)."""
    return "".join(str(int(w)) if w.isdigit() else squash(w) for w in name_words)


def agrees(reading: Reading, name: Iterable[str]) -> bool:
    """Whether a reading spells a name: exactly, diacritics included, when the typist used
    diacritics at all (`Xã Văn Lang` is not Văn Lăng), else with them folded away."""
    typed, name = list(reading.words), list(name)
    if len(typed) != len(name):
        return False
    if not reading.marked:
        return key(typed) == key(name)
    return all(
        t == n or (t.isdigit() and n.isdigit() and int(t) == int(n))
        for t, n in zip(typed, name, strict=True)
    )


def readings(text: str, units: Units) -> list[Reading]:
    """Every reading of a typed name: `phuong liet` is Phường Liệt or Phương Liệt, and both
    are looked up; `Phương Liệt`, typed with its diacritics, can only be the name."""
    typed = words(text)
    if not typed:
        return []
    marked = not all(word.isascii() for word in typed)
    found = [Reading(None, tuple(typed), marked)]
    folded = [fold(word) for word in typed[:2]]
    if units.glued is not None and (glued := units.glued.match(folded[0])):
        found.append(Reading(units.glued_kind, (glued[1], *typed[1:]), marked))
    for size in (1, 2):
        kind = units.words.get(tuple(folded[:size])) if len(typed) > size else None
        if kind and all(w.isascii() or w in units.accented for w in typed[:size]):
            found.append(Reading(kind, tuple(typed[size:]), marked))
    return found
    for unit, kind in units.words.items():
        head = typed[: len(unit)]
        if (
            len(typed) > len(unit)
            and tuple(fold(w) for w in head) == unit
            and all(w.isascii() or w in units.accented for w in head)
        ):
            found.append(Reading(kind, tuple(typed[len(unit) :]), marked))
    return found


def official(name: str, unit_names: dict[str, str]) -> tuple[str | None, list[str]]:
    """An official name split into its unit's kind and the words after the unit word:
    `Phường Phương Liệt` → ("phuong", [phương, liệt])."""
    lowered = clean(name).casefold()
    for unit, kind in unit_names.items():
        if lowered.startswith(unit + " "):
            return kind, words(name[len(unit) + 1 :])
    return None, words(name)
