"""The command line: Click wiring over the studydeck library, nothing more."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from studydeck import __version__
from studydeck.errors import Diagnostic, StudydeckError

F = TypeVar("F", bound=Callable[..., Any])

NOTES_ARG = click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")


def output_option(help: str) -> Callable[[F], F]:
    """Return the -o/--output option (default build/) with its own help text."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),
        default=Path("build"),
        show_default=True,
        help=help,
    )


def fails_cleanly(func: F) -> F:
    """Turn a StudydeckError into 'Error: …' on stderr and exit 1; Ctrl-C into exit 130."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StudydeckError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            # Everything studydeck writes is written whole or not at all: say so, no traceback.
            click.echo("Interrupted.", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def note_paths(paths: Sequence[Path]) -> list[Path]:
    """Default to ./notes when no PATH is given."""
    return list(paths) or [Path("notes")]


def show_warnings(warnings: Sequence[Diagnostic]) -> None:
    """Print warnings as 'file:line: warning: message' on stderr."""
    for w in warnings:
        prefix = f"{w.file}:{w.line}: " if w.line else (f"{w.file}: " if w.file else "")
        click.secho(f"{prefix}warning: {w.message}", err=True, fg="yellow")


def show_changes(report: Any) -> None:
    """Print a build report's warnings, notices, recognised cards and deletions."""
    show_warnings(report.warnings)
    for notice in report.notices:
        click.secho(f"note: {notice}", err=True, fg="cyan")
    for line in (*report.matched, *report.deleted):
        click.echo(line)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="studydeck")
def main() -> None:
    """Turn Markdown interview notes into Anki decks, and grade typed answers offline.

    \b
    Quick start:
      studydeck build notes/          # → build/notes.apkg, import it into Anki
      studydeck list notes/           # the cards, with the ids other commands take
      studydeck quiz notes/           # practise answering, graded as you type
      studydeck grade --card ID --answer "..."
    """


@main.command("build", short_help="Build an Anki deck (.apkg) from Markdown notes.")
@NOTES_ARG
@output_option("Folder for the .apkg (or a file name ending in .apkg).")
@click.option("--no-download", is_flag=True, help="Do not fetch remote images; keep their URLs.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option(
    "--purge", is_flag=True, help="Forget cards deleted from the notes (after you dealt with them)."
)
@fails_cleanly
def build_cmd(
    paths: tuple[Path, ...], output: Path, no_download: bool, quiet: bool, purge: bool
) -> None:
    """Build an Anki deck (.apkg) from Markdown notes (files or folders, *.md).

    Each '#' topic becomes a sub-deck and each question heading a card. Import the
    .apkg into Anki (File → Import); importing a rebuilt deck updates the changed
    notes in place and keeps your review history. Reworded or moved questions keep
    their Anki note (notes/.studydeck.lock remembers them: commit it with your
    notes); deleted ones are tagged studydeck::deleted in Anki until --purge.

    \b
    Examples:
      studydeck build                       # notes/ → build/notes.apkg
      studydeck build notes/ml.md -o out/   # one file → out/ml.apkg
      studydeck build --purge               # forget cards you deleted
    """
    from studydeck.build import build

    progress = None if quiet else (lambda msg: click.echo(msg, err=True))
    report = build(
        note_paths(paths), output, download=not no_download, progress=progress, purge=purge
    )
    show_changes(report)
    if not quiet:
        click.echo(report.summary())


@main.command("check", short_help="Report what a build would warn about or refuse.")
@NOTES_ARG
@output_option("The build folder whose last build to compare with.")
@fails_cleanly
def check_cmd(paths: tuple[Path, ...], output: Path) -> None:
    """Report what a build would warn about or refuse, without building (exit 1 if it would fail).

    Lists, with file:line, empty sections, duplicate questions, missing or unsafe
    images, unbalanced $, HTML that will be dropped, cards recognised after a rename
    or move, and cards deleted since the last build. Nothing is downloaded or written.

    \b
    Examples:
      studydeck check                 # check notes/
      studydeck check notes/ml.md
    """
    from studydeck.build import build

    report = build(note_paths(paths), output, dry_run=True)
    show_changes(report)
    for error in report.errors:
        click.secho(f"Error: {error}", err=True, fg="red")
    problems = f"{len(report.warnings)} warnings, {len(report.errors)} errors"
    click.echo(
        f"{report.cards} cards, {problems}: the build would {'fail' if report.errors else 'pass'}."
    )
    sys.exit(1 if report.errors else 0)


@main.command("list")
@NOTES_ARG
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per card.")
@fails_cleanly
def list_cmd(paths: tuple[Path, ...], as_json: bool) -> None:
    """List the cards the notes make, with their ids.

    The JSON keys (id, guid, deck, topics, question, answer, points, file, line)
    are stable: other tools read cards from here.

    \b
    Examples:
      studydeck list notes/
      studydeck list notes/ --json | jq '.[].id'
    """
    from studydeck.identity import load_identified
    from studydeck.text import card_record

    cards, warnings = load_identified(note_paths(paths))
    if as_json:
        click.echo(json.dumps([card_record(c) for c in cards], ensure_ascii=False, indent=2))
        return
    show_warnings(warnings)
    for card in cards:
        click.echo(f"{card.id}  {' › '.join(card.topics)} › {card.question}")


