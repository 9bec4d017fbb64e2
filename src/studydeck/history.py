"""The quiz history: every graded attempt in SQLite, and the schedule it implies.

Each attempt is committed the moment it is graded, so an interrupted or killed quiz
loses nothing already answered. The file carries an application id and a schema
version; a file without them is not ours and is never written to.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import fsrs

from studydeck.cards import Card
from studydeck.errors import StudydeckError

ENV_VAR = "STUDYDECK_HISTORY"
APPLICATION_ID = 0x7364636B  # b"sdck": marks the file as a studydeck history
SCHEMA_VERSION = 1
VERDICTS = ("correct", "partial", "wrong")
_LOCK_WAIT = 2.0  # seconds to wait for another quiz's short write to finish

_SCHEMA = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    card_id TEXT NOT NULL,
    question TEXT NOT NULL,
    topics TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    answer TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('correct', 'partial', 'wrong')),
    score REAL NOT NULL,
    override TEXT CHECK (override IN ('correct', 'partial', 'wrong')),
    seconds REAL
);
CREATE INDEX attempts_card ON attempts (card_id, answered_at);
"""

_RATINGS = {"correct": fsrs.Rating.Good, "partial": fsrs.Rating.Hard, "wrong": fsrs.Rating.Again}
_SCHEDULER = fsrs.Scheduler(enable_fuzzing=False)  # no fuzz: the same history, the same order


def default_path() -> Path:
    """Return where the history lives unless ``--history`` or ``STUDYDECK_HISTORY`` says."""
    import platformdirs

    return platformdirs.user_data_path("studydeck", appauthor=False) / "history.sqlite3"


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Attempt:
    """One graded answer. ``override`` is the learner's own verdict when they disagreed."""

    id: int
    card_id: str
    question: str
    topics: tuple[str, ...]
    answered_at: datetime
    answer: str
    verdict: str
    score: float
    override: str | None = None
    seconds: float | None = None

    @property
    def result(self) -> str:
        """Return the verdict that counts: the learner's override, else the grader's."""
        return self.override or self.verdict


