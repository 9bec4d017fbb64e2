"""Measure grading speed: ms per answer, batch answers/s on one core, whole-process time.

Run: .venv/bin/python bench/grader_speed.py
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from studydeck.grader import grade, load_glossary
from studydeck.notes import load

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Print the median single-answer time, batch throughput and CLI wall time."""
    t0 = time.perf_counter()
    cards, _ = load([ROOT / "notes"])
    glossary = load_glossary([ROOT / "notes"])
    print(f"start-up (load notes + glossary)   {1000 * (time.perf_counter() - t0):.0f} ms")
    by_id = {c.id: c for c in cards}
    data = ROOT / "tests/data/graded_answers.jsonl"
    rows = [json.loads(x) for x in data.read_text("utf-8").splitlines() if x.strip()]
    pairs = [(by_id[r["id"]], r["answer"]) for r in rows]
    for card, answer in pairs:  # warm the per-card caches, as a quiz session would
        grade(card, answer, glossary=glossary, deck=cards)

    times = []
    for _ in range(5):
        for card, answer in pairs:
            t = time.perf_counter()
            grade(card, answer, glossary=glossary, deck=cards)
            times.append(time.perf_counter() - t)
    print(f"median time per answer             {1000 * statistics.median(times):.2f} ms")
    print(
        f"95th percentile                    {1000 * sorted(times)[int(len(times) * 0.95)]:.2f} ms"
    )

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    n = 0
    t = time.perf_counter()
    while time.perf_counter() - t < 3:
        for card, answer in pairs:
            grade(card, answer, glossary=glossary, deck=cards)
        n += len(pairs)
    print(f"batch throughput (one core)        {n / (time.perf_counter() - t):.0f} answers/s")

    exe = shutil.which("studydeck", path=str(Path(sys.executable).parent)) or "studydeck"
    cmd = [
        exe,
        "grade",
        str(ROOT / "notes"),
        "--card",
        "ml-interview/transformer/transformer란",
        "--answer",
        "인코더-디코더 구조에 어텐션만 쓴 모델",
        "--json",
    ]
    walls = []
    for _ in range(7):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        walls.append(time.perf_counter() - t)
    print(
        f"'studydeck grade' whole process    {1000 * statistics.median(walls):.0f} ms (median of 7)"
    )


if __name__ == "__main__":
    main()
