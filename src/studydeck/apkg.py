"""Write Anki packages with genanki: one note type, stable ids, per-note modification times.

The note type's field and template names are fixed forever: Anki refuses to update notes
once those names change. Template HTML and CSS may change.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import itertools
import json
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import genanki

from studydeck.errors import StudydeckError
from studydeck.media import MediaFile
from studydeck.render import code_css

MODEL_NAME = "studydeck"
_JSON = json.JSONEncoder(ensure_ascii=False)  # one encoder: json.dumps makes one per call
FIELDS = ("Question", "Answer", "Topics", "Points", "Source")
TEMPLATE_NAME = "Recall"

# Anki matches a note type by its field and template names: a change to them makes a new note
# type, and existing notes stop updating. So the names are versioned: changing FIELDS or
# TEMPLATE_NAME means adding a version here, which the build then announces to the learner.
NOTE_TYPE_VERSION = 1
NOTE_TYPE_NAMES: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {
    1: (("Question", "Answer", "Topics", "Points", "Source"), ("Recall",)),
}


@dataclass(frozen=True)
class NoteRow:
    """One Anki note as it goes into the package: fields in ``FIELDS`` order."""

    guid: str
    deck: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    digest: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        # Hashed once, where the row is made (in a worker process when building in parallel).
        object.__setattr__(self, "digest", self.content_hash())

    def content_hash(self) -> str:
        """Hash what Anki stores for the note, so an unchanged note keeps its time.

        The Source field's line number is left out: lines added above a card move it, and
        that alone should not make Anki update the note (it is refreshed with the next edit).
        """
        *fields, source = self.fields
        parts = [self.deck, *fields, source.rsplit(":", 1)[0], " ".join(sorted(self.tags))]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def check_note_type() -> None:
    """Refuse to build when the note type's names changed without a new version."""
    if NOTE_TYPE_NAMES.get(NOTE_TYPE_VERSION) != (FIELDS, (TEMPLATE_NAME,)):
        raise StudydeckError(
            f"the studydeck note type's fields {FIELDS} or template {TEMPLATE_NAME!r} differ "
            f"from version {NOTE_TYPE_VERSION}'s; Anki would import them as a new note type "
            "and stop updating every existing note.",
            fix="Restore the names, or add a new NOTE_TYPE_VERSION to NOTE_TYPE_NAMES in "
            "studydeck/apkg.py (the build then tells learners how to move their notes).",
        )


def model_name(version: int = NOTE_TYPE_VERSION) -> str:
    """Name the note type as Anki shows it: 'studydeck', then 'studydeck v2', …."""
    return MODEL_NAME if version == 1 else f"{MODEL_NAME} v{version}"


def stable_id(name: str) -> int:
    """Derive a stable Anki id (a positive int below 2**53) from a name."""
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
    return (1 << 40) + digest % ((1 << 52) - (1 << 40))


def points_field(points: Iterable[Any]) -> str:
    """Encode key points as HTML-escaped JSON, for a card script to read later."""
    data = [{"text": p.text, "phrases": list(p.phrases)} for p in points]
    return html.escape(_JSON.encode(data), quote=False)


@lru_cache(maxsize=1)
def _templates() -> tuple[str, str, str]:
    """Read the card template (front, back) and CSS shipped with studydeck."""
    data = resources.files("studydeck") / "data"
    front = (data / "front.html").read_text(encoding="utf-8")
    back = (data / "back.html").read_text(encoding="utf-8")
    return front, back, (data / "card.css").read_text(encoding="utf-8") + code_css()


def note_model() -> genanki.Model:
    """Return the studydeck note type (a new object: genanki changes it while writing)."""
    front, back, css = _templates()
    return genanki.Model(
        stable_id(f"{MODEL_NAME} note type v{NOTE_TYPE_VERSION}"),
        model_name(),
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": TEMPLATE_NAME, "qfmt": front, "afmt": back}],
        css=css,
        sort_field_index=0,
    )


