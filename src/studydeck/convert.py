"""Convert notes files into Anki note rows: parse, find the images, render the fields.

Files are independent, so they are converted on all cores, and a result is cached by the
file's content hash so that a rebuild converts only the files that changed.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studydeck.apkg import NoteRow, points_field
from studydeck.cards import Card
from studydeck.errors import Diagnostic, StudydeckError
from studydeck.media import (
    MediaFile,
    MediaStore,
    file_stamp,
    is_inline_data,
    is_remote,
    local_file,
    unchanged,
    write_atomic,
)
from studydeck.notes import deck_name, decode, parse_text
from studydeck.render import answer_html, question_html, topics_html

PARALLEL_MIN_BYTES = 256 * 1024  # below this, starting worker processes costs more than it saves


@dataclass(frozen=True)
class Job:
    """One notes file to convert: its cache key, path, notes root and bytes."""

    key: str
    file: Path
    root: Path
    data: bytes


@dataclass(frozen=True)
class FileResult:
    """What one notes file contributes to the package."""

    file: str
    cards: tuple[Card, ...]
    rows: tuple[NoteRow, ...]  # one per card, same order
    media: tuple[MediaFile, ...]
    warnings: tuple[Diagnostic, ...]
    errors: tuple[StudydeckError, ...]  # what would stop the build (images outside the folder)
    failed: tuple[tuple[str, int, str], ...]  # (file, line, url) of remote images not fetched
    local_deps: tuple[tuple[str, int, int], ...]  # (path, size, mtime_ns) of local images

    def still_valid(self) -> bool:
        """Tell whether a cached result still holds: no failed downloads, images unchanged."""
        return not self.failed and unchanged(self.local_deps)  # failed: try those downloads again


def convert_file(job: Job, downloads: Path, download: bool) -> FileResult:
    """Parse one notes file, resolve its images and render its notes."""
    shown = str(job.file)
    parsed = parse_text(decode(job.data, shown), file=shown, deck=deck_name(job.file, job.root))
    store = MediaStore(downloads, download=download)
    warnings = list(parsed.warnings)
    errors: list[StudydeckError] = []
    local: dict[str, MediaFile] = {}
    deps: dict[str, tuple[str, int, int]] = {}
    remote: dict[str, int] = {}
    for card in parsed.cards:
        for ref in card.images:
            if is_remote(ref.src):
                remote.setdefault(ref.src, ref.line)
            elif not is_inline_data(ref.src) and ref.src not in local:
                try:
                    path = local_file(ref.src, job.file, job.root)
                except StudydeckError as exc:
                    exc.line = ref.line
                    errors.append(exc)
                    continue
                if not path.is_file():
                    warnings.append(Diagnostic(shown, ref.line, f"image '{ref.src}' not found"))
                    continue
                local[ref.src] = store.add_local(path)
                deps[str(path)] = file_stamp(path)
    fetched, failed = store.fetch_all(remote) if remote else ({}, [])
    names = {src: m.name for src, m in {**local, **fetched}.items()}
    where = job.file.relative_to(job.root).as_posix()  # stable wherever the build is run from
    return FileResult(
        file=shown,
        cards=parsed.cards,  # pickled without their tokens
        rows=tuple(_row(card, names, where) for card in parsed.cards),
        media=tuple({**local, **fetched}.values()),
        warnings=tuple(sorted(warnings, key=lambda w: w.line)),
        errors=tuple(errors),
        failed=tuple((shown, remote[url], url) for url in failed),
        local_deps=tuple(deps.values()),
    )


def _row(card: Card, media_names: dict[str, str], where: str) -> NoteRow:
    fields = (
        question_html(card),
        answer_html(card, media_names),
        topics_html(card),
        points_field(card.points),
        f"{where}:{card.line}",
    )
    return NoteRow(guid=card.guid, deck=card.deck, fields=fields, tags=card.tags)


class ResultCache:
    """Converted files on disk, one pickle per content key: unchanged files are not parsed again.

    A missing, stale or foreign entry is only a missed speed-up. ``folder=None`` keeps nothing;
    ``readonly`` reads but never writes (a dry run writes nothing).
    """

    def __init__(self, folder: Path | None, *, readonly: bool = False) -> None:
        self.folder = folder
        self.readonly = readonly

    def get(self, key: str) -> FileResult | None:
        """Return the cached result for a content key, if there is a usable one."""
        if self.folder is None:
            return None
        try:
            with (self.folder / f"{key}.pickle").open("rb") as handle:
                result = pickle.load(handle)
        except Exception:
            return None
        return result if isinstance(result, FileResult) else None

    def put(self, key: str, result: FileResult) -> None:
        """Keep a result under its content key."""
        if self.folder is not None and not self.readonly:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(self.folder / f"{key}.pickle", data)

    def prune(self, keep: set[str]) -> None:
        """Delete the entries whose keys are not in ``keep``."""
        if self.folder is not None and not self.readonly and self.folder.is_dir():
            for path in self.folder.glob("*.pickle"):
                if path.stem not in keep:
                    path.unlink(missing_ok=True)


def _convert_and_keep(job: Job, downloads: Path, download: bool, cache: ResultCache) -> bool:
    # In a worker: the result goes to the cache file, which the main process reads once,
    # instead of being pickled back through the pool and pickled again into the cache.
    _convert_here(job, downloads, download, cache)
    return True


def convert_each(
    jobs: Sequence[Job],
    downloads: Path,
    *,
    download: bool,
    cache: ResultCache | None = None,
    workers: int | None = None,
    progress: Callable[[str], None] = lambda _msg: None,
    keep_going: bool = False,
) -> Iterator[tuple[Job, FileResult | StudydeckError]]:
    """Convert files, in parallel when it pays, keeping each result in ``cache``.

    Yields each job with its result in the order of ``jobs`` as soon as it is ready, so the
    caller can use the first files while the last are still being parsed. A StudydeckError is
    raised, or with ``keep_going`` yielded in the result's place.
    """
    cache = cache or ResultCache(None)
    workers = workers or min(os.cpu_count() or 1, len(jobs))
    size = sum(len(job.data) for job in jobs)

    def here(job: Job) -> FileResult | StudydeckError:
        return _attempt(lambda: _convert_here(job, downloads, download, cache))

    def checked(result: FileResult | StudydeckError) -> FileResult | StudydeckError:
        if isinstance(result, StudydeckError) and not keep_going:
            raise result
        return result

    if workers < 2 or len(jobs) < 2 or size < PARALLEL_MIN_BYTES:
        for job in jobs:
            yield job, checked(here(job))
        return
    progress(f"Parsing {len(jobs)} files on {workers} cores…")
    # One pool process per core parses; this process only reads back each file's result, in
    # order, and the caller ties its cards to the lock and writes them meanwhile. That is a
    # fifth of the work, so the system shares the cores out: nobody waits for the last file
    # one process took, as happens when this process parses whole files itself.
    keep = cache.folder is not None and not cache.readonly
    task = _convert_and_keep if keep else convert_file
    extra = (cache,) if keep else ()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        try:
            futures = [pool.submit(task, job, downloads, download, *extra) for job in jobs]
            for job, future in zip(jobs, futures, strict=True):
                if keep:
                    got = _attempt(lambda job=job, f=future: _read_back(cache, job, f))
                else:
                    got = _attempt(future.result)
                yield job, checked(got)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _attempt(get: Callable[[], FileResult]) -> FileResult | StudydeckError:
    try:
        return get()
    except StudydeckError as exc:
        return exc


def _convert_here(job: Job, downloads: Path, download: bool, cache: ResultCache) -> FileResult:
    result = convert_file(job, downloads, download)
    cache.put(job.key, result)
    return result


def _read_back(cache: ResultCache, job: Job, future: Any) -> FileResult:
    future.result()  # raises the worker's StudydeckError, if any
    result = cache.get(job.key)
    if result is None:
        raise OSError(f"the build cache lost {job.file}; build again")
    return result


def load_pickle(path: Path) -> Any:
    """Load a pickle the build wrote; a missing or stale one reads as None."""
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:
        return None


def save_pickle(path: Path, data: Any) -> None:
    """Write a pickle atomically."""
    write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
