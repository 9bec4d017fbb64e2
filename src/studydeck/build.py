"""Build an Anki package from notes, keeping every card's Anki note across edits.

Anki updates an existing note on import only when the incoming modification time is strictly
newer, so a note's time moves only when its content changes. Which note a card is, and that
note's last content hash and time, are kept in the lock file beside the notes.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from studydeck import __version__
from studydeck.apkg import NOTE_TYPE_VERSION, NoteRow, PackageWriter, check_note_type, note_type_key
from studydeck.buildstate import BuildState, input_key, read_state, write_state
from studydeck.convert import FileResult, Job, ResultCache, convert_each, load_pickle, save_pickle
from studydeck.errors import Diagnostic, StudydeckError
from studydeck.identity import LOCK_NAME, LockEntry, card_path, dump_lock
from studydeck.media import write_atomic
from studydeck.notes import find_notes, read_bytes
from studydeck.tracking import FolderTrack

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildReport:
    """The outcome of a build (or of ``check``, which writes nothing)."""

    package: Path
    decks: int
    cards: int
    media: int
    changed: int
    warnings: tuple[Diagnostic, ...]
    written: bool
    matched: tuple[str, ...] = ()  # cards recognised after a rename or move
    deleted: tuple[str, ...] = ()  # cards that left the notes in this build
    notices: tuple[str, ...] = ()
    errors: tuple[StudydeckError, ...] = ()  # only from a dry run; a build raises instead
    purged: int = 0
    reused_files: int = 0
    parsed_files: int = 0
    seconds: float = field(default=0.0, compare=False)

    def summary(self) -> str:
        """Return the summary ``studydeck build`` prints."""
        purged = f" Forgot {self.purged} deleted cards." if self.purged else ""
        if not self.written:
            return f"{self.package}: up to date ({self.cards} cards, nothing changed).{purged}"
        warn = f", {len(self.warnings)} warnings" if self.warnings else ""
        return (
            f"Wrote {self.package}: {self.decks} decks, {self.cards} cards "
            f"({self.changed} new or changed), {self.media} media files{warn} "
            f"in {self.seconds:.2f}s.{purged}\nImport it into Anki with File → Import."
        )


def package_path(paths: Sequence[Path], output: Path) -> Path:
    """Choose the .apkg path: ``output`` itself if it ends in .apkg, else a file in it."""
    if output.suffix.lower() == ".apkg":
        return output
    if len(paths) == 1:
        name = paths[0].resolve().stem if paths[0].is_file() else paths[0].resolve().name
    else:
        name = "studydeck"
    return output / f"{name or 'studydeck'}.apkg"


def build(
    paths: Sequence[Path],
    output: Path,
    *,
    download: bool = True,
    jobs: int | None = None,
    progress: Progress | None = None,
    purge: bool = False,
    dry_run: bool = False,
) -> BuildReport:
    """Build one .apkg from the notes under ``paths``; write nothing when nothing changed.

    With ``dry_run`` nothing is downloaded or written, and problems that would stop the build
    come back in ``errors`` (all of them, not just the first).
    """
    # Tokens make millions of short-lived, acyclic objects: collecting cycles meanwhile is waste.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Build(paths, output, download, jobs, progress, purge, dry_run).run()
    finally:
        if gc_was_enabled:
            gc.enable()


class _Build:
    def __init__(
        self,
        paths: Sequence[Path],
        output: Path,
        download: bool,
        jobs: int | None,
        progress: Progress | None,
        purge: bool,
        dry_run: bool,
    ) -> None:
        self.started = time.perf_counter()
        self.paths, self.jobs, self.purge, self.dry_run = paths, jobs, purge, dry_run
        self.download = download and not dry_run
        self.say = progress or (lambda _msg: None)
        self.target = package_path(paths, output)
        self.work = self.target.parent / ".studydeck"
        self.now = int(time.time())
        self.errors: list[StudydeckError] = []
        self.warnings: list[Diagnostic] = []
        self.matched: list[str] = []
        self.deleted: list[str] = []
        self.notices: list[str] = []
        self.purged = 0
        self.changed = 0
        self._last_rows: dict[object, NoteRow] | None = None  # built on the first deletion
        # What the last build kept (cache, file → content key), and this build's keys.
        self._previous: tuple[ResultCache, dict[str, str], dict[str, str]] | None = None

    def run(self) -> BuildReport:
        check_note_type()
        pairs = find_notes(self.paths)
        if not pairs:
            where = ", ".join(str(p) for p in self.paths)
            raise StudydeckError(
                f"no notes (*.md files) in {where}.", fix="Give a .md file or a folder of them."
            )
        sources = [(file, root, read_bytes(file)) for file, root in pairs]
        keys = {
            str(file): hashlib.sha256(
                f"{__version__}\0{file}\0{root}\0{self.download}\0".encode() + data
            ).hexdigest()
            for file, root, data in sources
        }
        roots = list(dict.fromkeys(root for _, root in pairs))
        state_file = self.work / f"{self.target.stem}.state.json"
        state = read_state(state_file)
        if (
            not self.dry_run
            and not self.purge
            and state.is_current(input_key(keys, roots), self.target)
        ):
            return self._report(
                state.decks, state.cards, state.media, state.warnings, reused=len(keys)
            )

        cache = ResultCache(self.work / "cache", readonly=self.dry_run)
        self._previous = (cache, dict(state.files), keys)
        tracks = {root: FolderTrack(root, self.now) for root in roots}
        for track in tracks.values():
            if track.before.note_type and track.before.note_type != NOTE_TYPE_VERSION:
                self.notices.append(_note_type_notice(track.before.note_type))
        # Notes go into the package as their files arrive, while later files are being parsed.
        with contextlib.ExitStack() as stack:
            writer = None if self.dry_run else stack.enter_context(PackageWriter(self.target))
            results, parsed = self._convert(sources, keys, cache, tracks, writer)
            for root, track in tracks.items():
                built = {f.relative_to(root).as_posix() for f, r in pairs if r == root}
                for row, mod in track.finish(built, purge=self.purge, last_row=self._last_row):
                    if writer is not None:
                        writer.add(row, mod)
                self.errors.extend([track.error] if track.error else [])
                self.warnings.extend(track.warnings)
                self.matched.extend(track.matched)
                self.deleted.extend(track.deleted)
                self.purged += track.purged
                self.changed += track.changed
            self._failed_downloads(results.values())
            self._stop_on_errors()

            notes = [key for track in tracks.values() for key in track.notes]
            media = {m.name: m for r in results.values() for m in r.media}
            fingerprint = hashlib.sha256(
                json.dumps(
                    [[guid, digest] for guid, digest, _ in notes] + [sorted(media), note_type_key()]
                ).encode()
            ).hexdigest()
            write = fingerprint != state.package or not self.target.exists()
            decks = len({deck for _, _, deck in notes})
            if writer is None:
                return self._report(decks, len(notes), len(media), self.warnings, parsed=parsed)
            if write:
                if len(notes) >= 1000:
                    self.say(
                        f"Writing {self.target} ({len(notes)} cards, {len(media)} media files)…"
                    )
                writer.finish(media.values())
        for root, track in tracks.items():
            if track.after != track.before or not (root / LOCK_NAME).exists():
                write_atomic(root / LOCK_NAME, dump_lock(track.after))
        reused = len(results) - parsed
        deleted = {row.guid: row for track in tracks.values() for row in track.carried}
        deleted_file = self.work / f"{self.target.stem}.deleted.pickle"
        if deleted or deleted_file.exists():
            save_pickle(deleted_file, deleted)  # their notes' last content, carried until --purge
        cache.prune(set(keys.values()))
        complete = not any(r.failed for r in results.values())  # else retry the downloads
        write_state(
            state_file,
            BuildState(
                package=fingerprint,
                inputs=input_key(keys, roots) if complete else "",
                images=tuple(sorted({d for r in results.values() for d in r.local_deps})),
                decks=decks,
                cards=len(notes),
                media=len(media),
                warnings=tuple(self.warnings),
                files=tuple(sorted(keys.items())),
            ),
        )
        return self._report(
            decks,
            len(notes),
            len(media),
            self.warnings,
            parsed=parsed,
            reused=reused,
            written=write,
        )

    def _convert(
        self,
        sources: list[tuple[Path, Path, bytes]],
        keys: dict[str, str],
        cache: ResultCache,
        tracks: dict[Path, FolderTrack],
        writer: PackageWriter | None,
    ) -> tuple[dict[str, FileResult], int]:
        """Convert the files that changed, reuse the others, and hand each, in the notes' order,
        to its folder's track; return the results and how many files were parsed."""
        reused: dict[str, FileResult] = {}
        todo: list[Job] = []
        for file, root, data in sources:
            hit = cache.get(keys[str(file)])
            if hit is not None and hit.still_valid():
                reused[str(file)] = hit
            else:
                todo.append(Job(keys[str(file)], file, root, data))
        converted = convert_each(
            todo,
            self.work / "downloads",
            download=self.download,
            cache=cache,
            workers=self.jobs,
            progress=self.say,
            keep_going=self.dry_run,
        )
        results: dict[str, FileResult] = {}
        with contextlib.closing(converted):  # on an error, stop the workers at once
            for file, root, _ in sources:
                result = reused.pop(str(file), None)
                if result is None:
                    _, outcome = next(converted)
                    if isinstance(outcome, StudydeckError):
                        self.errors.append(outcome)
                        continue
                    result = outcome
                self.errors.extend(result.errors)
                self.warnings.extend(result.warnings)
                self._stop_on_errors()
                for row, mod in tracks[root].add(result):
                    if writer is not None:
                        writer.add(row, mod)
                # Its notes are written: keep the rest (media, downloads) and free the cards.
                results[str(file)] = replace(result, cards=(), rows=())
        return results, len(todo)

    def _report(
        self,
        decks: int,
        cards: int,
        media: int,
        warnings: Sequence[Diagnostic],
        *,
        parsed: int = 0,
        reused: int = 0,
        written: bool = False,
    ) -> BuildReport:
        return BuildReport(
            package=self.target,
            decks=decks,
            cards=cards,
            media=media,
            changed=self.changed if written or self.dry_run else 0,
            warnings=tuple(warnings),
            written=written,
            matched=tuple(self.matched),
            deleted=tuple(self.deleted),
            notices=tuple(self.notices),
            errors=tuple(self.errors),
            purged=self.purged,
            reused_files=reused,
            parsed_files=parsed,
            seconds=time.perf_counter() - self.started,
        )

    def _last_row(self, entry: LockEntry) -> NoteRow | None:
        """Find the note a deleted card was last built as (carried, or its file's old version)."""
        if self._last_rows is None:
            assert self._previous is not None  # set in run() before any card is identified
            cache, files, keys = self._previous
            carried = load_pickle(self.work / f"{self.target.stem}.deleted.pickle")
            self._last_rows = {}
            for file, key in files.items():
                if keys.get(file) != key:  # changed or gone since: its old version had the card
                    old = cache.get(key)
                    for card, row in zip(old.cards, old.rows, strict=True) if old else ():
                        self._last_rows[(card_path(card), card.anchor)] = row
            if isinstance(carried, dict):
                self._last_rows.update({k: v for k, v in carried.items() if isinstance(k, str)})
        row = self._last_rows.get(entry.guid) or self._last_rows.get((entry.path, entry.anchor))
        return row if row is None or row.guid == entry.guid else replace(row, guid=entry.guid)

    def _failed_downloads(self, results: Iterable[FileResult]) -> None:
        failed = sorted(f for r in results for f in r.failed)
        if failed and not self.dry_run:
            listing = "\n".join(f"  {file}:{line}: {url}" for file, line, url in failed)
            self.warnings.append(
                Diagnostic(
                    "",
                    0,
                    f"{len(failed)} remote images could not be downloaded; "
                    f"their cards link to the URL instead:\n{listing}",
                )
            )

    def _stop_on_errors(self) -> None:
        if self.errors and not self.dry_run:
            raise self.errors[0]


def _note_type_notice(old: int) -> str:
    return (
        f"the studydeck note type changed from version {old} to {NOTE_TYPE_VERSION}. Anki "
        "imports it as a new note type and will not update notes of the old one. Before "
        f"importing: in Anki's browser select the cards (deck or tag), Notes → Change Note Type… "
        f"→ 'studydeck v{NOTE_TYPE_VERSION}', then import this deck."
    )
