"""Read comparisons (A가 B보다 많다, more A than B, A outnumber B) and counts, and check them.

A comparison names two terms the glossary knows as roles or rivals (user, item; encoder,
decoder) and says which is the larger: 유저보다 아이템의 크기가
작다 → (user, item). An opposite-pole word alone cannot tell a paraphrase from a flip:
"users outnumber items" says the point with the other pole and the sides exchanged,
"items outnumber users" flips it. So a point's comparison is checked side by side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from studydeck.glossary import Glossary, poles
from studydeck.normalize import Token

__all__ = ["Comparison", "comparison_clauses", "comparisons", "count_changed", "count_denied"]

# the reference follows these: compared to B, relative to B; B에 비해
_COMPARED_AFTER = frozenset(["compared", "compar", "relative", "versus", "vs"])
_COMPARED_BEFORE = frozenset(["비해", "비하", "비", "비교", "대비"])
# comparative verbs: A outnumbers B (A is the subject, B the object)
_VERBS = frozenset(["outnumber", "exceed", "outweigh", "surpass"])


@dataclass(frozen=True)
class Comparison:
    """Two terms, the larger first, and the clause that says so."""

    larger: str
    smaller: str
    clause: int


def _magnitude(t: Token, glossary: Glossary) -> str | None:
    for group, pole in poles(t, glossary):
        if group == "magnitude":
            return pole
    return None


def comparisons(tokens: Sequence[Token], glossary: Glossary) -> list[Comparison]:
    """Return the comparisons a text states, one per clause at most."""
    sides = glossary.roles.keys() | glossary.rivals.keys()  # terms that can be compared
    clauses: dict[int, list[Token]] = {}
    for t in tokens:
        clauses.setdefault(t.clause, []).append(t)
    out: list[Comparison] = []
    for clause, toks in clauses.items():
        polar = [(n, p) for n, t in enumerate(toks) if (p := _magnitude(t, glossary))]
        if len(polar) != 1 or any(t.negated for t in toks):
            continue
        at, pole = polar[0]
        terms = [n for n, t in enumerate(toks) if t.key in sides and n != at]
        ref = _reference(toks, terms, at)
        if ref is None:
            continue
        # the other side: a term outside the reference's own noun phrase (최소 평가 인원수보다)
        others = [
            n for n in terms if toks[n].key != toks[ref].key and not _modifies(toks, n, ref, at)
        ]
        if toks[at].stem in _VERBS or toks[at].key in _VERBS:
            others = [n for n in others if n < at]
        if not others:
            continue
        subject = [n for n in others if toks[n].case == "subj"]
        side = (subject or others)[0]
        a, b = toks[side].key, toks[ref].key
        out.append(Comparison(a, b, clause) if pole == "high" else Comparison(b, a, clause))
    return out


def _reference(toks: Sequence[Token], terms: Sequence[int], at: int) -> int | None:
    """Return the index of the term compared against: B of "than B", 보다, 비해, outnumber B."""
    for n, t in enumerate(toks):
        if t.case == "than":
            return next((m for m in terms if m >= n), None)
        if t.key in _COMPARED_AFTER or t.stem in _COMPARED_AFTER:
            return next((m for m in terms if m > n), None)
        if t.key in _COMPARED_BEFORE or t.stem in _COMPARED_BEFORE:
            return next((m for m in reversed(terms) if m < n), None)
    if toks[at].stem in _VERBS or toks[at].key in _VERBS:
        return next((m for m in terms if m > at), None)
    return None


def _modifies(toks: Sequence[Token], n: int, ref: int, at: int) -> bool:
    """Return True when Korean word n starts a bare modifier run right before the reference."""
    return (
        toks[n].hangul
        and n < ref
        and not n <= at < ref
        and all(toks[m].case in ("", toks[ref].case) for m in range(n, ref))
    )


def comparison_clauses(
    key: Sequence[Token], answer: Sequence[Token], glossary: Glossary
) -> tuple[frozenset[int], frozenset[int]]:
    """Return the answer clauses that state the point's comparison, and those that reverse it."""
    wanted = comparisons(key, glossary)
    if not wanted:
        return frozenset(), frozenset()
    same: set[int] = set()
    reverse: set[int] = set()
    for c in comparisons(answer, glossary):
        for w in wanted:
            if (c.larger, c.smaller) == (w.larger, w.smaller):
                same.add(c.clause)
            elif (c.larger, c.smaller) == (w.smaller, w.larger):
                reverse.add(c.clause)
    return frozenset(same), frozenset(reverse)


def count_denied(
    key: Sequence[Token], answer: Sequence[Token], elsewhere: frozenset[str]
) -> frozenset[int]:
    """Return the answer clauses that give a listing point another number of parts.

    크게 세 네트워크로 이루어져 있다 (three items listed) → "just two parts, …": a count
    said in a clause of its own, or beside the point's words but none of another point's
    (``elsewhere``: 총 2개 next to Add & Norm counts something else).
    """
    n = _listed(key)
    if n is None:
        return frozenset()
    said = {t.key for t in key}
    bad = set()
    for a in answer:
        if a.number is None or a.number == n or a.number < 2 or a.key in said:
            continue
        clause = [b for b in answer if b.clause == a.clause]
        if not any(b.key in elsewhere and b.key not in said for b in clause):
            bad.add(a.clause)
    return frozenset(bad)


def count_changed(
    key: Sequence[Token],
    pairs: Mapping[int, int],
    answer: Sequence[Token],
    elsewhere: frozenset[str],
) -> frozenset[int]:
    """Return the answer clauses that give a point's one number another value beside its words.

    각 네트워크 출력에서 Add & Norm (총 3개) → "Add&Norm은 마지막에 1번만": a count said
    within three words after a word of the point (none of them another point's) that is not
    the one count the point names. A listing point's count is ``count_denied``'s; 한 after a
    noun is mostly "did" (평가 한 아이템), not "one".
    """
    numbers = {t.number for t in key if t.number is not None and _count(t)}
    if len(numbers) != 1 or _listed(key) is not None:
        return frozenset()  # a listing point's count is count_denied's
    (n,) = numbers
    said = {t.key for t in key}
    held = set(pairs.values())
    bad: set[int] = set()
    for j in held:
        for a in answer[j + 1 : j + 4]:
            if a.clause != answer[j].clause or a.index in held:
                break
            if a.key in elsewhere and a.key not in said:
                break  # FFNN 3개: the number counts another point's word
            if _count(a) and a.number != n and not a.negated and a.stem != "한":
                bad.add(a.clause)
                break
    return frozenset(bad)


def _listed(key: Sequence[Token]) -> int | None:
    """Return the number of parts a listing point names (크게 세 네트워크: 3, three lines)."""
    if not key:
        return None
    first = key[0].clause
    counts = {t.number for t in key if t.clause == first and t.number}
    items = {t.clause for t in key} - {first}
    if len(counts) != 1 or len(items) != next(iter(counts)) or len(items) < 2:
        return None
    return len(items)


def _count(t: Token) -> bool:
    """Return True for a bare count (2, 두, 세 개), not a named term with a number (3차원)."""
    return t.number is not None and t.key == str(t.number)
