"""Shared fixtures: a copy of the sample notes, a real Anki collection, a local HTTP server."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection

from studydeck.cards import Card
from studydeck.grader import grade
from studydeck.notes import load, parse_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "notes" / "ml-interview.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def assert_nothing_built(out: Path) -> None:
    """Check that a failed build left no package, lock or half-written file in ``out``.

    Parsed files may stay cached (whole, written atomically): the next build reuses them.
    """
    if out.exists():
        leftovers = [p for p in out.rglob("*") if p.is_file() and "cache" not in p.parts]
        assert leftovers == []
        assert not [p for p in out.rglob("*.tmp")]


@pytest.fixture
def notes_dir(tmp_path: Path) -> Path:
    """Return a notes folder holding a copy of the shipped sample notes."""
    folder = tmp_path / "notes"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "ml-interview.md")
    return folder


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    """Open a new, empty Anki collection (the real backend from the `anki` package)."""
    (tmp_path / "anki").mkdir()
    collection = Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield collection
    collection.close()


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Serve a temporary folder on 127.0.0.1; yield its base URL and the folder."""
    folder = tmp_path / "www"
    folder.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def png(color: int = 0, width: int = 1) -> bytes:
    """Return a valid one-row PNG whose bytes depend on ``color`` and ``width``."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"\x00" + bytes([color % 256, 0, 0]) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def card(question: str, *points: str) -> Card:
    """Make the one card of a notes file with this question and these bullet points."""
    body = "\n".join(f"- {p}" for p in points)
    parsed = parse_text(f"# Topic\n\n### {question}\n\n{body}\n", file="t.md", deck="t")
    return parsed.cards[0]


@functools.cache
def sample_deck() -> tuple[Card, ...]:
    """Return the cards of the shipped sample notes (parsed once: cards are frozen)."""
    return tuple(load([ROOT / "notes"])[0])


def sample_card(suffix: str) -> tuple[Card, tuple[Card, ...]]:
    """Return the sample card whose id ends with ``suffix``, and the whole sample deck."""
    deck = sample_deck()
    return next(c for c in deck if c.id.endswith(suffix)), deck


def verdict(c: Card, answer: str) -> str:
    """Grade an answer to a card with the shipped glossary; return the verdict."""
    return grade(c, answer).verdict
