"""The note type, and the card as a browser engine actually lays it out (headless Chromium)."""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest

from studydeck.apkg import (
    FIELDS,
    TEMPLATE_NAME,
    NoteRow,
    PackageWriter,
    collection_bytes,
    note_model,
    points_field,
    stable_id,
)
from studydeck.media import MediaFile
from studydeck.notes import parse_file, parse_text
from studydeck.render import answer_html, question_html, topics_html

from .conftest import SAMPLE, png

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("STUDYDECK_REQUIRE_CHROMIUM"),
    reason="headless Chromium not installed (apt-get install chromium); CI requires it",
)

# Runs after the card in the test page (not part of the card): measures what a user would see.
PROBE = """
<script>
window.addEventListener('load', () => {
  const q = (s) => document.querySelector(s);
  const img = q('.sd-answer img');
  const code = q('.sd-code pre');
  document.body.setAttribute('data-result', JSON.stringify({
    pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
    viewport: window.innerWidth,
    imgWidth: img ? img.getBoundingClientRect().width : -1,
    answerWidth: q('.sd-answer').getBoundingClientRect().width,
    codeScrolls: code ? code.scrollWidth > code.clientWidth : null,
    color: getComputedStyle(document.body).color,
    background: getComputedStyle(document.body).backgroundColor,
    pointsVisible: q('.sd-points').getBoundingClientRect().height > 0,
    hacked: document.title,
  }));
});
</script>
"""


def test_note_model__field_and_template_names_never_change() -> None:
    model = note_model()
    assert [f["name"] for f in model.fields] == ["Question", "Answer", "Topics", "Points", "Source"]
    assert FIELDS == ("Question", "Answer", "Topics", "Points", "Source")
    assert [t["name"] for t in model.templates] == [TEMPLATE_NAME] == ["Recall"]
    assert model.model_id == stable_id("studydeck note type v1")


def test_stable_id__is_deterministic_positive_and_js_safe() -> None:
    assert stable_id("deck:ml") == stable_id("deck:ml")
    assert stable_id("deck:ml") != stable_id("deck:ML")
    assert 0 < stable_id("x") < 2**53


def _row(question: str, deck: str = "d") -> NoteRow:
    return NoteRow(
        guid=f"g-{question}", deck=deck, fields=(question, "a", "", "[]", "x.md:1"), tags=()
    )


def test_package_writer__unfinished_leaves_no_trace(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deck.apkg"
    with PackageWriter(target) as writer:
        writer.add(_row("Q1"), 100)
    assert not (tmp_path / "out").exists()  # not even the folder


def test_package_writer__packs_notes_decks_and_media(tmp_path: Path) -> None:
    image = tmp_path / "shown-as.png"
    image.write_bytes(png())
    target = tmp_path / "out" / "deck.apkg"
    with PackageWriter(target) as writer:
        writer.add(_row("Q1", "d::A"), 100)
        writer.add(_row("Q2", "d::B"), 200)
        writer.finish([MediaFile("abc123.png", image), MediaFile("abc123.png", image)])
    with zipfile.ZipFile(target) as package:
        assert sorted(package.namelist()) == ["0", "collection.anki2", "media"]
        assert json.loads(package.read("media")) == {"0": "abc123.png"}
        assert package.read("0") == png()
        (tmp_path / "c.db").write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "c.db") as db:
        notes = db.execute("select guid, mod from notes order by guid").fetchall()
        decks = json.loads(db.execute("select decks from col").fetchone()[0])
    assert notes == [("g-Q1", 100), ("g-Q2", 200)]
    assert {d["name"] for d in decks.values()} >= {"d::A", "d::B"}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["deck.apkg"]


def test_collection_bytes__same_database_without_serialize(tmp_path: Path) -> None:
    class OnlyBackup:  # sqlite3 before Python 3.11 has backup() but no serialize()
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.backup = conn.backup

    conn = sqlite3.connect(":memory:")
    conn.execute("create table t (x)")
    conn.execute("insert into t values ('한국어')")
    conn.commit()
    for image in (collection_bytes(conn), collection_bytes(OnlyBackup(conn))):
        (tmp_path / "c.db").write_bytes(image)
        with contextlib.closing(sqlite3.connect(tmp_path / "c.db")) as copy:
            assert copy.execute("select x from t").fetchall() == [("한국어",)]


def test_points_field__is_escaped_json_a_script_can_read() -> None:
    (card,) = parse_text("# T\n### Q\n- **a<b** 라서\n- c & d\n", file="x.md").cards
    field = points_field(card.points)
    assert "<" not in field
    assert json.loads(html.unescape(field)) == [
        {"text": "a<b 라서", "phrases": ["a<b"]},
        {"text": "c & d", "phrases": []},
    ]


