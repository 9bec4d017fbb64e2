"""The schedule a quiz history implies: FSRS replayed over each card's attempts.

Which card an attempt belongs to follows the card's Anki note GUID, so a reworded,
renumbered or moved card keeps its schedule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import fsrs

from studydeck.cards import Card
from studydeck.history import Attempt

_RATINGS = {"correct": fsrs.Rating.Good, "partial": fsrs.Rating.Hard, "wrong": fsrs.Rating.Again}
_SCHEDULER = fsrs.Scheduler(enable_fuzzing=False)  # no fuzz: the same history, the same order


@dataclass(frozen=True)
class CardState:
    """What the history says about one card."""

    attempts: int = 0
    last_verdict: str | None = None
    accuracy: float | None = None  # correct = 1, partial = 0.5, wrong = 0; None if never tried
    due: datetime | None = None  # None: never tried, so due now
    retrievability: float = 0.0  # FSRS's chance of recall now; 0 if never tried
    overrides: int = 0

    def is_due(self, now: datetime) -> bool:
        """Return whether the card should be asked now."""
        return self.due is None or self.due <= now


CREDIT = {"correct": 1.0, "partial": 0.5, "wrong": 0.0}


def owners(cards: Sequence[Card], attempts: Sequence[Attempt]) -> dict[int, str]:
    """Return, by attempt id, the id of the current card each attempt was an answer to.

    An attempt belongs to the card with its GUID, so it follows a reworded, renumbered or
    moved card. One written before schema 2 has no GUID: it takes the GUID that later
    attempts recorded under the same card id, else it belongs to the card with that id.
    Attempts of cards no longer in ``cards`` (orphans) are left out.
    """
    by_guid = {c.guid: c.id for c in cards}
    by_id = {c.id for c in cards}
    learned: dict[str, str] = {}  # card id → the GUID first recorded with it
    for a in sorted(attempts, key=lambda a: (a.answered_at, a.id)):
        if a.card_guid is not None:
            learned.setdefault(a.card_id, a.card_guid)
    result: dict[int, str] = {}
    for a in attempts:
        guid = a.card_guid or learned.get(a.card_id)
        if guid is not None:
            if guid in by_guid:
                result[a.id] = by_guid[guid]
        elif a.card_id in by_id:
            result[a.id] = a.card_id
    return result


def card_states(
    cards: Sequence[Card], attempts: Sequence[Attempt], now: datetime
) -> dict[str, CardState]:
    """Replay each card's attempts through FSRS (correct → Good, partial → Hard, wrong → Again).

    Return the states by card id; ``owners`` says which attempts are a card's.
    """
    owner = owners(cards, attempts)
    by_card: dict[str, list[Attempt]] = {}
    for a in sorted(attempts, key=lambda a: (a.answered_at, a.id)):
        if a.id in owner:
            by_card.setdefault(owner[a.id], []).append(a)
    states: dict[str, CardState] = {}
    for card_id, tries in by_card.items():
        card = fsrs.Card(card_id=1, due=tries[0].answered_at)
        for a in tries:
            card, _ = _SCHEDULER.review_card(
                card, _RATINGS[a.result], review_datetime=a.answered_at
            )
        states[card_id] = CardState(
            attempts=len(tries),
            last_verdict=tries[-1].result,
            accuracy=sum(CREDIT[a.result] for a in tries) / len(tries),
            due=card.due,
            retrievability=_SCHEDULER.get_card_retrievability(card, current_datetime=now),
            overrides=sum(a.override is not None for a in tries),
        )
    return states


def quiz_order(cards: Sequence[Card], states: dict[str, CardState], now: datetime) -> list[Card]:
    """Order cards due first, weakest (lowest FSRS retrievability) first among them.

    Never-tried cards are due and weakest. FSRS counts retrievability in whole days,
    so within a day the card due longest ago comes first. Cards not yet due follow,
    soonest due first. Ties keep the notes' order.
    """
    new = CardState()

    def key(item: tuple[int, Card]) -> tuple[int, float, float, int]:
        index, card = item
        state = states.get(card.id, new)
        due = state.due.timestamp() if state.due else 0.0
        if state.is_due(now):
            return (0, state.retrievability, due, index)
        return (1, 0.0, due, index)

    return [card for _, card in sorted(enumerate(cards), key=key)]
