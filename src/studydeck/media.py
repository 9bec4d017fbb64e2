"""Find the files behind a card's images: local files beside the notes, remote URLs via a cache.

Packaged names come from a content hash, so two different ``image.png`` never collide and
an unchanged image keeps its name from build to build.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from studydeck.errors import StudydeckError

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
DOWNLOAD_TIMEOUT = 10.0
_USER_AGENT = "studydeck (+https://pypi.org/project/studydeck/)"
_IMAGE_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
}


@dataclass(frozen=True)
class MediaFile:
    """One file to put in the package: its name there and where its bytes are now."""

    name: str
    path: Path


def is_remote(src: str) -> bool:
    """Tell whether an image source is an http(s) URL."""
    return urlsplit(src).scheme.lower() in ("http", "https")


def is_inline_data(src: str) -> bool:
    """Tell whether an image source needs no file: a data: URI or another URL scheme."""
    scheme = urlsplit(src).scheme.lower()
    return bool(scheme) and len(scheme) > 1 and not is_remote(src)


def packaged_name(data: bytes, suffix: str) -> str:
    """Name a media file by its content: ``studydeck-<hash>.<ext>``."""
    return f"studydeck-{hashlib.sha256(data).hexdigest()[:20]}{suffix.lower() or '.bin'}"


def local_file(src: str, note_file: Path, root: Path) -> Path:
    """Resolve a local image source against its note file; refuse one outside ``root``."""
    rel = unquote(urlsplit(src).path)
    path = (note_file.parent / rel).resolve()
    if not path.is_relative_to(root.resolve()):
        raise StudydeckError(
            f"image '{src}' points outside the notes folder {root}.",
            file=str(note_file),
            fix="Move the image into the notes folder and link it with a relative path.",
        )
    return path


class MediaStore:
    """Collect media for one build: local files are hashed, remote URLs downloaded once.

    Downloads land in ``cache_dir`` (named by URL) and are reused by later builds; a URL
    that cannot be fetched is reported, never fatal.
    """

    def __init__(self, cache_dir: Path, *, download: bool = True) -> None:
        self.cache_dir = cache_dir
        self.download = download

    def add_local(self, path: Path) -> MediaFile:
        """Return the packaged name for a local file (which must exist)."""
        return MediaFile(packaged_name(path.read_bytes(), path.suffix), path)

    def fetch_all(self, urls: Iterable[str]) -> tuple[dict[str, MediaFile], list[str]]:
        """Download (or take from the cache) every URL; return the found ones and the failures."""
        wanted = sorted(set(urls))
        found: dict[str, MediaFile] = {}
        failed: list[str] = []
        missing = []
        for url in wanted:
            cached = self._cached(url)
            if cached is not None:
                found[url] = cached
            else:
                missing.append(url)
        if missing and self.download:
            with ThreadPoolExecutor(max_workers=min(8, len(missing))) as pool:
                for url, result in zip(missing, pool.map(self._fetch, missing), strict=True):
                    if result is None:
                        failed.append(url)
                    else:
                        found[url] = result
        elif missing:
            failed.extend(missing)
        return found, failed

    def _cache_path(self, url: str) -> Path:
        return self.cache_dir / hashlib.sha256(url.encode()).hexdigest()[:32]

    def _cached(self, url: str) -> MediaFile | None:
        base = self._cache_path(url)
        if not base.parent.is_dir():
            return None
        found = next(base.parent.glob(base.name + ".*"), None)
        return self.add_local(found) if found is not None else None

    def _fetch(self, url: str) -> MediaFile | None:
        import urllib.request  # here, not at the top: most builds download nothing (start-up)

        request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:
                data = response.read(MAX_DOWNLOAD_BYTES + 1)
                ctype = response.headers.get_content_type()
        except (OSError, ValueError):  # urllib's URLError is an OSError
            return None
        if len(data) > MAX_DOWNLOAD_BYTES or not data:
            return None
        suffix = _IMAGE_TYPES.get(ctype) or Path(urlsplit(url).path).suffix or ".bin"
        target = self._cache_path(url).with_suffix(suffix.lower())
        write_atomic(target, data)
        return MediaFile(packaged_name(data, suffix), target)


def write_atomic(target: Path, data: bytes) -> None:
    """Write bytes to a temporary file beside ``target``, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_stamp(path: Path) -> tuple[str, int, int]:
    """Return what tells a file changed without reading it: path, size and mtime."""
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns)


def unchanged(stamps: Iterable[Sequence[object]]) -> bool:
    """Tell whether every file still has the size and mtime it was stamped with."""
    for path, size, mtime in stamps:
        try:
            st = os.stat(str(path))
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            return False
    return True
