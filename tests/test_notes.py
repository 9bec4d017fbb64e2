from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studydeck.errors import StudydeckError
from studydeck.notes import clean_title, find_notes, load, parse_file, parse_text, tag_for

from .conftest import FIXTURES, SAMPLE

SAMPLE_QUESTIONS = [
    ("Loss Surface", "Loss Surface란?"),
    ("Loss Surface", "만드는 방법은?"),
    ("Attention", "배경"),
    ("Attention", "Attention이란?"),
    ("Attention", "학습 방법"),
    ("Attention", "Attention Value"),
    ("Transformer", "Transformer란?"),
    ("Transformer", "왜 나왔나?"),
    ("Transformer", "Positional Encoding"),
    ("Transformer", "Encoder"),
    ("Transformer", "Self Attention"),
    ("Transformer", "Position-wise FFNN"),
    ("Transformer", "Add & Norm"),
    ("Transformer", "Decoder"),
    ("Transformer", "Self Attention and Look Ahead Mask"),
    ("Transformer", "인코더-디코더 어텐션"),
    ("Transformer", "Feed Forward Neural Network"),
    ("Transformer", "주의점"),
    ("Collaborative filtering", "Collaborative Filtering"),
    ("Collaborative filtering", "Content-based"),
    ("Collaborative filtering", "User Based"),
    ("Collaborative filtering", "Item Based"),
    ("Collaborative filtering", "코싸인 유사도의 단점"),
    ("Collaborative filtering", "아마존, 넷플릭스에서는?"),
]


def test_parse_file__sample_gives_the_24_cards_in_order() -> None:
    parsed = parse_file(SAMPLE, SAMPLE.parent)
    assert [(c.topics[0], c.question) for c in parsed.cards] == SAMPLE_QUESTIONS
    assert all(len(c.topics) == 1 for c in parsed.cards)


def test_parse_file__sample_empty_sections_are_warnings_with_lines() -> None:
    parsed = parse_file(SAMPLE, SAMPLE.parent)
    assert [(w.line, w.message) for w in parsed.warnings] == [
        (218, "no content yet under 'Few-Shot Learning이란?'"),
        (230, "no content yet under 'Federated Learning'"),
        (232, "no content yet under 'SVD'"),
        (234, "no content yet under '중심극한정리'"),
    ]
    assert all(w.file == str(SAMPLE) for w in parsed.warnings)


def test_parse_file__sample_meta_sections_are_not_cards() -> None:
    questions = {c.question for c in parse_file(SAMPLE, SAMPLE.parent).cards}
    assert "정리 목적" not in questions
    assert not any("공부 리스트" in q or "면접" in q for q in questions)


def test_parse_file__sample_deck_tags_and_sources() -> None:
    card = parse_file(SAMPLE, SAMPLE.parent).cards[18]
    assert card.deck == "ml-interview::Collaborative filtering"
    assert card.tags == ("ml-interview", "Collaborative_filtering")
    assert card.source == f"{SAMPLE}:174"
    assert card.id == "ml-interview/collaborative-filtering/collaborative-filtering"


def test_parse_file__sample_math_survives_whole_in_body_and_points() -> None:
    card = parse_file(SAMPLE, SAMPLE.parent).cards[1]
    assert r"($\alpha, \beta, L(\theta+\alpha*v_1+\beta*v_2)$)" in card.points[2].text


def test_clean_title__drops_numbering_only() -> None:
    assert clean_title("01. Loss Surface란?") == "Loss Surface란?"
    assert clean_title("1. Loss Surface") == "Loss Surface"
    assert clean_title("2.3) 심화") == "심화"
    assert clean_title("2022.01.13 공부 리스트") == "2022.01.13 공부 리스트"
    assert clean_title("3D 프린팅") == "3D 프린팅"


def test_tag_for__korean_names_keep_every_character() -> None:
    assert tag_for("Collaborative filtering") == "Collaborative_filtering"
    assert tag_for("코싸인  유사도의 단점") == "코싸인_유사도의_단점"


def test_parse_file__front_matter_sets_deck_tags_and_level() -> None:
    parsed = parse_file(FIXTURES / "front_matter.md", FIXTURES)
    assert parsed.deck == "ML 면접"
    (card,) = parsed.cards
    assert card.question == "Dropout이란?"
    assert card.deck == "ML 면접::Deep Learning"
    assert card.tags == ("front_matter", "Deep_Learning", "ml", "interview")
    assert "깊은 헤딩은 답의 일부다." in card.body
    assert parsed.warnings == ()


def test_parse_text__broken_front_matter_names_file_and_line() -> None:
    with pytest.raises(StudydeckError) as err:
        parse_file(FIXTURES / "broken_front_matter.md", FIXTURES)
    assert str(err.value).startswith(
        f"{FIXTURES / 'broken_front_matter.md'}:2: broken front matter"
    )
    assert "Fix the YAML" in str(err.value)


