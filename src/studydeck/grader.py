"""Grade a typed answer against a card's key points: offline, no LLM, explainable.

Each key point is scored by how much of it the answer covers (the answer may say
more). Answer words are matched to point words after normalisation (particles,
spacing, glossary variants, jamo-level typos for longer words) and each answer word
is used by one point only. A point the answer contradicts (opposite pole, negated
clause, other count, swapped roles, reversed comparison, a rival term in its term's
place) is not hit however many words it shares, and keeps the answer from correct.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from studydeck.align import align
from studydeck.cards import Card, Point
from studydeck.compare import count_changed, count_denied
from studydeck.contradict import (
    contradicting_clauses,
    exclusion_broken,
    poles,
)
from studydeck.enumeration import enumeration_named, enumeration_short
from studydeck.excepted import exception_extended
from studydeck.glossary import Glossary, load_glossary
from studydeck.keypoints import (
    Key,
    KeyPoint,
    deck_categories,
    deck_partners,
    deck_words,
    prepare,
    question_terms,
    referenced_words,
)
from studydeck.modifier import modifier_moved
from studydeck.nested import head_clean, nested_listed, nested_said
from studydeck.normalize import Token
from studydeck.partners import member_crossed, pairing_crossed, roles_short
from studydeck.purpose import problem_made_goal
from studydeck.substitute import (
    category_substituted,
    difference_claimed,
    divisor_changed,
    quantifier_flipped,
    rival_introduced,
)
from studydeck.thresholds import DEFAULT_THRESHOLDS, Thresholds
from studydeck.unsupported import (
    absolute_claim,
    foreign_term,
    gap_admitted,
    on_target_words,
    partly_said,
    sentence_claim,
    unsupported_claim,
)
from studydeck.words import sentence_numbers

__all__ = [
    "Glossary",
    "Grade",
    "PointResult",
    "Thresholds",
    "grade",
    "grade_record",
    "load_glossary",
]

_NUMBER = re.compile(r"\d+")
# the nouns a definition by the question's own words ends on: 트랜스포머 모델이다
_DEFINING = frozenset(["model"])


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
    # Content-based는 컨텐츠 기반 방식: the question again, with only a generic word added;
    # Content-based는 content를 기반으로 하는 것: its words said back apart, or 트랜스포머 모델
    asked = key.question | {w for q in key.question for w in q.split("-")} | _DEFINING
    echo = not content or content - glossary.weak <= asked
    matched = [{} for _ in key.points] if echo else align(key, tokens, glossary, th)
    results: list[PointResult] = []
    totals: list[float] = []
    credits: list[float] = []  # coverage outside contradicting clauses: partial credit
    confused = False  # an expected point's roles are swapped: the concept is mixed up
    false_fact = False
    disputed = False  # an expected point contradicted: the answer cannot be correct
    contradicted = False  # an expected point the answer talks about and gets wrong
    on_target: set[int] = set()  # answer words matched to expected points, uncontradicted
    contested: set[str] = set()  # the words of expected points the answer contradicts
    head_kept = False  # a point's first line said cleanly, its nested lines contradicted
    detail = turned = False  # a later point's term replaced by a rival / any other flip
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
        by_rival = False  # the point is wrong only in a rival put in its term's place
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
            flipped |= count_changed(kp.tokens, pairs, tokens, key.words - kp.own)
            bad |= flipped
            # the mask aside it is the encoder's: "the encoder's has the mask too" denies it
            bad |= exception_extended(kp.tokens, tokens, answer, glossary.normalizer.names)
            if category_substituted(kp.tokens, pairs, tokens, glossary, key.words):
                # a rival term said in the point's place: in the headline point the concept
                # is mixed up, in a later one the detail is wrong
                by_rival = not bad and kp is not headline
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
                by_rival = False
        totals.append(total)
        detail, turned = detail or (by_rival and bool(bad)), turned or (bool(bad) and not by_rival)
        said = min(1.0, sum(kp.weights[i] for i in pairs) / total) if total else 0.0
        confused = confused or (swapped and kp.expected and said >= th.point_hit)
        if bad and alone and kp.expected and head_clean(kp, pairs, tokens, glossary, th):
            head_kept = True  # the answer said right, the reason under it wrong: partial
        if kp.expected and bad:
            contested |= kp.own
        # 방법이 하나뿐이다 for 다양한 방법: the flipped word is talked about, wrongly
        argued = said + (_opposed(kp, pairs, tokens, bad, glossary) / total if total else 0.0)
        bad = _whole_sentences(bad, tokens, answer)
        clean = sum(kp.weights[i] for i, j in pairs.items() if tokens[j].clause not in bad)
        # "all" for "same here, different there", "only" for "not": a wrong fact, not a gap
        false_fact = false_fact or (kp.expected and bool(flipped) and said >= th.point_hit)
        contradicted = contradicted or (kp.expected and bool(bad) and argued >= th.point_hit)
        disputed = disputed or (kp.expected and bool(bad) and argued >= th.disputed)
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
        hit = hit and (not kp.expected or nested_listed(kp, pairs))
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
    # a rival only in a later point's detail (concat for 더한), and some of a point said: the
    # detail is wrong, the answer is not
    slip = detail and not turned and best >= th.partial_point
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
        vocabulary |= referenced_words(deck, card, glossary)
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
        sweeping = absolute_claim(tokens, vocabulary, plain)
        if not extra:
            # a sentence of its own that reuses words of points said already
            extra = sentence_claim(
                tokens,
                [
                    (kp.tokens, kp.weights, pairs, total if r.hit else 0.0)
                    for kp, pairs, r, total in zip(
                        key.points, matched, results, totals, strict=True
                    )
                ],
                vocabulary,
                th.sentence_claim_words,
                th.point_hit,
                answer,
            )
        if extra:
            claim = answer[tokens[extra[0]].start : tokens[extra[-1]].end]
        elif sweeping is not None:
            claim = _clause_text(tokens, sweeping, answer)  # "반드시 있어야 한다": unbacked
        else:
            # "its Query comes from the encoder": a detail another card's notes pair otherwise
            crossed = pairing_crossed(
                tokens, deck_partners(deck, glossary), glossary.roles, key.words
            )
            if crossed is None:  # 활성화 함수만 softmax: another member than the notes name
                crossed = member_crossed(
                    tokens, deck_categories(deck, glossary), glossary.categories
                )
            claim = _clause_text(tokens, crossed, answer) if crossed is not None else ""
        # every point, and a claim of its own or a part owned up to as forgotten
        verdict = "partial" if claim or gap_admitted(answer) else "correct"
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
    elif (contradicted or disputed) and best < th.kept and not head_kept and not slip:
        verdict = "wrong"  # a false claim with nothing else clearly right beside it
    elif (
        share == 0
        and not slip
        and rival_introduced(tokens, used, key.words | key.question, glossary)
    ):
        verdict = "wrong"  # no point said, and a rival term of the answer's own in their place
    elif share == 0 and foreign_term(
        tokens, used, deck_words(deck, key, glossary), glossary.normalizer.canon
    ):
        verdict = "wrong"  # no point said, and a term from outside the notes (learning curve)
    elif (
        share > 0
        or head_kept
        or partly_said(score, best, tokens, deck_words(deck, key, glossary) | glossary.weak, th)
    ):
        verdict = "partial"
    elif on_target_words(tokens, on_target, key, glossary, th):
        verdict = "partial"  # 잔차 연결이다: little said, but all of it in the key
    else:
        verdict = "wrong"
    return Grade(verdict, round(score, 3), tuple(results), claim)


def _opposed(
    kp: KeyPoint, pairs: dict[int, int], tokens: Sequence[Token], bad: frozenset[int], gl: Glossary
) -> float:
    """Return the weight of point words a contradicting clause says with the other pole."""
    sides = {gp for t in tokens if t.clause in bad for gp in poles(t, gl)}
    return sum(
        w
        for i, (t, w) in enumerate(zip(kp.tokens, kp.weights, strict=True))
        if i not in pairs and any(g == g2 and p != p2 for g, p in poles(t, gl) for g2, p2 in sides)
    )


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


def _whole_sentences(bad: frozenset[int], tokens: Sequence[Token], text: str) -> frozenset[int]:
    """Widen contradicting clauses to their sentences: a flip spoils the sentence it is in."""
    if not bad:
        return bad
    sentence = sentence_numbers(text, (t.start for t in tokens))
    spoiled = {n for n, t in zip(sentence, tokens, strict=True) if t.clause in bad}
    return bad | {t.clause for n, t in zip(sentence, tokens, strict=True) if n in spoiled}


def _clause_text(tokens: Sequence[Token], clause: int, text: str) -> str:
    """Return the text of one clause of the answer."""
    inside = [t for t in tokens if t.clause == clause]
    return text[inside[0].start : inside[-1].end] if inside else text


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
