"""Parse Markdown study notes into cards.

A file's question level is its deepest heading level (or ``question_level`` in
its front matter). Headings above it are topics; a heading at it whose section
has content is a card. Everything here is pure: warnings come back as data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import genanki
import yaml
from markdown_it.token import Token

from studydeck.cards import Card
from studydeck.errors import Diagnostic, StudydeckError
from studydeck.markdown import inline_text, parser
from studydeck.tokens import has_content, image_refs, key_points, unbalanced_math, unsafe_html

_NUMBERING = re.compile(r"^\s*\d+(?:\.\d+)*[.)]\s+")
_FRONT_MATTER_KEYS = {"deck", "tags", "question_level"}
_ANCHOR = re.compile(r"\s*\{#([\w.-]+)\}\s*$")


@dataclass(frozen=True)
class ParsedFile:
    """The cards of one notes file, in order, and the warnings found on the way."""

    file: str
    deck: str
    cards: tuple[Card, ...]
    warnings: tuple[Diagnostic, ...]


def clean_title(title: str) -> str:
    """Drop a numbering prefix (``1.``, ``01.``, ``2.3)``) and surrounding spaces."""
    return _NUMBERING.sub("", title).strip()


@lru_cache(maxsize=1024)  # a file's cards repeat the same few topics
def tag_for(name: str) -> str:
    """Make an Anki tag from a topic or file name: whitespace becomes ``_``, nothing is dropped."""
    return re.sub(r"\s+", "_", name.strip()).replace('"', "'")


@lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """Make a readable id part: lower case, letters and digits kept (Korean too), ``-`` between."""
    text = unicodedata.normalize("NFC", text).lower()
    words = re.findall(r"\w+", text.replace("_", " "))
    return "-".join(words) or "x"


def decode(data: bytes, file: str) -> str:
    """Decode UTF-8 notes (BOM allowed), or raise naming the line of the first bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise StudydeckError(
            f"this file is not UTF-8 text (byte 0x{data[exc.start]:02x}).",
            file=file,
            line=line,
            fix="Save it as UTF-8 and build again.",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_text(text: str, *, file: str = "<string>", deck: str = "notes") -> ParsedFile:
    """Parse one notes file's text into cards; ``deck`` is used unless front matter sets one."""
    text = unicodedata.normalize("NFC", text)
    tokens = parser().parse(text)
    lines = text.split("\n")
    warnings: list[Diagnostic] = []
    meta = _front_matter(tokens, file, warnings)
    deck = str(meta.get("deck") or deck)
    extra_tags = _as_tags(meta.get("tags"), file)
    headings = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.level == 0]
    level = meta.get("question_level") or max((int(tokens[i].tag[1]) for i in headings), default=0)
    warnings.extend(unsafe_html(tokens, file))
    warnings.extend(unbalanced_math(tokens, file))
    file_tag = tag_for(Path(file).stem) if file != "<string>" else ""

    cards: list[Card] = []
    stack: list[tuple[int, str]] = []
    seen: dict[tuple[tuple[str, ...], str], int] = {}
    anchors: dict[str, int] = {}
    depths = [int(tokens[i].tag[1]) for i in headings]
    for n, start in enumerate(headings):
        head = tokens[start]
        depth = depths[n]
        # A section runs to the next heading at its level or above; deeper ones belong to it.
        after, stop = n + 1, max(depth, level)
        while after < len(headings) and depths[after] > stop:
            after += 1
        end = headings[after] if after < len(headings) else len(tokens)
        inline = tokens[start + 1]
        title, anchor = split_anchor(inline_text(inline.children or []) or inline.content)
        title = clean_title(title)
        line = head.map[0] + 1 if head.map else 0
        body = tokens[start + 3 : end]
        if depth < level:
            stack = [(d, t) for d, t in stack if d < depth] + [(depth, title)]
            nxt = depths[n + 1] if n + 1 < len(headings) else 0
            if not has_content(body) and not nxt > depth:
                warnings.append(Diagnostic(file, line, f"no content yet under '{title}'"))
            continue
        if depth > level:
            continue  # deeper than the question level set in front matter: part of the answer
        topics = tuple(t for d, t in stack if d < depth)
        if not has_content(body):
            warnings.append(Diagnostic(file, line, f"no content yet under '{title}'"))
            continue
        key = (topics, title)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            where = " / ".join((*topics, title))
            warnings.append(
                Diagnostic(file, line, f"duplicate question '{where}' (kept as a second card)")
            )
        if anchor and anchor in anchors:
            raise StudydeckError(
                f"the id {{#{anchor}}} is already used at line {anchors[anchor]}.",
                file=file,
                line=line,
                fix="Give each card its own {#id}.",
            )
        anchors[anchor] = line
        first = head.map[1] if head.map else 0
        last = tokens[end].map[0] if end < len(tokens) and tokens[end].map else len(lines)
        section = _Section(deck, topics, title, anchor, seen[key], body, line)
        tags = (file_tag, *map(tag_for, topics), *extra_tags)
        cards.append(_card(section, "\n".join(lines[first:last]).strip("\n"), tags, file))
    warnings.sort(key=lambda w: w.line)
    return ParsedFile(file=file, deck=deck, cards=tuple(cards), warnings=tuple(warnings))


