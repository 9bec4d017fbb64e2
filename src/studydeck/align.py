"""Align a typed answer's words with a card's key words: which answer word says which key word.

Two words are alike when they normalise to the same key, share a stem, differ by a particle or
ending, or differ by a typo at the jamo level in a longer word; poles and role words never
stand in for each other. Each answer word serves one point only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rapidfuzz.distance import OSA

from studydeck.glossary import Glossary, poles, rival
from studydeck.keypoints import Key
from studydeck.morph import jamo
from studydeck.normalize import Token
from studydeck.thresholds import Thresholds
from studydeck.wordlists import SUFFIXES

_EN_SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ion", "ions", "al")


def _similarity(k: Token, a: Token, glossary: Glossary, th: Thresholds) -> tuple[float, bool]:
    """Return (similarity, by-containment) of a key word and an answer word."""
    if k.key == a.key:
        return 1.0, False
    roles = glossary.roles
    if k.key in roles and a.key in roles:
        return 0.0, False  # encoder ≠ decoder, however alike they look
    kp, ap = poles(k, glossary), poles(a, glossary)
    if kp and ap and kp != ap:
        return 0.0, False
    ks, as_ = k.stem, a.stem
    if ks == as_:
        return 1.0, False
    if (
        "-" in k.key
        and a.key in k.key.split("-")
        and a.key not in glossary.weak  # 딥러닝 기반 is no item-based
        and not rival(k, a, glossary.rivals)
    ):
        return 0.6, False  # hidden for hidden-state: a learner drops half a compound
    if k.hangul and a.hangul:
        short, long_ = (ks, as_) if len(ks) <= len(as_) else (as_, ks)
        if long_.startswith(short) and long_[len(short) :] in SUFFIXES and len(short) >= 2:
            return 0.95, False
        if min(len(ks), len(as_)) >= th.typo_min_syllables:
            sim = OSA.normalized_similarity(jamo(ks), jamo(as_), score_cutoff=th.typo)
            if sim:
                return 0.9 * sim, False
        if len(ks) >= 2 and len(as_) > len(ks) and ks in as_:
            return 0.85, True
        return 0.0, False
    if not k.hangul and not a.hangul:
        short, long_ = (ks, as_) if len(ks) <= len(as_) else (as_, ks)
        if len(short) >= 4 and long_.startswith(short) and long_[len(short) :] in _EN_SUFFIXES:
            return 0.95, False
        if min(len(ks), len(as_)) >= th.typo_min_letters:
            sim = OSA.normalized_similarity(ks, as_, score_cutoff=th.typo)
            if sim:
                return 0.9 * sim, False
    return 0.0, False


_MEMO_WORDS = 5_000
_MEMOS: list[tuple[Glossary, Thresholds, dict[tuple[str, str, bool], dict[Any, Any]]]] = []


def _similarities(
    glossary: Glossary, th: Thresholds
) -> dict[tuple[str, str, bool], dict[Any, Any]]:
    """Return the memo of word similarities for a glossary and thresholds.

    Keyed by key word form, then answer word form: ``_similarity`` reads only a word's
    key, stem and script. Learners reuse their words, so most pairs were seen before.
    """
    for gl, t, memo in _MEMOS:
        if gl is glossary and (t is th or t == th):
            if len(memo) > _MEMO_WORDS:
                memo.clear()
            return memo
    memo = {}
    _MEMOS[:] = [*_MEMOS[-3:], (glossary, th, memo)]
    return memo


def align(
    key: Key, answer: Sequence[Token], glossary: Glossary, th: Thresholds
) -> list[dict[int, int]]:
    """Assign answer words to key words, each answer word to one point; per point k→a."""
    n_ans = max(len(answer), 1)
    by_key: dict[str, list[int]] = {}
    for j, a in enumerate(answer):
        by_key.setdefault(a.key, []).append(j)
    memo = _similarities(glossary, th)
    forms = [(a.key, a.stem, a.hangul) for a in answer]
    cands: list[tuple[float, float, bool, float, int, int, int, bool]] = []
    n_key = max(sum(len(kp.tokens) for kp in key.points), 1)
    offset = 0  # where the point starts among all key words: the answer likely follows
    for p, kp in enumerate(key.points):
        for i, (k, w) in enumerate(zip(kp.tokens, kp.weights, strict=True)):
            exact = by_key.get(k.key)
            if exact:
                pairs = [(j, 1.0, False) for j in exact]
            else:
                row = memo.get((k.key, k.stem, k.hangul))
                if row is None:
                    row = memo[k.key, k.stem, k.hangul] = {}
                pairs = []
                for j, form in enumerate(forms):
                    found = row.get(form)
                    if found is None:
                        if len(row) > _MEMO_WORDS:
                            row.clear()  # a long batch of new words: memory stays bounded
                        found = row[form] = _similarity(k, answer[j], glossary, th)
                    if found[0] > 0:
                        pairs.append((j, *found))
            for j, sim, contained in pairs:
                if sim > 0:
                    dist = abs((offset + i) / n_key - j / n_ans)
                    # a negated answer word looks for a negated point word (RNN이 없어서 → RNN을
                    # 사용하지 않기); an unnegated one may still meet a negation it drops
                    flip = answer[j].negated and not k.negated
                    cands.append((-sim, -w, flip, dist, p, i, j, contained))
        offset += len(kp.tokens)
    cands.sort()
    owner: dict[int, int] = {}
    matched: list[dict[int, int]] = [{} for _ in key.points]
    for _sim, _w, _f, _d, p, i, j, contained in cands:
        if i in matched[p]:
            continue
        if j in owner and (owner[j] != p or not contained):
            continue
        if j in owner.values() and owner.get(j) == p and not contained:
            continue
        owner[j] = p
        matched[p][i] = j
    _regroup(key, answer, matched, owner)
    return matched


def _regroup(
    key: Key, answer: Sequence[Token], matched: list[dict[int, int]], owner: dict[int, int]
) -> None:
    """Move a match to a free copy of its answer word that sits with its clause-mates.

    같은 층 안에서는 공유하고 층이 다르면 다르다: the point's "same layer" clause takes the 층
    said beside 공유, not the one beside 다르다, so each clause is read where it is said.
    """
    for p, kp in enumerate(key.points):
        pairs = matched[p]
        for i, j in list(pairs.items()):
            mates = [
                answer[b].clause
                for a, b in pairs.items()
                if a != i and kp.tokens[a].clause == kp.tokens[i].clause
            ]
            here = mates.count(answer[j].clause)
            for n, a in enumerate(answer):
                if n not in owner and a.key == answer[j].key and mates.count(a.clause) > here:
                    if list(pairs.values()).count(j) == 1:
                        del owner[j]  # no other word of the point holds it (a compound's half)
                    owner[n] = p
                    pairs[i] = n
                    break
