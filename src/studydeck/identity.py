"""Card identity across edits: the lock file beside the notes, and how cards are matched to it.

Anki knows a note by its GUID. A card keeps its GUID when its question is reworded,
renumbered or moved, as long as the build can tell it is the same card; the lock file
(``.studydeck.lock``, committed with the notes) remembers each card's GUID, content hash and
note time, so nothing has to be written into the notes themselves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import genanki

from studydeck.cards import Card
from studydeck.errors import Diagnostic, StudydeckError
from studydeck.notes import find_notes, parse_file

LOCK_NAME = ".studydeck.lock"
LOCK_FORMAT = 1
ANSWER_CHARS = 100  # how much of an answer the lock keeps to recognise it later

# Two cards are "the same card" when the answer is nearly unchanged and the question still
# resembles the old one, or the question is nearly unchanged and the answer still resembles it.
UNCHANGED_ANSWER = 95.0  # an answer this alike identifies the card whatever the question
SAME_ANSWER, LOOSE_QUESTION = 80.0, 30.0
SAME_QUESTION, LOOSE_ANSWER = 90.0, 50.0
MAX_FUZZY_PAIRS = 4_000_000  # beyond this many (new × old) pairs, only exact matches are tried

_JSON = json.JSONEncoder(ensure_ascii=False)  # one encoder: json.dumps makes one per call
_MARKUP = re.compile(r"[\s*_`#>|\-]+")


@dataclass(frozen=True)
class LockEntry:
    """What the lock remembers of one card."""

    guid: str
    path: tuple[str, ...]  # deck, topics…, question
    anchor: str
    answer: str  # the start of the answer, normalised, to recognise it after edits
    source: str
    hash: str = ""
    mod: int = 0
    deleted: bool = False

    @cached_property
    def line(self) -> bytes:
        """Return this entry's line in the lock file (made once; a build makes it early)."""
        data = {"anchor": self.anchor, "answer": self.answer, "deleted": self.deleted}
        data.update({"hash": self.hash, "mod": self.mod, "path": self.path, "source": self.source})
        return f"  {json.dumps(self.guid)}: {_JSON.encode(data)}".encode()


@dataclass(frozen=True)
class Lock:
    """A notes folder's lock: every card it has seen, by GUID, and the note type version."""

    note_type: int = 0
    entries: dict[str, LockEntry] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """How a card of this build was tied to the lock."""

    card: Card
    guid: str
    how: str  # "anchor" | "same" | "similar" | "new"
    previous: LockEntry | None = None
    question_score: float = 0.0
    answer_score: float = 0.0
    path: tuple[str, ...] = ()  # the card's deck, topics and question (made once)

    def __post_init__(self) -> None:
        if not self.path:
            object.__setattr__(self, "path", card_path(self.card))

    def describe(self) -> str:
        """Say, for the build's output, which old card this one was recognised as."""
        assert self.previous is not None
        was = " › ".join(self.previous.path[1:])
        return (
            f"{self.card.source}: '{self.card.question}' is the card that was '{was}' "
            f"at {self.previous.source} (question {self.question_score:.0f}% alike, "
            f"answer {self.answer_score:.0f}% alike); it keeps its Anki note and reviews"
        )


def card_path(card: Card) -> tuple[str, ...]:
    """Return the natural key of a card: its deck, topic path and question."""
    return (card.deck.split("::")[0], *card.topics, card.question)


def answer_digest(card: Card) -> str:
    """Normalise the start of the answer for similarity: markup and spacing dropped."""
    # Only the start is kept, so only the start is cleaned (whole answers can be long).
    head = card.body[: ANSWER_CHARS * 4]
    digest = _MARKUP.sub(" ", head).strip().lower()
    if len(digest) <= ANSWER_CHARS and len(head) < len(card.body):
        digest = _MARKUP.sub(" ", card.body).strip().lower()  # mostly markup: clean it all
    return digest[:ANSWER_CHARS]


