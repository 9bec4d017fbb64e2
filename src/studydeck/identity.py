"""Card identity across edits: the lock file beside the notes, and how cards are matched to it.

Anki knows a note by its GUID. A card keeps its GUID when its question is reworded,
renumbered or moved, as long as the build can tell it is the same card; the lock file
(``.studydeck.lock``, committed with the notes) remembers each card's GUID, content hash and
note time, so nothing has to be written into the notes themselves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

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
    return _MARKUP.sub(" ", card.body).strip().lower()[:ANSWER_CHARS]


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
    lines = []
    for guid, e in sorted(lock.entries.items()):
        data = {"anchor": e.anchor, "answer": e.answer, "deleted": e.deleted, "hash": e.hash}
        data.update({"mod": e.mod, "path": list(e.path), "source": e.source})
        lines.append(f"  {json.dumps(guid)}: {_JSON.encode(data)}")
    head = f'{{"format": {LOCK_FORMAT}, "note_type": {lock.note_type}, "cards": {{'
    body = "\n" + ",\n".join(lines) + "\n" if lines else ""
    return f"{head}{body}}}}}\n".encode()


def match(cards: Sequence[Card], lock: Lock) -> tuple[list[Match], list[LockEntry]]:
    """Tie each card to a lock entry (or a new GUID); return the matches and the unclaimed entries.

    In order: an explicit ``{#id}``, the same deck/topics/question, then similarity of question
    and answer (best pairs first, each entry used once). Unclaimed entries are deleted cards.
    """
    by_anchor = {(e.path[0], e.anchor): e for e in lock.entries.values() if e.anchor}
    by_path = {e.path: e for e in lock.entries.values() if not e.anchor}
    claimed: dict[str, Card] = {}
    result: list[Match | None] = [None] * len(cards)

    def claim(i: int, entry: LockEntry, how: str, q: float = 100.0, a: float = 100.0) -> None:
        other = claimed.get(entry.guid)
        if other is not None:
            raise StudydeckError(
                f"two cards claim one Anki note: this one and {other.source}.",
                file=cards[i].file,
                line=cards[i].line,
                fix="Give one of them its own {#id}, or remove the duplicate.",
            )
        claimed[entry.guid] = cards[i]
        result[i] = Match(cards[i], entry.guid, how, entry, q, a)

    paths = [card_path(card) for card in cards]
    for i, card in enumerate(cards):
        if card.anchor and (paths[i][0], card.anchor) in by_anchor:
            claim(i, by_anchor[paths[i][0], card.anchor], "anchor")
    for i, path in enumerate(paths):
        entry = by_path.get(path)
        if result[i] is None and entry is not None and entry.guid not in claimed:
            claim(i, entry, "same")

    waiting = [i for i, r in enumerate(result) if r is None]
    free = [e for e in lock.entries.values() if e.guid not in claimed]
    if waiting and free and len(waiting) * len(free) <= MAX_FUZZY_PAIRS:
        for _, q, a, i, entry in _similar_pairs(cards, waiting, free):
            if result[i] is None and entry.guid not in claimed:
                claim(i, entry, "similar", q, a)

    remembered = set(lock.entries)
    for i, card in enumerate(cards):
        if result[i] is not None:
            continue
        guid = card.guid
        other = claimed.get(guid)
        same_anchor = bool(card.anchor) and other is not None and other.anchor == card.anchor
        same_path = other is not None and not (card.anchor or other.anchor)
        if same_anchor or (same_path and card_path(other) == card_path(card)):
            raise StudydeckError(
                f"two cards claim one Anki note: this one and {other.source}.",
                file=card.file,
                line=card.line,
                fix="Give one of them its own {#id}, or rename one of the questions.",
            )
        # The natural GUID may belong to a renamed card now, or to a deleted one: take a fresh one.
        n = 1
        while guid in claimed or guid in remembered:
            n += 1
            guid = genanki.guid_for(*card_path(card), card.anchor, f"again-{n}")
        claimed[guid] = card
        result[i] = Match(card, guid, "new")
    unclaimed = [e for e in lock.entries.values() if e.guid not in claimed]
    return [r for r in result if r is not None], unclaimed


def _similar_pairs(
    cards: Sequence[Card], waiting: list[int], free: list[LockEntry]
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
        path=card_path(m.card),
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
