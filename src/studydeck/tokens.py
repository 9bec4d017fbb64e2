"""Read what a section's markdown-it tokens hold: key points, images, and what will not render."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markdown_it.token import Token

from studydeck.cards import ImageRef, Point
from studydeck.errors import Diagnostic
from studydeck.markdown import IMG_SRC, img_src, inline_text

_UNSAFE_TAG = re.compile(r"<\s*(script|iframe|object|embed|style)\b", re.I)
_EVENT_ATTR = re.compile(r"<[^>]*\s(on[a-z]+)\s*=", re.I)
_DOLLAR = re.compile(r"(?<!\\)\$")
_CONTENT_TYPES = {"inline", "fence", "code_block", "html_block", "math_block", "math_block_label"}


def has_content(tokens: Iterable[Token]) -> bool:
    """Tell whether a section has anything to show (an empty bullet is nothing)."""
    return any(t.type in _CONTENT_TYPES and t.content.strip() for t in tokens)


def key_points(body: list[Token]) -> list[Point]:
    """Turn top-level bullets and paragraphs into points; nested bullets join their parent."""
    points: list[Point] = []
    opener: Token | None = None  # the top-level list item or paragraph being read
    depth = 0
    texts: list[str] = []
    phrases: list[str] = []
    for t in body:
        if opener is None:
            if not (
                (t.type == "list_item_open" and t.level == 1)
                or (t.type == "paragraph_open" and t.level == 0)
            ):
                continue
            opener, depth, texts, phrases = t, 0, [], []
        depth += t.nesting
        if t.type == "inline":
            texts.append(inline_text(t.children or [], phrases))
        if depth == 0:
            _add_point(points, texts, phrases, opener)
            opener = None
    if opener is not None:
        _add_point(points, texts, phrases, opener)
    return points


def _add_point(points: list[Point], texts: list[str], phrases: list[str], opener: Token) -> None:
    text = "\n".join(x for x in texts if x)
    if text:
        line = opener.map[0] + 1 if opener.map else 0
        points.append(Point(text=text, phrases=tuple(phrases), line=line))


def image_refs(body: list[Token]) -> list[ImageRef]:
    """List the images a section shows: Markdown images and raw ``<img>`` tags."""
    refs: list[ImageRef] = []
    for t in body:
        if "<" not in t.content and "![" not in t.content:
            continue  # neither a Markdown image nor raw HTML
        line = t.map[0] + 1 if t.map else 0
        if t.type == "inline":
            for c in t.children or []:
                if c.type == "image" and c.attrs.get("src"):
                    refs.append(ImageRef(src=str(c.attrs["src"]), line=line))
                elif c.type == "html_inline":
                    refs.extend(ImageRef(src=s, line=line) for s in _html_srcs(c.content))
        elif t.type == "html_block":
            refs.extend(ImageRef(src=s, line=line) for s in _html_srcs(t.content))
    return refs


def _html_srcs(html: str) -> list[str]:
    return [img_src(m) for m in IMG_SRC.finditer(html)]


def unbalanced_math(tokens: list[Token], file: str) -> list[Diagnostic]:
    """Warn about a ``$`` that opened no math: the rest of the line shows as plain text."""
    found: list[Diagnostic] = []
    for t in tokens:
        if t.type != "inline" or "$" not in t.content:
            continue
        children = t.children or []
        if not any(c.type == "text" and "$" in c.content for c in children):
            continue
        used = sum(
            2 if c.type == "math_inline" else 4 for c in children if c.type.startswith("math")
        )
        used += sum(c.content.count("$") for c in children if c.type == "code_inline")
        if len(_DOLLAR.findall(t.content)) > used:
            line = t.map[0] + 1 if t.map else 0
            found.append(
                Diagnostic(
                    file, line, "unbalanced $: math is not shown (write \\$ for a dollar sign)"
                )
            )
    return found


def unsafe_html(tokens: list[Token], file: str) -> list[Diagnostic]:
    """Warn about raw HTML that the renderer will drop: scripts, frames, event handlers."""
    found: list[Diagnostic] = []
    for t in tokens:
        if "<" not in t.content:
            continue
        pieces = [(t, t.content)] if t.type == "html_block" else []
        if t.type == "inline":
            pieces = [(t, c.content) for c in t.children or [] if c.type == "html_inline"]
        for owner, html in pieces:
            line = owner.map[0] + 1 if owner.map else 0
            for m in _UNSAFE_TAG.finditer(html):
                found.append(
                    Diagnostic(
                        file,
                        line,
                        f"<{m.group(1).lower()}> dropped: cards never run code from notes",
                    )
                )
            for m in _EVENT_ATTR.finditer(html):
                found.append(
                    Diagnostic(
                        file,
                        line,
                        f"'{m.group(1)}=' attribute dropped: cards never run code from notes",
                    )
                )
    return found
