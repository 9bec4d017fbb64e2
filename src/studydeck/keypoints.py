"""A card's key points prepared for matching: normalised key words and their weights.

A word weighs less when the question already says it, when it is generic, or when the
glossary does not know it; with a deck, words rare across the deck's points weigh more.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TypeVar, cast

from studydeck.cards import Card, Point
from studydeck.glossary import Glossary
from studydeck.normalize import Token
from studydeck.partners import deck_members, deck_pairing
from studydeck.thresholds import Thresholds

_RELATION = frozenset(["same", "different", "share"])
_REFERENCE_STARTS = ("더 자세한", "자세한 설명", "참고", "reference", "see also", "출처", "링크")


@dataclass(frozen=True)
class KeyPoint:
    point: Point
    tokens: tuple[Token, ...]
    weights: tuple[float, ...]
    expected: bool
    native: float = 0.0  # weight of Korean words the glossary cannot render in English

    @property
    def total(self) -> float:
        return sum(self.weights)

    @cached_property
    def own(self) -> frozenset[str]:
        return frozenset(t.key for t in self.tokens)


@dataclass(frozen=True)
class Key:
    points: tuple[KeyPoint, ...]
    question: frozenset[str]

    @cached_property
    def words(self) -> frozenset[str]:
        return frozenset(t.key for kp in self.points for t in kp.tokens)


@dataclass(frozen=True, eq=False)  # hashed by identity: built once per deck and glossary
class Rarity:
    factor: Mapping[str, float]


NO_RARITY = Rarity({})


def rarity_table(points: Sequence[frozenset[str]]) -> Rarity:
    """Return each key word's inverse document frequency over the points' words, mean 1."""
    df: Counter[str] = Counter()
    for keys in points:
        df.update(keys)
    if not df:
        return NO_RARITY
    n = len(points)
    idf = {k: math.log(1 + n / d) for k, d in df.items()}
    mean = sum(idf[k] * d for k, d in df.items()) / sum(df.values())
    return Rarity({k: v / mean for k, v in idf.items()})


_PER_DECK: dict[str, tuple[Sequence[Card], Glossary, object]] = {}
_T = TypeVar("_T")


def _per_deck(name: str, deck: Sequence[Card], glossary: Glossary, make: Callable[[], _T]) -> _T:
    """Return ``make()`` for this deck and glossary; the same deck object again costs nothing.

    Graders pass the same deck list with every answer, so one value per table is kept.
    """
    seen = _PER_DECK.get(name)
    if seen is not None and seen[0] is deck and seen[1] is glossary:
        return cast(_T, seen[2])
    value = make()
    _PER_DECK[name] = (deck, glossary, value)
    return value


@dataclass(frozen=True)
class _DeckText:
    """The deck's questions and points, analysed once: every per-deck table reads these."""

    questions: tuple[tuple[Token, ...], ...]  # one per card, in the deck's order
    points: tuple[tuple[tuple[Token, ...], ...], ...]  # each card's points

    def point_tokens(self) -> list[tuple[Token, ...]]:
        """Return every point's tokens, card after card."""
        return [tokens for card in self.points for tokens in card]


def _analysed(deck: Sequence[Card], glossary: Glossary) -> _DeckText:
    norm = glossary.normalizer
    return _per_deck(
        "analysed",
        deck,
        glossary,
        lambda: _DeckText(
            tuple(norm.analyse(c.question).tokens for c in deck),
            tuple(tuple(norm.analyse(p.text).tokens for p in c.points) for c in deck),
        ),
    )


def deckrarity_table(deck: Sequence[Card], glossary: Glossary) -> Rarity:
    """Return the deck's rarity table; the same deck object again costs no hashing."""
    text = _analysed(deck, glossary)
    return _per_deck(
        "rarity",
        deck,
        glossary,
        lambda: rarity_table([frozenset(t.key for t in ts) for ts in text.point_tokens()]),
    )


def question_terms(deck: Sequence[Card] | None, glossary: Glossary) -> frozenset[str]:
    """Return the compound glossary terms the deck's questions ask about (look-ahead-mask, …).

    A card's answer that makes a claim about another card's subject is talking about a
    neighbouring concept.
    """
    if not deck:
        return frozenset()
    names, text = glossary.normalizer.names, _analysed(deck, glossary)
    return _per_deck(
        "question terms",
        deck,
        glossary,
        lambda: frozenset(
            t.key
            for tokens in text.questions
            for t in tokens
            if "-" in t.key and t.key in names and t.key not in glossary.weak
        ),
    )


