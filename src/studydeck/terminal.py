"""Render quiz events and stats as terminal text: colour only when asked for, plain otherwise."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import IO

from studydeck.quiz import (
    Asked,
    Event,
    Graded,
    Overridden,
    Prompt,
    Skipped,
    Summary,
    Unknown,
    flipped,
)
from studydeck.stats import Stats, topic_path

_RESET = "\x1b[0m"
_CODES = {"bold": "1", "dim": "2", "green": "32", "yellow": "33", "red": "31", "cyan": "36"}
_MARKS = {"correct": ("✓", "green"), "partial": ("~", "yellow"), "wrong": ("✗", "red")}
_OVERRIDE_LABEL = {"correct": "I was right", "wrong": "I was wrong"}


def use_color(stream: IO[str]) -> bool:
    """Colour only on a terminal, never with NO_COLOR set (https://no-color.org) or TERM=dumb."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, *styles: str, color: bool) -> str:
    """Wrap ``text`` in ANSI styles when ``color``; return it unchanged otherwise."""
    if not color or not styles or not text:
        return text
    return f"\x1b[{';'.join(_CODES[s] for s in styles)}m{text}{_RESET}"


def highlight(answer: str, spans: Sequence[tuple[int, int]], *, color: bool) -> str:
    """Mark the matched spans of an answer: bold green in colour, ``**like this**`` in plain.

    Spans apart only by spaces are joined, so a matched phrase reads as one mark.
    """
    merged: list[list[int]] = []
    for start, end in sorted((max(s, 0), min(e, len(answer))) for s, e in spans):
        if start >= end:
            continue
        if merged and not answer[merged[-1][1] : start].strip(" \t"):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    pos = 0
    for start, end in merged:
        out.append(answer[pos:start])
        part = answer[start:end]
        out.append(paint(part, "bold", "green", color=True) if color else f"**{part}**")
        pos = end
    out.append(answer[pos:])
    return "".join(out)


def verdict_text(verdict: str, *, color: bool) -> str:
    """Return e.g. '✓ correct', coloured by verdict."""
    mark, hue = _MARKS.get(verdict, ("?", "bold"))
    return paint(f"{mark} {verdict}", "bold", hue, color=color)


def prompt_text(prompt: Prompt, last_verdict: str | None = None) -> str:
    """Return the text shown before the learner types."""
    if prompt is Prompt.NEXT:
        label = _OVERRIDE_LABEL[flipped(last_verdict or "wrong")]
        return f"Enter: next · o: override ({label}) · :q: quit > "
    return "> "


def render(event: Event, *, color: bool) -> str:
    """Return the lines an event prints (no trailing newline)."""
    if isinstance(event, Asked):
        head = f"[{event.number}/{event.total}] {topic_path(event.card)} › "
        lines = [
            "",
            paint(head, "dim", color=color) + paint(event.card.question, "bold", color=color),
        ]
        if event.number == 1:
            lines.append("Type your answer; an empty line ends it (:s skips, :q quits).")
        return "\n".join(lines)
    if isinstance(event, Graded):
        return _render_graded(event, color=color)
    if isinstance(event, Skipped):
        return paint("Skipped.", "dim", color=color)
    if isinstance(event, Overridden):
        return f"Recorded as {verdict_text(event.verdict, color=color)} (your override)."
    if isinstance(event, Unknown):
        return "Press Enter for the next question, o then Enter to override, :q to quit."
    return _render_summary(event, color=color)


def _render_graded(event: Graded, *, color: bool) -> str:
    g = event.grade
    lines = [f"{verdict_text(g.verdict, color=color)} (score {g.score:.2f})"]
    spans = [span for result in g.points for span in result.spans]
    if event.answer.strip():
        lines.append(paint("Your answer:", "bold", color=color))
        lines.extend("  " + ln for ln in highlight(event.answer, spans, color=color).split("\n"))
    else:
        lines.append(paint("Your answer:", "bold", color=color) + " (none)")
    if g.points:
        lines.append(paint("Key points:", "bold", color=color))
        for result in g.points:
            mark = (
                paint("✓", "green", color=color) if result.hit else paint("✗", "red", color=color)
            )
            lines.append(f"  {mark} {(result.point.text.splitlines() or [''])[0]}")
    if g.unsupported:
        lines.append(f"  {paint('?', 'yellow', color=color)} Not in your notes: {g.unsupported}")
    lines.append(paint("Reference answer:", "bold", color=color))
    lines.extend("  " + ln for ln in event.reference.split("\n"))
    return "\n".join(lines)


def _render_summary(s: Summary, *, color: bool) -> str:
    if not s.answered:
        lines = ["", paint("Quiz over: nothing answered.", "bold", color=color)]
    else:
        counts = ", ".join(
            paint(f"{n} {v}", _MARKS[v][1], color=color)
            for n, v in ((s.correct, "correct"), (s.partial, "partial"), (s.wrong, "wrong"))
        )
        head = f"Quiz over: {s.answered} answered in {duration(s.seconds)}"
        lines = ["", f"{paint(head, 'bold', color=color)}: {counts}."]
    extra = [f"{s.skipped} skipped"] * bool(s.skipped) + [f"{s.overrides} overridden"] * bool(
        s.overrides
    )
    if extra:
        lines.append(" · ".join(extra).capitalize() + ".")
    if s.weakest:
        lines.append("Weakest topics: " + ", ".join(f"{t} {p:.0%}" for t, p in s.weakest))
    return "\n".join(lines)


def duration(seconds: float) -> str:
    """Format a duration as '45s', '2m 05s' or '1h 02m'."""
    total = round(seconds)
    if total < 60:
        return f"{total}s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    return f"{minutes // 60}h {minutes % 60:02d}m"


def due_text(due: datetime | None, now: datetime) -> str:
    """Format when a card is due: 'new', 'now', 'in 10m', 'in 5h' or 'in 3d'."""
    if due is None:
        return "new"
    left = (due - now).total_seconds()
    if left <= 0:
        return "now"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if left >= size:
            return f"in {int(left // size)}{unit}"
    return "in 1m"


def format_stats(stats: Stats, now: datetime, *, color: bool) -> str:
    """Render stats as text: topics, then cards, weakest first, then orphans and overrides."""
    lines: list[str] = []
    if not stats.attempts:
        lines += ["No attempts yet: run 'studydeck quiz' to start.", ""]
    lines.append(paint("Topics, weakest first", "bold", color=color))
    lines.append("  accuracy  attempts  tried  topic")
    for t in stats.topics:
        tried = f"{t.tried}/{t.cards}"
        lines.append(f"  {_pct(t.accuracy):>8}  {t.attempts:>8}  {tried:>5}  {t.topic}")
    lines += ["", paint("Cards, weakest first", "bold", color=color)]
    lines.append("  accuracy  attempts  last     due     card")
    for row in stats.cards:
        s = row.state
        last = s.last_verdict or "-"
        hue = _MARKS[last][1] if s.last_verdict else "dim"
        shown_last = paint(f"{last:<7}", hue, color=color)
        card = f"{topic_path(row.card)} › {row.card.question}"
        due = due_text(s.due, now)
        lines.append(f"  {_pct(s.accuracy):>8}  {s.attempts:>8}  {shown_last}  {due:<6}  {card}")
    if stats.orphans:
        ids = {a.card_guid or a.card_id for a in stats.orphans}
        lines += [
            "",
            paint(
                f"Orphans: {len(stats.orphans)} attempts of {len(ids)} cards not in the notes",
                "bold",
                color=color,
            ),
        ]
        for a in stats.orphans:
            when = a.answered_at.astimezone().strftime("%Y-%m-%d %H:%M")
            lines.append(f"  {when}  {a.result:<7}  {a.card_id}  {a.question}")
    if stats.attempts:
        lines += [
            "",
            f"Grader overrides: {stats.overrides} of {stats.attempts} attempts "
            f"({_pct(stats.override_rate)}).",
        ]
    return "\n".join(lines)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


class TerminalQuiz:
    """Read answers with ``input()`` and print rendered events to ``out``."""

    def __init__(self, out: IO[str] | None = None, *, color: bool | None = None) -> None:
        self.out = out or sys.stdout
        self.color = use_color(self.out) if color is None else color
        self._last_verdict: str | None = None
        self.echo_input = not sys.stdin.isatty()

    def read(self, prompt: Prompt) -> str | None:
        """Read one line; return None at end of input (Ctrl-D)."""
        text = prompt_text(prompt, self._last_verdict)
        try:
            line = input(text)
        except EOFError:
            self.out.write("\n")
            return None
        except KeyboardInterrupt:
            self.out.write("\n")
            raise
        if not self.echo_input:
            return line
        # Piped input is not echoed by a terminal: echo it so the transcript reads in order.
        self.out.write(line + "\n")
        return line

    def show(self, event: Event) -> None:
        """Print an event."""
        if isinstance(event, Graded):
            self._last_verdict = event.grade.verdict
        self.out.write(render(event, color=self.color) + "\n")
        self.out.flush()
