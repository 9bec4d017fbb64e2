"""Grade a typed answer against a card's key points: offline, no LLM, explainable.

Each key point is scored by how much of it the answer covers (the answer may say
more). Answer words are matched to point words after normalisation (particles,
spacing, glossary variants, jamo-level typos for longer words) and each answer word
is used by one point only. A point the answer contradicts (opposite pole, negated
clause, other count, swapped roles, reversed comparison, a rival term in its term's
place) is not hit however many words it shares, and keeps the answer from correct.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import OSA

from studydeck.cards import Card, Point
from studydeck.compare import count_denied
from studydeck.contradict import (
    contradicting_clauses,
    enumeration_named,
    enumeration_short,
    exclusion_broken,
    poles,
)
from studydeck.excepted import exception_extended
from studydeck.glossary import Glossary, load_glossary, rival
from studydeck.keypoints import Key, prepare, question_terms
from studydeck.modifier import modifier_moved
from studydeck.morph import jamo
from studydeck.nested import head_clean, nested_said
from studydeck.normalize import Token
from studydeck.partners import roles_short
from studydeck.purpose import problem_made_goal
from studydeck.substitute import (
    category_substituted,
    difference_claimed,
    divisor_changed,
    quantifier_flipped,
    rival_introduced,
)
from studydeck.thresholds import DEFAULT_THRESHOLDS, Thresholds
from studydeck.unsupported import unsupported_claim
from studydeck.wordlists import SUFFIXES

__all__ = [
    "Glossary",
    "Grade",
    "PointResult",
    "Thresholds",
    "grade",
    "grade_record",
    "load_glossary",
]

_SENTENCE_END = re.compile(r"[.!?\n](?=\s|$)")
_NUMBER = re.compile(r"\d+")
_EN_SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ion", "ions", "al")


@dataclass(frozen=True)
class PointResult:
    """How the answer covered one key point; ``spans`` index the original answer."""

    point: Point
    hit: bool
    score: float
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer: correct, partial or wrong, with a 0..1 score."""

    verdict: str
    score: float
    points: tuple[PointResult, ...]
    unsupported: str = ""  # a claim of the answer's own that no point backs (kept it partial)

    @property
    def hits(self) -> tuple[PointResult, ...]:
        """Return the points the answer covered."""
        return tuple(p for p in self.points if p.hit)

    @property
    def misses(self) -> tuple[PointResult, ...]:
        """Return the points the answer missed or contradicted."""
        return tuple(p for p in self.points if not p.hit)


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
    if "-" in k.key and a.key in k.key.split("-") and not rival(k, a, glossary.rivals):
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


