"""The quiz session: pick cards, ask, grade, record, summarise. No terminal in here.

The session reads lines through ``read(prompt)`` (``None`` at end of input) and
reports what happens through ``show(event)``; ``studydeck.terminal`` renders events.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING

from studydeck.cards import Card
from studydeck.errors import StudydeckError
from studydeck.history import Attempt, History, utcnow
from studydeck.schedule import CREDIT, card_states, quiz_order
from studydeck.stats import topic_path
from studydeck.text import answer_text

if TYPE_CHECKING:
    from studydeck.grader import Grade

QUIT = ":q"
SKIP = ":s"
OVERRIDE = "o"


class Prompt(Enum):
    """What the session is waiting for."""

    ANSWER = "answer"  # the first line of an answer
    MORE = "more"  # a further line of the same answer
    NEXT = "next"  # after the feedback: Enter, o or :q


@dataclass(frozen=True)
class Asked:
    """A question is being asked."""

    card: Card
    number: int
    total: int


@dataclass(frozen=True)
class Graded:
    """An answer was graded and recorded."""

    card: Card
    answer: str
    grade: Grade
    reference: str
    attempt_id: int


@dataclass(frozen=True)
class Skipped:
    """The learner skipped a card (nothing recorded)."""

    card: Card


@dataclass(frozen=True)
class Overridden:
    """The learner overrode the grader's verdict (recorded)."""

    card: Card
    verdict: str


@dataclass(frozen=True)
class Unknown:
    """A reply after the feedback that is not Enter, ``o`` or ``:q``; asked again."""

    text: str


@dataclass(frozen=True)
class Summary:
    """How the session went; ``weakest`` is (topic, credit 0..1) for this session, weakest first."""

    answered: int
    correct: int
    partial: int
    wrong: int
    skipped: int
    overrides: int
    seconds: float
    weakest: tuple[tuple[str, float], ...]


Event = Asked | Graded | Skipped | Overridden | Unknown | Summary
Reader = Callable[[Prompt], "str | None"]
Shower = Callable[[Event], None]


def select(
    cards: Sequence[Card],
    attempts: Sequence[Attempt],
    *,
    topics: Sequence[str] = (),
    tags: Sequence[str] = (),
    count: int = 10,
    now: datetime,
) -> list[Card]:
    """Return up to ``count`` cards matching the filters, due and weakest first.

    A card matches when any ``topics`` text is in one of its topics (ignoring case)
    and any ``tags`` equals one of its tags; an empty filter matches every card.
    """
    if not cards:
        raise StudydeckError("the notes have no cards to ask.", fix="Check the PATH you gave.")
    wanted_topics = [unicodedata.normalize("NFC", t).casefold() for t in topics]
    wanted_tags = {unicodedata.normalize("NFC", t).casefold() for t in tags}
    chosen = [
        c
        for c in cards
        if (not wanted_topics or any(w in t.casefold() for w in wanted_topics for t in c.topics))
        and (not wanted_tags or wanted_tags & {t.casefold() for t in c.tags})
    ]
    if not chosen:
        asked = ", ".join([*(f"--topic '{t}'" for t in topics), *(f"--tag '{t}'" for t in tags)])
        known = ", ".join(dict.fromkeys(t for c in cards for t in c.topics))
        raise StudydeckError(f"no card matches {asked}.", fix=f"Topics in these notes: {known}.")
    return quiz_order(chosen, card_states(chosen, attempts, now), now)[:count]


def flipped(verdict: str) -> str:
    """Return the verdict an override records: "I was wrong" for correct, else "I was right"."""
    return "wrong" if verdict == "correct" else "correct"


def run(
    cards: Sequence[Card],
    history: History,
    grade: Callable[[Card, str], Grade],
    *,
    read: Reader,
    show: Shower,
    clock: Callable[[], datetime] = utcnow,
) -> Summary:
    """Ask each card in turn, recording every graded answer the moment it is graded.

    The session ends after the last card, at ``:q``, at end of input (an answer
    already typed is graded first) or on KeyboardInterrupt; the summary is shown
    and returned in every case.
    """
    start = clock()
    results: dict[int, tuple[Card, str]] = {}  # attempt id → (card, verdict that counts)
    skipped = overrides = 0
    try:
        for number, card in enumerate(cards, 1):
            show(Asked(card, number, len(cards)))
            asked_at = clock()
            answer, end = _read_answer(read)
            if end == SKIP:
                skipped += 1
                show(Skipped(card))
                continue
            if answer is None:
                break
            result = grade(card, answer)
            at = clock()
            seconds = (at - asked_at).total_seconds()
            attempt_id = history.record(
                card, answer, result.verdict, result.score, at=at, seconds=seconds
            )
            results[attempt_id] = (card, result.verdict)
            show(Graded(card, answer, result, answer_text(card), attempt_id))
            if end == QUIT:
                break
            reply = _read_reply(read, show)
            if reply == OVERRIDE:
                verdict = flipped(result.verdict)
                history.set_override(attempt_id, verdict)
                results[attempt_id] = (card, verdict)
                overrides += 1
                show(Overridden(card, verdict))
            elif reply == QUIT:
                break
    except KeyboardInterrupt:
        pass  # Ctrl-C ends the quiz like :q; everything graded is already committed
    summary = _summary(
        list(results.values()), skipped, overrides, (clock() - start).total_seconds()
    )
    show(summary)
    return summary


def _read_answer(read: Reader) -> tuple[str | None, str]:
    """Read lines up to an empty one; return the answer and how it ended ("", :s or :q)."""
    lines: list[str] = []
    while True:
        line = read(Prompt.MORE if lines else Prompt.ANSWER)
        if line is None:
            return ("\n".join(lines), QUIT) if lines else (None, QUIT)
        command = line.strip()
        if command in (QUIT, SKIP):
            return None, command
        if not command:
            return "\n".join(lines), ""
        lines.append(line.rstrip())


def _read_reply(read: Reader, show: Shower) -> str:
    while True:
        line = read(Prompt.NEXT)
        if line is None:
            return QUIT
        reply = line.strip().lower()
        if reply in ("", OVERRIDE, QUIT):
            return reply
        show(Unknown(line))


def _summary(
    results: list[tuple[Card, str]], skipped: int, overrides: int, seconds: float
) -> Summary:
    verdicts = [v for _, v in results]
    per_topic: dict[str, list[float]] = {}
    for card, verdict in results:
        per_topic.setdefault(topic_path(card), []).append(CREDIT[verdict])
    means = [(topic, sum(xs) / len(xs)) for topic, xs in per_topic.items()]
    weakest = sorted((m for m in means if m[1] < 1), key=lambda m: m[1])[:3]
    return Summary(
        answered=len(results),
        correct=verdicts.count("correct"),
        partial=verdicts.count("partial"),
        wrong=verdicts.count("wrong"),
        skipped=skipped,
        overrides=overrides,
        seconds=seconds,
        weakest=tuple(weakest),
    )
