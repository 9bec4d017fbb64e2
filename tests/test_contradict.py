"""Comparisons and counts: which side is larger, and how many parts a listing has."""

from __future__ import annotations

from studydeck.compare import comparisons, count_denied
from studydeck.glossary import load_glossary

from .conftest import sample_card


def sides(text: str) -> list[tuple[str, str]]:
    g = load_glossary()
    return [(c.larger, c.smaller) for c in comparisons(g.normalizer.analyse(text).tokens, g)]


def test_comparison__korean_than_and_pole_give_the_larger_side() -> None:
    assert sides("유저보다는 아이템의 크기가 작다") == [("user", "item")]
    assert sides("유저가 아이템보다 많다") == [("user", "item")]
    assert sides("아이템 수가 유저에 비해 적다") == [("user", "item")]


def test_comparison__english_than_and_outnumber() -> None:
    assert sides("there are fewer items than users") == [("user", "item")]
    assert sides("the number of items is smaller than the number of users") == [("user", "item")]
    assert sides("items outnumber users") == [("item", "user")]


def test_comparison__a_compound_before_than_is_one_side() -> None:
    assert sides("최소평가 인원수보다 작으면 0으로 결정한다") == []


def test_count__another_number_of_listed_parts_is_denied() -> None:
    g = load_glossary()
    key = g.normalizer.analyse(
        "크게 세 네트워크로 이루어져 있다.\nSelf Attention\n인코더-디코더 어텐션\nFFNN"
    ).tokens
    two = g.normalizer.analyse("two parts: self attention and encoder-decoder attention").tokens
    three = g.normalizer.analyse("세 개: self attention, 인코더-디코더 어텐션, FFNN").tokens
    assert count_denied(key, two, frozenset())
    assert not count_denied(key, three, frozenset())
    add_norm = g.normalizer.analyse("Add & Norm은 총 2개").tokens
    assert not count_denied(key, add_norm, frozenset({"add-norm"}))


def test_poles__a_pole_word_spelled_by_ear_is_its_pole() -> None:
    g = load_glossary()
    assert g.poles["놉"] == g.poles["높"]  # 높으면 typed 놉으면: ㅍ sounds ㅂ at a syllable's end
    assert "낟" in g.poles and "크" in g.poles


def test_count__a_number_past_a_connective_counts_nothing_said_before() -> None:
    from studydeck.grader import grade
    from studydeck.notes import parse_text

    c = parse_text(
        "# T\n\n### 단점\n\n- 두 아이템의 평가는 극명하게 갈린다.\n", file="t.md", deck="t"
    ).cards[0]
    assert grade(c, "두 아이템은 평가가 극명하게 갈려서 인원이 적으면 0 처리").verdict == "correct"
    assert grade(c, "세 아이템의 평가가 극명하게 갈린다").verdict == "wrong"


def test_count__a_total_said_apart_after_the_point_is_its_count() -> None:
    from studydeck.grader import grade
    from studydeck.notes import parse_text

    c = parse_text(
        "# T\n\n### 디코더\n\n- 각 네트워크 출력에서 Add & Norm 과정이 포함되어 있다. (총 3개)\n",
        file="t.md",
        deck="t",
    ).cards[0]
    assert grade(c, "각 네트워크 출력에 Add & Norm 과정이 있고 총 3개").verdict == "correct"
    assert grade(c, "각 네트워크 출력에 Add & Norm 과정이 2개 있다").verdict != "correct"


def test_poles__a_generic_word_said_in_another_sentence_flips_nothing() -> None:
    from studydeck.grader import grade

    c, cards = sample_card("/self-attention")
    answer = (
        "같은 문장 내 단어들 간 relevance를 뽑는 attention입니다. Q, K, V 만들고 "
        "score = Q·K / sqrt(d_k), softmax 후 V 가중합으로 z_i 구하고, 행렬로 한번에 "
        "계산합니다. multi-head면 head별 z를 concat해서 W_0 곱해요."
    )
    assert grade(c, answer, deck=cards).verdict == "correct"


def test_count__the_points_own_count_said_again_agrees() -> None:
    from studydeck.grader import grade
    from studydeck.notes import parse_text

    c = parse_text(
        "# T\n\n### Encoder\n\n- 크게 두 네트워크로 이루어져 있다.\n"
        "  - Self Attention\n  - Feed Forward Neural Network\n",
        file="t.md",
        deck="t",
    ).cards[0]
    answer = "인코더 층 하나는 셀프 어텐션과 피드포워드 신경망이라는 두 개의 서브레이어로 되어 있다"
    assert grade(c, answer).verdict == "correct"
