from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from studydeck import __version__
from studydeck.cli import main

from .conftest import FIXTURES, png


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("command", sorted(main.commands))
def test_main__every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage: main " + command in result.output
    assert "Example" in result.output


def test_main__version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.output == f"studydeck, version {__version__}\n"


def test_build__prints_summary_and_warnings(
    runner: CliRunner, notes_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(notes_dir), "-o", str(out), "--no-download"])
    assert result.exit_code == 0, result.output
    sample = notes_dir / "ml-interview.md"
    assert result.stderr.splitlines()[:4] == [
        f"{sample}:218: warning: no content yet under 'Few-Shot Learning이란?'",
        f"{sample}:230: warning: no content yet under 'Federated Learning'",
        f"{sample}:232: warning: no content yet under 'SVD'",
        f"{sample}:234: warning: no content yet under '중심극한정리'",
    ]
    assert "warning: 8 remote images could not be downloaded" in result.stderr
    first, second = result.stdout.splitlines()
    assert first.startswith(
        f"Wrote {out / 'notes.apkg'}: 4 decks, 24 cards (24 new or changed), "
        "0 media files, 5 warnings in "
    )
    assert second == "Import it into Anki with File → Import."
    assert (out / "notes.apkg").is_file()

    again = runner.invoke(main, ["build", str(notes_dir), "-o", str(out), "--no-download", "-q"])
    assert again.exit_code == 0
    assert again.stdout == ""


def test_build__up_to_date_message(runner: CliRunner, tmp_path: Path) -> None:
    notes = tmp_path / "n"
    notes.mkdir()
    (notes / "a.md").write_text("# T\n### Q\n- a\n", encoding="utf-8")
    runner.invoke(main, ["build", str(notes), "-o", str(tmp_path / "out")])
    result = runner.invoke(main, ["build", str(notes), "-o", str(tmp_path / "out")])
    assert (
        result.stdout == f"{tmp_path / 'out' / 'n.apkg'}: up to date (1 cards, nothing changed).\n"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("latin1.md", "latin1.md:5: this file is not UTF-8 text (byte 0xe9). Save it as UTF-8"),
        ("broken_front_matter.md", "broken_front_matter.md:2: broken front matter"),
        ("missing.md", "missing.md: no such file or folder. Check the path you gave."),
    ],
)
def test_build__bad_input_exits_1_with_file_and_line(
    runner: CliRunner, tmp_path: Path, name: str, expected: str
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(FIXTURES / name), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {FIXTURES}/{expected}")
    assert "Traceback" not in result.output
    assert not out.exists()


def test_build__unsafe_image_path_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (tmp_path / "x.png").write_bytes(png())
    (notes / "n.md").write_text("# T\n### Q\n- ![](../x.png)\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(notes), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {notes / 'n.md'}:3: image '../x.png' points outside the notes folder {notes}. "
        "Move the image into the notes folder and link it with a relative path.\n"
    )


def test_build__unreadable_file_exits_1(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = tmp_path / "n.md"
    note.write_text("# T\n")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)  # as root, chmod 0 would not stop a read
    result = runner.invoke(main, ["build", str(note), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {note}: cannot read this file (Permission denied). "
        "Check that it exists and is readable.\n"
    )


def test_build__bad_flag_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "--no-such-flag"])
    assert result.exit_code == 2
    assert "Error: No such option '--no-such-flag'." in result.output


def test_list__json_has_stable_keys(runner: CliRunner, notes_dir: Path) -> None:
    result = runner.invoke(main, ["list", str(notes_dir), "--json"])
    assert result.exit_code == 0
    cards = json.loads(result.stdout)
    assert len(cards) == 24
    first = cards[0]
    assert {k: first[k] for k in ("id", "deck", "topics", "question", "points", "line")} == {
        "id": "ml-interview/loss-surface/loss-surface란",
        "deck": "ml-interview::Loss Surface",
        "topics": ["Loss Surface"],
        "question": "Loss Surface란?",
        "points": ["고차원 목적 함수를 사람이 이해할 수 있도록 3차원 공간안에 표현하는 방법"],
        "line": 25,
    }
    assert first["file"] == str(notes_dir / "ml-interview.md")
    assert len(first["guid"]) == 10
    assert first["answer"].startswith("- 고차원")