@dataclass(frozen=True)
class _Section:
    deck: str
    topics: tuple[str, ...]
    title: str
    anchor: str
    occurrence: int  # 1 for the first card with this topic path and question, 2 for the next…
    tokens: list[Token]
    line: int


def _card(section: _Section, body: str, tags: Iterable[str], file: str) -> Card:
    deck, topics, title = section.deck, section.topics, section.title
    again = (str(section.occurrence),) if section.occurrence > 1 else ()
    if section.anchor:
        card_id = f"{slug(deck)}/{section.anchor}"
        guid = genanki.guid_for("studydeck-id", deck, section.anchor)
    else:
        card_id = "/".join(slug(p) for p in (deck, *topics, title)) + "".join(
            f"-{n}" for n in again
        )
        guid = genanki.guid_for(deck, *topics, title, *again)
    return Card(
        id=card_id,
        guid=guid,
        deck="::".join((deck, topics[0])) if topics else deck,
        topics=topics,
        question=title,
        body=body,
        points=tuple(key_points(section.tokens)),
        images=tuple(image_refs(section.tokens)),
        tags=tuple(dict.fromkeys(t for t in tags if t)),
        file=file,
        line=section.line,
        anchor=section.anchor,
        tokens=tuple(section.tokens),
    )


def split_anchor(title: str) -> tuple[str, str]:
    """Split an explicit card id off a heading: ``Attention이란? {#attention}`` → both parts."""
    m = _ANCHOR.search(title)
    return (title[: m.start()], m.group(1)) if m else (title, "")


def find_notes(paths: Sequence[Path]) -> list[tuple[Path, Path]]:
    """Expand files and folders (recursively, ``*.md``) into ``(file, root)`` pairs, sorted.

    ``root`` is the folder the user named (or the file's own folder): decks are named
    from paths below it, and images may not point outside it.
    """
    found: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*.md")):
                hidden = any(part.startswith(".") for part in file.relative_to(path).parts)
                if file.is_file() and not hidden:
                    found.setdefault(file, path)
        elif path.is_file():
            found.setdefault(path, path.parent)
        else:
            raise StudydeckError(
                "no such file or folder.", file=str(path), fix="Check the path you gave."
            )
    return list(found.items())


def deck_name(file: Path, root: Path) -> str:
    """Name a file's deck: its folders below ``root`` become parent decks, its stem the deck."""
    rel = file.relative_to(root).with_suffix("")
    return "::".join(rel.parts)


def parse_file(file: Path, root: Path) -> ParsedFile:
    """Read and parse one notes file; raise with file and line on unreadable or bad input."""
    data = read_bytes(file)
    return parse_text(decode(data, str(file)), file=str(file), deck=deck_name(file, root))


def read_bytes(file: Path) -> bytes:
    """Read a notes file, or raise naming it and the reason."""
    try:
        return file.read_bytes()
    except OSError as exc:
        raise StudydeckError(
            f"cannot read this file ({exc.strerror}).",
            file=str(file),
            fix="Check that it exists and is readable.",
        ) from None


def load(paths: Sequence[Path]) -> tuple[list[Card], list[Diagnostic]]:
    """Parse every notes file under ``paths``; return all cards and all warnings."""
    cards: list[Card] = []
    warnings: list[Diagnostic] = []
    for file, root in find_notes(paths):
        parsed = parse_file(file, root)
        cards.extend(parsed.cards)
        warnings.extend(parsed.warnings)
    return cards, warnings


def _front_matter(tokens: list[Token], file: str, warnings: list[Diagnostic]) -> dict[str, Any]:
    if not tokens or tokens[0].type != "front_matter":
        return {}
    try:
        meta = yaml.safe_load(tokens[0].content) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        problem = getattr(exc, "problem", None) or "it is not valid YAML"
        raise StudydeckError(
            f"broken front matter: {problem}.",
            file=file,
            line=line,
            fix="Fix the YAML between the '---' lines (e.g. 'deck: My deck').",
        ) from None
    if not isinstance(meta, dict):
        raise StudydeckError(
            "front matter must be 'key: value' lines.",
            file=file,
            line=1,
            fix="Write e.g. 'deck: My deck' between the '---' lines.",
        )
    for key in meta:
        if key not in _FRONT_MATTER_KEYS:
            known = ", ".join(sorted(_FRONT_MATTER_KEYS))
            warnings.append(
                Diagnostic(file, 1, f"unknown front matter key '{key}' (known: {known})")
            )
    level = meta.get("question_level")
    if level is not None and (not isinstance(level, int) or not 1 <= level <= 6):
        raise StudydeckError(
            f"question_level must be a heading level from 1 to 6, not {level!r}.",
            file=file,
            line=1,
            fix="Write e.g. 'question_level: 3' for '###' questions.",
        )
    return meta


def _as_tags(value: object, file: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list):
        raise StudydeckError(
            "front matter 'tags' must be a list or a space-separated string.",
            file=file,
            line=1,
            fix="Write e.g. 'tags: [ml, interview]'.",
        )
    return [tag_for(str(v)) for v in value if str(v).strip()]
