"""What the last build saw, so that a build where nothing changed can answer at once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from studydeck.apkg import note_type_key
from studydeck.errors import Diagnostic
from studydeck.identity import LOCK_NAME
from studydeck.media import unchanged, write_atomic


@dataclass(frozen=True)
class BuildState:
    """The last build's fingerprints, counts and warnings (``build/.studydeck/<name>.state.json``).

    ``package`` fingerprints what went into the .apkg; ``inputs`` everything the build read
    (notes, lock files, note type), or is empty when a download failed and should be retried.
    """

    package: str = ""
    inputs: str = ""
    images: tuple[tuple[str, int, int], ...] = ()  # stamps of the local images used
    decks: int = 0
    cards: int = 0
    media: int = 0
    warnings: tuple[Diagnostic, ...] = field(default=())
    files: tuple[tuple[str, str], ...] = ()  # (notes file, content key) of each file built

    def is_current(self, inputs: str, target: Path) -> bool:
        """Tell whether nothing the build reads changed since, and its package is still there."""
        return (
            bool(self.inputs)
            and self.inputs == inputs
            and target.exists()
            and unchanged(self.images)
        )


def input_key(keys: dict[str, str], roots: Sequence[Path]) -> str:
    """Fingerprint everything a build reads: the notes (by content key), lock files, note type."""
    locks = []
    for root in roots:
        try:
            locks.append(hashlib.sha256((root / LOCK_NAME).read_bytes()).hexdigest())
        except OSError:
            locks.append("")
    blob = json.dumps([sorted(keys.items()), locks, note_type_key()], ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def read_state(path: Path) -> BuildState:
    """Read the last build's state; a missing or damaged one reads as empty."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return BuildState(
            package=data["package"],
            inputs=data["inputs"],
            images=tuple(tuple(stamp) for stamp in data["images"]),
            decks=data["decks"],
            cards=data["cards"],
            media=data["media"],
            warnings=tuple(Diagnostic(*w) for w in data["warnings"]),
            files=tuple((f, k) for f, k in data["files"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return BuildState()


def write_state(path: Path, state: BuildState) -> None:
    """Write the build state atomically."""
    data = {
        "package": state.package,
        "inputs": state.inputs,
        "images": [list(stamp) for stamp in state.images],
        "decks": state.decks,
        "cards": state.cards,
        "media": state.media,
        "warnings": [[w.file, w.line, w.message] for w in state.warnings],
        "files": [list(pair) for pair in state.files],
    }
    write_atomic(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
