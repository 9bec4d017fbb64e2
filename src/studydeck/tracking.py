"""Follow one notes folder through a build: tie its cards to the lock as their files arrive,
time each note, carry the cards that left the notes, and make the folder's next lock.

Anki updates an existing note on import only when the incoming modification time is strictly
newer, so a note's time moves only when its content changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from studydeck.apkg import NOTE_TYPE_VERSION, NoteRow
from studydeck.convert import FileResult
from studydeck.errors import Diagnostic, StudydeckError
from studydeck.identity import (
    LOCK_NAME,
    Lock,
    LockEntry,
    Match,
    Matcher,
    entry_for,
    mark_deleted,
    read_lock,
)

DELETED_TAG = "studydeck::deleted"
Timed = tuple[NoteRow, int]  # a note and its modification time
NoteKey = tuple[str, str, str]  # what the build keeps of a note once written: guid, hash, deck


class FolderTrack:
    """One notes folder's cards in this build, settled file by file in the notes' order."""

    def __init__(self, root: Path, now: int) -> None:
        self.root, self.now = root, now
        self.before = read_lock(root / LOCK_NAME)
        self.after = self.before  # the new lock, once finish() has run without error
        self.error: StudydeckError | None = None
        self.changed = self.purged = 0
        self.matched: list[str] = []  # cards recognised after a rename or move
        self.deleted: list[str] = []  # cards that left the notes in this build
        self.warnings: list[Diagnostic] = []
        self._matcher = Matcher(self.before)
        self._entries: dict[str, LockEntry] = {}
        # Only a note's key is kept once it is written, so the cards' text is freed as files go.
        self._notes: list[NoteKey | None] = []  # in card order; None while a card waits
        self._waiting: list[tuple[int, NoteRow]] = []
        self.carried: list[NoteRow] = []  # deleted cards' notes, tagged
        self._relative: dict[str, str] = {}  # card file → its path below root

    @property
    def notes(self) -> list[NoteKey]:
        """Return every note of this folder: its cards in order, then the deleted ones."""
        carried = [(row.guid, row.digest, row.deck) for row in self.carried]
        return [key for key in self._notes if key is not None] + carried

    def add(self, result: FileResult) -> list[Timed]:
        """Take the next file's cards; return the notes settled now, with their times."""
        settled: list[Timed] = []
        if self.error is not None:
            return settled
        try:
            for card, row in zip(result.cards, result.rows, strict=True):
                m = self._matcher.offer(card)
                if m is None:
                    self._waiting.append((len(self._notes), row))
                    self._notes.append(None)
                else:
                    settled.append(self._settle(m, row))
        except StudydeckError as exc:
            self.error = exc
            return []
        return settled

    def finish(
        self, built: set[str], *, purge: bool, last_row: Callable[[LockEntry], NoteRow | None]
    ) -> list[Timed]:
        """Settle the waiting cards and the deleted ones; return their notes, with their times.

        ``built`` holds the files (relative to the root) in this build: a lock entry from a file
        outside it is left as it is. ``last_row`` finds a deleted card's last note.
        """
        if self.error is not None:
            return []
        try:
            matches, unclaimed = self._matcher.finish()
        except StudydeckError as exc:
            self.error = exc
            return []
        settled: list[Timed] = []
        for m, (at, row) in zip(matches, self._waiting, strict=True):
            settled.append(self._settle(m, row, at))
        for entry in unclaimed:
            file = entry.source.rsplit(":", 1)[0]
            if file not in built and (self.root / file).exists():
                self._keep(entry)  # its file is not part of this build: leave it
            elif purge:
                self.purged += 1
            else:
                settled.extend(self._carry(entry, last_row(entry)))
        self.after = Lock(note_type=NOTE_TYPE_VERSION, entries=self._entries)
        return settled

    def _settle(self, m: Match, row: NoteRow, at: int | None = None) -> Timed:
        if row.guid != m.guid:
            row = replace(row, guid=m.guid)
        where = self._relative.get(m.card.file)
        if where is None:
            where = Path(m.card.file).relative_to(self.root).as_posix()
            self._relative[m.card.file] = where
        mod = self._mod(m.previous, row)
        self._keep(entry_for(m, f"{where}:{m.card.line}", row.digest, mod))
        key = (row.guid, row.digest, row.deck)
        if at is None:
            self._notes.append(key)
        else:
            self._notes[at] = key
        if m.how == "similar":
            self.matched.append(m.describe())
        return row, mod

    def _carry(self, entry: LockEntry, last: NoteRow | None) -> list[Timed]:
        """Keep a deleted card's note in the package, tagged, so Anki shows it left."""
        if last is None:
            self._keep(replace(entry, deleted=True))
            if not entry.deleted:
                self.warnings.append(
                    Diagnostic(
                        str(self.root / LOCK_NAME),
                        0,
                        f"'{entry.path[-1]}' ({entry.source}) left the notes, but this build "
                        "folder has no copy of its note to tag in Anki; delete it in Anki "
                        "by hand, then run 'studydeck build --purge'",
                    )
                )
            return []
        row = replace(last, tags=tuple(dict.fromkeys((*last.tags, DELETED_TAG))))
        mod = self._mod(entry, row)
        self._keep(mark_deleted(entry, row.digest, mod))
        self.carried.append(row)
        if not entry.deleted:
            self.deleted.append(
                f"{entry.source}: '{entry.path[-1]}' is gone from the notes: its Anki note "
                f"gets the tag {DELETED_TAG} (search tag:{DELETED_TAG} in Anki)"
            )
        return [(row, mod)]

    def _keep(self, entry: LockEntry) -> None:
        self._entries[entry.guid] = entry
        _ = entry.line  # its lock line is made now, while later files are still being parsed

    def _mod(self, previous: LockEntry | None, row: NoteRow) -> int:
        """Keep an unchanged note's time; give a changed one a strictly newer time."""
        if previous is not None and previous.hash == row.digest:
            return previous.mod
        self.changed += 1
        return max(self.now, previous.mod + 1) if previous is not None else self.now