def test_list__plain_shows_ids_and_topic_paths(runner: CliRunner, notes_dir: Path) -> None:
    result = runner.invoke(main, ["list", str(notes_dir)])
    assert result.stdout.splitlines()[2] == "ml-interview/attention/배경  Attention › 배경"


def test_check__reports_everything_and_exits_1_when_the_build_would_fail(
    runner: CliRunner, notes_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert (
        runner.invoke(main, ["build", str(notes_dir), "-o", str(out), "--no-download"]).exit_code
        == 0
    )
    sample = notes_dir / "ml-interview.md"
    text = sample.read_text(encoding="utf-8")
    text = text.replace("### 02. Attention이란?", "### 02. 어텐션이란 무엇인가?")
    start, end = text.index("### 12. 주의점"), text.index("# 4. Collaborative filtering")
    sample.write_text(text[:start] + text[end:], encoding="utf-8")
    (notes_dir / "bad.md").write_text(
        "# X\n### Y\n- cost $5 here <script>x()</script>\n- ![](missing.png) ![](../../out.png)\n",
        encoding="utf-8",
    )
    before = {p: p.read_bytes() for p in [*notes_dir.iterdir(), *out.iterdir()] if p.is_file()}

    result = runner.invoke(main, ["check", str(notes_dir), "-o", str(out)])
    assert result.exit_code == 1
    bad = notes_dir / "bad.md"
    assert result.stderr.splitlines()[:4] == [
        f"{bad}:3: warning: <script> dropped: cards never run code from notes",
        f"{bad}:3: warning: unbalanced $: math is not shown (write \\$ for a dollar sign)",
        f"{bad}:4: warning: image 'missing.png' not found",
        f"{sample}:210: warning: no content yet under 'Few-Shot Learning이란?'",
    ]
    assert f"Error: {bad}:4: image '../../out.png' points outside the notes folder" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        f"{sample}:46: '어텐션이란 무엇인가?' is the card that was 'Attention › Attention이란?'"
    )
    assert lines[1].startswith("ml-interview.md:164: '주의점' is gone from the notes")
    assert lines[2] == "25 cards, 7 warnings, 1 errors: the build would fail."
    after = {p: p.read_bytes() for p in [*notes_dir.iterdir(), *out.iterdir()] if p.is_file()}
    assert after == before  # a dry run writes nothing


def test_check__clean_notes_exit_0(runner: CliRunner, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# T\n### Q\n- a\n", encoding="utf-8")
    result = runner.invoke(main, ["check", str(notes), "-o", str(tmp_path / "out")])
    assert (result.exit_code, result.stdout) == (
        0,
        "1 cards, 0 warnings, 0 errors: the build would pass.\n",
    )
    assert not (notes / ".studydeck.lock").exists()


def test_build__purge_forgets_deleted_cards(runner: CliRunner, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# T\n### Q\n- a\n### R\n- r\n", encoding="utf-8")
    out = str(tmp_path / "out")
    runner.invoke(main, ["build", str(notes), "-o", out])
    (notes / "a.md").write_text("# T\n### Q\n- a\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(notes), "-o", out])
    assert result.stdout.splitlines()[0] == (
        "a.md:4: 'R' is gone from the notes: its Anki note gets the tag studydeck::deleted "
        "(search tag:studydeck::deleted in Anki)"
    )
    purged = runner.invoke(main, ["build", str(notes), "-o", out, "--purge"])
    assert "Forgot 1 deleted cards." in purged.stdout
    assert "'R'" not in (notes / ".studydeck.lock").read_text(encoding="utf-8")


def test_main__ctrl_c_exits_130_without_a_traceback(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("studydeck.build.build", interrupted)
    result = runner.invoke(main, ["build", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (130, "Interrupted.\n")


def test_grade__prints_no_note_warnings(runner: CliRunner, notes_dir: Path) -> None:
    card = "ml-interview/attention/배경"
    result = runner.invoke(main, ["grade", str(notes_dir), "--card", card, "--answer", "x"])
    assert result.exit_code == 0
    assert result.stderr == ""
