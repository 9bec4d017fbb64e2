"""Build an Anki package from notes: parse on all cores, reuse unchanged files, keep note times.

A note's modification time only moves when its content changes, because Anki updates an
existing note on import only when the incoming time is strictly newer.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from studydeck import __version__
from studydeck.apkg import NoteRow, note_model, points_field, write_package
from studydeck.errors import Diagnostic, StudydeckError
from studydeck.media import (
    MediaFile,
    MediaStore,
    is_inline_data,
    is_remote,
    local_file,
    stage,
    write_atomic,
)
from studydeck.notes import deck_name, decode, find_notes, parse_text, read_bytes
from studydeck.render import answer_html, question_html, topics_html

Progress = Callable[[str], None]
PARALLEL_MIN_BYTES = 256 * 1024  # below this, starting worker processes costs more than it saves


@dataclass(frozen=True)
class FileResult:
    """What one notes file contributes to the package, cached by the file's content hash."""

    file: str
    rows: tuple[NoteRow, ...]
    media: tuple[MediaFile, ...]
    warnings: tuple[Diagnostic, ...]
    failed: tuple[tuple[str, int, str], ...]  # (file, line, url) of remote images not fetched
    local_deps: tuple[tuple[str, int, int], ...]  # (path, size, mtime_ns) of local images


@dataclass(frozen=True)
class BuildReport:
    """The outcome of a build, for the CLI's summary."""

    package: Path
    decks: int
    cards: int
    media: int
    changed: int
    warnings: tuple[Diagnostic, ...]
    written: bool
    reused_files: int = 0
    parsed_files: int = 0
    seconds: float = field(default=0.0, compare=False)

    def summary(self) -> str:
        """Return the one-paragraph summary ``studydeck build`` prints."""
        if not self.written:
            return f"{self.package}: up to date ({self.cards} cards, nothing changed)."
        warn = f", {len(self.warnings)} warnings" if self.warnings else ""
        return (
            f"Wrote {self.package}: {self.decks} decks, {self.cards} cards "
            f"({self.changed} new or changed), {self.media} media files{warn} "
            f"in {self.seconds:.2f}s.\nImport it into Anki with File → Import."
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
) -> BuildReport:
    """Build one .apkg from the notes under ``paths``; write nothing when nothing changed."""
    started = time.perf_counter()
    # Tokens make millions of short-lived, acyclic objects: collecting cycles meanwhile is waste.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(paths, output, download, jobs, progress, started)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build(
    paths: Sequence[Path],
    output: Path,
    download: bool,
    jobs: int | None,
    progress: Progress | None,
    started: float,
) -> BuildReport:
    say = progress or (lambda _msg: None)
    pairs = find_notes(paths)
    if not pairs:
        where = ", ".join(str(p) for p in paths)
        raise StudydeckError(
            f"no notes (*.md files) in {where}.", fix="Give a .md file or a folder of them."
        )
    target = package_path(paths, output)
    work = target.parent / ".studydeck"
    state = _load_json(work / f"{target.stem}.state.json")
    cache = _load_cache(work / f"{target.stem}.cache.pickle")

    jobs_todo: list[tuple[str, Path, Path, bytes]] = []
    results: dict[str, FileResult] = {}
    keys: dict[str, str] = {}
    for file, root in pairs:
        data = read_bytes(file)
        key = hashlib.sha256(
            f"{__version__}\0{file}\0{root}\0{download}\0".encode() + data
        ).hexdigest()
        keys[str(file)] = key
        hit = cache.get(key)
        if hit is not None and _still_valid(hit):
            results[str(file)] = hit
        else:
            jobs_todo.append((key, file, root, data))
    results.update(_process_all(jobs_todo, work / "downloads", download, jobs, say))

    ordered = [results[str(f)] for f, _ in pairs]
    rows = [row for r in ordered for row in r.rows]
    _check_unique(rows)
    warnings = [w for r in ordered for w in r.warnings]
    failed = sorted(f for r in ordered for f in r.failed)
    if failed:
        listing = "\n".join(f"  {file}:{line}: {url}" for file, line, url in failed)
        warnings.append(
            Diagnostic(
                "",
                0,
                f"{len(failed)} remote images could not be downloaded; "
                f"their cards link to the URL instead:\n{listing}",
            )
        )
    media = {m.name: m for r in ordered for m in r.media}

    old_notes: dict[str, list] = state.get("notes", {})
    now = int(time.time())
    mods: dict[str, int] = {}
    hashes: dict[str, str] = {}
    changed = 0
    for row in rows:
        digest = row.content_hash()
        hashes[row.guid] = digest
        old = old_notes.get(row.guid)
        if old and old[0] == digest:
            mods[row.guid] = int(old[1])
        else:
            mods[row.guid] = max(now, int(old[1]) + 1) if old else now
            changed += 1
    fingerprint = hashlib.sha256(
        json.dumps([sorted(hashes.items()), sorted(media), _model_key()]).encode()
    ).hexdigest()
    unchanged = fingerprint == state.get("fingerprint") and target.exists()
    if not unchanged:
        if len(rows) >= 1000:
            say(f"Writing {target} ({len(rows)} cards, {len(media)} media files)…")
        staged = stage(media.values(), work / "media")
        write_package(rows, mods, staged, target)
        notes = {**old_notes, **{g: [hashes[g], mods[g]] for g in hashes}}
        _save_json(work / f"{target.stem}.state.json", {"fingerprint": fingerprint, "notes": notes})
    if jobs_todo or len(cache) != len(results):
        _save_cache(work / f"{target.stem}.cache.pickle", {keys[f]: r for f, r in results.items()})
    return BuildReport(
        package=target,
        decks=len({row.deck for row in rows}),
        cards=len(rows),
        media=len(media),
        changed=0 if unchanged else changed,
        warnings=tuple(warnings),
        written=not unchanged,
        reused_files=len(pairs) - len(jobs_todo),
        parsed_files=len(jobs_todo),
        seconds=time.perf_counter() - started,
    )