class History:
    """An open history file. Use ``History.open`` and close it (or use ``with``)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path, *, write: bool) -> History:
        """Open (creating it only if absent and ``write``) the history at ``path``.

        Raise ``StudydeckError`` if the file is locked, unreadable, not a studydeck
        history or from a newer studydeck; such a file is left exactly as it was.
        """
        if not path.exists() and not path.is_symlink():
            if write:
                return cls._create(path)
            conn = sqlite3.connect(":memory:", isolation_level=None)
            conn.executescript(_SCHEMA)
            return cls(conn, None)
        if path.is_dir():
            raise StudydeckError(
                "this is a folder, not a history file.",
                file=str(path),
                fix="Give a file path with --history (e.g. --history ~/studydeck.sqlite3).",
            )
        mode = "rw" if write else "ro"
        with _friendly_errors(path):
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode={mode}",
                uri=True,
                timeout=_LOCK_WAIT,
                isolation_level=None,
            )
        history = cls(conn, path)
        try:
            history._check(write=write)
        except BaseException:
            conn.close()
            raise
        return history

    @classmethod
    def _create(cls, path: Path) -> History:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StudydeckError(
                f"cannot create the history's folder ({exc.strerror}).",
                file=str(path.parent),
                fix="Choose another place with --history PATH.",
            ) from None
        with _friendly_errors(path):
            # mode=rwc with an exclusive check below: never adopt a file that appeared meanwhile
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=rwc",
                uri=True,
                timeout=_LOCK_WAIT,
                isolation_level=None,
            )
            conn.execute("BEGIN IMMEDIATE")
            if (
                conn.execute("PRAGMA application_id").fetchone()[0] == 0
                and not conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            ):
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute("COMMIT")
        history = cls(conn, path)
        history._check(write=True)
        return history

    def _check(self, *, write: bool) -> None:
        assert self.path is not None
        with _friendly_errors(self.path):
            app_id = self._conn.execute("PRAGMA application_id").fetchone()[0]
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise StudydeckError(
                "this file is not a studydeck history; it was left as it is.",
                file=str(self.path),
                fix="Choose another file with --history PATH or STUDYDECK_HISTORY.",
            )
        if version > SCHEMA_VERSION:
            raise StudydeckError(
                f"this history was written by a newer studydeck (schema {version}, "
                f"this one reads up to {SCHEMA_VERSION}); it was left untouched.",
                file=str(self.path),
                fix="Upgrade studydeck (pip install -U studydeck).",
            )
        if write:
            if not os.access(self.path, os.W_OK):
                raise StudydeckError(
                    "the history file is read-only.",
                    file=str(self.path),
                    fix="Make it writable, or choose another file with --history PATH.",
                )
            with _friendly_errors(self.path):
                # Take and release the write lock now: fail before the first question, not after.
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.execute("ROLLBACK")

    def close(self) -> None:
        """Close the file; everything recorded is already committed."""
        self._conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(
        self,
        card: Card,
        answer: str,
        verdict: str,
        score: float,
        *,
        at: datetime,
        seconds: float | None = None,
    ) -> int:
        """Store one graded attempt and commit it at once; return its id."""
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}")
        with _friendly_errors(self.path):
            cur = self._conn.execute(
                "INSERT INTO attempts (card_id, question, topics, answered_at, answer, verdict,"
                " score, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    card.id,
                    card.question,
                    json.dumps(list(card.topics), ensure_ascii=False),
                    at.astimezone(timezone.utc).isoformat(),
                    answer,
                    verdict,
                    float(score),
                    seconds,
                ),
            )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def set_override(self, attempt_id: int, verdict: str) -> None:
        """Record the learner's own verdict for an attempt (committed at once)."""
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}")
        with _friendly_errors(self.path):
            self._conn.execute(
                "UPDATE attempts SET override = ? WHERE id = ?", (verdict, attempt_id)
            )

    def attempts(self) -> list[Attempt]:
        """Return every attempt, oldest first."""
        with _friendly_errors(self.path):
            rows = self._conn.execute(
                "SELECT id, card_id, question, topics, answered_at, answer, verdict, score,"
                " override, seconds FROM attempts ORDER BY answered_at, id"
            ).fetchall()
        return [
            Attempt(
                id=r[0],
                card_id=r[1],
                question=r[2],
                topics=tuple(json.loads(r[3])),
                answered_at=datetime.fromisoformat(r[4]),
                answer=r[5],
                verdict=r[6],
                score=r[7],
                override=r[8],
                seconds=r[9],
            )
            for r in rows
        ]


@contextmanager
def _friendly_errors(path: Path | None) -> Iterator[None]:
    """Turn SQLite's errors into a sentence that says what to do."""
    shown = str(path) if path is not None else "history"
    try:
        yield
    except sqlite3.Error as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            message = "the history file is locked by another program (another quiz?)."
            fix = "Finish that one and try again, or choose another file with --history PATH."
        elif "not a database" in text or "malformed" in text or "no such table" in text:
            message = (
                "this file is not a studydeck history (or it is damaged); it was left as it is."
            )
            fix = "Choose another file with --history PATH or STUDYDECK_HISTORY."
        elif "readonly" in text or "read-only" in text:
            message = "the history file is read-only."
            fix = "Make it writable, or choose another file with --history PATH."
        elif "unable to open" in text:
            message = "cannot open the history file."
            fix = "Check that it is a readable file, or choose another with --history PATH."
        else:
            message = f"cannot use the history file ({exc})."
            fix = "Choose another file with --history PATH."
        raise StudydeckError(message, file=shown, fix=fix) from None


# --- scheduling -----------------------------------------------------------------------


@dataclass(frozen=True)
class CardState:
    """What the history says about one card id."""

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


def card_states(attempts: Sequence[Attempt], now: datetime) -> dict[str, CardState]:
    """Replay the attempts through FSRS (correct → Good, partial → Hard, wrong → Again)."""
    by_card: dict[str, list[Attempt]] = {}
    for a in sorted(attempts, key=lambda a: (a.answered_at, a.id)):
        by_card.setdefault(a.card_id, []).append(a)
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