def test_parse_text__unknown_front_matter_key_warns() -> None:
    parsed = parse_text("---\ndek: typo\n---\n# T\n### Q\n- a\n", file="x.md")
    assert [w.message for w in parsed.warnings] == [
        "unknown front matter key 'dek' (known: deck, question_level, tags)"
    ]


def test_parse_text__bad_question_level_is_an_error() -> None:
    with pytest.raises(StudydeckError, match="question_level must be a heading level"):
        parse_text("---\nquestion_level: 9\n---\n# T\n", file="x.md")


def test_parse_file__undecodable_bytes_name_the_line() -> None:
    with pytest.raises(StudydeckError) as err:
        parse_file(FIXTURES / "latin1.md", FIXTURES)
    assert str(err.value) == (
        f"{FIXTURES / 'latin1.md'}:5: this file is not UTF-8 text (byte 0xe9). "
        "Save it as UTF-8 and build again."
    )


def test_parse_file__duplicates_warn_and_get_distinct_guids() -> None:
    parsed = parse_file(FIXTURES / "duplicates.md", FIXTURES)
    attention, again, transformer = parsed.cards
    assert len({attention.guid, again.guid, transformer.guid}) == 3
    assert len({attention.id, again.id, transformer.id}) == 3
    assert [(w.line, w.message) for w in parsed.warnings] == [
        (7, "duplicate question 'Attention / 정의' (kept as a second card)")
    ]


def test_parse_text__guid_is_stable_across_edits_of_the_answer() -> None:
    before = parse_text("# T\n### Q\n- a\n", file="x.md", deck="d").cards[0]
    after = parse_text("# T\n\n### 01. Q\n- b, changed\n", file="x.md", deck="d").cards[0]
    assert before.guid == after.guid
    assert before.id == after.id


def test_parse_file__points_are_top_level_items_with_bold_phrases() -> None:
    (card,) = parse_file(FIXTURES / "key_points.md", FIXTURES).cards
    assert [p.text for p in card.points] == [
        "고정된 크기의 context vector로 압축해서 정보 손실이 생긴다.",
        "긴 문장에서 vanishing gradient\nRNN의 한계\n역전파 거리",
        r"$L(\theta+\alpha*v_1+\beta*v_2)$ 는 그대로",
    ]
    assert [p.phrases for p in card.points] == [
        ("context vector", "정보 손실"),
        ("vanishing gradient",),
        (),
    ]
    assert [i.src for i in card.images] == ["diagram.png"]


def test_parse_text__empty_bullet_is_no_content() -> None:
    parsed = parse_text("# T\n### Q\n- \n\n### R\n- real\n", file="x.md")
    assert [c.question for c in parsed.cards] == ["R"]
    assert [(w.line, w.message) for w in parsed.warnings] == [(2, "no content yet under 'Q'")]


def test_parse_text__unsafe_html_warns_with_lines() -> None:
    parsed = parse_file(FIXTURES / "unsafe_html.md", FIXTURES)
    assert [(w.line, w.message.split(" dropped")[0]) for w in parsed.warnings] == [
        (6, "'onerror=' attribute"),
        (8, "<script>"),
        (10, "<iframe>"),
    ]


def test_parse_text__nfd_input_is_normalised() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "# 주제\n### 어텐션이란?\n- 답\n")
    (card,) = parse_text(text, file="x.md").cards
    assert card.question == "어텐션이란?"
    assert card.topics == ("주제",)


def test_find_notes__recurses_folders_skips_hidden_and_rejects_missing(tmp_path: Path) -> None:
    (tmp_path / "ml" / "deep").mkdir(parents=True)
    (tmp_path / "ml" / "deep" / "cnn.md").write_text("# T\n### Q\n- a\n")
    (tmp_path / "a.md").write_text("# T\n### Q\n- a\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.md").write_text("# T\n")
    (tmp_path / "readme.txt").write_text("not notes")
    found = find_notes([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f, _ in found] == ["a.md", "ml/deep/cnn.md"]
    cards, _ = load([tmp_path])
    assert [c.deck for c in cards] == ["a::T", "ml::deep::cnn::T"]
    with pytest.raises(StudydeckError, match="no such file or folder"):
        find_notes([tmp_path / "missing"])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("#- \n\t*_$`>|![]()<>/가나다abc1.")), max_size=300))
def test_parse_text__never_crashes_and_cards_are_well_formed(text: str) -> None:
    parsed = parse_text(text, file="x.md")
    guids = [c.guid for c in parsed.cards]
    assert len(guids) == len(set(guids))
    for card in parsed.cards:
        assert card.question == card.question.strip()
        assert card.body.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_parse_text__arbitrary_unicode_never_crashes(text: str) -> None:
    parse_text(text, file="x.md")