def deck_words(deck: Sequence[Card] | None, key: Key, glossary: Glossary) -> frozenset[str]:
    """Return the words of every card's points and question (the card's own without a deck)."""
    if not deck:
        return key.words | key.question
    text = _analysed(deck, glossary)
    return _per_deck(
        "words",
        deck,
        glossary,
        lambda: frozenset(
            t.key for tokens in (*text.questions, *text.point_tokens()) for t in tokens
        ),
    )


def referenced_words(deck: Sequence[Card] | None, card: Card, glossary: Glossary) -> frozenset[str]:
    """Return the point words of the cards this card's notes call "the same" as it.

    "인코더에서의 FFNN과 같다" leaves the details to the card that asks about that FFNN: an
    answer that says them (one hidden layer, ReLU) says what the notes back, not a claim.
    Only the glossary's terms carry over, not the verbs said around them.
    A short point (four words or fewer) that calls the card's own subject "the same" refers
    to each other card whose question names that subject, unless it defers in the same way;
    "이후의 과정은 Self Attention과 같다" calls only a step the same and refers to none.
    """
    if not deck:
        return frozenset()
    names, text = glossary.normalizer.names, _analysed(deck, glossary)

    def make() -> dict[str, frozenset[str]]:
        asks = {
            c.id: {t.key for t in q} - glossary.weak
            for c, q in zip(deck, text.questions, strict=True)
        }
        keys = {
            c.id: [{t.key for t in tokens} for tokens in points]
            for c, points in zip(deck, text.points, strict=True)
        }
        # what a point says of how things relate (shared, the same, different) stays its own
        said = {
            i: frozenset(
                w
                for point in points
                if not _RELATION & point
                for w in point
                if w in names and w not in glossary.weak
            )
            for i, points in keys.items()
        }
        # a word many cards say (vector, inside) is no detail of the card referred to
        cards = Counter(w for words in said.values() for w in words)
        said = {i: frozenset(w for w in words if cards[w] <= 2) for i, words in said.items()}
        refs = {
            i: [point & asks[i] for point in points if "same" in point and len(point) <= 4]
            for i, points in keys.items()
        }
        # a card that itself defers to another is no source of details
        sources = [c.id for c in deck if not refs[c.id]]
        return {
            c.id: frozenset(
                w for ks in refs[c.id] for o in sources if asks[o] & ks for w in said[o]
            )
            for c in deck
        }

    return _per_deck("referenced", deck, glossary, make).get(card.id, frozenset())


def deck_categories(
    deck: Sequence[Card] | None, glossary: Glossary
) -> Mapping[str, frozenset[str]]:
    """Return the members the deck's points name with each category term (활성화 함수 → ReLU)."""
    if not deck:
        return {}
    text = _analysed(deck, glossary)
    return _per_deck(
        "members", deck, glossary, lambda: deck_members(text.point_tokens(), glossary.categories)
    )


def deck_partners(deck: Sequence[Card] | None, glossary: Glossary) -> Mapping[str, str]:
    """Return the partner the deck's points give each role word (Query → decoder)."""
    if not deck:
        return {}
    text = _analysed(deck, glossary)
    return _per_deck(
        "partners", deck, glossary, lambda: deck_pairing(text.point_tokens(), glossary.roles)
    )


def prepare(
    card: Card, glossary: Glossary, th: Thresholds, deck: Sequence[Card] | None = None
) -> Key:
    rarity = deckrarity_table(deck, glossary) if deck and th.rarity else NO_RARITY
    return _prepare_cached(
        card.question,
        card.topics,
        card.points,
        glossary,
        th.question_weight,
        th.weak_weight,
        th.plain_weight,
        rarity,
        th.rarity,
    )


@lru_cache(maxsize=512)
def _prepare_cached(
    question: str,
    topics: tuple[str, ...],
    points: tuple[Point, ...],
    glossary: Glossary,
    question_weight: float,
    weak_weight: float,
    plain_weight: float,
    rarity: Rarity = NO_RARITY,
    rarity_power: float = 0.0,
) -> Key:
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
            elif t.key not in norm.names:
                w = plain_weight  # 크게, 이루어, 강구: a word the glossary does not know
            if multiline and t.clause == 0:
                w *= 2  # the parent bullet says what the nested ones detail
            if rarity_power:
                w *= rarity.factor.get(t.key, 1.0) ** rarity_power
            weights.append(w)
        own = sum(w for t, w in zip(tokens, weights, strict=True) if t.key not in asked)
        text = point.text.strip().lower()
        expected = own >= 1 and not text.endswith("?") and not text.startswith(_REFERENCE_STARTS)
        native = sum(
            w for t, w in zip(tokens, weights, strict=True) if t.hangul and t.key not in norm.names
        )
        out.append(KeyPoint(point, tokens, tuple(weights), expected, native))
    return Key(tuple(out), asked)
