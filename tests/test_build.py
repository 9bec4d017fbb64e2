"""The build as Anki sees it: every check imports the package into a real, fresh collection."""

from __future__ import annotations

import os
import socket
import zipfile
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from studydeck import convert
from studydeck.build import build, package_path
from studydeck.errors import StudydeckError

from .anki_client import import_package, notes_by_question, review_good
from .conftest import assert_nothing_built, png


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_build__sample_imports_as_24_notes_in_topic_subdecks(
    notes_dir: Path, tmp_path: Path, col: Collection
) -> None:
    report = build([notes_dir], tmp_path / "out", download=False)
    assert report.package == tmp_path / "out" / "notes.apkg"
    assert (report.cards, report.decks) == (24, 4)

    log = import_package(col, report.package)
    assert (log.new, log.updated, log.duplicate, log.conflicting) == (24, 0, 0, 0)
    assert len(col.find_notes("")) == 24
    assert len(col.find_cards("")) == 24
    decks = {d.name for d in col.decks.all_names_and_ids()}
    assert {
        "ml-interview::Loss Surface",
        "ml-interview::Attention",
        "ml-interview::Transformer",
        "ml-interview::Collaborative filtering",
    } <= decks
    assert len(col.find_cards('"deck:ml-interview::Transformer"')) == 12

    notes = notes_by_question(col)
    making = notes["만드는 방법은?"]
    assert r"(\(\alpha, \beta, L(\theta+\alpha*v_1+\beta*v_2)\))" in making["Answer"]
    assert making["Topics"] == "Loss Surface"
    assert making["Source"] == "ml-interview.md:29"
    assert sorted(making.tags) == ["Loss_Surface", "ml-interview"]
    assert list(making.keys()) == ["Question", "Answer", "Topics", "Points", "Source"]


def test_build__remote_image_from_local_server_becomes_collection_media(
    tmp_path: Path, http_root: tuple[str, Path], col: Collection
) -> None:
    base, www = http_root
    (www / "diagram.png").write_bytes(png(7))
    notes = tmp_path / "notes"
    notes.mkdir()
    dead = f"http://127.0.0.1:{_free_port()}/gone.png"
    (notes / "n.md").write_text(
        f"# T\n\n### Q\n\n- 그림\n\n![d]({base}/diagram.png)\n\n"
        f"### R\n\n- 없는 그림 ![x]({dead})\n",
        encoding="utf-8",
    )
    report = build([notes], tmp_path / "out")
    assert report.media == 1
    (warning,) = report.warnings
    assert warning.message == (
        "1 remote images could not be downloaded; their cards link to the URL instead:\n"
        f"  {notes / 'n.md'}:11: {dead}"
    )

    import_package(col, report.package)
    notes_ = notes_by_question(col)
    media_dir = Path(col.media.dir())
    (name,) = [p.name for p in media_dir.iterdir()]
    assert name.startswith("studydeck-") and name.endswith(".png")
    assert (media_dir / name).read_bytes() == png(7)
    assert f'<img src="{name}" alt="d">' in notes_["Q"]["Answer"]
    assert f'<img src="{dead}" alt="x">' in notes_["R"]["Answer"]


def test_build__local_images_are_embedded_by_content(tmp_path: Path, col: Collection) -> None:
    notes = tmp_path / "notes"
    (notes / "a").mkdir(parents=True)
    (notes / "b").mkdir()
    (notes / "a" / "image.png").write_bytes(png(1))
    (notes / "b" / "image.png").write_bytes(png(2))
    (notes / "a" / "x.md").write_text("# T\n### Q\n- ![](image.png)\n", encoding="utf-8")
    (notes / "b" / "y.md").write_text("# T\n### Q\n- ![](image.png)\n", encoding="utf-8")
    report = build([notes], tmp_path / "out", download=False)
    assert report.media == 2
    import_package(col, report.package)
    assert sorted(p.read_bytes() for p in Path(col.media.dir()).iterdir()) == sorted(
        [png(1), png(2)]
    )
    assert {d.name for d in col.decks.all_names_and_ids()} >= {"a::x::T", "b::y::T"}


