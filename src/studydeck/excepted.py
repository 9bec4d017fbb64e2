"""Find an answer that breaks a point's exception or its exclusion.

An exception: 이를 제외하고는 Encoder의 Self Attention과 같다 (the mask aside, it is the
encoder's self attention): an answer that says the mask is in the encoder's self attention
too ("인코더 셀프 어텐션에도 똑같이 들어간다", "also applied to the encoder self-attention")
denies the point.
An exclusion: Attention만을 이용한 모델 is not said by "어텐션을 쓰는 모델" (no "only"), nor by
one that keeps an RNN beside it; "RNN을 쓰지 않고 어텐션만" agrees with it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from studydeck.glossary import rival
from studydeck.normalize import Token

__all__ = ["exception_extended", "exclusion_broken", "replaces", "rival_denied", "set_aside"]

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


_ONLY = frozenset(["만", "만을", "만으로", "만이", "만의", "만으로도", "으로만", "로만"])
# words that say a rival was dropped: RNN 대신, RNN을 버리고, instead of RNNs
_DROPPED = frozenset(
    [
        "대신",
        "instead",
        "replace",
        "rather",
        "버리",
        "버리고",
        "버린",
        "바꿔",
        "빼",
        "빼고",
        "제외",
        "없애",
        "remove",
    ]
)

# verbs whose object is what was dropped: 어텐션을 빼고, 어텐션을 없애고
_DROP_VERBS = frozenset(["빼", "버리", "없애", "제외"])

# words that say "only" before or after their noun: only attention, attention alone
_ALONE = frozenset(
    ["만", "only", "오직", "alon", "alone", "solely", "purely", "entirely", "exclusively", "단지"]
)

# words by which a point says one thing takes another's place
_REPLACE = frozenset(
    ["바꿔", "바꾸", "바꾼", "대신", "대체", "교체", "instead", "replace", "rather"]
)


def exclusion_broken(
    key: Sequence[Token],
    pairs: Mapping[int, int],
    answer: Sequence[Token],
    rivals: Mapping[str, frozenset[int]],
) -> bool:
    """Return True when the answer misses the point's "only X" or says a rival of X too.

    Attention만을 이용한 모델: an answer without attention, or with an RNN it keeps
    (not one it drops: RNN 없이, RNN 대신), has not said what the point claims.
    """
    said = {t.key for t in key}
    for i, t in enumerate(key):
        if t.particle not in _ONLY and not (i and key[i - 1].key == "only"):
            continue
        if not any(key[n].key == t.key and not _dropped(answer, j) for n, j in pairs.items()):
            return True  # not said, or said as what was dropped: 어텐션 대신 CNN만
        if not _exclusive(answer, t, rivals):
            return True  # 어텐션을 쓰는 모델: said, but not as the only one
        for a in answer:
            if a.negated or a.key in said or not rival(a, t, rivals):
                continue
            clause = {b.key for b in answer if b.clause == a.clause} | {
                b.stem for b in answer if b.clause == a.clause
            }
            if not clause & _DROPPED:
                return True
    return False


def _exclusive(answer: Sequence[Token], t: Token, rivals: Mapping[str, frozenset[int]]) -> bool:
    """Return True when the answer says "only" anywhere, or sets a rival of ``t`` aside."""
    for a in answer:
        if a.particle in _ONLY or a.particle.startswith("만") or a.key in _ALONE or "뿐" in a.stem:
            return True
        if a.key in _DROPPED or a.stem in _DROPPED or a.key in _REPLACE or a.stem in _REPLACE:
            return True
        if a.negated and rival(a, t, rivals):
            return True  # RNN 없이, no recurrence
    return False


def replaces(key: Sequence[Token]) -> bool:
    """Return True when a point says one thing takes another's place (RNN구조에서 이를 바꿔)."""
    return any(t.stem in _REPLACE or t.key in _REPLACE for t in key)


def set_aside(answer: Sequence[Token], clause: int) -> bool:
    """Return True when an answer clause says something is dropped or replaced (RNN 대신)."""
    return any(a.clause == clause and ({a.key, a.stem} & (_DROPPED | _REPLACE)) for a in answer)


def rival_denied(
    key: Sequence[Token], answer: Sequence[Token], rivals: Mapping[str, frozenset[int]]
) -> set[int]:
    """Return the negated answer clauses that deny a rival of the point's "only" term.

    Attention만을 이용한 모델 excludes RNN: "RNN을 쓰지 않고 어텐션만" agrees with it. The
    answer must say the "only" term, outside that clause, or the negation may apply to it.
    """
    only = [t for i, t in enumerate(key) if t.particle in _ONLY or (i and key[i - 1].key == "only")]
    if not only or not any(a.negated for a in answer):
        return set()
    kept = {t.key for t in only}
    if not any(a.key in kept and not a.negated for a in answer):
        return set()  # "no RNN" alone does not say what the model uses instead
    out: set[int] = set()
    for a in answer:
        if not a.negated or a.clause in out or not any(rival(a, t, rivals) for t in only):
            continue
        if not any(b.clause == a.clause and b.key in kept for b in answer):
            out.add(a.clause)
    return out


def _dropped(answer: Sequence[Token], j: int) -> bool:
    """Return True when the answer word is what was set aside: X 대신, instead of X."""
    after = answer[j + 1] if j + 1 < len(answer) else None
    before = answer[j - 1] if j else None
    return bool(
        (after and after.clause == answer[j].clause and after.key == "대신")
        or (before and before.clause == answer[j].clause and before.key in ("instead", "rather"))
        # 어텐션을 빼고 RNN만, removing attention: the object of a verb that drops it
        or (
            after
            and after.clause == answer[j].clause
            and answer[j].case == "obj"
            and after.stem in _DROP_VERBS
        )
        or (before and before.clause == answer[j].clause and before.key == "remove")
    )
