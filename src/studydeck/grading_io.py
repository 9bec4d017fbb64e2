"""The grader's input and output: find a card, grade JSONL batches, the human report.

``grade_lines`` is everything the ``studydeck grade`` command does between parsing its
options and printing: it loads the notes and glossary, grades, and returns styled lines.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from studydeck.cards import Card
from studydeck.errors import StudydeckError
from studydeck.grader import Glossary, Grade, grade, grade_record, load_glossary
from studydeck.text import answer_text

__all__ = ["find_card", "grade_batch", "grade_lines", "report_lines"]


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
    deck = tuple(cards)
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
            yield grade_record(card_id, grade(card, answer, glossary=glossary, deck=deck))
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
    if result.unsupported:
        lines.append((f"? Not in your notes: {result.unsupported}", "miss"))
    lines += [
        ("", ""),
        ("Reference answer:", ""),
        *((ln, "") for ln in answer_text(card).split("\n")),
    ]
    return lines


def grade_lines(
    paths: Sequence[Path],
    *,
    card_id: str | None,
    answer: Callable[[], str],
    batch: Iterable[str] | None = None,
    as_json: bool = False,
) -> Iterator[tuple[str, str]]:
    """Grade one answer (or a JSONL batch) against the notes; yield (text, style) lines.

    JSON lines have style "". ``answer`` is called only when one answer is graded.
    """
    from studydeck.identity import load_identified

    cards, _ = load_identified(paths)
    glossary = load_glossary(paths)
    if batch is not None:
        for record in grade_batch(cards, batch, glossary=glossary):
            yield json.dumps(record, ensure_ascii=False), ""
        return
    if not card_id:
        raise ValueError("card_id is needed when there is no batch")
    card = find_card(cards, card_id)
    result = grade(card, answer(), glossary=glossary, deck=cards)
    if as_json:
        yield json.dumps(grade_record(card.id, result), ensure_ascii=False), ""
        return
    yield from report_lines(card, result)
