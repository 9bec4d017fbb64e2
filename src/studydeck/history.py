"""The quiz history: every graded attempt in SQLite (the schedule it implies: schedule.py).

Each attempt is committed the moment it is graded, so an interrupted or killed quiz
loses nothing already answered. The file carries an application id and a schema
version; a file without them is not ours and is never written to.

Since schema 2 an attempt also records the card's Anki note GUID, which stays with the card
when its question is reworded, renumbered or moved; schema 1 attempts have only the card id.
A schema 1 file is read as it is, and upgraded in place with its first new attempt.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from studydeck.cards import Card
from studydeck.errors import StudydeckError

ENV_VAR = "STUDYDECK_HISTORY"
APPLICATION_ID = 0x7364636B  # b"sdck": marks the file as a studydeck history
SCHEMA_VERSION = 2
VERDICTS = ("correct", "partial", "wrong")
_LOCK_WAIT = 2.0  # seconds to wait for another quiz's short write to finish

_SCHEMA = """
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    card_id TEXT NOT NULL,
    card_guid TEXT,
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
CREATE INDEX attempts_guid ON attempts (card_guid, answered_at);
"""
# From schema 1: attempts written before it have no GUID (NULL) and are matched by card id.
_UPGRADE = (
    "ALTER TABLE attempts ADD COLUMN card_guid TEXT",
    "CREATE INDEX attempts_guid ON attempts (card_guid, answered_at)",
)
_COLUMNS = "id, card_id, question, topics, answered_at, answer, verdict, score, override, seconds"


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
    card_guid: str | None = None  # None for attempts written before schema 2

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
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            return cls(conn, None)
        if path.is_dir():
            raise StudydeckError(
                "this is a folder, not a history file.",
                file=str(path),
                fix="Give a file path with --history (e.g. --history ~/studydeck.sqlite3).",
            )
        mode = "rw" if write else "ro"
        with _friendly_errors(path):
            conn = _connect(path, mode)
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
            conn = _connect(path, "rwc")
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
        """Store one graded attempt and commit it at once; return its id.

        An older file is upgraded in the same transaction, so it is either upgraded with the
        attempt stored or left exactly as it was.
        """
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}")
        with _friendly_errors(self.path), self._transaction():
            self._upgrade()
            cur = self._conn.execute(
                "INSERT INTO attempts (card_id, card_guid, question, topics, answered_at,"
                " answer, verdict, score, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    card.id,
                    card.guid,
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
        """Return every attempt, oldest first (an older file is read as it is, not upgraded)."""
        with _friendly_errors(self.path), self._transaction(write=False):
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            guid = "card_guid" if version >= 2 else "NULL"
            rows = self._conn.execute(
                f"SELECT {_COLUMNS}, {guid} FROM attempts ORDER BY answered_at, id"
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
                card_guid=r[10],
            )
            for r in rows
        ]

    @contextmanager
    def _transaction(self, *, write: bool = True) -> Iterator[None]:
        """Run the block in one transaction: committed if it ends, rolled back if it raises."""
        self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _upgrade(self) -> None:
        """Bring a schema 1 file to this schema; call inside a write transaction."""
        # Read again under the write lock: another quiz may have upgraded the file meanwhile.
        if self._conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        for statement in _UPGRADE:
            self._conn.execute(statement)
        self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


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


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    """Open the history file in a SQLite URI ``mode`` (ro, rw, rwc), in autocommit mode."""
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode={mode}",
        uri=True,
        timeout=_LOCK_WAIT,
        isolation_level=None,
    )
