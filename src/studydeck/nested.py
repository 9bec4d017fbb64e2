"""A point with nested lines: its first line says what, the nested lines say why or how."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from studydeck.contradict import contradicting_clauses
from studydeck.glossary import Glossary
from studydeck.keypoints import KeyPoint
from studydeck.normalize import Token
from studydeck.substitute import category_substituted
from studydeck.thresholds import Thresholds

__all__ = ["head_clean", "nested_listed", "nested_said"]


def nested_said(kp: KeyPoint, pairs: dict[int, int]) -> bool:
    """Return True unless the point has nested lines and the answer says only its first line.

    For a card's only point: 아이템 기반의 추천 시스템을 사용한다 / 유저보다 아이템의 크기가
    작다 — "아이템 기반" alone leaves out the reason, the rest of the answer. An answer word
    matched to the first line does not count twice.
    """
    nl = kp.point.text.find("\n")
    if nl < 0:
        return True
    first = {j for i, j in pairs.items() if kp.tokens[i].start < nl}
    return any(kp.tokens[i].start > nl and j not in first for i, j in pairs.items())


def nested_listed(kp: KeyPoint, pairs: dict[int, int], most: int = 3) -> bool:
    """Return True unless the point lists short terms on nested lines and the answer skips one.

    고정된 크기의 벡터로 압축하는 방식에 문제가 있었다 / 정보 손실 / Vanishing gradient: the
    nested terms are what the point says; naming one of two leaves the other out.
    """
    text = kp.point.text
    if "\n" not in text:
        return True
    starts = [m + 1 for m, c in enumerate(text) if c == "\n"]
    lines: list[list[int]] = [[] for _ in starts]
    for i, t in enumerate(kp.tokens):
        n = bisect.bisect(starts, t.start)
        if n:
            lines[n - 1].append(i)
    lines = [line for line in lines if line]
    if len(lines) < 2 or any(len(line) > most for line in lines):
        return True
    return all(any(i in pairs for i in line) for line in lines)


def head_clean(
    kp: KeyPoint, pairs: dict[int, int], tokens: Sequence[Token], glossary: Glossary, th: Thresholds
) -> bool:
    """Return True when the answer says a point's first line, uncontradicted, and it has more.

    아이템 기반의 추천 시스템을 사용한다 / 유저보다 아이템의 크기가 작다: "item-based, because
    items outnumber users" gets the answer right and its reason wrong.
    """
    nl = kp.point.text.find("\n")
    if nl < 0:
        return False
    n = sum(t.start < nl for t in kp.tokens)
    head = kp.tokens[:n]
    said = {i: j for i, j in pairs.items() if i < n}
    total = sum(kp.weights[:n])
    if not said or sum(kp.weights[i] for i in said) < th.point_hit * total:
        return False
    bad, swapped = contradicting_clauses(head, said, tokens, glossary)
    return not bad and not swapped and not category_substituted(head, said, tokens, glossary)