def process_file(
    file: Path, root: Path, data: bytes, downloads: Path, download: bool
) -> FileResult:
    """Parse one notes file, resolve its images and render its notes."""
    shown = str(file)
    parsed = parse_text(decode(data, shown), file=shown, deck=deck_name(file, root))
    store = MediaStore(downloads, download=download)
    warnings = list(parsed.warnings)
    local: dict[str, MediaFile] = {}
    deps: dict[str, tuple[str, int, int]] = {}
    remote: dict[str, int] = {}
    for card in parsed.cards:
        for ref in card.images:
            if is_remote(ref.src):
                remote.setdefault(ref.src, ref.line)
            elif not is_inline_data(ref.src) and ref.src not in local:
                path = local_file(ref.src, file, root)
                if not path.is_file():
                    warnings.append(Diagnostic(shown, ref.line, f"image '{ref.src}' not found"))
                    continue
                local[ref.src] = store.add_local(path)
                st = path.stat()
                deps[str(path)] = (str(path), st.st_size, st.st_mtime_ns)
    fetched, failed = store.fetch_all(remote) if remote else ({}, [])
    names = {src: m.name for src, m in {**local, **fetched}.items()}
    rows = tuple(
        NoteRow(
            guid=card.guid,
            deck=card.deck,
            fields=(
                question_html(card),
                answer_html(card, names),
                topics_html(card),
                points_field(card.points),
                card.source,
            ),
            tags=card.tags,
        )
        for card in parsed.cards
    )
    return FileResult(
        file=shown,
        rows=rows,
        media=tuple({**local, **fetched}.values()),
        warnings=tuple(warnings),
        failed=tuple((shown, remote[url], url) for url in failed),
        local_deps=tuple(deps.values()),
    )


def _process_all(
    todo: list[tuple[str, Path, Path, bytes]],
    downloads: Path,
    download: bool,
    jobs: int | None,
    say: Progress,
) -> dict[str, FileResult]:
    if not todo:
        return {}
    workers = jobs or min(os.cpu_count() or 1, len(todo))
    size = sum(len(data) for *_, data in todo)
    if workers < 2 or len(todo) < 2 or size < PARALLEL_MIN_BYTES:
        return {str(f): process_file(f, r, d, downloads, download) for _, f, r, d in todo}
    say(f"Parsing {len(todo)} files on {workers} cores…")
    # Hand each worker an even share of bytes, largest files first.
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {
            str(f): pool.submit(process_file, f, r, d, downloads, download)
            for _, f, r, d in sorted(todo, key=lambda t: -len(t[3]))
        }
        return {name: fut.result() for name, fut in futures.items()}


def _check_unique(rows: Sequence[NoteRow]) -> None:
    seen: dict[str, NoteRow] = {}
    for row in rows:
        other = seen.setdefault(row.guid, row)
        if other is not row:
            raise StudydeckError(
                f"two cards have one deck, topic path and question ({other.fields[4]} and here).",
                file=row.fields[4].rsplit(":", 1)[0],
                line=int(row.fields[4].rsplit(":", 1)[1]),
                fix="Rename one of the questions, or give the files different decks.",
            )


def _still_valid(result: FileResult) -> bool:
    if result.failed:
        return False  # try those downloads again
    for path, size, mtime in result.local_deps:
        try:
            st = os.stat(path)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            return False
    return True


def _model_key() -> list[object]:
    model = note_model()
    return [model.model_id, model.css, model.templates]


def _load_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_json(path: Path, data: dict) -> None:
    write_atomic(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode())


def _load_cache(path: Path) -> dict[str, FileResult]:
    try:
        with path.open("rb") as handle:
            data = pickle.load(handle)
    except Exception:  # a stale or foreign cache is only a missed speed-up
        return {}
    return data if isinstance(data, dict) else {}


def _save_cache(path: Path, data: dict[str, FileResult]) -> None:
    write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
