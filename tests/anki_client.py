"""Drive the real Anki backend (the `anki` package from PyPI) the way a user's import does."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest


@dataclass(frozen=True)
class ImportLog:
    """How many notes an import added, updated, skipped as duplicate or as conflicting."""

    new: int
    updated: int
    duplicate: int
    conflicting: int


def import_package(col: Collection, apkg: Path) -> ImportLog:
    """Import with Anki's defaults: update notes and note types only when newer."""
    result = col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(apkg.resolve()),
            options=ImportAnkiPackageOptions(
                update_notes=0, update_notetypes=0, with_scheduling=False
            ),
        )
    )
    log = result.log
    return ImportLog(len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting))


def notes_by_question(col: Collection) -> dict[str, object]:
    """Map each note's Question field to the note."""
    return {col.get_note(nid)["Question"]: col.get_note(nid) for nid in col.find_notes("")}


def review_good(col: Collection, card_id: int) -> None:
    """Answer a card 'Good', writing one review-log row."""
    card = col.get_card(card_id)
    card.start_timer()
    col.sched.answerCard(card, 3)
