"""The quiz session (with a stand-in grader), its rendering, and the quiz in a real terminal."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pexpect
import pytest
from click.testing import CliRunner

from studydeck.cards import Card, Point
from studydeck.cli import main
from studydeck.errors import StudydeckError
from studydeck.history import History
from studydeck.notes import parse_text
from studydeck.quiz import (
    Asked,
    Event,
    Graded,
    Overridden,
    Prompt,
    Skipped,
    Summary,
    Unknown,
    run,
    select,
)
from studydeck.terminal import highlight, render

FIXTURES = Path(__file__).parent / "fixtures" / "quiz"
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)


# --- a stand-in grader with the grader's shape: a point is hit when its phrase is typed -----


@dataclass(frozen=True)
class FakePointResult:
    point: Point
    hit: bool
    score: float
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class FakeGrade:
    verdict: str
    score: float
    points: tuple[FakePointResult, ...]
    unsupported: str = ""


def fake_grade(card: Card, answer: str) -> FakeGrade:
    results = []
    for point in card.points:
        phrase = point.phrases[0]
        at = answer.find(phrase)
        spans = ((at, at + len(phrase)),) if at >= 0 else ()
        results.append(FakePointResult(point, bool(spans), float(bool(spans)), spans))
    score = sum(r.score for r in results) / len(results)
    verdict = "correct" if score == 1 else "partial" if score else "wrong"
    return FakeGrade(verdict, score, tuple(results))


@pytest.fixture
def cards() -> list[Card]:
    return list(parse_text((FIXTURES / "basics.md").read_text(), file="b.md", deck="basics").cards)


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    with History.open(tmp_path / "h.sqlite3", write=True) as h:
        yield h


class Script:
    """Feed typed lines to the session and keep what it showed."""

    def __init__(self, *lines: str) -> None:
        self.lines = list(lines)
        self.prompts: list[Prompt] = []
        self.events: list[Event] = []

    def read(self, prompt: Prompt) -> str | None:
        self.prompts.append(prompt)
        return self.lines.pop(0) if self.lines else None

    def show(self, event: Event) -> None:
        self.events.append(event)


def ticking(step: timedelta = timedelta(seconds=5)) -> object:
    times = iter(T0 + step * i for i in range(1000))
    return lambda: next(times)


# --- the session -----------------------------------------------------------------------


def test_run__records_multi_line_answers_overrides_and_skips(
    history: History, cards: list[Card]
) -> None:
    script = Script(
        "인코더의 은닉 상태를 본다", "높은 가중치", "", "",  # card 1: two lines, then Enter
        ":s",  # card 2: skipped
        "RNN", "", "o",  # card 3: wrong, overridden
    )  # fmt: skip
    summary = run(cards, history, fake_grade, read=script.read, show=script.show, clock=ticking())
    kinds = [type(e).__name__ for e in script.events]
    assert kinds == [
        "Asked", "Graded", "Asked", "Skipped", "Asked", "Graded", "Overridden", "Summary",
    ]  # fmt: skip
    assert script.prompts[:4] == [Prompt.ANSWER, Prompt.MORE, Prompt.MORE, Prompt.NEXT]
    attempts = history.attempts()
    assert [(a.card_id, a.answer, a.verdict, a.override) for a in attempts] == [
        (
            "basics/attention/attention이란",
            "인코더의 은닉 상태를 본다\n높은 가중치",
            "correct",
            None,
        ),
        ("basics/transformer/transformer란", "RNN", "wrong", "correct"),
    ]
    assert summary == Summary(
        answered=2, correct=2, partial=0, wrong=0, skipped=1, overrides=1, seconds=30.0, weakest=()
    )


def test_run__q_ends_the_quiz_and_an_empty_answer_counts_as_wrong(
    history: History, cards: list[Card]
) -> None:
    script = Script("", "", ":q")
    summary = run(cards, history, fake_grade, read=script.read, show=script.show, clock=ticking())
    assert [(a.answer, a.verdict) for a in history.attempts()] == [("", "wrong")]
    assert (summary.answered, summary.wrong, summary.weakest) == (1, 1, (("Attention", 0.0),))


def test_run__end_of_input_grades_the_answer_already_typed(
    history: History, cards: list[Card]
) -> None:
    script = Script("병렬 처리", "Attention만")
    run(cards[2:], history, fake_grade, read=script.read, show=script.show, clock=ticking())
    assert [(a.answer, a.verdict) for a in history.attempts()] == [
        ("병렬 처리\nAttention만", "correct")
    ]
    assert isinstance(script.events[-1], Summary)


def test_run__ctrl_c_ends_with_a_summary_keeping_what_was_graded(
    history: History, cards: list[Card]
) -> None:
    lines = iter(["가중합", "", ""])

    def read(prompt: Prompt) -> str | None:
        line = next(lines, None)
        if line is None:
            raise KeyboardInterrupt
        return line

    shown: list[Event] = []
    summary = run(cards[1:], history, fake_grade, read=read, show=shown.append, clock=ticking())
    assert [a.verdict for a in history.attempts()] == ["correct"]
    assert summary.answered == 1
    assert shown[-1] == summary


def test_run__an_unknown_reply_after_the_feedback_is_asked_again(
    history: History, cards: list[Card]
) -> None:
    script = Script("가중합", "", "next please", "")
    run(cards[1:2], history, fake_grade, read=script.read, show=script.show, clock=ticking())
    assert [type(e) for e in script.events] == [Asked, Graded, Unknown, Summary]


def test_select__filters_by_topic_and_tag_and_count(cards: list[Card]) -> None:
    def ids(**kw: object) -> list[str]:
        return [c.id for c in select(cards, [], now=T0, **kw)]  # type: ignore[arg-type]

    assert ids(topics=["attention"]) == [
        "basics/attention/attention이란",
        "basics/attention/attention-value",
    ]
    assert ids(tags=["transformer"]) == ["basics/transformer/transformer란"]
    assert ids(count=1) == ["basics/attention/attention이란"]


def test_select__no_match_says_which_topics_exist(cards: list[Card]) -> None:
    with pytest.raises(StudydeckError) as err:
        select(cards, [], topics=["cnn"], now=T0)
    assert str(err.value) == (
        "no card matches --topic 'cnn'. Topics in these notes: Attention, Transformer."
    )


# --- rendering -------------------------------------------------------------------------


def test_highlight__plain_marks_merged_spans_and_colour_uses_ansi() -> None:
    answer = "인코더의 은닉 상태를 본다"
    spans = [(5, 7), (8, 10), (0, 3), (2, 4), (12, 13)]
    assert highlight(answer, spans, color=False) == "**인코더의 은닉 상태**를 **본**다"
    assert highlight(answer, [(0, 3)], color=True) == "\x1b[1;32m인코더\x1b[0m의 은닉 상태를 본다"


def test_render__feedback_shows_verdict_highlights_points_and_reference(cards: list[Card]) -> None:
    answer = "은닉 벡터를 가중합 한다"
    event = Graded(cards[1], answer, fake_grade(cards[1], answer), "- 가중합: $a_t$", 1)
    assert render(event, color=False) == (
        "✓ correct (score 1.00)\n"
        "Your answer:\n"
        "  은닉 벡터를 **가중합** 한다\n"
        "Key points:\n"
        "  ✓ 어텐션 분포로 인코더 은닉 상태를 가중합한 값: $a_t = \\sum_i \\alpha_i h_i$\n"
        "Reference answer:\n"
        "  - 가중합: $a_t$"
    )


def test_render__question_summary_and_override(cards: list[Card]) -> None:
    assert render(Asked(cards[0], 1, 3), color=False) == (
        "\n[1/3] Attention › Attention이란?\n"
        "Type your answer; an empty line ends it (:s skips, :q quits)."
    )
    assert render(Asked(cards[2], 2, 3), color=False) == "\n[2/3] Transformer › Transformer란?"
    assert render(Skipped(cards[0]), color=False) == "Skipped."
    assert (
        render(Overridden(cards[0], "wrong"), color=False) == "Recorded as ✗ wrong (your override)."
    )
    summary = Summary(3, 1, 1, 1, 2, 1, 125.0, (("Transformer", 0.0), ("Attention", 0.75)))
    assert render(summary, color=False) == (
        "\nQuiz over: 3 answered in 2m 05s: 1 correct, 1 partial, 1 wrong.\n"
        "2 skipped · 1 overridden.\n"
        "Weakest topics: Transformer 0%, Attention 75%"
    )


# --- the quiz command, in a real pseudo-terminal and piped -------------------------------


STUDYDECK = Path(sys.executable).with_name("studydeck")
ATTENTION_ANSWER = (
    "디코더가 단어를 출력할 때 인코더의 은닉 상태를 함께 본다.",
    "연관이 높은 입력에 높은 가중치를 준다.",
)


def spawn(tmp_path: Path, *args: str, color: bool = False) -> pexpect.spawn:
    """Start the installed `studydeck quiz` on the fixture notes in a pseudo-terminal."""
    exe = STUDYDECK if STUDYDECK.exists() else Path(shutil.which("studydeck") or "studydeck")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update({"TERM": "xterm-256color", "STUDYDECK_HISTORY": str(tmp_path / "unused.sqlite3")})
    if not color:
        env["NO_COLOR"] = "1"
    argv = ["quiz", str(FIXTURES), "--history", str(tmp_path / "h.sqlite3"), *args]
    return pexpect.spawn(
        str(exe), argv, env=env, encoding="utf-8", timeout=60, dimensions=(50, 200)
    )


def answer(child: pexpect.spawn, *lines: str) -> None:
    for line in (*lines, ""):
        child.expect_exact("> ")
        child.sendline(line)


def stored(tmp_path: Path) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(tmp_path / "h.sqlite3") as conn:
        rows = conn.execute("SELECT card_id, verdict, override FROM attempts ORDER BY id")
        return list(rows)


def test_quiz_cli__a_whole_quiz_in_a_terminal(tmp_path: Path) -> None:
    child = spawn(tmp_path, "-n", "2")
    child.expect_exact("[1/2] Attention › Attention이란?")
    answer(child, *ATTENTION_ANSWER)
    child.expect_exact("✓ correct")
    child.expect_exact("Your answer:")
    child.expect(r"\*\*[^*\r\n]*인코더의 은닉 상태[^*\r\n]*\*\*")
    child.expect_exact("✓ 디코더가 단어를 출력할 때 인코더의 은닉 상태를 함께 본다.")
    child.expect_exact("✓ 연관이 높은 입력에 높은 가중치를 준다.")
    child.expect_exact("Reference answer:")
    child.expect_exact("- 연관이 높은 입력에 높은 가중치를 준다.")
    child.expect_exact("Enter: next · o: override (I was wrong) · :q: quit > ")
    child.sendline("o")
    child.expect_exact("Recorded as ✗ wrong (your override).")
    child.expect_exact("[2/2] Attention › Attention Value")
    answer(child, "잘 모르겠다")
    child.expect_exact("✗ wrong")
    child.expect_exact("✗ 어텐션 분포로")
    child.expect_exact(
        "- 어텐션 분포로 인코더 은닉 상태를 가중합한 값: $a_t = \\sum_i \\alpha_i h_i$"
    )
    child.expect_exact("o: override (I was right)")
    child.sendline("")
    child.expect_exact("Quiz over: 2 answered in ")
    child.expect_exact(": 0 correct, 0 partial, 2 wrong.")
    child.expect_exact("1 overridden.")
    child.expect_exact("Weakest topics: Attention 0%")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "\x1b[" not in child.before
    assert stored(tmp_path) == [
        ("basics/attention/attention이란", "correct", "wrong"),
        ("basics/attention/attention-value", "wrong", None),
    ]


def test_quiz_cli__colour_on_a_terminal_without_no_color(tmp_path: Path) -> None:
    child = spawn(tmp_path, "-n", "1", color=True)
    answer(child, "잘 모르겠다")
    child.expect_exact("\x1b[1;31m✗ wrong\x1b[0m")
    child.sendline(":q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_quiz_cli__killed_mid_quiz_keeps_graded_answers_and_next_quiz_reorders(
    tmp_path: Path,
) -> None:
    child = spawn(tmp_path, "-n", "3")
    child.expect_exact("[1/3] Attention › Attention이란?")
    answer(child, *ATTENTION_ANSWER)
    child.expect_exact("✓ correct")
    child.expect_exact("quit > ")
    child.sendline("")
    child.expect_exact("[2/3] Attention › Attention Value")
    answer(child, "잘 모르겠다")
    child.expect_exact("✗ wrong")
    child.expect_exact("quit > ")
    child.kill(signal.SIGKILL)
    child.close(force=True)
    assert child.signalstatus == signal.SIGKILL
    assert stored(tmp_path) == [
        ("basics/attention/attention이란", "correct", None),
        ("basics/attention/attention-value", "wrong", None),
    ]

    history = str(tmp_path / "h.sqlite3")
    result = CliRunner().invoke(
        main, ["quiz", str(FIXTURES), "--history", history], input=":s\n:s\n:s\n"
    )
    assert result.exit_code == 0, result.output
    # The never-tried card first, then the one answered wrong, then the one answered right.
    assert re.findall(r"\[\d/3\] (.+)", result.output) == [
        "Transformer › Transformer란?",
        "Attention › Attention Value",
        "Attention › Attention이란?",
    ]
    assert result.output.endswith("Quiz over: nothing answered.\n3 skipped.\n")
    assert "\x1b[" not in result.output
    assert len(stored(tmp_path)) == 2


def test_quiz_cli__ctrl_c_ends_the_quiz_with_a_summary(tmp_path: Path) -> None:
    child = spawn(tmp_path, "-n", "3")
    answer(child, "잘 모르겠다")
    child.expect_exact("quit > ")
    child.sendline("")
    child.expect_exact("[2/3]")
    child.expect_exact("> ")
    child.send("반쯤 쓴 답")
    child.sendintr()
    child.expect_exact("Quiz over: 1 answered in ")
    child.expect(pexpect.EOF)
    child.close()
    assert stored(tmp_path) == [("basics/attention/attention이란", "wrong", None)]


def test_quiz_cli__piped_answers_are_graded_in_plain_text(tmp_path: Path) -> None:
    history = tmp_path / "piped.sqlite3"
    result = CliRunner().invoke(
        main,
        ["quiz", str(FIXTURES), "--topic", "transformer", "--history", str(history)],
        input="Attention만 쓰고 병렬 처리가 된다\n",
    )
    assert result.exit_code == 0, result.output
    assert "[1/1] Transformer › Transformer란?" in result.output
    assert "Quiz over: 1 answered in " in result.output
    assert "\x1b[" not in result.output
    assert history.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"my own notes\n", "this file is not a studydeck history (or it is damaged)"),
        (b"", "this file is not a studydeck history"),
    ],
    ids=["text", "empty"],
)
def test_quiz_cli__a_bad_history_gives_its_message_and_stays_untouched(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(content)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = CliRunner().invoke(
        main, ["quiz", str(FIXTURES), "--history", str(path)], input="answer\n\n"
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}: {message}; it was left as it is.")
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.sqlite3"]


def test_quiz_cli__a_locked_history_gives_its_message(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    History.open(path, write=True).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = CliRunner().invoke(main, ["quiz", str(FIXTURES), "--history", str(path)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: the history file is locked by another program (another quiz?)."
        " Finish that one and try again, or choose another file with --history PATH.\n"
    )


def test_quiz_cli__bad_flags_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["quiz", str(FIXTURES), "-n", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '-n'" in result.output


# --- history that follows a card across edits (the lock file written by a build) ------------


def quizzed_notes(tmp_path: Path, *typed: str) -> tuple[Path, Path]:
    """Build a copy of the fixture notes (writing its lock), then quiz with ``typed`` lines."""
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(FIXTURES / "basics.md", notes / "basics.md")
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(notes), "-o", str(tmp_path / "out"), "-q"])
    assert built.exit_code == 0, built.output
    assert (notes / ".studydeck.lock").exists()
    history = tmp_path / "h.sqlite3"
    quizzed = runner.invoke(
        main, ["quiz", str(notes), "--history", str(history)], input="\n".join(typed) + "\n"
    )
    assert quizzed.exit_code == 0, quizzed.output
    assert "Quiz over: 1 answered" in quizzed.output
    return notes, history


def reword(notes: Path) -> None:
    """Reword the first question."""
    path = notes / "basics.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("### Attention이란?", "### 어텐션은 무엇인가?"), encoding="utf-8")


def move(notes: Path) -> None:
    """Move the second card under the Transformer topic, before that topic's own card."""
    path = notes / "basics.md"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("### Attention Value"), text.index("# Transformer")
    section, text = text[start:end], text[:start] + text[end:]
    path.write_text(text.replace("# Transformer\n\n", "# Transformer\n\n" + section), "utf-8")


