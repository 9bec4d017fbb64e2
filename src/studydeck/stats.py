"""What the history says per card and per topic: the numbers behind ``studydeck stats``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from studydeck.cards import Card
from studydeck.history import Attempt
from studydeck.schedule import CREDIT, CardState, card_states, owners

_VERDICT_RANK = {"wrong": 0, "partial": 1, "correct": 2}


@dataclass(frozen=True)
class CardStats:
    """One current card and its state in the history."""

    card: Card
    state: CardState


@dataclass(frozen=True)
class TopicStats:
    """The cards under one topic path, taken together."""

    topic: str
    cards: int
    tried: int
    attempts: int
    accuracy: float | None


@dataclass(frozen=True)
class Stats:
    """Cards and topics weakest first, and the attempts of cards no longer in the notes."""

    cards: tuple[CardStats, ...]
    topics: tuple[TopicStats, ...]
    orphans: tuple[Attempt, ...]
    attempts: int
    overrides: int

    @property
    def override_rate(self) -> float | None:
        """Return the share of attempts the learner overrode: the grader's live error rate."""
        return self.overrides / self.attempts if self.attempts else None


def topic_path(card: Card) -> str:
    """Return the topic path shown for a card (its deck when it has no topic)."""
    return " › ".join(card.topics) if card.topics else card.deck


def compute_stats(cards: Sequence[Card], attempts: Sequence[Attempt], now: datetime) -> Stats:
    """Summarise the history against the current cards, weakest first.

    Tried cards come first, lowest accuracy first (then the last verdict, then the
    sooner due); never-tried cards follow in the notes' order. Attempts count for the
    card they belong to now (see ``history.owners``), even if it was reworded or moved;
    those of cards no longer in ``cards`` are returned as orphans, oldest first.
    """
    states = card_states(cards, attempts, now)
    owner = owners(cards, attempts)
    new = CardState()

    def card_key(item: tuple[int, Card]) -> tuple[Any, ...]:
        index, card = item
        s = states.get(card.id, new)
        if not s.attempts:
            return (1, 0.0, 0, 0.0, index)
        assert s.accuracy is not None and s.last_verdict is not None and s.due is not None
        return (0, s.accuracy, _VERDICT_RANK[s.last_verdict], s.due.timestamp(), index)

    ordered = [c for _, c in sorted(enumerate(cards), key=card_key)]
    rows = tuple(CardStats(c, states.get(c.id, new)) for c in ordered)

    groups: dict[str, list[Card]] = {}
    for card in cards:
        groups.setdefault(topic_path(card), []).append(card)
    credit: dict[str, list[float]] = {}
    for a in attempts:
        if a.id in owner:
            credit.setdefault(owner[a.id], []).append(CREDIT[a.result])
    topics: list[TopicStats] = []
    for name, members in groups.items():
        scores = [x for c in members for x in credit.get(c.id, [])]
        topics.append(
            TopicStats(
                topic=name,
                cards=len(members),
                tried=sum(c.id in credit for c in members),
                attempts=len(scores),
                accuracy=sum(scores) / len(scores) if scores else None,
            )
        )
    order = {name: i for i, name in enumerate(groups)}
    topics.sort(key=lambda t: (t.accuracy is None, t.accuracy or 0.0, order[t.topic]))

    return Stats(
        cards=rows,
        topics=tuple(topics),
        orphans=tuple(a for a in attempts if a.id not in owner),
        attempts=len(attempts),
        overrides=sum(a.override is not None for a in attempts),
    )


def stats_record(stats: Stats) -> dict[str, Any]:
    """Return the JSON object ``studydeck stats --json`` prints (stable keys)."""
    return {
        "cards": [
            {
                "id": row.card.id,
                "topics": list(row.card.topics),
                "question": row.card.question,
                "attempts": row.state.attempts,
                "last_verdict": row.state.last_verdict,
                "accuracy": _rounded(row.state.accuracy),
                "due": row.state.due.isoformat() if row.state.due else None,
                "overrides": row.state.overrides,
            }
            for row in stats.cards
        ],
        "topics": [
            {
                "topic": t.topic,
                "cards": t.cards,
                "tried": t.tried,
                "attempts": t.attempts,
                "accuracy": _rounded(t.accuracy),
            }
            for t in stats.topics
        ],
        "orphans": [attempt_record(a) for a in stats.orphans],
        "attempts": stats.attempts,
        "overrides": stats.overrides,
        "override_rate": _rounded(stats.override_rate),
    }


def attempt_record(attempt: Attempt) -> dict[str, Any]:
    """Return one attempt as a JSON object."""
    return {
        "card_id": attempt.card_id,
        "topics": list(attempt.topics),
        "question": attempt.question,
        "answered_at": attempt.answered_at.isoformat(),
        "answer": attempt.answer,
        "verdict": attempt.verdict,
        "score": _rounded(attempt.score),
        "override": attempt.override,
    }


def _rounded(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
