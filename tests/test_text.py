from __future__ import annotations

from studydeck.notes import parse_file, parse_text
from studydeck.text import answer_text, card_record
from studydeck.unsupported import gap_admitted

from .conftest import SAMPLE


def _card(body: str, question: str = "Q"):
    return parse_text(f"# Topic\n### {question}\n{body}\n", file="x.md").cards[0]


def test_answer_text__keeps_lists_numbers_and_math_source() -> None:
    card = parse_file(SAMPLE, SAMPLE.parent).cards[10]
    text = answer_text(card)
    assert text.splitlines()[1:3] == [
        "- 현재 단어 임베딩 벡터 $x_i$를 Self Attention을 통해 $z_i$로 변환한다.",
        "  1. Query, Key, Value 벡터를 생성한다.",
    ]


def test_answer_text__tables_become_rows() -> None:
    assert answer_text(_card("| a | b |\n|---|---|\n| 1 | $x$ |")) == "a | b\n1 | $x$"


def test_card_record__has_the_stable_keys() -> None:
    record = card_record(parse_file(SAMPLE, SAMPLE.parent).cards[0])
    assert set(record) >= {
        "id",
        "guid",
        "deck",
        "topics",
        "question",
        "answer",
        "points",
        "file",
        "line",
    }
    assert record["topics"] == ["Loss Surface"]
    assert (
        record["answer"]
        == "- 고차원 목적 함수를 사람이 이해할 수 있도록 3차원 공간안에 표현하는 방법"
    )
    assert record["line"] == 25


def test_gap_admitted__the_learner_not_the_model() -> None:
    assert gap_admitted("그 다음은 기억이 잘 안 나네요")
    assert gap_admitted("멀티헤드 부분은 잘 모르겠어요")
    assert gap_admitted("I don't remember how the vectors are made")
    assert not gap_admitted("the model doesn't know word order")
    assert not gap_admitted("마스크 때문에 미래 단어가 안 나온다")