@pytest.mark.parametrize(
    ("typed", "edit", "card", "order"),
    [
        (
            (*ATTENTION_ANSWER, "", "", ":q"),
            reword,
            ("basics/attention/어텐션은-무엇인가", ["Attention"], "어텐션은 무엇인가?"),
            ["Attention Value", "Transformer란?", "어텐션은 무엇인가?"],
        ),
        (
            (":s", "가중합", "", ":q"),
            move,
            ("basics/transformer/attention-value", ["Transformer"], "Attention Value"),
            ["Attention이란?", "Transformer란?", "Attention Value"],
        ),
    ],
    ids=["reworded", "moved"],
)
def test_quiz_cli__history_follows_a_reworded_or_moved_card(
    tmp_path: Path, typed: tuple[str, ...], edit: object, card: tuple[object, ...], order: list[str]
) -> None:
    notes, history = quizzed_notes(tmp_path, *typed)
    edit(notes)  # type: ignore[operator]
    runner = CliRunner()

    result = runner.invoke(main, ["stats", str(notes), "--json", "--history", str(history)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    tried = [(c["id"], c["topics"], c["question"]) for c in data["cards"] if c["attempts"]]
    assert tried == [card]
    assert data["orphans"] == []
    assert data["attempts"] == 1

    # The next quiz asks the never-tried cards first: the edited card counts as tried.
    result = runner.invoke(
        main, ["quiz", str(notes), "--history", str(history)], input=":s\n:s\n:s\n"
    )
    assert result.exit_code == 0, result.output
    assert [q.split(" › ")[-1] for q in re.findall(r"\[\d/3\] (.+)", result.output)] == order


def test_stats_cli__a_card_deleted_from_the_notes_is_an_orphan(tmp_path: Path) -> None:
    notes, history = quizzed_notes(tmp_path, *ATTENTION_ANSWER, "", "", ":q")
    path = notes / "basics.md"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("### Attention이란?"), text.index("### Attention Value")
    path.write_text(text[:start] + text[end:], encoding="utf-8")

    result = CliRunner().invoke(main, ["stats", str(notes), "--json", "--history", str(history)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [c["attempts"] for c in data["cards"]] == [0, 0]
    assert [(o["card_id"], o["question"]) for o in data["orphans"]] == [
        ("basics/attention/attention이란", "Attention이란?")
    ]