def note_type_key() -> str:
    """Fingerprint the note type: its version, names, templates and CSS."""
    blob = "\x1f".join((str(NOTE_TYPE_VERSION), *FIELDS, TEMPLATE_NAME, *_templates()))
    return hashlib.sha256(blob.encode()).hexdigest()


class _TimedNote(genanki.Note):
    """A genanki note that carries its own modification time instead of the build's."""

    def __init__(self, mod: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mod = mod

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)

    def _check_invalid_html_tags_in_fields(self) -> None:
        # genanki warns of a stray "<" in hand-made fields; ours are rendered and escaped
        # (markdown-it, nh3, html.escape), and the check is a regex over every field of every note.
        pass


class PackageWriter:
    """Write a package note by note, so notes go in while later files are still being parsed.

    genanki writes the collection (schema, decks, note type, notes and cards) into a database
    in memory; this class feeds it one note at a time and packs the finished collection as
    genanki's ``Package.write_to_file`` does. Nothing appears at ``target`` until ``finish``,
    which renames a complete file into place; ``discard`` (or leaving the ``with`` block early)
    leaves no trace.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self._model = note_model()
        self._decks: dict[str, int] = {}
        self._timestamp = time.time()
        self._ids = itertools.count(int(self._timestamp * 1000))  # note and card ids, as genanki
        # In memory: the package is the only file written, so there is no scratch file to sync,
        # copy into the zip, or clean up after a failure.
        self._conn: sqlite3.Connection | None = sqlite3.connect(":memory:")
        self._cursor = self._conn.cursor()
        genanki.Package([]).write_to_db(self._cursor, self._timestamp, self._ids)

    def __enter__(self) -> PackageWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def add(self, row: NoteRow, mod: int) -> None:
        """Add one note, with its modification time."""
        deck_id = self._decks.get(row.deck)
        if deck_id is None:
            deck = genanki.Deck(stable_id(f"deck:{row.deck}"), row.deck)
            deck.add_model(self._model)
            deck.write_to_db(self._cursor, self._timestamp, self._ids)  # the deck and note type
            deck_id = self._decks[row.deck] = deck.deck_id
        note = _TimedNote(
            mod, model=self._model, fields=list(row.fields), tags=list(row.tags), guid=row.guid
        )
        note.write_to_db(self._cursor, self._timestamp, deck_id, self._ids)

    def finish(self, media: Iterable[MediaFile]) -> None:
        """Pack the collection and ``media`` into ``target`` (a temporary file, then a rename)."""
        if self._conn is None:
            raise ValueError("this package was already finished or discarded")
        self._conn.commit()
        collection = collection_bytes(self._conn)
        self.discard()
        files = sorted({m.name: m for m in media}.values(), key=lambda m: m.name)
        made_folder = not self.target.parent.exists()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            dir=self.target.parent, prefix=f".{self.target.name}.", suffix=".tmp"
        )
        os.close(fd)
        try:
            with zipfile.ZipFile(tmp, "w", strict_timestamps=False) as package:
                package.writestr("collection.anki2", collection)
                package.writestr("media", json.dumps({str(i): m.name for i, m in enumerate(files)}))
                for i, m in enumerate(files):
                    package.write(m.path, str(i))
            os.replace(tmp, self.target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            if made_folder:
                with contextlib.suppress(OSError):  # only when empty
                    self.target.parent.rmdir()
            raise

    def discard(self) -> None:
        """Drop the unfinished collection (nothing was written to ``target``)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def collection_bytes(conn: Any) -> bytes:
    """Return a database's file image (through a scratch file where sqlite3 cannot serialize)."""
    serialize = getattr(conn, "serialize", None)  # Python 3.11 and later
    if serialize is not None:
        return bytes(serialize())
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "collection.anki2"
        with contextlib.closing(sqlite3.connect(path)) as copy:
            conn.backup(copy)
        return path.read_bytes()
