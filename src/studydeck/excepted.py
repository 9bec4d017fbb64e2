"""Find an answer that extends a point's exception to what the point excepts it from.

이를 제외하고는 Encoder의 Self Attention과 같다 (the mask aside, it is the encoder's self
attention): an answer that says the mask is in the encoder's self attention too ("인코더 셀프
어텐션에도 똑같이 들어간다", "also applied to the encoder self-attention") denies the point.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from studydeck.normalize import Token

__all__ = ["exception_extended"]

_ALSO_PARTICLES = ("도",)  # 에도, 에서도, 도: "X too"
_NOT_TARGET = frozenset(["except", "same"])  # 제외하고는 … 같다: the frame, not the thing
_ALSO_WORDS = re.compile(r"\b(?:also|too|as well)\b")


def exception_extended(
    key: Sequence[Token], answer: Sequence[Token], text: str, names: Collection[str]
) -> frozenset[int]:
    """Return the answer clauses that say "the compared thing too" of an "except" point.

    The compared thing is the run of glossary terms in the point's "except" clause (Encoder의
    Self Attention). The answer says it too when the run's last word takes 도 (셀프 어텐션에도),
    or when its clause says also / too / as well.
    """
    at = next((t.clause for t in key if t.key == "except"), None)
    if at is None:
        return frozenset()
    target = [t.key for t in key if t.clause == at and t.key in names and t.key not in _NOT_TARGET]
    if not target:
        return frozenset()
    n = len(target)
    bad: set[int] = set()
    for j in range(len(answer) - n + 1):
        run = answer[j : j + n]
        if [t.key for t in run] != target or len({t.clause for t in run}) > 1:
            continue
        clause = run[-1].clause
        if any(t.negated or t.key == "except" for t in answer if t.clause == clause):
            continue  # 인코더 셀프 어텐션에는 없다, except in the encoder: the exception kept
        if run[-1].particle.endswith(_ALSO_PARTICLES) or _ALSO_WORDS.search(
            _clause_text(answer, clause, text)
        ):
            bad.add(clause)
    return frozenset(bad)


def _clause_text(answer: Sequence[Token], clause: int, text: str) -> str:
    words = [t for t in answer if t.clause == clause]
    return text[words[0].start : words[-1].end].lower()