HISTORY_OPT = click.option(
    "--history",
    "history_path",
    type=click.Path(path_type=Path),
    envvar="STUDYDECK_HISTORY",
    show_envvar=True,
    help="The history file [default: history.sqlite3 in your user data folder,"
    " e.g. ~/.local/share/studydeck/ on Linux].",
)


@main.command("quiz", short_help="Self-test: type answers, see them graded.")
@NOTES_ARG
@click.option(
    "--topic",
    "topics",
    multiple=True,
    metavar="TEXT",
    help="Only cards under a topic containing TEXT (repeatable).",
)
@click.option(
    "--tag", "tags", multiple=True, metavar="TAG", help="Only cards with this tag (repeatable)."
)
@click.option(
    "-n",
    "count",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    metavar="COUNT",
    help="Ask at most COUNT cards.",
)
@HISTORY_OPT
@fails_cleanly
def quiz_cmd(
    paths: tuple[Path, ...],
    topics: tuple[str, ...],
    tags: tuple[str, ...],
    count: int,
    history_path: Path | None,
) -> None:
    """Self-test: type answers, see them graded, and practise what you know least.

    Cards come due and weakest first (cards never tried are due). Type the answer
    over as many lines as you like; an empty line ends it. ':s' skips a card and
    ':q' or Ctrl-D ends the quiz. After the feedback, 'o' overrides the verdict.
    Every graded answer is saved at once: stopping early loses nothing.

    \b
    Examples:
      studydeck quiz                         # 10 cards from notes/
      studydeck quiz notes/ --topic attention -n 5
      studydeck quiz --history ~/ml.sqlite3  # or set STUDYDECK_HISTORY
    """
    from studydeck.grader import grade, load_glossary
    from studydeck.history import History, default_path, utcnow
    from studydeck.identity import load_identified
    from studydeck.quiz import run, select
    from studydeck.terminal import TerminalQuiz

    cards, _ = load_identified(note_paths(paths))
    glossary = load_glossary(note_paths(paths))
    with History.open(history_path or default_path(), write=True) as history:
        chosen = select(
            cards, history.attempts(), topics=topics, tags=tags, count=count, now=utcnow()
        )
        ui = TerminalQuiz()
        run(
            chosen,
            history,
            lambda card, answer: grade(card, answer, glossary=glossary, deck=cards),
            read=ui.read,
            show=ui.show,
        )


@main.command("stats")
@NOTES_ARG
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON object (cards, topics, orphans)."
)
@HISTORY_OPT
@fails_cleanly
def stats_cmd(paths: tuple[Path, ...], as_json: bool, history_path: Path | None) -> None:
    """Show how each topic and card went in your quizzes, weakest first.

    A card's attempts follow it when its question is reworded or moved (as its Anki
    note does); attempts of cards no longer in the notes are listed as orphans.

    \b
    Examples:
      studydeck stats notes/
      studydeck stats --json | jq '.cards[:5][] | .id'
    """
    from studydeck.history import History, default_path, utcnow
    from studydeck.identity import load_identified
    from studydeck.stats import compute_stats, stats_record
    from studydeck.terminal import format_stats, use_color

    cards, _ = load_identified(note_paths(paths))
    path = history_path or default_path()
    with History.open(path, write=False) as history:
        result = compute_stats(cards, history.attempts(), now := utcnow())
    if as_json:
        click.echo(json.dumps(stats_record(result), ensure_ascii=False, indent=2))
        return
    click.echo(f"History: {path}\n")
    click.echo(format_stats(result, now, color=use_color(sys.stdout)))


_GRADE_STYLE = {
    "correct": {"fg": "green", "bold": True},
    "partial": {"fg": "yellow", "bold": True},
    "wrong": {"fg": "red", "bold": True},
    "hit": {"fg": "green"},
    "miss": {"fg": "red"},
}


@main.command("grade", short_help="Grade a typed answer offline, with no LLM.")
@NOTES_ARG
@click.option(
    "--card", "card_id", metavar="ID", help="The card's id, as 'studydeck list' prints it."
)
@click.option("--answer", metavar="TEXT", help="Your answer [default: read from stdin].")
@click.option(
    "--batch",
    type=click.File("r", encoding="utf-8"),
    metavar="FILE.jsonl",
    help='Grade {"id": ..., "answer": ...} lines; print one JSON result per line.',
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@fails_cleanly
def grade_cmd(
    paths: tuple[Path, ...], card_id: str | None, answer: str | None, batch: Any, as_json: bool
) -> None:
    """Grade a typed answer offline: correct / partial / wrong, and the points hit and missed.

    \b
    Examples:
      studydeck grade --card ml-interview/attention/attention이란 \\
          --answer "인코더 정보를 같이 보고 연관이 높으면 높은 가중치를 준다"
      echo "Query는 디코더, Key와 Value는 인코더" | studydeck grade notes/ --card ID --json
      studydeck grade notes/ --batch answers.jsonl > graded.jsonl
    """
    from studydeck.grading_io import grade_lines

    if batch is None and not card_id:
        raise click.UsageError("Give --card ID (see 'studydeck list'), or --batch FILE.")
    lines = grade_lines(
        note_paths(paths),
        card_id=card_id,
        answer=lambda: sys.stdin.read() if answer is None else answer,
        batch=batch,
        as_json=as_json,
    )
    for text, style in lines:
        click.secho(text, **_GRADE_STYLE.get(style, {}))
