from __future__ import annotations

from pathlib import Path

import pytest

from studydeck.errors import StudydeckError
from studydeck.media import (
    MediaStore,
    is_inline_data,
    is_remote,
    local_file,
    packaged_name,
    write_atomic,
)

from .conftest import png


def test_packaged_name__depends_on_content_not_file_name() -> None:
    assert packaged_name(png(1), ".PNG") == packaged_name(png(1), ".png")
    assert packaged_name(png(1), ".png") != packaged_name(png(2), ".png")
    assert packaged_name(png(1), ".png").startswith("studydeck-")
    assert packaged_name(b"x", "").endswith(".bin")


def test_is_remote_and_inline_data__classify_sources() -> None:
    assert is_remote("https://a.org/x.png") and is_remote("HTTP://a.org/x.png")
    assert not is_remote("img/x.png")
    assert is_inline_data("data:image/png;base64,AAAA")
    assert not is_inline_data("img/x.png")
    assert not is_inline_data("C:/x.png")  # a Windows drive letter is a path, not a scheme


def test_local_file__resolves_relative_and_percent_encoded(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "my diagram.png").write_bytes(png())
    note = tmp_path / "n.md"
    assert local_file("img/my%20diagram.png", note, tmp_path) == tmp_path / "img" / "my diagram.png"


def test_local_file__refuses_paths_outside_the_notes_folder(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for src in ("../x.png", "/etc/passwd", "img/../../x.png"):
        with pytest.raises(StudydeckError, match="points outside the notes folder"):
            local_file(src, notes / "n.md", notes)


def test_local_file__refuses_a_symlink_that_leaves_the_folder(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (tmp_path / "secret.png").write_bytes(png())
    (notes / "link.png").symlink_to(tmp_path / "secret.png")
    with pytest.raises(StudydeckError, match="points outside the notes folder"):
        local_file("link.png", notes / "n.md", notes)


def test_media_store__downloads_once_then_serves_from_cache(
    tmp_path: Path, http_root: tuple[str, Path]
) -> None:
    base, www = http_root
    (www / "a.png").write_bytes(png(3))
    store = MediaStore(tmp_path / "cache")
    found, failed = store.fetch_all([f"{base}/a.png", f"{base}/missing.png"])
    assert failed == [f"{base}/missing.png"]
    media = found[f"{base}/a.png"]
    assert media.name == packaged_name(png(3), ".png")
    assert media.path.read_bytes() == png(3)

    (www / "a.png").unlink()  # the server no longer has it: the cache must answer
    again, failed = MediaStore(tmp_path / "cache").fetch_all([f"{base}/a.png"])
    assert (again[f"{base}/a.png"].name, failed) == (media.name, [])


def test_media_store__no_download_fetches_nothing(
    tmp_path: Path, http_root: tuple[str, Path]
) -> None:
    base, www = http_root
    (www / "a.png").write_bytes(png())
    found, failed = MediaStore(tmp_path / "cache", download=False).fetch_all([f"{base}/a.png"])
    assert (found, failed) == ({}, [f"{base}/a.png"])
    assert not (tmp_path / "cache").exists()


def test_write_atomic__failure_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
