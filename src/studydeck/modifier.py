"""Find a modifier said of the wrong word: 두 사용자 → 두 아이템, 유사한 성향 → 유사한 콘텐츠."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from itertools import pairwise

from studydeck.glossary import Glossary, poles, rival
from studydeck.normalize import Token
from studydeck.substitute import complement_said

__all__ = ["attachment_swapped", "modifier_moved", "role_owner_moved"]

# the particles of an owner: 디코더의 출력, 인코더에서의 정보
_OWNER = frozenset(["의", "에서의", "쪽의", "들의"])
# words that say how one thing relates to another: what they are said of is the point
_RELATIONAL = frozenset(["similar"])
# 비슷한 걸 찾아서: "similar" said of a bare "thing", so what is similar was said before it
_THING = re.compile(r"\s*(?:걸|것|거|게)(?![가-힣])")
_SENTENCE_END = re.compile(r"[.!?\n]")
# particles that end a predicate: the words before them are not what is similar
_SUBJECT = frozenset(
    ["", "끼리", "가", "이", "은", "는", "도", "들", "들이", "들끼리", "의", "나", "이나"]
)


def _neighbours(answer: Sequence[Token], key: str, step: int) -> Iterable[Token]:
    for a in answer:
        n = a.index + step
        if a.key == key and 0 <= n < len(answer) and answer[n].clause == a.clause:
            yield answer[n]


def attachment_swapped(
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
        if h.key in groups and m.key not in groups and not h_poles:
            after = list(_neighbours(answer, m.key, 1))
            rivals = {x.clause for x in after if rival(x, h, groups)}
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
                    if any(g == g2 and p != p2 for g, p in m_poles)
                    and (g2, p2, h.key) not in keyed
                    and not complement_said(
                        [k for k in key if k.clause == m.clause],
                        [a for a in answer if a.clause == x.clause],
                        glossary,
                    )
                }
    return flipped | (moved if n_moved >= 2 else set())


def _owned(
    tokens: Sequence[Token], at: int, glossary: Glossary, *, strict: bool = True
) -> Iterable[str]:
    """Yield the nouns a role word owns: 인코더 부분에서의 정보, 디코더의 출력 정보 → 정보.

    ``strict`` wants the owner marked (의, 에서의); otherwise any role word before the noun.
    """
    if strict and tokens[at].particle not in _OWNER:
        nxt = tokens[at + 1] if at + 1 < len(tokens) else None
        if not (nxt and nxt.key in glossary.weak and nxt.particle in _OWNER):
            return
    seen, most = 0, 2 if strict else 3  # 인코더의 position-wise FFNN: a loose owner reaches on
    for t in tokens[at + 1 :]:
        if t.clause != tokens[at].clause or seen == most:
            return
        if t.key in glossary.weak or t.key in glossary.roles:
            continue  # 다른 사람들의 아이템 선호도: the people own the preference too
        seen += 1
        if not poles(t, glossary):
            yield t.key
        if t.particle and t.particle != "의":
            return  # 정보를: the phrase ends with its case


def _bare_owned(tokens: Sequence[Token], at: int) -> set[str]:
    """Return the nouns a role word owns in a phrase typed without particles: 디코더 출력 정보.

    Notes drop the 의; a bare run of nouns after the role word is still its phrase.
    """
    if tokens[at].particle:
        return set()
    out: set[str] = set()
    for t in tokens[at + 1 : at + 3]:
        if t.clause != tokens[at].clause or not t.hangul:
            break  # English sets no particles: its bare runs say nothing
        out.add(t.key)
        if t.particle:
            break
    return out


def _subject_before(tokens: Sequence[Token], at: int, role: str) -> bool:
    """Return True when the role is the subject just before: 인코더가 … 디코더 출력 정보를 본다."""
    return any(
        t.key == role and t.case == "subj" and 0 <= tokens[at].clause - t.clause <= 2
        for t in tokens[:at]
    )


def role_owner_moved(key: Sequence[Token], answer: Sequence[Token], glossary: Glossary) -> set[int]:
    """Find what the point says of one role said of the other: 인코더의 정보 → 디코더의 정보.

    인코더 부분에서의 정보를 같이 본다, answered "the encoder looks at the decoder's output
    information": the information is owned by the other role, and the point is turned around.
    """
    roles = glossary.roles
    owned = {
        (x.key, h) for i, x in enumerate(key) if x.key in roles for h in _owned(key, i, glossary)
    }
    loose = {
        (x.key, h)
        for i, x in enumerate(key)
        if x.key in roles
        for h in _owned(key, i, glossary, strict=False)
    }
    for role, head in owned:
        if any(
            a.key == role and head in _owned(answer, n, glossary, strict=False)
            for n, a in enumerate(answer)
        ):
            continue
        for n, b in enumerate(answer):
            if (
                b.key != role
                and b.key in roles
                and roles[b.key] & roles[role]
                and (b.key, head) not in loose
                and (
                    head in _owned(answer, n, glossary)
                    or (head in _bare_owned(answer, n) and _subject_before(answer, n, role))
                )
            ):
                return {b.clause}
    return set()


def _phrase(tokens: Sequence[Token], at: int, text: str) -> set[str]:
    """Return the words a modifier is said of: 비슷한 성향의 다른 유저를 → 성향, 다른, 유저.

    English puts the word first when "to" follows: items similar to what the user liked.
    """
    m = tokens[at]
    if not m.hangul and text[m.end :].lstrip().lower().startswith("to "):
        before = tokens[at - 1] if at else None
        return {before.key} if before and before.clause == m.clause else set()
    out: set[str] = set()
    if m.hangul and _THING.match(text, m.end):
        for t in reversed(tokens[max(0, at - 5) : at]):
            if t.particle not in _SUBJECT or _SENTENCE_END.search(text, t.end, m.start):
                break
            out.add(t.key)
        return out
    for t in tokens[at + 1 : at + 4]:
        if t.clause != m.clause or (t.particle and not t.case):
            break  # 비슷한 걸 찾아서: a verb, not what is similar
        out.add(t.key)
        if t.particle != "의" and (t.particle or not t.hangul):
            break  # 성향의 유저: past 의 the head is still to come
    return out


def modifier_moved(
    key: Sequence[Token],
    key_text: str,
    answer: Sequence[Token],
    answer_text: str,
    plain: Collection[str],
) -> set[int]:
    """Return the answer clauses that say "similar" of another word of the point.

    유사한 성향의 User를 찾아 User의 컨텐츠를 추천 → "finds similar contents": what is
    similar tells collaborative from content-based filtering. Words in ``plain`` (the
    question's, generic ones) may be said similar freely: 아이템 기반 → 비슷한 아이템.
    """
    said = {t.key for t in key}
    for i, m in enumerate(key):
        if m.key not in _RELATIONAL or m.negated:
            continue
        own = _phrase(key, i, key_text)
        if not own:
            continue
        heads = [
            (a.clause, _phrase(answer, n, answer_text))
            for n, a in enumerate(answer)
            if a.key == m.key and not a.negated
        ]
        if any(words & own for _, words in heads):
            continue
        others = said - own - set(plain)
        moved = {c for c, words in heads if words & others}
        if moved:
            return moved
    return set()
