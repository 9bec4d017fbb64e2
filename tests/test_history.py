"""The history file, the schedule it implies, and `studydeck stats`."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from studydeck.cards import Card
from studydeck.cli import main
from studydeck.errors import StudydeckError
from studydeck.history import APPLICATION_ID, History
from studydeck.identity import load_identified
from studydeck.notes import parse_text
from studydeck.schedule import card_states, quiz_order
from studydeck.stats import compute_stats
from studydeck.terminal import format_stats

FIXTURES = Path(__file__).parent / "fixtures" / "quiz"
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)

NOTES = """\
# Attention

### Attention이란?

- 인코더의 **은닉 상태**를 본다.

### Attention Value

- 가중합한 **값**이다.

# Transformer

### Transformer란?

- **Attention만** 쓴다.
"""


@pytest.fixture
def cards() -> list[Card]:
    return list(parse_text(NOTES, file="ml.md", deck="ml").cards)


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    with History.open(tmp_path / "history.sqlite3", write=True) as h:
        yield h


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


SCHEMA_1 = """
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


V1_COLUMNS = [
    "id", "card_id", "question", "topics", "answered_at", "answer", "verdict", "score",
    "override", "seconds",
]  # fmt: skip


def schema_1_file(path: Path, *rows: tuple[str, str, str, str]) -> None:
    """Write a history as studydeck wrote it before GUIDs: (card id, question, topic, verdict)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1935958891")  # b"sdck"
    conn.execute("PRAGMA user_version = 1")
    conn.executescript(SCHEMA_1)
    for card_id, question, topic, verdict in rows:
        conn.execute(
            "INSERT INTO attempts (card_id, question, topics, answered_at, answer, verdict,"
            " score, override, seconds) VALUES (?, ?, ?, ?, 'old answer', ?, 0.5, 'wrong', 7.5)",
            (card_id, question, json.dumps([topic]), T0.isoformat(), verdict),
        )
    conn.commit()
    conn.close()


def schema(path: Path) -> tuple[int, list[str]]:
    with sqlite3.connect(path) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        columns = [r[1] for r in conn.execute("PRAGMA table_info(attempts)")]
    conn.close()
    return version, columns


# --- the file --------------------------------------------------------------------------


def test_history__attempts_survive_closing_and_reopening(tmp_path: Path, cards: list[Card]) -> None:
    path = tmp_path / "deep" / "folder" / "history.sqlite3"
    with History.open(path, write=True) as h:
        first = h.record(cards[0], "은닉 상태\n두 줄", "partial", 0.5, at=T0, seconds=12.0)
        h.record(cards[1], "", "wrong", 0.0, at=T0 + timedelta(minutes=1))
        h.set_override(first, "correct")
    with History.open(path, write=False) as h:
        attempts = h.attempts()
    assert [(a.card_id, a.answer, a.verdict, a.override, a.result) for a in attempts] == [
        ("ml/attention/attention이란", "은닉 상태\n두 줄", "partial", "correct", "correct"),
        ("ml/attention/attention-value", "", "wrong", None, "wrong"),
    ]
    assert attempts[0].answered_at == T0
    assert attempts[0].topics == ("Attention",)
    assert attempts[0].question == "Attention이란?"


def test_history__each_attempt_is_committed_before_the_file_is_closed(
    tmp_path: Path, cards: list[Card]
) -> None:
    path = tmp_path / "history.sqlite3"
    h = History.open(path, write=True)
    h.record(cards[0], "answer", "correct", 1.0, at=T0)
    # A second reader sees it while the writer is still open, as after a killed process.
    other = sqlite3.connect(path)
    assert other.execute("SELECT card_id, verdict FROM attempts").fetchall() == [
        ("ml/attention/attention이란", "correct")
    ]
    other.close()
    h.close()


def test_history__reading_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "history.sqlite3"
    with History.open(path, write=False) as h:
        assert h.attempts() == []
    assert not path.exists()
    assert not path.parent.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "not a studydeck history"),
        (b"# my notes\nnot a database at all\n" * 50, "not a studydeck history"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "not a studydeck history"),
    ],
    ids=["empty", "text", "damaged"],
)
def test_history__a_file_that_is_not_a_database_is_refused_and_untouched(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(content)
    before = snapshot(path)
    for write in (True, False):
        with pytest.raises(StudydeckError, match=expected):
            History.open(path, write=write)
    assert snapshot(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.sqlite3"]


def test_history__another_apps_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE attempts (x)")
    conn.execute("INSERT INTO attempts VALUES (1)")
    conn.commit()
    conn.close()
    before = snapshot(path)
    with pytest.raises(StudydeckError) as err:
        History.open(path, write=True)
    assert str(err.value) == (
        f"{path}: this file is not a studydeck history; it was left as it is."
        " Choose another file with --history PATH or STUDYDECK_HISTORY."
    )
    assert snapshot(path) == before


def test_history__a_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    History.open(path, write=True).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = snapshot(path)
    with pytest.raises(StudydeckError, match="newer studydeck"):
        History.open(path, write=True)
    assert snapshot(path) == before


def test_history__a_schema_1_file_is_read_as_it_is_and_upgraded_on_the_first_quiz_answer(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.sqlite3"
    schema_1_file(
        path, ("basics/attention/attention-value", "Attention Value", "Attention", "wrong")
    )
    before = snapshot(path)
    with sqlite3.connect(path) as conn:
        (old_row,) = conn.execute("SELECT * FROM attempts").fetchall()
    conn.close()

    with History.open(path, write=False) as h:
        (attempt,) = h.attempts()
    assert (attempt.card_id, attempt.card_guid, attempt.override) == (
        "basics/attention/attention-value",
        None,
        "wrong",
    )
    stats = CliRunner().invoke(main, ["stats", str(FIXTURES), "--json", "--history", str(path)])
    assert stats.exit_code == 0, stats.output
    card = json.loads(stats.output)["cards"][0]
    assert (card["id"], card["attempts"], card["overrides"]) == (
        "basics/attention/attention-value",
        1,
        1,
    )
    assert snapshot(path) == before
    assert schema(path) == (1, V1_COLUMNS)

    quiz = CliRunner().invoke(
        main,
        ["quiz", str(FIXTURES), "--topic", "transformer", "--history", str(path)],
        input="Attention만 쓰고 병렬 처리가 된다\n",
    )
    assert quiz.exit_code == 0, quiz.output
    assert schema(path) == (2, [*V1_COLUMNS, "card_guid"])
    cards, _ = load_identified([FIXTURES])
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT * FROM attempts ORDER BY id").fetchall()
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    conn.close()
    assert app_id == APPLICATION_ID
    assert rows[0] == (*old_row, None)
    assert (rows[1][1], rows[1][-1]) == (cards[2].id, cards[2].guid)
    stats = CliRunner().invoke(main, ["stats", str(FIXTURES), "--json", "--history", str(path)])
    data = json.loads(stats.output)
    assert [c["attempts"] for c in data["cards"]] == [1, 1, 0]
    assert data["orphans"] == []


def test_stats__an_attempt_from_before_guids_follows_its_card_once_quizzed_again(
    tmp_path: Path, cards: list[Card]
) -> None:
    path = tmp_path / "h.sqlite3"
    schema_1_file(path, (cards[0].id, cards[0].question, "Attention", "correct"))
    with History.open(path, write=True) as h:
        h.record(cards[0], "a", "correct", 1.0, at=T0 + timedelta(days=1))
        h.record(cards[1], "b", "wrong", 0.0, at=T0 + timedelta(days=1))
        attempts = h.attempts()
    reworded = parse_text(NOTES.replace("Attention이란?", "어텐션은?"), file="ml.md", deck="ml")
    now = [replace(c, guid=old.guid) for c, old in zip(reworded.cards, cards, strict=True)]
    stats = compute_stats(now, attempts, T0 + timedelta(days=2))
    assert {r.card.question: r.state.attempts for r in stats.cards} == {
        "어텐션은?": 2,
        "Attention Value": 1,
        "Transformer란?": 0,
    }
    assert stats.orphans == ()
    # A card's own GUID decides: a new card that took the old id gets none of them.
    newcomer = replace(cards[0], guid="someone-else")
    stats = compute_stats([newcomer], attempts, T0 + timedelta(days=2))
    assert (stats.cards[0].state.attempts, len(stats.orphans)) == (0, 3)


def test_history__a_locked_file_is_refused_and_untouched(tmp_path: Path, cards: list[Card]) -> None:
    path = tmp_path / "history.sqlite3"
    with History.open(path, write=True) as h:
        h.record(cards[0], "a", "correct", 1.0, at=T0)
    before = snapshot(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        for write in (True, False):
            with pytest.raises(StudydeckError, match="locked by another program"):
                History.open(path, write=write)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert snapshot(path) == before


def test_history__a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StudydeckError, match="this is a folder"):
        History.open(tmp_path, write=True)


def test_history__an_unreadable_file_is_refused_and_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    History.open(path, write=True).close()
    before = snapshot(path)
    real_connect = sqlite3.connect

    def denied(database: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        # As root, chmod 0 does not stop a read: make SQLite fail the way it does for a user.
        if str(database).startswith("file:"):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", denied)
    with pytest.raises(StudydeckError) as err:
        History.open(path, write=True)
    assert str(err.value) == (
        f"{path}: cannot open the history file. "
        "Check that it is a readable file, or choose another with --history PATH."
    )
    assert snapshot(path) == before


def test_history__a_read_only_file_is_refused_before_the_first_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    History.open(path, write=True).close()
    before = snapshot(path)
    monkeypatch.setattr(os, "access", lambda p, mode: mode != os.W_OK)
    with pytest.raises(StudydeckError, match="the history file is read-only"):
        History.open(path, write=True)
    History.open(path, write=False).close()  # stats can still read it
    assert snapshot(path) == before


# --- the schedule ----------------------------------------------------------------------


def test_quiz_order__never_tried_cards_come_first_in_notes_order(
    history: History, cards: list[Card]
) -> None:
    history.record(cards[0], "a", "correct", 1.0, at=T0)
    order = quiz_order(cards, card_states(cards, history.attempts(), T0), T0 + timedelta(seconds=5))
    assert [c.question for c in order] == ["Attention Value", "Transformer란?", "Attention이란?"]


def test_quiz_order__a_card_answered_wrong_comes_before_one_answered_right(
    history: History, cards: list[Card]
) -> None:
    history.record(cards[0], "a", "correct", 1.0, at=T0)
    history.record(cards[1], "b", "wrong", 0.0, at=T0 + timedelta(seconds=1))
    history.record(cards[2], "c", "partial", 0.5, at=T0 + timedelta(seconds=2))
    for later in (timedelta(seconds=10), timedelta(hours=1), timedelta(days=3)):
        now = T0 + later
        order = quiz_order(cards, card_states(cards, history.attempts(), now), now)
        assert [c.question for c in order] == [
            "Attention Value",
            "Transformer란?",
            "Attention이란?",
        ]


def test_quiz_order__an_override_counts_instead_of_the_graders_verdict(
    history: History, cards: list[Card]
) -> None:
    first = history.record(cards[0], "a", "correct", 1.0, at=T0)
    history.record(cards[1], "b", "correct", 1.0, at=T0)
    history.set_override(first, "wrong")
    now = T0 + timedelta(minutes=2)
    states = card_states(cards, history.attempts(), now)
    assert states[cards[0].id].last_verdict == "wrong"
    assert states[cards[0].id].overrides == 1
    assert quiz_order(cards[:2], states, now) == [cards[0], cards[1]]


def test_card_states__a_card_answered_right_again_is_due_later_each_time(
    history: History, cards: list[Card]
) -> None:
    dues = []
    at = T0
    for _ in range(4):
        history.record(cards[0], "a", "correct", 1.0, at=at)
        due = card_states(cards, history.attempts(), at)[cards[0].id].due
        assert due is not None and due > at
        dues.append(due - at)
        at = due
    assert dues == sorted(dues)
    assert dues[-1] > timedelta(days=1)


# --- stats -----------------------------------------------------------------------------


def test_stats__weakest_cards_and_topics_first_and_orphans_kept(
    history: History, cards: list[Card]
) -> None:
    old = parse_text("# Old\n\n### Gone?\n\n- was here\n", file="old.md", deck="old").cards[0]
    history.record(old, "x", "wrong", 0.0, at=T0)
    history.record(cards[0], "a", "correct", 1.0, at=T0)
    history.record(cards[2], "c", "partial", 0.5, at=T0)
    history.record(cards[2], "c", "wrong", 0.0, at=T0 + timedelta(minutes=1))
    stats = compute_stats(cards, history.attempts(), T0 + timedelta(minutes=2))
    assert [(r.card.question, r.state.attempts, r.state.accuracy) for r in stats.cards] == [
        ("Transformer란?", 2, 0.25),
        ("Attention이란?", 1, 1.0),
        ("Attention Value", 0, None),
    ]
    assert [(t.topic, t.tried, t.cards, t.accuracy) for t in stats.topics] == [
        ("Transformer", 1, 1, 0.25),
        ("Attention", 1, 2, 1.0),
    ]
    assert [(a.card_id, a.question) for a in stats.orphans] == [("old/old/gone", "Gone?")]
    assert stats.attempts == 4


def test_format_stats__plain_text(history: History, cards: list[Card]) -> None:
    old = parse_text("# Old\n\n### Gone?\n\n- was here\n", file="old.md", deck="old").cards[0]
    history.record(old, "x", "wrong", 0.0, at=T0)
    a = history.record(cards[0], "a", "correct", 1.0, at=T0)
    history.set_override(a, "wrong")
    history.record(cards[2], "c", "correct", 1.0, at=T0)
    stats = compute_stats(cards, history.attempts(), T0 + timedelta(seconds=30))
    text = format_stats(stats, T0 + timedelta(seconds=30), color=False)
    when = T0.astimezone().strftime("%Y-%m-%d %H:%M")
    assert text == (
        "Topics, weakest first\n"
        "  accuracy  attempts  tried  topic\n"
        "        0%         1    1/2  Attention\n"
        "      100%         1    1/1  Transformer\n"
        "\n"
        "Cards, weakest first\n"
        "  accuracy  attempts  last     due     card\n"
        "        0%         1  wrong    in 1m   Attention › Attention이란?\n"
        "      100%         1  correct  in 9m   Transformer › Transformer란?\n"
        "         -         0  -        new     Attention › Attention Value\n"
        "\n"
        "Orphans: 1 attempts of 1 cards not in the notes\n"
        f"  {when}  wrong    old/old/gone  Gone?\n"
        "\n"
        "Grader overrides: 1 of 3 attempts (33%)."
    )


def test_stats_cli__json_lists_cards_and_orphans(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    cards = list(parse_text((FIXTURES / "basics.md").read_text(), file="x", deck="basics").cards)
    with History.open(path, write=True) as h:
        h.record(cards[1], "가중합", "correct", 1.0, at=T0)
        h.record(
            parse_text("# Old\n\n### Gone?\n\n- x\n", deck="old").cards[0], "?", "wrong", 0, at=T0
        )
    result = CliRunner().invoke(main, ["stats", str(FIXTURES), "--json", "--history", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["cards"][0] == {
        "id": "basics/attention/attention-value",
        "topics": ["Attention"],
        "question": "Attention Value",
        "attempts": 1,
        "last_verdict": "correct",
        "accuracy": 1.0,
        "due": "2024-03-01T09:10:00+00:00",
        "overrides": 0,
    }
    assert [(c["id"], c["attempts"], c["due"]) for c in data["cards"][1:]] == [
        ("basics/attention/attention이란", 0, None),
        ("basics/transformer/transformer란", 0, None),
    ]
    assert [(o["card_id"], o["verdict"], o["answer"]) for o in data["orphans"]] == [
        ("old/old/gone", "wrong", "?")
    ]


def test_stats_cli__history_from_the_environment_and_no_file_created(tmp_path: Path) -> None:
    path = tmp_path / "env.sqlite3"
    result = CliRunner().invoke(
        main, ["stats", str(FIXTURES)], env={"STUDYDECK_HISTORY": str(path)}
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"History: {path}\n\nNo attempts yet: run 'studydeck quiz' to start.\n"
    )
    assert "\x1b[" not in result.output
    assert not path.exists()


def test_stats_cli__a_foreign_file_gives_its_message_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not mine\n")
    before = snapshot(path)
    result = CliRunner().invoke(main, ["stats", str(FIXTURES), "--history", str(path)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: this file is not a studydeck history (or it is damaged); it was left"
        " as it is. Choose another file with --history PATH or STUDYDECK_HISTORY.\n"
    )
    assert snapshot(path) == before
