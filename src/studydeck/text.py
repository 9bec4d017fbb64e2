"""Render cards as plain text (terminal, JSON): lists kept, math shown as its LaTeX source."""

from __future__ import annotations

import html
import re
from typing import Any

from markdown_it.token import Token

from studydeck.cards import Card
from studydeck.markdown import inline_text, parser

_TAG = re.compile(r"<[^>]+>")


def card_tokens(card: Card) -> list[Token]:
    """Return the answer's tokens, parsing the body only when the card was built by hand."""
    return list(card.tokens) if card.tokens else parser().parse(card.body)


def answer_text(card: Card) -> str:
    """Render the answer as readable plain text: bullets, numbers and indentation kept."""
    out: list[str] = []
    prefixes: list[str] = []  # the marker of each open list item, innermost last
    counters: list[int] = []
    row: list[str] | None = None  # the cells of the table row being read
    first_in_item = False
    for t in card_tokens(card):
        if t.type in ("bullet_list_open", "ordered_list_open"):
            counters.append(
                int(t.attrs.get("start", 1) or 1) if t.type == "ordered_list_open" else 0
            )
        elif t.type in ("bullet_list_close", "ordered_list_close"):
            counters.pop()
        elif t.type == "tr_open":
            row = []
        elif t.type == "tr_close" and row is not None:
            out.append(" | ".join(row))
            row = None
        elif t.type == "inline" and row is not None:
            row.append(inline_text(t.children or []))
        elif t.type == "list_item_open":
            if counters[-1]:
                prefixes.append(f"{counters[-1]}. ")
                counters[-1] += 1
            else:
                prefixes.append("- ")
            first_in_item = True
        elif t.type == "list_item_close":
            prefixes.pop()
        elif t.type == "inline":
            text = inline_text(t.children or [])
            if not text:
                continue
            indent = "  " * max(len(prefixes) - 1, 0)
            marker = prefixes[-1] if prefixes and first_in_item else ("  " if prefixes else "")
            first_in_item = False
            lines = text.split("\n")
            out.append(indent + marker + lines[0])
            out.extend(indent + "  " * bool(prefixes) + rest for rest in lines[1:])
        elif t.type in ("fence", "code_block"):
            out.extend(t.content.rstrip("\n").split("\n"))
        elif t.type == "math_block":
            out.append(f"$${t.content.strip()}$$")
        elif t.type == "html_block":
            stripped = html.unescape(_TAG.sub("", t.content)).strip()
            if stripped:
                out.append(stripped)
    return "\n".join(out).strip()


def card_record(card: Card) -> dict[str, Any]:
    """Return the card as the JSON object ``studydeck list --json`` prints (stable keys)."""
    return {
        "id": card.id,
        "guid": card.guid,
        "deck": card.deck,
        "topics": list(card.topics),
        "question": card.question,
        "answer": answer_text(card),
        "points": [p.text for p in card.points],
        "key_phrases": [list(p.phrases) for p in card.points],
        "tags": list(card.tags),
        "file": card.file,
        "line": card.line,
    }
