"""The one markdown-it-py configuration that the parser and the renderers share."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

# A raw ``<img src=…>``: group 1 is everything before the value, so the value can be replaced.
IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def img_src(match: re.Match[str]) -> str:
    """Return the source an ``IMG_SRC`` match names, with HTML entities decoded."""
    return html.unescape(next(g for g in match.groups()[1:] if g is not None))


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """Return CommonMark with raw HTML, tables, strikethrough, front matter and ``$`` math."""
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "xhtmlOut": False})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    # Math is parsed before emphasis, so `*` and `_` inside `$...$` stay literal.
    md.use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
    return md


def inline_text(children: Iterable[Token], phrases: list[str] | None = None) -> str:
    """Return the plain text of inline tokens; collect ``**strong**`` spans into ``phrases``."""
    out: list[str] = []
    strong_at: list[int] = []
    for t in children:
        if t.type in ("text", "code_inline"):
            out.append(t.content)
        elif t.type == "math_inline":
            out.append(f"${t.content}$")
        elif t.type == "math_inline_double":
            out.append(f"$${t.content}$$")
        elif t.type == "softbreak":
            out.append(" ")
        elif t.type == "hardbreak" or (
            t.type == "html_inline" and t.content.lower().startswith("<br")
        ):
            out.append("\n")
        elif t.type == "strong_open":
            strong_at.append(len(out))
        elif t.type == "strong_close" and strong_at:
            span = "".join(out[strong_at.pop() :]).strip()
            if phrases is not None and span:
                phrases.append(span)
    return "".join(out).strip()
