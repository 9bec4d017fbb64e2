"""Render cards as HTML for Anki: math for MathJax, highlighted code, safe raw HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import nh3
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from studydeck.cards import Card
from studydeck.markdown import IMG_SRC, img_src, parser
from studydeck.text import card_tokens

_MARKUP = re.compile(r"[\\`*_$<>&\[\]!~]")

# Tags whose content is dropped with them (the rest of nh3's defaults are kept as text).
_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}
_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"class", "title", "lang", "dir"},
    "a": {"href", "hreflang", "title"},
}


class CardRenderer(RendererHTML):
    """markdown-it's HTML renderer with Anki's MathJax delimiters, Pygments and media names."""

    def math_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return rf"\({html.escape(tokens[idx].content, quote=False)}\)"

    def math_inline_double(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return rf"\[{html.escape(tokens[idx].content, quote=False)}\]"

    def math_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        body = html.escape(tokens[idx].content.strip(), quote=False)
        return f'<div class="sd-math">\\[{body}\\]</div>\n'

    math_block_label = math_block

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        lang = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
        return _highlight(token.content, lang)

    def code_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return _highlight(tokens[idx].content, "")

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        src = str(token.attrs.get("src", ""))
        token.attrs["src"] = env.get("media", {}).get(src, src)
        try:
            return super().image(tokens, idx, options, env)
        finally:
            token.attrs["src"] = src  # tokens are shared with the other renderers

    def html_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return _rewrite_img(tokens[idx].content, env.get("media", {}))

    def html_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return _rewrite_img(tokens[idx].content, env.get("media", {}))


def answer_html(card: Card, media: Mapping[str, str] | None = None) -> str:
    """Render the answer as safe HTML; ``media`` maps image sources to packaged file names."""
    env: dict[str, Any] = {"media": dict(media or {})}
    tokens = card_tokens(card)
    out = _renderer().render(tokens, parser().options, env).strip()
    # markdown-it escapes text and refuses unsafe link schemes itself; only raw HTML needs cleaning.
    return sanitize(out) if _has_raw_html(tokens) else out


def question_html(card: Card) -> str:
    """Render the question heading's inline Markdown (math included) as safe HTML."""
    if not _MARKUP.search(card.question):
        return html.escape(card.question, quote=False)
    tokens = parser().parseInline(card.question)
    return sanitize(_renderer().render(tokens, parser().options, {})).strip()


def topics_html(card: Card) -> str:
    """Render the topic path as escaped text joined by ' › '."""
    return " › ".join(html.escape(t) for t in card.topics)


def sanitize(fragment: str) -> str:
    """Drop scripts, frames, event handlers and unsafe URLs; keep the HTML people write in notes."""
    return nh3.clean(
        fragment,
        tags=set(nh3.ALLOWED_TAGS) | {"span", "div", "img"},
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        link_rel="noopener noreferrer",
    )


def code_css() -> str:
    """Return the CSS for highlighted code, light and night mode."""
    light = HtmlFormatter(style="default").get_style_defs(".sd-code")
    dark = HtmlFormatter(style="monokai").get_style_defs(
        [".nightMode .sd-code", ".night_mode .sd-code"]
    )
    return f"{light}\n{dark}\n"


def _has_raw_html(tokens: Sequence[Token]) -> bool:
    for t in tokens:
        if t.type == "html_block":
            return True
        if t.type == "inline" and any(c.type == "html_inline" for c in t.children or ()):
            return True
    return False


@lru_cache(maxsize=1)
def _renderer() -> CardRenderer:
    return CardRenderer(parser())


@lru_cache(maxsize=64)
def _lexer(lang: str) -> Any:
    try:
        return get_lexer_by_name(lang) if lang else None
    except ClassNotFound:
        return None


_FORMATTER = HtmlFormatter(cssclass="sd-code", nobackground=True)


def _highlight(code: str, lang: str) -> str:
    lexer = _lexer(lang)
    if lexer is None:
        return (
            f'<div class="sd-code"><pre><code>{html.escape(code, quote=False)}</code></pre></div>\n'
        )
    return highlight(code, lexer, _FORMATTER)


def _rewrite_img(fragment: str, media: Mapping[str, str]) -> str:
    if not media:
        return fragment

    def swap(m: re.Match[str]) -> str:
        src = img_src(m)
        return f'{m.group(1)}"{html.escape(media.get(src, src))}"'

    return IMG_SRC.sub(swap, fragment)
