"""Measure the grader on labelled answers: accuracy, macro-F1, false passes, misses.

Run: .venv/bin/python bench/grader_accuracy.py [FILE.jsonl ...] [--notes notes] [--show-errors]
     [--set NAME=VALUE ...] [--brief]

With no file it measures every labelled set in tests/data/: the main (tuning) set, the old
held-out set and the blind sets 1, 2, 3, … . Each blind set was written by someone who never saw
the grader and measured before anyone looked at its errors; the README says which later rounds
studied which sets.
``--set rarity=0`` grades with one ``Thresholds`` field changed.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from studydeck.cards import Card
from studydeck.grader import Glossary, Grade, Thresholds, grade, load_glossary
from studydeck.notes import load

LABELS = ("correct", "partial", "wrong")
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests/data"


def labelled_sets() -> list[Path]:
    """Return the labelled sets in their order: main, held-out, blind, blind2, blind3, …."""

    def order(path: Path) -> tuple[int, int]:
        name = path.stem.removeprefix("graded_answers")
        if not name:
            return (0, 0)
        if name == "_holdout":
            return (1, 0)
        digits = name.removeprefix("_blind")
        return (2, int(digits) if digits.isdigit() else 1)

    return sorted(DATA.glob("graded_answers*.jsonl"), key=order)


def measure(
    data: Path,
    by_id: Mapping[str, Card],
    glossary: Glossary,
    *,
    thresholds: Thresholds | None = None,
    show_errors: bool = False,
    brief: bool = False,
) -> None:
    """Grade every labelled answer in one file; print the figures and the confusion table."""
    rows = [json.loads(line) for line in data.read_text("utf-8").splitlines() if line.strip()]
    confusion: Counter[tuple[str, str]] = Counter()
    errors: list[tuple[dict[str, str], Grade]] = []
    deck = tuple(by_id.values())
    for row in rows:
        got = grade(
            by_id[row["id"]], row["answer"], glossary=glossary, thresholds=thresholds, deck=deck
        )
        confusion[row["label"], got.verdict] += 1
        if got.verdict != row["label"]:
            errors.append((row, got))

    n = len(rows)
    accuracy = sum(confusion[c, c] for c in LABELS) / max(n, 1)
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

    name = data.relative_to(ROOT) if data.is_relative_to(ROOT) else data
    if brief:
        table = " ".join("/".join(str(confusion[a, c]) for c in LABELS) for a in LABELS)
        print(
            f"{data.stem:<30} acc {accuracy:.3f}  F1 {sum(f1s) / 3:.3f}"
            f"  fp {false_pass:.3f}  miss {miss:.3f}  [{table}]"
        )
        return
    print(f"== {name}")
    print(f"answers            {n}")
    print(f"3-class accuracy   {accuracy:.3f}")
    print(f"macro-F1           {sum(f1s) / 3:.3f}")
    print(f"false-pass rate    {false_pass:.3f}  (graded correct when partial or wrong)")
    print(f"miss rate          {miss:.3f}  (graded wrong when correct)")
    print()
    print("label \\ graded   " + "".join(f"{c:>9}" for c in LABELS))
    for a in LABELS:
        print(f"{a:<16}" + "".join(f"{confusion[a, c]:>9}" for c in LABELS))
    if show_errors:
        print()
        for row, got in errors:
            scores = " ".join(f"{'✓' if r.hit else '✗'}{r.score:.2f}" for r in got.points)
            print(f"[{row['label']} → {got.verdict} {got.score:.2f}] {row['kind']:<10} {row['id']}")
            print(f"    {row['answer']}")
            print(f"    points: {scores}")
    print()


def main() -> None:
    """Measure each labelled file given (default: the main, held-out and all blind sets)."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("files", nargs="*", type=Path, help="labelled JSONL files")
    ap.add_argument("--data", type=Path, action="append", help="same as a file argument")
    ap.add_argument("--notes", type=Path, default=ROOT / "notes")
    ap.add_argument("--show-errors", action="store_true", help="list each misgraded answer")
    ap.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="a Thresholds field"
    )
    ap.add_argument("--brief", action="store_true", help="one line per file")
    args = ap.parse_args()
    fields = {f.name: f.type for f in dataclasses.fields(Thresholds)}
    changes: dict[str, float] = {}
    for item in args.set:
        name, _, value = item.partition("=")
        if name not in fields:
            ap.error(f"no Thresholds field {name!r}")
        changes[name] = int(value) if fields[name] in (int, "int") else float(value)
    thresholds = dataclasses.replace(Thresholds(), **changes)

    cards, _ = load([args.notes])
    by_id = {c.id: c for c in cards}
    glossary = load_glossary([args.notes])
    files = [*args.files, *(args.data or [])] or labelled_sets()
    for data in files:
        measure(
            data.resolve(),
            by_id,
            glossary,
            thresholds=thresholds,
            show_errors=args.show_errors,
            brief=args.brief,
        )


if __name__ == "__main__":
    main()