def test_build__image_outside_the_notes_folder_is_refused(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (tmp_path / "secret.png").write_bytes(png())
    (notes / "n.md").write_text("# T\n### Q\n- ![](../secret.png)\n", encoding="utf-8")
    with pytest.raises(
        StudydeckError, match=r"image '\.\./secret\.png' points outside the notes folder"
    ):
        build([notes], tmp_path / "out", download=False)
    assert_nothing_built(tmp_path / "out")


def test_build__unchanged_rebuild_reimports_as_nothing(
    notes_dir: Path, tmp_path: Path, col: Collection
) -> None:
    first = build([notes_dir], tmp_path / "out", download=False)
    import_package(col, first.package)
    again = build([notes_dir], tmp_path / "out", download=False)
    assert not again.written
    assert "up to date" in again.summary()
    log = import_package(col, again.package)
    assert (log.new, log.updated) == (0, 0)
    assert len(col.find_notes("")) == 24


def test_build__edited_answer_updates_one_note_and_keeps_its_reviews(
    notes_dir: Path, tmp_path: Path, col: Collection
) -> None:
    out = tmp_path / "out"
    import_package(col, build([notes_dir], out, download=False).package)
    (cid,) = col.find_cards('"Question:Encoder"')
    review_good(col, cid)
    assert col.db.scalar("select count() from revlog where cid = ?", cid) == 1

    # the edit comes within the same second as the first build: the note time must still move
    _edit(
        notes_dir / "ml-interview.md",
        "크게 두 네트워크로 이루어져 있다.",
        "두 개의 서브 네트워크로 구성된다.",
    )
    report = build([notes_dir], out, download=False)
    assert (report.written, report.changed) == (True, 1)

    log = import_package(col, report.package)
    assert (log.new, log.updated, log.duplicate) == (0, 1, 23)
    assert len(col.find_notes("")) == 24
    (nid,) = col.find_notes('"Question:Encoder"')
    assert "두 개의 서브 네트워크로 구성된다." in col.get_note(nid)["Answer"]
    assert col.find_cards('"Question:Encoder"') == [cid]
    assert col.db.scalar("select count() from revlog where cid = ?", cid) == 1


def test_build__same_question_in_two_topics_is_two_notes(tmp_path: Path, col: Collection) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n.md").write_text("# A\n### 정의\n- a\n# B\n### 정의\n- b\n", encoding="utf-8")
    import_package(col, build([notes], tmp_path / "out").package)
    assert len(col.find_notes('"Question:정의"')) == 2


def test_build__same_card_in_two_files_of_one_deck_is_an_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for name in ("a.md", "b.md"):
        (notes / name).write_text("---\ndeck: D\n---\n# T\n### Q\n- x\n", encoding="utf-8")
    with pytest.raises(StudydeckError) as err:
        build([notes], tmp_path / "out")
    assert str(err.value).startswith(
        f"{notes / 'b.md'}:5: two cards claim one Anki note: this one and {notes / 'a.md'}:5."
    )
    assert_nothing_built(tmp_path / "out")


def test_build__failed_write_leaves_no_partial_package(
    notes_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([notes_dir], out, download=False)
    good = (out / "notes.apkg").read_bytes()
    _edit(notes_dir / "ml-interview.md", "Seq2Seq의 문제점", "Seq2Seq 모델의 문제점")

    real_writestr = zipfile.ZipFile.writestr

    def explode(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> None:
        real_writestr(self, *args, **kwargs)  # the collection is in; the rest never follows
        raise KeyboardInterrupt

    monkeypatch.setattr(zipfile.ZipFile, "writestr", explode)
    with pytest.raises(KeyboardInterrupt):
        build([notes_dir], out, download=False)
    assert (out / "notes.apkg").read_bytes() == good
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    assert zipfile.is_zipfile(out / "notes.apkg")


def test_build__parallel_and_cached_builds_match_a_serial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for i in range(4):
        body = "".join(f"### Q{j}\n- answer {i} {j} $x_{j}$\n" for j in range(30))
        (notes / f"f{i}.md").write_text(f"# Topic {i}\n{body}", encoding="utf-8")
    serial = build([notes], tmp_path / "serial", jobs=1)
    monkeypatch.setattr(convert, "PARALLEL_MIN_BYTES", 0)
    parallel = build([notes], tmp_path / "parallel", jobs=2)
    assert (parallel.cards, parallel.parsed_files) == (120, 4)

    def notes_of(apkg: Path) -> bytes:
        with zipfile.ZipFile(apkg) as z:
            return z.read("collection.anki2")

    import sqlite3

    def rows(apkg: Path) -> list[tuple]:
        db = tmp_path / f"{apkg.parent.name}.db"
        db.write_bytes(notes_of(apkg))
        with sqlite3.connect(db) as con:
            return con.execute("select guid, flds, tags from notes order by guid").fetchall()

    assert rows(serial.package) == rows(parallel.package)
    _edit(notes / "f2.md", "answer 2 5", "answer two five")
    again = build([notes], tmp_path / "parallel", jobs=2)
    assert (again.parsed_files, again.reused_files, again.changed) == (1, 3, 1)


def test_package_path__names_the_deck_after_the_input(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "ml.md").write_text("# T\n")
    assert package_path([notes], Path("build")) == Path("build/notes.apkg")
    assert package_path([notes / "ml.md"], Path("build")) == Path("build/ml.apkg")
    assert package_path([notes, notes / "ml.md"], Path("out")) == Path("out/studydeck.apkg")
    assert package_path([notes], Path("deck.apkg")) == Path("deck.apkg")


def test_build__no_notes_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StudydeckError, match=r"no notes \(\*\.md files\)"):
        build([tmp_path], tmp_path / "out")
    assert os.listdir(tmp_path) == []
