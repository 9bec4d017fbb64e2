"""Measure the grader on the labelled answers: accuracy, macro-F1, false passes, misses.

Run: .venv/bin/python bench/grader_accuracy.py [--data tests/data/graded_answers.jsonl]
     [--notes notes] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from studydeck.grader import grade, load_glossary
from studydeck.notes import load

LABELS = ("correct", "partial", "wrong")
ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Grade every labelled answer and print the figures and the confusion table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT / "tests/data/graded_answers.jsonl")
    ap.add_argument("--notes", type=Path, default=ROOT / "notes")
    ap.add_argument("--show-errors", action="store_true", help="list each misgraded answer")
    args = ap.parse_args()

    cards, _ = load([args.notes])
    by_id = {c.id: c for c in cards}
    glossary = load_glossary([args.notes])
    rows = [json.loads(line) for line in args.data.read_text("utf-8").splitlines() if line.strip()]
    confusion: Counter[tuple[str, str]] = Counter()
    errors = []
    for row in rows:
        got = grade(by_id[row["id"]], row["answer"], glossary=glossary)
        confusion[row["label"], got.verdict] += 1
        if got.verdict != row["label"]:
            errors.append((row, got))

    n = len(rows)
    accuracy = sum(confusion[c, c] for c in LABELS) / n
    f1s = []
    for c in LABELS:
        tp = confusion[c, c]
        predicted = sum(confusion[x, c] for x in LABELS)
        actual = sum(confusion[c, x] for x in LABELS)
        p = tp / predicted if predicted else 0.0
        r = tp / actual if actual else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    not_correct = sum(confusion[x, y] for x in ("partial", "wrong") for y in LABELS)
    false_pass = sum(confusion[x, "correct"] for x in ("partial", "wrong")) / max(not_correct, 1)
    correct_total = sum(confusion["correct", y] for y in LABELS)
    miss = confusion["correct", "wrong"] / max(correct_total, 1)

    print(f"answers            {n}")
    print(f"3-class accuracy   {accuracy:.3f}")
    print(f"macro-F1           {sum(f1s) / 3:.3f}")
    print(f"false-pass rate    {false_pass:.3f}  (graded correct when partial or wrong)")
    print(f"miss rate          {miss:.3f}  (graded wrong when correct)")
    print()
    print("label \\ graded   " + "".join(f"{c:>9}" for c in LABELS))
    for a in LABELS:
        print(f"{a:<16}" + "".join(f"{confusion[a, c]:>9}" for c in LABELS))
    if args.show_errors:
        print()
        for row, got in errors:
            scores = " ".join(f"{'✓' if r.hit else '✗'}{r.score:.2f}" for r in got.points)
            print(f"[{row['label']} → {got.verdict} {got.score:.2f}] {row['kind']:<10} {row['id']}")
            print(f"    {row['answer']}")
            print(f"    points: {scores}")


if __name__ == "__main__":
    main()