def read_lock(path: Path) -> Lock:
    """Read a lock file; a missing one is empty, a broken one is an error."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Lock()
    except OSError as exc:
        raise StudydeckError(
            f"cannot read the lock file ({exc.strerror}).", file=str(path)
        ) from None
    try:
        data = json.loads(raw)
        entries = {
            guid: LockEntry(guid=guid, **{**e, "path": tuple(e["path"])})
            for guid, e in data["cards"].items()
        }
        return Lock(note_type=int(data.get("note_type", 0)), entries=entries)
    except (ValueError, KeyError, TypeError) as exc:
        raise StudydeckError(
            f"the lock file is damaged ({exc}).",
            file=str(path),
            fix="Restore it from version control, or delete it: cards are then matched by "
            "their deck, topics and question only.",
        ) from None


def dump_lock(lock: Lock) -> bytes:
    """Serialise a lock deterministically, one card a line (the same lock, the same bytes)."""
    entries = lock.entries
    head = f'{{"format": {LOCK_FORMAT}, "note_type": {lock.note_type}, "cards": {{'.encode()
    if not entries:
        return head + b"}}\n"
    return b"".join((head, b"\n", b",\n".join(entries[g].line for g in sorted(entries)), b"\n}}\n"))


def match(cards: Sequence[Card], lock: Lock) -> tuple[list[Match], list[LockEntry]]:
    """Tie each card to a lock entry (or a new GUID); return the matches and the unclaimed entries.

    In order: an explicit ``{#id}``, the same deck/topics/question, then similarity of question
    and answer (best pairs first, each entry used once). Unclaimed entries are deleted cards.
    """
    matcher = Matcher(lock)
    settled = [matcher.offer(card) for card in cards]
    rest, unclaimed = matcher.finish()
    later = iter(rest)
    return [m if m is not None else next(later) for m in settled], unclaimed


class _Claim(NamedTuple):
    source: str
    anchor: str
    path: tuple[str, ...]


class Matcher:
    """What ``match`` does, a card at a time, so a build can settle cards as their files arrive.

    Cards must be offered in the notes' order. A card the lock knows by its ``{#id}`` or its
    path is settled when offered, and so is every card when the lock is empty (there is nothing
    to recognise); the others wait for ``finish``, which looks for renamed cards among the
    entries nobody claimed. Raises StudydeckError when two cards claim one note.
    """

    def __init__(self, lock: Lock) -> None:
        self.lock = lock
        entries = lock.entries.values()
        self._by_anchor = {(e.path[0], e.anchor): e for e in entries if e.anchor}
        self._by_path = {e.path: e for e in entries if not e.anchor}
        self._claimed: dict[str, _Claim] = {}  # not the cards: their text is freed as files go
        self._waiting: list[Card] = []

    def offer(self, card: Card) -> Match | None:
        """Settle a card now if its note is known, or keep it for ``finish``."""
        path = card_path(card)
        entry = self._by_anchor.get((path[0], card.anchor)) if card.anchor else None
        if entry is not None:
            return self._claim(card, entry, "anchor", path=path)
        entry = self._by_path.get(path)
        if entry is not None and entry.guid not in self._claimed:
            return self._claim(card, entry, "same", path=path)
        if not self.lock.entries:
            return self._new(card, path)
        self._waiting.append(card)
        return None

    def finish(self) -> tuple[list[Match], list[LockEntry]]:
        """Settle the waiting cards, in order; return them and the entries nobody claimed."""
        waiting, claimed = self._waiting, self._claimed
        free = [e for e in self.lock.entries.values() if e.guid not in claimed]
        similar: dict[int, Match] = {}
        if waiting and free and len(waiting) * len(free) <= MAX_FUZZY_PAIRS:
            for _, q, a, i, entry in _similar_pairs(waiting, range(len(waiting)), free):
                if i not in similar and entry.guid not in claimed:
                    similar[i] = self._claim(waiting[i], entry, "similar", q, a)
        settled = [similar.get(i) or self._new(card) for i, card in enumerate(waiting)]
        unclaimed = [e for e in self.lock.entries.values() if e.guid not in claimed]
        return settled, unclaimed

    def _claim(
        self,
        card: Card,
        entry: LockEntry,
        how: str,
        q: float = 100.0,
        a: float = 100.0,
        path: tuple[str, ...] = (),
    ) -> Match:
        other = self._claimed.get(entry.guid)
        if other is not None:
            raise StudydeckError(
                f"two cards claim one Anki note: this one and {other.source}.",
                file=card.file,
                line=card.line,
                fix="Give one of them its own {#id}, or remove the duplicate.",
            )
        m = Match(card, entry.guid, how, entry, q, a, path)
        self._claimed[entry.guid] = _Claim(card.source, card.anchor, m.path)
        return m

    def _new(self, card: Card, path: tuple[str, ...] = ()) -> Match:
        path = path or card_path(card)
        guid = card.guid
        other = self._claimed.get(guid)
        same_anchor = bool(card.anchor) and other is not None and other.anchor == card.anchor
        same_path = other is not None and not (card.anchor or other.anchor)
        if same_anchor or (same_path and other.path == path):
            raise StudydeckError(
                f"two cards claim one Anki note: this one and {other.source}.",
                file=card.file,
                line=card.line,
                fix="Give one of them its own {#id}, or rename one of the questions.",
            )
        # The natural GUID may belong to a renamed card now, or to a deleted one: take a fresh one.
        n = 1
        while guid in self._claimed or guid in self.lock.entries:
            n += 1
            guid = genanki.guid_for(*path, card.anchor, f"again-{n}")
        self._claimed[guid] = _Claim(card.source, card.anchor, path)
        return Match(card, guid, "new", path=path)


def _similar_pairs(
    cards: Sequence[Card], waiting: Iterable[int], free: list[LockEntry]
) -> list[tuple[float, float, float, int, LockEntry]]:
    from rapidfuzz import fuzz  # here, not at the top: only a build with renamed cards needs it

    pairs = []
    for i in waiting:
        card = cards[i]
        question, answer = card.question.lower(), answer_digest(card)
        for entry in free:
            a = fuzz.ratio(answer, entry.answer)
            if a < LOOSE_ANSWER:
                continue
            q = fuzz.ratio(question, entry.path[-1].lower())
            if (
                a >= UNCHANGED_ANSWER
                or (a >= SAME_ANSWER and q >= LOOSE_QUESTION)
                or (q >= SAME_QUESTION and a >= LOOSE_ANSWER)
            ):
                pairs.append((q + 2 * a, q, a, i, entry))
    pairs.sort(key=lambda p: (-p[0], p[3], p[4].guid))
    return pairs


def entry_for(m: Match, source: str, digest: str, mod: int) -> LockEntry:
    """Make the lock entry that records a card as built now."""
    before = m.previous
    if (
        before is not None
        and m.how in ("same", "anchor")
        and (before.hash, before.anchor) == (digest, m.card.anchor)
    ):
        # Same content, same key: only where it stands may have moved.
        return before if before.source == source else replace(before, source=source)
    return LockEntry(
        guid=m.guid,
        path=m.path,
        anchor=m.card.anchor,
        answer=answer_digest(m.card),
        source=source,
        hash=digest,
        mod=mod,
    )


def mark_deleted(entry: LockEntry, digest: str, mod: int) -> LockEntry:
    """Record that a card left the notes (it stays in the lock until --purge)."""
    return replace(entry, deleted=True, hash=digest, mod=mod)


def load_identified(paths: Sequence[Path]) -> tuple[list[Card], list[Diagnostic]]:
    """Parse the notes; give each card the Anki note GUID its lock file knows it by.

    Reads the lock files, never writes them: a card reworded since the last build already
    gets its old GUID here, so anything keyed by GUID (Anki, the quiz history) follows it.
    """
    warnings: list[Diagnostic] = []
    by_root: dict[Path, list[Card]] = {}
    for file, root in find_notes(paths):
        parsed = parse_file(file, root)
        by_root.setdefault(root, []).extend(parsed.cards)
        warnings.extend(parsed.warnings)
    cards: list[Card] = []
    for root, found in by_root.items():
        matches, _ = match(found, read_lock(root / LOCK_NAME))
        cards.extend(
            m.card if m.guid == m.card.guid else replace(m.card, guid=m.guid) for m in matches
        )
    return cards, warnings