def _match(
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
    return matched


def grade(
    card: Card,
    answer: str,
    *,
    glossary: Glossary | None = None,
    thresholds: Thresholds | None = None,
    deck: Sequence[Card] | None = None,
) -> Grade:
    """Grade a typed answer against the card's key points.

    ``deck`` (all the cards, the graded one among them) lets key words weigh by rarity.
    """
    glossary = glossary or load_glossary()
    th = thresholds or DEFAULT_THRESHOLDS
    key = prepare(card, glossary, th, deck)
    tokens = glossary.normalizer.analyse(answer).tokens
    content = {t.key for t in tokens}
    # Content-based는 컨텐츠 기반 방식: the question again, with only a generic word added
    echo = not content or content - glossary.weak <= key.question
    matched = [{} for _ in key.points] if echo else _match(key, tokens, glossary, th)
    results: list[PointResult] = []
    credits: list[float] = []  # coverage outside contradicting clauses: partial credit
    confused = False  # an expected point's roles are swapped: the concept is mixed up
    false_fact = False
    disputed = False  # an expected point contradicted: the answer cannot be correct
    contradicted = False  # an expected point the answer talks about and gets wrong
    on_target: set[int] = set()  # answer words matched to expected points, uncontradicted
    contested: set[str] = set()  # the words of expected points the answer contradicts
    head_kept = False  # a point's first line said cleanly, its nested lines contradicted
    # an English answer cannot say a Korean word with no known English rendering
    hangul = sum(t.hangul for t in tokens) / len(tokens) if tokens else 1.0
    alone = sum(kp.expected for kp in key.points) == 1  # the nested lines are the rest
    # the card's subject may be called similar: 아이템 기반 → 비슷한 아이템
    headline = next((kp for kp in key.points if kp.expected), None)
    plain = key.question | glossary.weak | {w for q in key.question for w in q.split("-")}
    for kp, pairs in zip(key.points, matched, strict=True):
        total = kp.total - (1.0 - hangul) ** 2 * kp.native
        if total > th.long_point_words:
            total = th.long_point_words + (total - th.long_point_words) / 2
        bad, swapped = (
            contradicting_clauses(
                kp.tokens, pairs, tokens, glossary, headline=kp is headline, elsewhere=key.words
            )
            if pairs
            else (frozenset(), False)
        )
        flipped: set[int] = set()
        if pairs:
            flipped = quantifier_flipped(kp.tokens, kp.point.text, pairs, tokens, answer, glossary)
            # a difference claimed where the point says "same": a wrong detail, not a miss
            disputed = disputed or (
                kp.expected
                and bool(
                    difference_claimed(kp.tokens, tokens, glossary)
                    or divisor_changed(kp.tokens, tokens)
                )
            )
            flipped |= count_denied(kp.tokens, tokens, key.words - kp.own)
            bad |= flipped
            # the mask aside it is the encoder's: "the encoder's has the mask too" denies it
            bad |= exception_extended(kp.tokens, tokens, answer, glossary.normalizer.names)
            if category_substituted(kp.tokens, pairs, tokens, glossary, key.words):
                # a rival term said in the point's place: in the headline point the concept
                # is mixed up, in a later one the detail is wrong
                bad = frozenset(t.clause for t in tokens)
                swapped = swapped or kp is headline
                disputed = disputed or kp.expected
            if problem_made_goal(
                kp.tokens, kp.point.text, pairs, tokens, answer, glossary.weak
            ) or modifier_moved(kp.tokens, kp.point.text, tokens, answer, plain):
                # the point's problem said as the aim, or "similar" said of another of its
                # words: the concept is turned around
                bad, swapped = frozenset(t.clause for t in tokens), True
                disputed = disputed or kp.expected
        said = min(1.0, sum(kp.weights[i] for i in pairs) / total) if total else 0.0
        confused = confused or (swapped and kp.expected and said >= th.point_hit)
        if bad and alone and kp.expected and head_clean(kp, pairs, tokens, glossary, th):
            head_kept = True  # the answer said right, the reason under it wrong: partial
        if kp.expected and bad:
            contested |= kp.own
        bad = _whole_sentences(bad, tokens, answer)
        clean = sum(kp.weights[i] for i, j in pairs.items() if tokens[j].clause not in bad)
        # "all" for "same here, different there", "only" for "not": a wrong fact, not a gap
        false_fact = false_fact or (kp.expected and bool(flipped) and said >= th.point_hit)
        contradicted = contradicted or (kp.expected and bool(bad) and said >= th.point_hit)
        disputed = disputed or (kp.expected and bool(bad) and said >= th.disputed)
        if kp.expected:
            on_target |= {j for j in pairs.values() if tokens[j].clause not in bad}
        credits.append(min(1.0, clean / total) if total else 0.0)
        covered = 0.0 if bad else sum(kp.weights[i] for i in pairs)
        score = min(1.0, covered / total) if total else 0.0
        spans = _merge_spans([(tokens[j].start, tokens[j].end) for j in pairs.values()])
        if not bad and score < th.point_hit and enumeration_named(kp.tokens, pairs, tokens):
            score = th.point_hit  # naming every listed part says what they make up
        hit = score >= th.point_hit and score > 0
        hit = hit and not exclusion_broken(kp.tokens, pairs, tokens, glossary.rivals)
        hit = hit and not enumeration_short(kp.tokens, pairs, tokens)
        hit = hit and not roles_short(kp.tokens, tokens, glossary.roles)
        hit = hit and (not alone or nested_said(kp, pairs))
        results.append(PointResult(kp.point, hit, round(score, 3), spans))
    counted = [
        (kp, r, c)
        for kp, r, c in zip(key.points, results, credits, strict=True)
        if kp.expected or not any(k.expected for k in key.points)
    ]
    weights = [math.sqrt(max(kp.total, 1.0)) for kp, _, _ in counted]
    whole = sum(weights) or 1.0
    share = sum(w for w, (_, r, _) in zip(weights, counted, strict=True) if r.hit) / whole
    score = sum(w * r.score for w, (_, r, _) in zip(weights, counted, strict=True)) / whole
    best = max((c for _, _, c in counted), default=0.0)
    used = {j for pairs in matched for j in pairs.values()}
    claim = ""
    # of two points, each is a main point unless it is a side remark (추천 시스템의 한 종류):
    # an answer that leaves one out altogether (the decoder without Add & Norm) is partial
    gap = len(counted) == 2 and any(
        not r.hit and r.score < th.partial and w / whole >= th.main_point
        for w, (_, r, _) in zip(weights, counted, strict=True)
    )
    if counted and share >= th.correct and not confused and not disputed and not gap:
        vocabulary = key.words | key.question | set(_NUMBER.findall(card.body))
        # 적은 입력에는 작은 가중치: the other word for the point's own pole is the notes' word
        sides = {p for kp in key.points for t in kp.tokens for p in poles(t, glossary)}
        vocabulary |= {t.key for t in tokens if sides.intersection(poles(t, glossary))}
        spare = _spare_words(key, matched, results, th)
        extra = unsupported_claim(
            tokens,
            used,
            vocabulary,
            th.unsupported_words,
            spare=spare,
            spare_words=th.spare_claim_words,
            text=answer,
            foreign=question_terms(deck, glossary) - vocabulary,
        )
        if extra:
            claim = answer[tokens[extra[0]].start : tokens[extra[-1]].end]
        verdict = "partial" if claim else "correct"  # every point, and a claim of its own
    elif confused or false_fact:
        # a wrong "all"/"only" beside a point said right: half right, not wrong
        # a point hit only by words of a point the answer contradicts (인코더 출력은 첫 번째
        # 디코더 층에만 hits "Encoder과 Decoder의 층은 …" too) is not said right
        right = [any(tokens[j].key not in contested for j in pairs.values()) for pairs in matched]
        said_right = any(
            r.hit and ok and (kp.expected or not any(k.expected for k in key.points))
            for kp, r, ok in zip(key.points, results, right, strict=True)
        )
        kept = share >= th.correct or (not confused and said_right) or head_kept
        verdict = "partial" if kept else "wrong"
    elif contradicted and best < th.kept and not head_kept:
        verdict = "wrong"  # a false claim with nothing else clearly right beside it
    elif share == 0 and rival_introduced(tokens, used, key.words | key.question, glossary):
        verdict = "wrong"  # no point said, and a rival term of the answer's own in their place
    elif share > 0 or score >= th.partial or best >= th.partial_point or head_kept:
        verdict = "partial"
    elif _on_target(tokens, on_target, key, glossary, th):
        verdict = "partial"  # 잔차 연결이다: little said, but all of it in the key
    else:
        verdict = "wrong"
    return Grade(verdict, round(score, 3), tuple(results), claim)


def _spare_words(
    key: Key, matched: Sequence[dict[int, int]], results: Sequence[PointResult], th: Thresholds
) -> set[int]:
    """Return the matched answer words whose point stays hit (or missed) without them."""
    spare: set[int] = set()
    for kp, pairs, r in zip(key.points, matched, results, strict=True):
        total = kp.total
        for i, j in pairs.items():
            if not r.hit or not total or r.score - kp.weights[i] / total >= th.point_hit:
                spare.add(j)
    return spare


def _on_target(
    tokens: Sequence[Token], used: set[int], key: Key, glossary: Glossary, th: Thresholds
) -> bool:
    """Return True when most of a short answer's own words are key terms it got right."""
    names = glossary.normalizer.names
    own = [j for j, t in enumerate(tokens) if t.key not in key.question]
    said = {t.key for kp in key.points for t in kp.tokens}
    if not own or any(tokens[j].key in names and tokens[j].key not in said for j in own):
        return False  # a term the key never uses: maybe another card's answer
    terms = [j for j in used if tokens[j].key in names]
    return bool(terms) and len(used & set(own)) >= th.on_target * len(own)


def _whole_sentences(bad: frozenset[int], tokens: Sequence[Token], text: str) -> frozenset[int]:
    """Widen contradicting clauses to their sentences: a flip spoils the sentence it is in."""
    if not bad:
        return bad
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    sentence = [bisect.bisect(ends, t.start) for t in tokens]
    spoiled = {n for n, t in zip(sentence, tokens, strict=True) if t.clause in bad}
    return bad | {t.clause for n, t in zip(sentence, tokens, strict=True) if n in spoiled}


def _merge_spans(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return tuple(out)


def grade_record(card_id: str, grade: Grade) -> dict[str, Any]:
    """Return the grade as the JSON object ``studydeck grade --json`` prints."""
    return {
        "id": card_id,
        "verdict": grade.verdict,
        "score": grade.score,
        "hits": [r.point.text for r in grade.hits],
        "misses": [r.point.text for r in grade.misses],
        "unsupported": grade.unsupported,
        "points": [
            {
                "text": r.point.text,
                "line": r.point.line,
                "hit": r.hit,
                "score": r.score,
                "spans": [list(s) for s in r.spans],
            }
            for r in grade.points
        ],
    }
