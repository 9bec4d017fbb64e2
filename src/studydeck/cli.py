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


def fails_cleanly(func: F) -> F:
    """Turn a StudydeckError into 'Error: …' on stderr and exit status 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StudydeckError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def note_paths(paths: Sequence[Path]) -> list[Path]:
    """Default to ./notes when no PATH is given."""
    return list(paths) or [Path("notes")]


def show_warnings(warnings: Sequence[Diagnostic]) -> None:
    """Print warnings as 'file:line: warning: message' on stderr."""
    for w in warnings:
        prefix = f"{w.file}:{w.line}: " if w.line else (f"{w.file}: " if w.file else "")
        click.secho(f"{prefix}warning: {w.message}", err=True, fg="yellow")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="studydeck")
def main() -> None:
    """Turn Markdown interview notes into Anki decks, and grade typed answers offline.

    \b
    Quick start:
      studydeck build notes/          # → build/notes.apkg, import it into Anki
      studydeck list notes/ --json    # the cards, with the ids other commands take
    """


@main.command("build")
@NOTES_ARG
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder for the .apkg (or a file name ending in .apkg).",
)
@click.option("--no-download", is_flag=True, help="Do not fetch remote images; keep their URLs.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@fails_cleanly
def build_cmd(paths: tuple[Path, ...], output: Path, no_download: bool, quiet: bool) -> None:
    """Build an Anki deck (.apkg) from Markdown notes (files or folders, *.md).

    Each '#' topic becomes a sub-deck and each question heading a card. Import the
    .apkg into Anki (File → Import); importing a rebuilt deck updates the changed
    notes in place and keeps your review history.

    \b
    Examples:
      studydeck build                       # notes/ → build/notes.apkg
      studydeck build notes/ml.md -o out/   # one file → out/ml.apkg
    """
    from studydeck.build import build

    progress = None if quiet else (lambda msg: click.echo(msg, err=True))
    report = build(note_paths(paths), output, download=not no_download, progress=progress)
    show_warnings(report.warnings)
    if not quiet:
        click.echo(report.summary())


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
    from studydeck.notes import load
    from studydeck.text import card_record

    cards, warnings = load(note_paths(paths))
    if as_json:
        click.echo(json.dumps([card_record(c) for c in cards], ensure_ascii=False, indent=2))
        return
    show_warnings(warnings)
    for card in cards:
        click.echo(f"{card.id}  {' › '.join(card.topics)} › {card.question}")
