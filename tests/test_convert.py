"""Converting files on all cores: results come back in the notes' order, errors in their turn."""

from __future__ import annotations

from pathlib import Path

import pytest

from studydeck import convert
from studydeck.convert import FileResult, Job, ResultCache, convert_each
from studydeck.errors import StudydeckError


def _jobs(folder: Path, count: int, broken: int | None = None) -> list[Job]:
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for i in range(count):
        body = "".join(f"### Q{i}-{j}\n- answer {i} {j} $x_{j}$\n" for j in range(20))
        data = f"# Topic {i}\n{body}".encode()
        if i == broken:
            data += "\n- caf\xe9\n".encode("latin-1")  # not UTF-8
        path = folder / f"f{i}.md"
        path.write_bytes(data)
        jobs.append(Job(f"key{i}", path, folder, data))
    return jobs


def _questions(result: FileResult | StudydeckError) -> list[str]:
    assert isinstance(result, FileResult)
    return [card.question for card in result.cards]


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "PARALLEL_MIN_BYTES", 0)


@pytest.mark.usefixtures("parallel")
@pytest.mark.parametrize("cached", [True, False])
def test_convert_each__parallel_results_come_in_file_order(tmp_path: Path, cached: bool) -> None:
    jobs = _jobs(tmp_path / "notes", 7)
    cache = ResultCache(tmp_path / "cache" if cached else None)
    out = list(convert_each(jobs, tmp_path / "dl", download=False, cache=cache, workers=2))
    serial = list(convert_each(jobs, tmp_path / "dl", download=False, workers=1))
    assert [job.file.name for job, _ in out] == [f"f{i}.md" for i in range(7)]
    assert [_questions(r) for _, r in out] == [_questions(r) for _, r in serial]
    assert [r.rows for _, r in out] == [r.rows for _, r in serial]  # type: ignore[union-attr]
    if cached:  # every file is in the cache, whichever process converted it
        assert all(cache.get(job.key) is not None for job in jobs)


@pytest.mark.usefixtures("parallel")
def test_convert_each__an_error_is_raised_in_its_turn(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path / "notes", 6, broken=3)
    stream = convert_each(jobs, tmp_path / "dl", download=False, workers=2)
    first = [next(stream)[0].file.name for _ in range(3)]
    assert first == ["f0.md", "f1.md", "f2.md"]
    with pytest.raises(StudydeckError, match=r"f3\.md"):
        next(stream)


@pytest.mark.usefixtures("parallel")
def test_convert_each__keep_going_yields_the_error_in_its_place(tmp_path: Path) -> None:
    jobs = _jobs(tmp_path / "notes", 6, broken=3)
    out = list(convert_each(jobs, tmp_path / "dl", download=False, workers=2, keep_going=True))
    kinds = [type(result).__name__ for _, result in out]
    assert kinds == ["FileResult"] * 3 + ["StudydeckError"] + ["FileResult"] * 2
    assert "not UTF-8" in str(out[3][1])