def _page(tmp_path: Path, answer_md: str, *, night: bool, width: int = 360) -> dict:
    """Lay out the back of a card in headless Chromium at a phone's width; return the probe."""
    (tmp_path / "wide.png").write_bytes(png(width=2000))
    card = parse_text(
        f"# Transformer\n### 긴 질문 제목은 어떻게 줄바꿈되나?\n{answer_md}\n", file="x.md"
    ).cards[0]
    model = note_model()
    back = model.templates[0]["afmt"]
    fields = {
        "Question": question_html(card),
        "Answer": answer_html(card),
        "Topics": topics_html(card),
        "Points": points_field(card.points),
        "Source": card.source,
    }
    for name, value in fields.items():
        back = back.replace("{{" + name + "}}", value)
    classes = "card nightMode night_mode" if night else "card"
    page = tmp_path / "card.html"
    page.write_text(
        f'<!doctype html><html><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><style>{model.css}</style></head>'
        f'<body class="{classes}">{back}{PROBE}</body></html>',
        encoding="utf-8",
    )
    # Headless windows are at least 500px wide: a phone-sized iframe gives the card its viewport.
    frame = tmp_path / "frame.html"
    frame.write_text(
        f'<!doctype html><body><iframe id="f" src="card.html" '
        f'style="width:{width}px;height:800px;border:0"></iframe>'
        "<script>const poll = setInterval(() => { let r; "
        "try { r = document.getElementById('f').contentDocument.body.getAttribute('data-result'); }"
        " catch (err) { r = null; }"  # not loaded yet: poll again
        " if (r) { document.body.setAttribute('data-result', r); clearInterval(poll); } }, 50);"
        "</script></body>",
        encoding="utf-8",
    )
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [
            CHROMIUM or "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--allow-file-access-from-files",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            frame.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    match = re.search(r'data-result="([^"]*)"', dom)
    assert match, dom[-2000:]
    return json.loads(html.unescape(match.group(1)))


LONG = (
    "- 아주 긴 설명 문장은 휴대폰 화면에서도 가로로 넘치지 않아야 한다 "
    "https://example.org/a/very/long/url/that/never/breaks/by/itself/because/it/has/no/spaces\n"
    "- 그림\n\n  ![](wide.png)\n\n"
    "| 열 하나 | 열 둘 | 열 셋 | 열 넷 | 열 다섯 | 열 여섯 | 열 일곱 | 열 여덟 |\n"
    "|---|---|---|---|---|---|---|---|\n"
    "| 값값값값값값 | 값값값값값값 | 값값값값값값 | 값값값값값값 | 값 | 값 | 값 | 값 |\n\n"
    "```python\nresult = some_function_with_a_long_name(argument_one, argument_two, "
    "argument_three, argument_four)\n```\n\n"
    '<img src="wide.png" onerror="document.title=\'hacked\'" '
    "onload=\"document.title='hacked'\">\n\n"
    "<script>document.title = 'hacked';</script>\n"
)


@needs_chromium
def test_card_css__phone_width_never_scrolls_sideways(tmp_path: Path) -> None:
    result = _page(tmp_path, LONG, night=False)
    assert result["viewport"] == 360
    assert result["pageOverflow"] <= 0
    assert 100 < result["imgWidth"] <= result["answerWidth"] < 360
    assert result["codeScrolls"] is True  # long code scrolls inside its box, not the page
    assert result["pointsVisible"] is False


@needs_chromium
def test_card_html__scripts_and_handlers_from_notes_never_run(tmp_path: Path) -> None:
    assert _page(tmp_path, LONG, night=False)["hacked"] == ""


@needs_chromium
def test_card_css__night_mode_is_light_on_dark(tmp_path: Path) -> None:
    day = _page(tmp_path, "- 낮", night=False)
    night = _page(tmp_path, "- 밤", night=True)
    assert (day["color"], day["background"]) == ("rgb(31, 35, 40)", "rgb(255, 255, 255)")
    assert (night["color"], night["background"]) == ("rgb(230, 237, 243)", "rgb(30, 30, 30)")


@needs_chromium
def test_card_html__sample_cards_render_without_overflow(tmp_path: Path) -> None:
    cards = parse_file(SAMPLE, SAMPLE.parent).cards
    body = next(c for c in cards if c.question == "Self Attention").body
    assert _page(tmp_path, body, night=True)["pageOverflow"] <= 0


def test_note_fields__never_hold_a_stray_tag_genanki_would_warn_of(tmp_path: Path) -> None:
    import genanki

    from studydeck.convert import Job, convert_file

    notes = tmp_path / "n.md"
    notes.write_text(
        "# T\n### a < b?\n- x < y, $a<b$, <br> and `<tag>`\n\n```html\n<div>\n```\n"
        "- <script>alert(1)</script> <sub>2</sub> a<b>bold</b>\n",
        encoding="utf-8",
    )
    sample = [Job("k1", SAMPLE, SAMPLE.parent, SAMPLE.read_bytes())]
    jobs = [*sample, Job("k2", notes, tmp_path, notes.read_bytes())]
    rows = [row for job in jobs for row in convert_file(job, tmp_path / "dl", False).rows]
    assert len(rows) == 25
    stray = [
        m for row in rows for f in row.fields for m in genanki.Note._INVALID_HTML_TAG_RE.findall(f)
    ]
    assert stray == []
