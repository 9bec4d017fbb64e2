from __future__ import annotations

import os
from pathlib import Path

from studydeck.build import build
from studydeck.buildstate import BuildState, read_state, write_state
from studydeck.errors import Diagnostic

from .conftest import png


def test_read_state__round_trips_and_damaged_reads_empty(tmp_path: Path) -> None:
    state = BuildState("p", "i", ((str(tmp_path), 1, 2),), 3, 4, 5, (Diagnostic("f", 1, "m"),))
    write_state(tmp_path / "s.json", state)
    assert read_state(tmp_path / "s.json") == state
    (tmp_path / "s.json").write_text("{broken", encoding="utf-8")
    assert read_state(tmp_path / "s.json") == BuildState()
    assert read_state(tmp_path / "missing.json") == BuildState()


def test_build__up_to_date_only_while_notes_images_and_lock_are_unchanged(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "d.png").write_bytes(png(1))
    (notes / "n.md").write_text("# T\n### Q\n- a ![](d.png)\n", encoding="utf-8")
    out = tmp_path / "out"
    assert build([notes], out).written
    quiet = build([notes], out)
    assert (quiet.written, quiet.parsed_files, quiet.cards) == (False, 0, 1)

    (notes / "d.png").write_bytes(png(2))  # same name, new picture
    os.utime(notes / "d.png", ns=(1, 1))
    again = build([notes], out)
    assert (again.written, again.parsed_files, again.changed) == (True, 1, 1)

    (notes / ".studydeck.lock").write_text(
        (notes / ".studydeck.lock").read_text(encoding="utf-8") + " ", encoding="utf-8"
    )
    assert build([notes], out).parsed_files == 0  # lock changed: checked again, files reused
    (out / "notes.apkg").unlink()
    assert build([notes], out).written  # a missing package is always written
