"""Identity across edits, checked where it matters: re-imports into a real Anki collection."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from anki.collection import Collection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studydeck import apkg
from studydeck.build import build
from studydeck.errors import StudydeckError
from studydeck.identity import LOCK_NAME, Lock, dump_lock, load_identified, match, read_lock
from studydeck.notes import parse_text
from studydeck.tracking import DELETED_TAG

from .anki_client import import_package, review_good
from .conftest import assert_nothing_built


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _reviewed(col: Collection, question: str) -> int:
    (cid,) = col.find_cards(f'"Question:{question}"')
    review_good(col, cid)
    return cid


def _first_build(notes_dir: Path, tmp_path: Path, col: Collection) -> Path:
    out = tmp_path / "out"
    import_package(col, build([notes_dir], out, download=False).package)
    return out


def test_identity__reworded_question_updates_the_same_note(
    notes_dir: Path, tmp_path: Path, col: Collection
) -> None:
    out = _first_build(notes_dir, tmp_path, col)
    cid = _reviewed(col, "Attention이란?")
    _edit(
        notes_dir / "ml-interview.md",
        "### 02. Attention이란?",
        "### 02. 어텐션(Attention)은 무엇인가?",
    )
    report = build([notes_dir], out, download=False)
    (said,) = report.matched
    assert (
        "'어텐션(Attention)은 무엇인가?' is the card that was 'Attention › Attention이란?'" in said
    )
    assert report.deleted == ()

    log = import_package(col, report.package)
    assert (log.new, log.updated) == (0, 1)
    assert len(col.find_notes("")) == 24
    assert col.find_cards('"Question:어텐션(Attention)은 무엇인가?"') == [cid]
    assert col.db.scalar("select count() from revlog where cid = ?", cid) == 1


def test_identity__card_moved_to_another_topic_keeps_its_note(
    notes_dir: Path, tmp_path: Path, col: Collection
) -> None:
    out = _first_build(notes_dir, tmp_path, col)
    cid = _reviewed(col, "Attention Value")
    sample = notes_dir / "ml-interview.md"
    text = sample.read_text(encoding="utf-8")
    start = text.index("### 04. Attention Value")
    end = text.index("# 3. Transformer")
    section = text[start:end]
    text = text[:start] + text[end:]
    text = text.replace("### 12. 주의점", section.rstrip() + "\n\n### 12. 주의점")
    sample.write_text(text, encoding="utf-8")

    report = build([notes_dir], out, download=False)
    assert len(report.matched) == 1
    log = import_package(col, report.package)
    assert (log.new, log.updated) == (0, 1)
    (nid,) = col.find_notes('"Question:Attention Value"')
    assert col.get_note(nid)["Topics"] == "Transformer"
    assert col.find_cards('"Question:Attention Value"') == [cid]
    assert col.db.scalar("select count() from revlog where cid = ?", cid) == 1


def test_identity__replaced_content_is_a_new_note_and_the_old_one_is_tagged(
    notes_dir: Path, tmp_path: Path, col: Collection
) -> None:
    out = _first_build(notes_dir, tmp_path, col)
    _edit(
        notes_dir / "ml-interview.md",
        "### 04. Attention Value\n\n- Attention Value를 계산하는 다양한 방법 존재\n"
        "- 위에서는 Dot Product 방법을 사용하여 소개한다.",
        "### 04. Beam search란?\n\n- 매 시점 가장 좋은 k개의 후보 문장만 남기며 디코딩한다.",
    )
    report = build([notes_dir], out, download=False)
    assert report.matched == ()
    (gone,) = report.deleted
    assert gone.startswith("ml-interview.md:60: 'Attention Value' is gone from the notes")

    log = import_package(col, report.package)
    assert (log.new, log.updated) == (1, 1)
    (old,) = col.find_notes('"Question:Attention Value"')
    assert DELETED_TAG in col.get_note(old).tags
    assert col.find_notes(f"tag:{DELETED_TAG}") == [old]
    assert len(col.find_notes('"Question:Beam search란?"')) == 1


def test_identity__deleted_card_is_tagged_until_purged(
    notes_dir: Path, tmp_path: Path, col: Collection
) -> None:
    out = _first_build(notes_dir, tmp_path, col)
    cid = _reviewed(col, "주의점")
    sample = notes_dir / "ml-interview.md"
    text = sample.read_text(encoding="utf-8")
    start, end = text.index("### 12. 주의점"), text.index("# 4. Collaborative filtering")
    sample.write_text(text[:start] + text[end:], encoding="utf-8")

    report = build([notes_dir], out, download=False)
    assert len(report.deleted) == 1
    assert report.cards == 24  # carried once more, to carry the tag into Anki
    log = import_package(col, report.package)
    assert (log.new, log.updated) == (0, 1)
    (nid,) = col.find_notes(f"tag:{DELETED_TAG}")
    assert col.get_note(nid)["Question"] == "주의점"
    assert col.db.scalar("select count() from revlog where cid = ?", cid) == 1

    again = build([notes_dir], out, download=False)
    assert (again.written, again.deleted) == (False, ())  # reported once, then quiet

    # Another card changes later: the deleted note is still carried, unchanged, from the build
    # folder (its file's old version is gone from the cache by now).
    _edit(sample, "추천 시스템의 한 종류", "추천 시스템의 한 가지 방식")
    later = build([notes_dir], out, download=False)
    assert (later.cards, later.changed, later.deleted) == (24, 1, ())
    log = import_package(col, later.package)
    assert (log.new, log.updated) == (0, 1)
    assert col.find_notes(f"tag:{DELETED_TAG}") == [nid]

    purged = build([notes_dir], out, download=False, purge=True)
    assert (purged.purged, purged.cards) == (1, 23)
    assert "주의점" not in (notes_dir / LOCK_NAME).read_text(encoding="utf-8")


def test_identity__explicit_id_wins_over_any_rewrite(tmp_path: Path, col: Collection) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    note = notes / "n.md"
    note.write_text("# A\n### 정의 {#attn}\n- 가중치로 정보를 모은다\n", encoding="utf-8")
    out = tmp_path / "out"
    import_package(col, build([notes], out).package)
    note.write_text("# B\n### 완전히 다른 질문 {#attn}\n- 전혀 다른 답\n", encoding="utf-8")
    report = build([notes], out)
    assert (report.matched, report.deleted) == ((), ())
    log = import_package(col, report.package)
    assert (log.new, log.updated) == (0, 1)
    assert col.get_note(col.find_notes("")[0])["Question"] == "완전히 다른 질문"


def test_identity__two_cards_claiming_one_id_name_both_places(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("---\ndeck: D\n---\n# A\n### Q {#same}\n- a\n", encoding="utf-8")
    (notes / "b.md").write_text("---\ndeck: D\n---\n# A\n### R {#same}\n- b\n", encoding="utf-8")
    with pytest.raises(StudydeckError) as err:
        build([notes], tmp_path / "out")
    assert str(err.value).startswith(
        f"{notes / 'b.md'}:5: two cards claim one Anki note: this one and {notes / 'a.md'}:5."
    )
    assert_nothing_built(tmp_path / "out")
    assert not (notes / LOCK_NAME).exists()


def test_identity__building_one_file_leaves_the_others_cards_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# A\n### Q\n- a\n", encoding="utf-8")
    (notes / "b.md").write_text("# B\n### R\n- b\n", encoding="utf-8")
    build([notes], tmp_path / "out")
    before = (notes / LOCK_NAME).read_bytes()
    report = build([notes / "a.md"], tmp_path / "out")
    assert (report.deleted, report.cards) == ((), 1)
    assert (notes / LOCK_NAME).read_bytes() == before


def test_identity__unchanged_rebuild_keeps_the_lock_byte_for_byte(
    notes_dir: Path, tmp_path: Path
) -> None:
    build([notes_dir], tmp_path / "out", download=False)
    lock = (notes_dir / LOCK_NAME).read_bytes()
    shutil.rmtree(tmp_path / "out")  # even with no build folder at all
    build([notes_dir], tmp_path / "out", download=False)
    assert (notes_dir / LOCK_NAME).read_bytes() == lock
    assert dump_lock(read_lock(notes_dir / LOCK_NAME)) == lock


def test_read_lock__damaged_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / LOCK_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(
        StudydeckError, match=r"the lock file is damaged .*Restore it from version control"
    ):
        read_lock(tmp_path / LOCK_NAME)


def test_build__note_type_change_without_a_version_is_refused(
    notes_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apkg, "FIELDS", (*apkg.FIELDS, "Extra"))
    with pytest.raises(
        StudydeckError, match="differ from version 1's; Anki would import them as a new"
    ):
        build([notes_dir], tmp_path / "out", download=False)
    assert_nothing_built(tmp_path / "out")


def test_build__note_type_version_step_is_announced(
    notes_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build([notes_dir], tmp_path / "out", download=False)
    monkeypatch.setattr(apkg, "FIELDS", (*apkg.FIELDS, "Extra"))
    monkeypatch.setattr(
        apkg, "NOTE_TYPE_NAMES", {**apkg.NOTE_TYPE_NAMES, 2: (apkg.FIELDS, ("Recall",))}
    )
    monkeypatch.setattr(apkg, "NOTE_TYPE_VERSION", 2)
    monkeypatch.setattr("studydeck.build.NOTE_TYPE_VERSION", 2)
    report = build([notes_dir], tmp_path / "out", dry_run=True)
    (notice,) = report.notices
    assert notice.startswith("the studydeck note type changed from version 1 to 2.")
    assert "Change Note Type" in notice


# --- property: any sequence of edits keeps GUIDs unique and the lock stable ----------------

QUESTIONS = [
    "정의",
    "장점은?",
    "단점은?",
    "Attention이란?",
    "학습 방법",
    "예시",
    "Encoder",
    "복잡도",
]
ANSWERS = [
    "가중치로 정보를 모은다",
    "병렬화가 쉽다",
    "메모리를 많이 쓴다",
    "내적 후 softmax",
    "없음",
]
edits = st.lists(
    st.tuples(
        st.sampled_from(["add", "delete", "reword", "move", "rewrite"]),
        st.integers(0, 20),
        st.sampled_from(QUESTIONS),
        st.sampled_from(ANSWERS),
    ),
    min_size=1,
    max_size=8,
)


def _package_guids(apkg: Path, scratch: Path) -> list[str]:
    """Read the note GUIDs straight out of a built .apkg."""
    db = scratch / "collection.sqlite"
    with zipfile.ZipFile(apkg) as z:
        db.write_bytes(z.read("collection.anki2"))
    with closing(sqlite3.connect(db)) as con:
        return [guid for (guid,) in con.execute("select guid from notes")]


def _write(notes: Path, cards: list[tuple[str, str, str, str]]) -> None:
    for name in ("a.md", "b.md"):
        body = ""
        for file, topic, question, answer in cards:
            if file == name:
                body += f"# {topic}\n### {question}\n- {answer}\n"
        (notes / name).write_text(body or "# 빈 주제\n", encoding="utf-8")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits)
def test_identity__any_edit_sequence_keeps_guids_unique_and_lock_stable(
    tmp_path: Path, steps: list
) -> None:
    root = tmp_path / "prop"
    shutil.rmtree(root, ignore_errors=True)
    notes = root / "notes"
    notes.mkdir(parents=True)
    cards = [("a.md", "T1", "정의", "가중치로 정보를 모은다"), ("b.md", "T2", "예시", "번역")]
    for action, n, question, answer in steps:
        i = n % len(cards) if cards else 0
        if action == "add" or not cards:
            cards.append(("ab"[n % 2] + ".md", f"T{n % 3}", question, answer))
        elif action == "delete":
            cards.pop(i)
        elif action == "reword":
            cards[i] = (cards[i][0], cards[i][1], question + " 설명", cards[i][3])
        elif action == "move":
            cards[i] = ("b.md" if cards[i][0] == "a.md" else "a.md", f"T{n % 3}", *cards[i][2:])
        else:
            cards[i] = (*cards[i][:3], answer + " 그리고 " + question)
        # keep questions unique per file and topic, as the notes' author would
        cards = list({(c[0], c[1], c[2]): c for c in cards}.values())
        _write(notes, cards)
        report = build([notes], root / "out", download=False)
        guids = [e.guid for e in read_lock(notes / LOCK_NAME).entries.values()]
        assert len(guids) == len(set(guids))
        packaged = _package_guids(report.package, root)
        assert len(packaged) == len(set(packaged)) == report.cards
        assert report.cards == len(read_lock(notes / LOCK_NAME).entries)
        lock = (notes / LOCK_NAME).read_bytes()
        build([notes], root / "out", download=False)
        assert (notes / LOCK_NAME).read_bytes() == lock


def test_match__prefers_the_closest_old_card() -> None:
    old = parse_text(
        "# T\n### 정의\n- 가중치로 정보를 모은다\n### 장점\n- 병렬화가 쉽다\n", file="x.md"
    ).cards
    lock_text = "# T\n### 정의란?\n- 가중치로 정보를 모은다\n### 장점은?\n- 병렬화가 쉽다\n"
    new = parse_text(lock_text, file="x.md").cards
    from studydeck.identity import LockEntry, answer_digest, card_path

    lock = Lock(
        note_type=1,
        entries={
            c.guid: LockEntry(c.guid, card_path(c), "", answer_digest(c), f"x.md:{c.line}")
            for c in old
        },
    )
    matches, unclaimed = match(new, lock)
    assert [(m.how, m.guid) for m in matches] == [
        ("similar", old[0].guid),
        ("similar", old[1].guid),
    ]
    assert unclaimed == []


def test_load_identified__a_reworded_card_keeps_its_guid_before_any_build(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    note = notes / "n.md"
    note.write_text("# T\n### 정의\n- 가중치로 정보를 모은다\n", encoding="utf-8")
    build([notes], tmp_path / "out")
    (entry,) = read_lock(notes / LOCK_NAME).entries.values()
    lock = (notes / LOCK_NAME).read_bytes()
    note.write_text("# T\n### 어텐션의 정의는?\n- 가중치로 정보를 모은다\n", encoding="utf-8")
    (card,), _ = load_identified([notes])
    assert (card.question, card.guid) == ("어텐션의 정의는?", entry.guid)
    assert (notes / LOCK_NAME).read_bytes() == lock  # read-only


def test_matcher__settles_known_cards_at_once_and_waits_with_the_rest() -> None:
    from studydeck.identity import LockEntry, Matcher, answer_digest, card_path

    old, renamed, new = parse_text(
        "# T\n### 정의\n- 가중치로 정보를 모은다\n### 장점은?\n- 병렬화가 쉽다\n"
        "### 단점\n- 느리다\n",
        file="x.md",
    ).cards
    was = parse_text("# T\n### 장점\n- 병렬화가 쉽다\n", file="x.md").cards[0]
    lock = Lock(
        note_type=1,
        entries={
            c.guid: LockEntry(c.guid, card_path(c), "", answer_digest(c), f"x.md:{c.line}")
            for c in (old, was)
        },
    )
    matcher = Matcher(lock)
    first = matcher.offer(old)
    assert first is not None and (first.how, first.guid) == ("same", old.guid)
    assert matcher.offer(renamed) is None and matcher.offer(new) is None  # may be a rename
    settled, unclaimed = matcher.finish()
    assert [(m.card.question, m.how) for m in settled] == [("장점은?", "similar"), ("단점", "new")]
    assert settled[0].guid == was.guid and unclaimed == []
    assert Matcher(Lock()).offer(new) is not None  # nothing to recognise: settled at once


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab가 \n-*_`#>|Σσ")), max_size=900),
)
def test_answer_digest__only_the_start_is_cleaned_but_it_reads_as_the_whole(text: str) -> None:
    import re

    from studydeck.identity import ANSWER_CHARS, answer_digest

    (card,) = parse_text("# T\n### Q\n- x\n", file="x.md").cards
    card = replace(card, body=text)
    whole = re.sub(r"[\s*_`#>|\-]+", " ", text).strip().lower()[:ANSWER_CHARS]
    assert answer_digest(card) == whole
