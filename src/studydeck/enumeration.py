"""A point that says "N parts" and lists them: does the answer name all of them, or too few?

크게 세 네트워크로 이루어져 있다 — Self Attention, 인코더-디코더 어텐션, FFNN: naming the three
says what the point says; naming two leaves one out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from studydeck.normalize import Token

Pairs = Mapping[int, int]


def enumeration_short(key: Sequence[Token], pairs: Pairs, answer: Sequence[Token]) -> bool:
    """Return True when the point says "N parts" and lists them, and the answer names too few.

    크게 세 네트워크로 이루어져 있다: Self Attention, 인코더-디코더 어텐션, FFNN. An
    answer naming two of them has left one part out; all but one (at least two) will do
    only when the answer also says how many there are (a part garbled, not forgotten).
    """
    named = _items_named(key, pairs, answer)
    if named is None or named[0] >= named[1]:
        return False
    counted = any(a.number == named[1] for a in answer)
    return named[0] < max(2, named[1] - 1) or not counted


def enumeration_named(key: Sequence[Token], pairs: Pairs, answer: Sequence[Token]) -> bool:
    """Return True when the point says "N parts" and lists them, and the answer names all N.

    Self Attention과 FFNN으로 되어 있다 says what 크게 두 네트워크로 이루어져 있다 lists.
    """
    named = _items_named(key, pairs, answer)
    return named is not None and named[0] == named[1]


def _items_named(
    key: Sequence[Token], pairs: Pairs, answer: Sequence[Token]
) -> tuple[int, int] | None:
    """Return (items the answer names, items listed) for an "N parts" point, else None."""
    if not key:
        return None
    first = key[0].clause
    counts = {t.number for t in key if t.clause == first and t.number and not t.stem[:1].isdigit()}
    items = {t.clause for t in key} - {first}
    made_of = any(t.key == "consist" for t in key if t.clause == first)
    if not made_of or len(counts) != 1 or len(items) != next(iter(counts)) or len(items) < 2:
        return None
    exact = {(t.key, t.clause) for t in key}
    words: dict[int, set[int]] = {}
    for i, j in pairs.items():
        c = key[i].clause
        # 셀프 어텐션 is the Self Attention item, not also the 인코더-디코더 어텐션 one
        elsewhere = any((answer[j].key, d) in exact for d in items - {c})
        if c != first and (answer[j].key == key[i].key or not elsewhere):
            words.setdefault(c, set()).add(j)
    return _distinct(words), len(items)


def _distinct(words: Mapping[int, set[int]]) -> int:
    """Count the items named by answer words of their own (셀프 어텐션 names one item, not two)."""
    owner: dict[int, int] = {}

    def claim(item: int, seen: set[int]) -> bool:
        for j in words[item] - seen:
            seen.add(j)
            if j not in owner or claim(owner[j], seen):
                owner[j] = item
                return True
        return False

    return sum(claim(item, set()) for item in words)
