from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from studydeck.notes import parse_file, parse_text
from studydeck.render import answer_html, question_html, sanitize, topics_html

from .conftest import FIXTURES, SAMPLE


def _card(body: str, question: str = "Q"):
    return parse_text(f"# Topic\n### {question}\n{body}\n", file="x.md").cards[0]


def test_answer_html__inline_math_goes_to_mathjax_untouched() -> None:
    html = answer_html(_card(r"- 값 $L(\theta+\alpha*v_1+\beta*v_2)$ 과 $a_1 * b_2$"))
    assert r"\(L(\theta+\alpha*v_1+\beta*v_2)\)" in html
    assert r"\(a_1 * b_2\)" in html
    assert "<em>" not in html


def test_answer_html__display_math_and_html_escaping() -> None:
    html = answer_html(_card("$$\na<b \\\\ c>d\n$$"))
    assert html == '<div class="sd-math">\\[a&lt;b \\\\ c&gt;d\\]</div>'


def test_question_html__math_in_the_question() -> None:
    card = _card("- a", question=r"$\theta$의 의미는?")
    assert question_html(card) == r"\(\theta\)의 의미는?"


def test_answer_html__sample_tab_indented_numbered_list_nests() -> None:
    card = parse_file(SAMPLE, SAMPLE.parent).cards[10]
    assert card.question == "Self Attention"
    html = answer_html(card)
    assert (
        "<p>현재 단어 임베딩 벡터 \\(x_i\\)를 Self Attention을 통해 \\(z_i\\)로 변환한다.</p>\n<ol>"
        in html
    )
    assert html.count("<li>") == 10
    assert "<li>Query, Key, Value 벡터를 생성한다.</li>" in html


def test_answer_html__tables_links_and_code() -> None:
    html = answer_html(
        _card(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n[doc](https://example.org)\n\n```python\nx = 1\n```"
        )
    )
    assert "<table>" in html and "<td>2</td>" in html
    assert '<a href="https://example.org">doc</a>' in html
    assert '<div class="sd-code"><pre>' in html
    assert '<span class="n">x</span>' in html


def test_answer_html__unknown_language_code_is_escaped_plain() -> None:
    html = answer_html(_card("```nosuchlang\n<b>x</b>\n```"))
    assert html == '<div class="sd-code"><pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre></div>'


def test_answer_html__keeps_plain_html_drops_code() -> None:
    (card,) = parse_file(FIXTURES / "unsafe_html.md", FIXTURES).cards
    html = answer_html(card)
    assert "줄<br>바꿈" in html
    assert "H<sub>2</sub>O" in html
    assert '<img src="pic.png">' in html
    for bad in ("<script", "stolen", "onerror", "<iframe", "alert"):
        assert bad not in html


def test_answer_html__media_names_replace_sources_in_markdown_and_html() -> None:
    card = _card('![d](img/a.png)\n\n<img src="img/b.png" width="50">')
    html = answer_html(card, {"img/a.png": "studydeck-aaa.png", "img/b.png": "studydeck-bbb.png"})
    assert '<img src="studydeck-aaa.png" alt="d">' in html
    assert '<img src="studydeck-bbb.png" width="50">' in html
    spaced = _card("<img src='my diagram.png'> <img src=plain.png>")
    assert answer_html(spaced, {"my diagram.png": "m.png", "plain.png": "p.png"}) == (
        '<p><img src="m.png"> <img src="p.png"></p>'
    )
    assert [i.src for i in spaced.images] == ["my diagram.png", "plain.png"]
    # the card's own tokens are not changed by rendering
    assert '<img src="img/a.png" alt="d">' in answer_html(card)


def test_answer_html__javascript_urls_never_become_links() -> None:
    html = answer_html(_card('[md](javascript:alert(1)) <a href="javascript:alert(2)">raw</a>'))
    assert 'href="javascript' not in html
    assert "[md](javascript:alert(1))" in html  # shown as text, not a link
    assert '<a rel="noopener noreferrer">raw</a>' in html


def test_sanitize__drops_javascript_urls() -> None:
    assert sanitize('<a href="javascript:alert(1)">x</a>') == '<a rel="noopener noreferrer">x</a>'


def test_topics_html__escapes_and_joins() -> None:
    card = parse_text("# A & B\n## <C>\n### Q\n- a\n", file="x.md").cards[0]
    assert topics_html(card) == "A &amp; B › &lt;C&gt;"


PIECES = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "<iframe src=x>",
    "<b>",
    "</b>",
    "<br>",
    '<a href="javascript:alert(1)">',
    "[l](javascript:alert(1))",
    "$x_1*y$",
    "$$",
    "**a**",
    "_b_",
    "- ",
    "1. ",
    "\n",
    "\n\n",
    "| a | b |\n|---|---|\n",
    "```py\n",
    "`c`",
    "가나",
    " ",
    "\t",
]


class _Elements(HTMLParser):
    """Collect the elements and attributes a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25).map("".join))
def test_answer_html__any_markdown_renders_safely(body: str) -> None:
    for card in parse_text(f"# T\n### Q\n{body}\n", file="x.md").cards:
        parser = _Elements()
        parser.feed(answer_html(card))
        for tag, attrs in parser.found:
            assert tag not in ("script", "iframe", "object", "embed")
            for name, value in attrs:
                assert not name.startswith("on")
                assert not (value or "").strip().lower().startswith("javascript:")
