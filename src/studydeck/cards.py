"""The card model: what the parser produces and every renderer and the grader read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Point:
    """One key point of an answer: a top-level bullet or paragraph.

    ``text`` is its plain text (nested bullets included, one per line);
    ``phrases`` are the ``**bold**`` spans inside it, the phrases a grader looks for.
    """

    text: str
    phrases: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class ImageRef:
    """An image the answer shows: a Markdown image or a raw ``<img>``."""

    src: str
    line: int


@dataclass(frozen=True)
class Card:
    """One question and its answer, with where it came from.

    ``id`` is short and readable (``deck/topic/question`` slugs) and is what
    ``grade`` and ``quiz`` take; ``guid`` is the Anki note GUID. ``body`` is the
    answer's Markdown source; ``tokens`` is its parsed form, kept so that the
    renderers need not parse it again.
    """

    id: str
    guid: str
    deck: str
    topics: tuple[str, ...]
    question: str
    body: str
    points: tuple[Point, ...]
    images: tuple[ImageRef, ...]
    tags: tuple[str, ...]
    file: str
    line: int
    anchor: str = ""  # an explicit id written in the notes: ``### Question {#anchor}``
    tokens: tuple[Any, ...] = field(default=(), compare=False, repr=False, hash=False)

    def __getstate__(self) -> dict[str, Any]:
        # Tokens are the parser's scratch work, needed only to render: a pickled card (a
        # build cache entry) leaves them out and reads back with none.
        return {k: v for k, v in self.__dict__.items() if k != "tokens"}

    @property
    def source(self) -> str:
        """Return ``file:line`` of the question heading."""
        return f"{self.file}:{self.line}"
