"""Grade a typed answer against a card's key points: offline, no LLM, explainable.

Each key point is scored by how much of it the answer covers (the answer may say
more). Answer words are matched to point words after normalisation (particles,
spacing, glossary variants, jamo-level typos for longer words) and each answer word
is used by one point only. A point the answer contradicts (opposite pole, negated
clause, other count, swapped roles) is not hit however many words it shares.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from studydeck.cards import Card, Point
from studydeck.errors import StudydeckError
from studydeck.glossary import Glossary, load_glossary
from studydeck.normalize import _SUFFIXES, Token, jamo
from studydeck.text import answer_text

__all__ = [
    "Glossary",
    "Grade",
    "PointResult",
    "Thresholds",
    "find_card",
    "grade",
    "grade_batch",
    "grade_record",
    "load_glossary",
    "report_lines",
]

_REFERENCE_STARTS = ("더 자세한", "자세한 설명", "참고", "reference", "see also", "출처", "링크")
_EN_SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ion", "ions", "al")


@dataclass(frozen=True)
class Thresholds:
    """The named constants of the verdict; every one can be set.

    - ``point_hit``: a point is hit when its score (weighted share of its key words the
      answer covers) reaches this.
    - ``correct``: the answer is correct when the hit points carry this share of the
      expected points' weight.
    - ``partial``: otherwise it is partial when any expected point is hit or the
      overall score reaches this; else wrong.
    - ``typo``: jamo/letter similarity (0..1, Damerau-style) at which a longer word
      with a typo still counts as the word.
    - ``typo_min_syllables`` / ``typo_min_letters``: shorter words must match exactly,
      so that 손실 ≠ 소실.
    - ``long_point_words``: a point with more key-word weight than this needs only
      half of each further word (a learner summarises long points).
    - ``question_weight`` / ``weak_weight``: weight of a key word that the question
      already says, and of a generic word (방법, 과정, use, …).
    """

    point_hit: float = 0.4
    correct: float = 0.6
    partial: float = 0.15
    typo: float = 0.8
    typo_min_syllables: int = 3
    typo_min_letters: int = 5
    long_point_words: float = 6.0
    question_weight: float = 0.3
    weak_weight: float = 0.5


DEFAULT_THRESHOLDS = Thresholds()


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

    @property
    def hits(self) -> tuple[PointResult, ...]:
        """Return the points the answer covered."""
        return tuple(p for p in self.points if p.hit)

    @property
    def misses(self) -> tuple[PointResult, ...]:
        """Return the points the answer missed or contradicted."""
        return tuple(p for p in self.points if not p.hit)


@dataclass(frozen=True)
class _KeyPoint:
    point: Point
    tokens: tuple[Token, ...]
    weights: tuple[float, ...]
    expected: bool

    @property
    def total(self) -> float:
        return sum(self.weights)


@dataclass(frozen=True)
class _Key:
    points: tuple[_KeyPoint, ...]
    question: frozenset[str]


def _prepare(card: Card, glossary: Glossary, th: Thresholds) -> _Key:
    return _prepare_cached(
        card.question, card.topics, card.points, glossary, th.question_weight, th.weak_weight
    )


@lru_cache(maxsize=512)
def _prepare_cached(
    question: str,
    topics: tuple[str, ...],
    points: tuple[Point, ...],
    glossary: Glossary,
    question_weight: float,
    weak_weight: float,
) -> _Key:
    norm = glossary.normalizer
    asked = frozenset(t.key for text in (question, *topics) for t in norm.analyse(text).tokens)
    out = []
    for point in points:
        tokens = norm.analyse(point.text).tokens
        multiline = "\n" in point.text
        weights = []
        for t in tokens:
            w = 1.0
            if t.key in asked:
                w = question_weight
            elif t.key in glossary.weak or t.stem in glossary.weak or t.number is not None:
                w = weak_weight
            if multiline and t.clause == 0:
                w *= 2  # the parent bullet says what the nested ones detail
            weights.append(w)
        own = sum(w for t, w in zip(tokens, weights, strict=True) if t.key not in asked)
        text = point.text.strip().lower()
        expected = own >= 1 and not text.endswith("?") and not text.startswith(_REFERENCE_STARTS)
        out.append(_KeyPoint(point, tokens, tuple(weights), expected))
    return _Key(tuple(out), asked)


def _poles(t: Token, glossary: Glossary) -> tuple[tuple[str, str], ...]:
    return glossary.poles.get(t.key) or glossary.poles.get(t.stem) or ()


def _similarity(k: Token, a: Token, glossary: Glossary, th: Thresholds) -> tuple[float, bool]:
    """Return (similarity, by-containment) of a key word and an answer word."""
    if k.key == a.key:
        return 1.0, False
    roles = glossary.roles
    if k.key in roles and a.key in roles:
        return 0.0, False  # encoder ≠ decoder, however alike they look
    kp, ap = _poles(k, glossary), _poles(a, glossary)
    if kp and ap and kp != ap:
        return 0.0, False
    ks, as_ = k.stem, a.stem
    if ks == as_:
        return 1.0, False
    if k.hangul and a.hangul:
        short, long_ = (ks, as_) if len(ks) <= len(as_) else (as_, ks)
        if long_.startswith(short) and long_[len(short) :] in _SUFFIXES and len(short) >= 2:
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


def _match(
    key: _Key, answer: Sequence[Token], glossary: Glossary, th: Thresholds
) -> list[dict[int, int]]:
    """Assign answer words to key words, each answer word to one point; per point k→a."""
    n_ans = max(len(answer), 1)
    by_key: dict[str, list[int]] = {}
    for j, a in enumerate(answer):
        by_key.setdefault(a.key, []).append(j)
    cands: list[tuple[float, float, float, int, int, int, bool]] = []
    for p, kp in enumerate(key.points):
        n_key = max(len(kp.tokens), 1)
        for i, (k, w) in enumerate(zip(kp.tokens, kp.weights, strict=True)):
            exact = by_key.get(k.key)
            pairs = (
                [(j, 1.0, False) for j in exact]
                if exact
                else [(j, *_similarity(k, a, glossary, th)) for j, a in enumerate(answer)]
            )
            for j, sim, contained in pairs:
                if sim > 0:
                    dist = abs(i / n_key - j / n_ans)
                    cands.append((-sim, -w, dist, p, i, j, contained))
    cands.sort()
    owner: dict[int, int] = {}
    matched: list[dict[int, int]] = [{} for _ in key.points]
    for _sim, _w, _d, p, i, j, contained in cands:
        if i in matched[p]:
            continue
        if j in owner and (owner[j] != p or not contained):
            continue
        if j in owner.values() and owner.get(j) == p and not contained:
            continue
        owner[j] = p
        matched[p][i] = j
    return matched


def _contradicted(
    kp: _KeyPoint, pairs: dict[int, int], answer: Sequence[Token], glossary: Glossary
) -> bool:
    """Return True when the answer says the opposite of the point, or swaps its roles."""
    clauses: dict[int, list[int]] = {}
    for i, t in enumerate(kp.tokens):
        clauses.setdefault(t.clause, []).append(i)
    for members in clauses.values():
        hits = [(i, pairs[i]) for i in members if i in pairs]
        if not hits:
            continue
        # negation: the clauses differ in polarity, and a word the negation applies to matched
        if any(
            kp.tokens[i].negated != answer[j].negated
            and (kp.tokens[i].neg_head or answer[j].neg_head)
            for i, j in hits
        ):
            return True
        window = {answer[j].clause for _, j in hits}
        near = [a for a in answer if a.clause in window]
        if _poles_flipped([kp.tokens[i] for i in members], near, glossary):
            return True
        k_nums = {kp.tokens[i].number for i in members} - {None}
        a_nums = {a.number for a in near} - {None}
        worded = any(kp.tokens[i].number is None for i, _ in hits)  # not just "(1, 1, 1)"
        if worded and k_nums and a_nums and not k_nums & a_nums:
            return True
    return _roles_swapped(kp, pairs, answer, glossary)


def _poles_flipped(key: Sequence[Token], near: Sequence[Token], glossary: Glossary) -> bool:
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for side, toks in ((0, key), (1, near)):
        for t in toks:
            for group, pole in _poles(t, glossary):
                groups.setdefault(group, ([], []))[side].append(pole)
    for ks, as_ in groups.values():
        if not ks or not as_:
            continue
        if len(set(ks)) == 1 and ks[0] not in as_:
            return True
        if len(ks) >= 2 and len(as_) >= 2 and (ks[0] == ks[1]) != (as_[0] == as_[1]):
            return True
    return False


def _roles_swapped(
    kp: _KeyPoint, pairs: dict[int, int], answer: Sequence[Token], glossary: Glossary
) -> bool:
    roles = glossary.roles
    keyed = [(i, j) for i, j in sorted(pairs.items()) if kp.tokens[i].key in roles]
    # substitution: the point's role word is missing and the answer names another of its group
    used = set(pairs.values())
    window = {answer[j].clause for j in pairs.values()}
    said = {kp.tokens[i].key for i in pairs}
    for t in kp.tokens:
        if t.key in roles and t.key not in said:
            for j, a in enumerate(answer):
                if (
                    j not in used
                    and a.clause in window
                    and a.key in roles
                    and roles[a.key] & roles[t.key]
                    and a.key not in {x.key for x in kp.tokens}
                ):
                    return True
    for x, (i1, j1) in enumerate(keyed):
        for i2, j2 in keyed[x + 1 :]:
            k1, k2, a1, a2 = kp.tokens[i1], kp.tokens[i2], answer[j1], answer[j2]
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
                        return True
                continue
            if k1.clause != k2.clause or "and" in (k1.case, k2.case):
                continue
            known = k1.case and k2.case and a1.case and a2.case
            if known and k1.case != k2.case and a1.case == k2.case and a2.case == k1.case:
                return True
            changed = any(
                kc and ac and kc != ac for kc, ac in ((k1.case, a1.case), (k2.case, a2.case))
            )
            if a1.index > a2.index and changed and "and" not in (a1.case, a2.case):
                return True
    return False


def grade(
    card: Card,
    answer: str,
    *,
    glossary: Glossary | None = None,
    thresholds: Thresholds | None = None,
) -> Grade:
    """Grade a typed answer against the card's key points."""
    glossary = glossary or load_glossary()
    th = thresholds or DEFAULT_THRESHOLDS
    key = _prepare(card, glossary, th)
    tokens = glossary.normalizer.analyse(answer).tokens
    content = {t.key for t in tokens}
    echo = not content or content <= key.question
    matched = [{} for _ in key.points] if echo else _match(key, tokens, glossary, th)
    results: list[PointResult] = []
    for kp, pairs in zip(key.points, matched, strict=True):
        covered = sum(kp.weights[i] for i in pairs)
        total = kp.total
        if total > th.long_point_words:
            total = th.long_point_words + (total - th.long_point_words) / 2
        score = min(1.0, covered / total) if total else 0.0
        if pairs and _contradicted(kp, pairs, tokens, glossary):
            score = 0.0
        spans = _merge_spans([(tokens[j].start, tokens[j].end) for j in pairs.values()])
        results.append(
            PointResult(kp.point, score >= th.point_hit and score > 0, round(score, 3), spans)
        )
    counted = [(kp, r) for kp, r in zip(key.points, results, strict=True) if kp.expected] or list(
        zip(key.points, results, strict=True)
    )
    weights = [math.sqrt(max(kp.total, 1.0)) for kp, _ in counted]
    whole = sum(weights) or 1.0
    share = sum(w for w, (_, r) in zip(weights, counted, strict=True) if r.hit) / whole
    score = sum(w * r.score for w, (_, r) in zip(weights, counted, strict=True)) / whole
    if counted and share >= th.correct:
        verdict = "correct"
    elif share > 0 or score >= th.partial:
        verdict = "partial"
    else:
        verdict = "wrong"
    return Grade(verdict, round(score, 3), tuple(results))


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


