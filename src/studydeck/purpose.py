"""Find a reversed cause: the answer makes the aim of what the point calls the problem.

고정된 크기의 벡터로 압축하는 방식에 문제가 있었다 → "…, so attention came to compress it
into one fixed-size vector": the compression the point blames is said as the goal.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from studydeck.normalize import Token

__all__ = ["problem_made_goal"]

_PROBLEM = frozenset(["problem", "단점", "한계", "limitation", "drawback", "bottleneck"])
_FIX = frozenset(["solve", "prevent", "avoid", "막", "피하", "줄이", "reduce"])
# endings of purpose: 압축하려고, 압축하고자; 압축하기 위해 is caught by the word after it
_PURPOSE_ENDINGS = ("려고", "고자")
_PURPOSE_AFTER = ("위해", "위하여", "위한", "위함")


def _purpose(token: Token, text: str) -> bool:
    """Return True when the word is said as an aim: 압축하려고, 압축하기 위해."""
    if token.negated:
        return False
    if token.particle.endswith(_PURPOSE_ENDINGS):
        return True
    after = text[token.end :].lstrip()
    return token.particle.endswith("기") and after.startswith(_PURPOSE_AFTER)


def problem_made_goal(
    key: Sequence[Token],
    key_text: str,
    pairs: Mapping[int, int],
    answer: Sequence[Token],
    answer_text: str,
    weak: Collection[str],
) -> set[int]:
    """Return the answer clauses that say a word of the point's problem clause as the aim.

    Only a word the point itself does not say as an aim counts (문제점을 해결하기 위해
    says the fix as the aim, rightly), and only in an answer clause that names no problem.
    """
    if not pairs:
        return set()
    troubled = {t.clause for t in key if t.key in _PROBLEM}
    words = {
        t.key
        for t in key
        if t.clause in troubled
        and t.key not in _PROBLEM
        and t.key not in _FIX
        and t.key not in weak
        and not _purpose(t, key_text)
    }
    plain = {a.clause for a in answer if a.key in _PROBLEM}
    return {
        a.clause
        for a in answer
        if a.key in words and a.clause not in plain and _purpose(a, answer_text)
    }
