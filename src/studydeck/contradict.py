"""Find where an answer contradicts a key point: flips, swaps and substituted terms.

Each check takes the point's tokens, the matching (point word index → answer word
index) and the answer's tokens, and returns the answer clauses that contradict the
point. The grader does not let a point with a contradiction be hit, and gives no
partial credit for the words of a contradicting clause.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise

from studydeck.glossary import Glossary
from studydeck.normalize import Token

__all__ = ["contradicting_clauses", "poles"]

Pairs = Mapping[int, int]


def poles(t: Token, glossary: Glossary) -> tuple[tuple[str, str], ...]:
    """Return the (contrast, pole) pairs a word stands for: 높은 → (magnitude, high)."""
    return glossary.poles.get(t.key) or glossary.poles.get(t.stem) or ()


def contradicting_clauses(
    key: Sequence[Token], pairs: Pairs, answer: Sequence[Token], glossary: Glossary
) -> tuple[frozenset[int], bool]:
    """Return the answer clauses that contradict the point, and whether roles are swapped.

    A swap (who does what: roles exchanged, a rival term substituted, a modifier moved
    to another head) taints every clause of the answer.
    """
    bad: set[int] = set()
    clauses: dict[int, list[int]] = {}
    for i, t in enumerate(key):
        clauses.setdefault(t.clause, []).append(i)
    for members in clauses.values():
        hits = [(i, pairs[i]) for i in members if i in pairs]
        if not hits:
            continue
        window = {answer[j].clause for _, j in hits}
        # negation: the clauses differ in polarity, and a word the negation applies to matched
        if any(
            key[i].negated != answer[j].negated and (key[i].neg_head or answer[j].neg_head)
            for i, j in hits
        ):
            bad |= {answer[j].clause for i, j in hits if key[i].negated != answer[j].negated}
        near = [a for a in answer if a.clause in window]
        if _poles_flipped([key[i] for i in members], near, glossary):
            bad |= window
        k_nums = {key[i].number for i in members} - {None}
        a_nums = {a.number for a in near} - {None}
        worded = any(key[i].number is None for i, _ in hits)  # not just "(1, 1, 1)"
        if worded and k_nums and a_nums and not k_nums & a_nums:
            bad |= window
    if (
        _roles_swapped(key, pairs, answer, glossary.roles)
        or _substituted(key, pairs, answer, glossary.roles)
        or _substituted(key, pairs, answer, glossary.rivals)
        or _attachment_swapped(key, answer, glossary)
    ):
        return frozenset(a.clause for a in answer), True
    return frozenset(bad), False


def _poles_flipped(key: Sequence[Token], near: Sequence[Token], glossary: Glossary) -> bool:
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for side, toks in ((0, key), (1, near)):
        for t in toks:
            for group, pole in poles(t, glossary):
                groups.setdefault(group, ([], []))[side].append(pole)
    for ks, as_ in groups.values():
        if not ks or not as_:
            continue
        if len(set(ks)) == 1 and ks[0] not in as_:
            return True
        if len(ks) >= 2 and len(as_) >= 2 and (ks[0] == ks[1]) != (as_[0] == as_[1]):
            return True
    return False


def _rival(a: Token, b: Token, groups: Mapping[str, frozenset[int]]) -> bool:
    return (
        a.key != b.key
        and a.key in groups
        and b.key in groups
        and bool(groups[a.key] & groups[b.key])
    )


def _substituted(
    key: Sequence[Token],
    pairs: Pairs,
    answer: Sequence[Token],
    groups: Mapping[str, frozenset[int]],
) -> set[int]:
    """Find a point term the answer left out and put a rival term in its place.

    The place is fixed by the nearest matched word of the point on either side: the
    rival must stand as far from that word's match as the left-out term stands from it.
    """
    used = set(pairs.values())
    said = {t.key for t in key}
    for i, t in enumerate(key):
        if i in pairs or t.key not in groups:
            continue
        for step in (-1, 1):
            n = i + step
            while 0 <= n < len(key) and key[n].clause == t.clause and n not in pairs:
                n += step
            if not (0 <= n < len(key) and key[n].clause == t.clause):
                continue
            j = pairs[n]
            if any(a.key == t.key and a.clause == answer[j].clause for a in answer):
                continue
            want = j + (i - n)
            for a in answer[max(0, want - 1) : want + 2]:
                if (
                    a.index not in used
                    and a.clause == answer[j].clause
                    and (a.index - j) * step < 0
                    and a.key not in said
                    and _rival(a, t, groups)
                ):
                    return {a.clause}
    return set()


def _neighbours(answer: Sequence[Token], key: str, step: int) -> Iterable[Token]:
    for a in answer:
        n = a.index + step
        if a.key == key and 0 <= n < len(answer) and answer[n].clause == a.clause:
            yield answer[n]


def _attachment_swapped(
    key: Sequence[Token], answer: Sequence[Token], glossary: Glossary
) -> set[int]:
    """Find a modifier moved to another head: 두 사용자 → 두 아이템, 고차원 함수 → 저차원 함수.

    For each modifier-head pair of the point (adjacent words of one clause): when the
    head is a role or rival term, the answer's modifier must not stand before a rival
    of it instead (two such moves make an exchange); when the modifier is a pole word,
    the answer's head must not carry the opposite pole instead.
    """
    groups = {**glossary.rivals, **glossary.roles}
    moved: set[int] = set()  # answer clauses where a modifier went to a rival head
    flipped: set[int] = set()
    n_moved = 0
    keyed = {(g, p, h.key) for m, h in pairwise(key) for g, p in poles(m, glossary)}
    for m, h in pairwise(key):
        if m.clause != h.clause or m.key == h.key:
            continue
        m_poles, h_poles = poles(m, glossary), poles(h, glossary)
        if h.key in groups and m.key not in groups and not m_poles and not h_poles:
            after = list(_neighbours(answer, m.key, 1))
            rivals = {x.clause for x in after if _rival(x, h, groups)}
            if rivals and not any(x.key == h.key for x in after):
                moved |= rivals
                n_moved += 1
        elif m_poles and not h_poles and h.key not in groups:
            before = list(_neighbours(answer, h.key, -1))
            if not any(set(poles(x, glossary)) & set(m_poles) for x in before):
                flipped |= {
                    x.clause
                    for x in before
                    for g2, p2 in poles(x, glossary)
                    if any(g == g2 and p != p2 for g, p in m_poles) and (g2, p2, h.key) not in keyed
                }
    return flipped | (moved if n_moved >= 2 else set())


def _roles_swapped(
    key: Sequence[Token], pairs: Pairs, answer: Sequence[Token], roles: Mapping[str, frozenset[int]]
) -> set[int]:
    """Find two role words of the point whose parts the answer exchanges."""
    keyed = [(i, j) for i, j in sorted(pairs.items()) if key[i].key in roles]
    for x, (i1, j1) in enumerate(keyed):
        for i2, j2 in keyed[x + 1 :]:
            k1, k2, a1, a2 = key[i1], key[i2], answer[j1], answer[j2]
            if k1.key == k2.key:
                continue
            if not roles[k1.key] & roles[k2.key]:
                # binding: k1 and k2 share a who-does-what unit in the key, but in the
                # answer k1's unit holds another member of k2's group instead of k2
                if k1.bind == k2.bind and a1.bind != a2.bind:
                    group = roles[k2.key]
                    if any(
                        a.bind == a1.bind
                        and a.key in roles
                        and roles[a.key] & group
                        and a.key != k2.key
                        for a in answer
                    ):
                        return {a1.clause}
                continue
            if k1.clause != k2.clause or "and" in (k1.case, k2.case):
                continue
            known = k1.case and k2.case and a1.case and a2.case
            if known and k1.case != k2.case and a1.case == k2.case and a2.case == k1.case:
                return {a1.clause, a2.clause}
            changed = any(
                kc and ac and kc != ac for kc, ac in ((k1.case, a1.case), (k2.case, a2.case))
            )
            # word order tells roles only when the answer orders them as the point does:
            # English puts "than users" after "items", Korean puts 유저보다 first
            korean = all(t.hangul or t.particle for t in (k1, k2, a1, a2))
            if korean and a1.index > a2.index and changed and "and" not in (a1.case, a2.case):
                return {a1.clause, a2.clause}
    return set()