def find_card(cards: Sequence[Card], card_id: str) -> Card:
    """Return the card with this id, or raise an error naming the closest ids."""
    for card in cards:
        if card.id == card_id:
            return card
    ids = [c.id for c in cards]
    close = [m[0] for m in process.extract(card_id, ids, scorer=fuzz.WRatio, limit=3) if m[1] > 50]
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise StudydeckError(
        f"no card with id {card_id!r}.{hint}",
        fix="Run 'studydeck list' to see the card ids.",
    )


def grade_batch(
    cards: Sequence[Card], lines: Iterable[str], *, glossary: Glossary | None = None
) -> Iterator[dict[str, Any]]:
    """Grade JSONL lines of {"id", "answer"}; a bad line yields an error object, the rest go on."""
    glossary = glossary or load_glossary()
    by_id = {c.id: c for c in cards}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise StudydeckError('each line must be a JSON object {"id": ..., "answer": ...}.')
            card_id, answer = item.get("id"), item.get("answer")
            if not isinstance(card_id, str) or not isinstance(answer, str):
                raise StudydeckError('"id" and "answer" must both be strings.')
            card = by_id.get(card_id) or find_card(cards, card_id)
            yield grade_record(card_id, grade(card, answer, glossary=glossary))
        except (ValueError, StudydeckError) as exc:
            message = f"not JSON ({exc})" if isinstance(exc, ValueError) else str(exc)
            yield {"line": number, "id": _id_of(line), "error": message}


def _id_of(line: str) -> str | None:
    try:
        item = json.loads(line)
    except ValueError:
        return None
    return item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None


def report_lines(card: Card, result: Grade) -> list[tuple[str, str]]:
    """Return the human report as (text, style) lines; style: a verdict, hit, miss or ""."""
    lines = [(f"{result.verdict.upper()}  (score {result.score:.2f})", result.verdict), ("", "")]
    for r in result.points:
        first, *rest = r.point.text.split("\n")
        mark = "✓" if r.hit else "✗"
        lines.append((f"{mark} {first}", "hit" if r.hit else "miss"))
        lines.extend((f"    {more}", "") for more in rest)
    lines += [
        ("", ""),
        ("Reference answer:", ""),
        *((ln, "") for ln in answer_text(card).split("\n")),
    ]
    return lines
