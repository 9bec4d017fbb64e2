"""Category substitutions and quantifier flips: a false term or quantifier is not a paraphrase."""

from __future__ import annotations

from studydeck.glossary import build_glossary
from studydeck.grader import grade

from .conftest import card, sample_card, verdict

SOFTMAX = card("분포", "내적한 점수에 softmax를 사용하여 Attention 분포로 변환한다.")
COSINE = card(
    "User Based", "공통으로 평가한 아이템들을 두 벡터로 만든 후 코싸인 유사도를 계산한다."
)
SHARED = card("가중치", "W1, b1은 같은 인코더 층에서는 공유하지만 다른 층과는 다르다.")


def test_glossary__categories_make_their_members_rivals() -> None:
    g = build_glossary([("categories:\n  activation: [relu, sigmoid]\n", "t.yml")])
    assert g.rivals["relu"] & g.rivals["sigmoid"]
    assert g.categories["sigmoid"] == frozenset({"activation"})


def test_category__same_category_term_in_the_terms_place_is_wrong() -> None:
    assert verdict(SOFTMAX, "내적한 점수에 sigmoid를 사용해서 attention 분포로 바꾼다") == "wrong"
    assert (
        verdict(COSINE, "공통 평가 아이템을 두 벡터로 만들고 유클리드 거리를 계산한다") == "wrong"
    )


def test_category__the_points_own_term_is_still_correct() -> None:
    assert verdict(SOFTMAX, "내적한 점수에 softmax를 써서 attention 분포로 바꾼다") == "correct"
    assert verdict(COSINE, "공통으로 평가한 아이템을 두 벡터로 만들어 코사인 유사도를 구한다") == (
        "correct"
    )


def test_category__a_term_set_aside_is_no_substitution() -> None:
    assert verdict(SOFTMAX, "sigmoid 대신 softmax를 사용해서 attention 분포로 변환") == "correct"


def test_quantifier__all_where_the_point_tells_same_from_different_is_wrong() -> None:
    assert verdict(SHARED, "W1, b1은 모든 인코더 층에서 공유된다") == "wrong"
    assert verdict(SHARED, "W1, b1은 같은 층에서는 공유하고 다른 층과는 다르다") == "correct"


def test_quantifier__only_where_the_point_forbids_is_wrong() -> None:
    c = card("Mask", "현재 시점보다 미래에 있는 단어들을 참고하지 못하도록 mask를 씌운다.")
    assert verdict(c, "현재 시점보다 미래에 있는 단어들만 참고하도록 mask를 씌운다") == "wrong"
    assert verdict(c, "미래 단어를 참고하지 못하게 mask를 씌운다") == "correct"


def test_sameness__instead_clause_is_a_claimed_difference() -> None:
    from studydeck.glossary import load_glossary
    from studydeck.substitute import difference_claimed

    g = load_glossary()
    key = g.normalizer.analyse("인코더에서의 FFNN과 같다.").tokens
    swap = g.normalizer.analyse("인코더 FFNN과 같지만 ReLU 대신 sigmoid를 쓴다").tokens
    assert difference_claimed(key, swap, g)
    plain = g.normalizer.analyse("인코더 FFNN과 같고 ReLU를 쓴다").tokens
    assert not difference_claimed(key, plain, g)
    excepted = g.normalizer.analyse("이를 제외하고는 Encoder의 Self Attention과 같다.").tokens
    assert not difference_claimed(excepted, swap, g)


def test_substitution__a_square_is_no_dropped_half_of_a_square_root() -> None:
    c = card("Score", "Query와 Key를 내적하고 key 벡터 크기의 루트 값으로 나눈다.")
    assert verdict(c, "Q와 K를 내적하고 √d_k로 나눈다") == "correct"
    assert verdict(c, "Q와 K를 내적하고 key 차원의 제곱으로 나눈다") != "correct"


def test_difference__a_changed_part_where_the_point_says_same_is_partial() -> None:
    c = card("Decoder FFNN", "인코더에서의 FFNN과 같다.")
    assert verdict(c, "인코더 FFNN이랑 같은데 활성화 함수만 tanh로 바뀐다") == "partial"
    assert verdict(c, "인코더 FFNN이랑 똑같다") == "correct"


def test_positional__a_number_fixes_no_place_for_a_rival() -> None:
    c = card(
        "단점", "두 아이템(1, 1, 1, 1), (5, 5, 5, 5)의 코싸인 유사도를 구하면 1로 유사하게 나온다."
    )
    answer = (
        "평가한 사람이 한 명이면 유사도가 1로 나온다. (1,1,1,1)과 (5,5,5,5)의 코사인 유사도가 1"
    )
    assert verdict(c, answer) == "correct"


def test_difference__same_but_one_rival_not_the_other_is_partial() -> None:
    c = card("Decoder FFNN", "인코더에서의 FFNN과 같다.")
    assert (
        verdict(c, "인코더 FFNN이랑 같은 구조인데 디코더에선 relu 말고 softmax를 쓴다") == "partial"
    )


PE = card(
    "Positional Encoding",
    "Transformer는 RNN을 쓰지 않아 단어의 위치 정보가 없다.",
    "단어의 Embedding 결과에서 Positional Encoding을 더한 벡터를 입력으로 사용한다.",
)


def test_category__a_term_another_point_names_is_not_a_substitute() -> None:
    # 곱하고 합하여 (one point) beside s_t와 결합 (another): concat is the other point's word
    steps, _ = sample_card("attention/학습-방법")
    answer = (
        "인코더 은닉 상태들과 디코더 은닉 상태를 내적해서 softmax로 어텐션 분포를 만들고, 인코더 "
        "은닉 상태를 가중합해 attention value를 구한다. 이걸 디코더 은닉 상태랑 concat해서 "
        "tanh를 거쳐 새 s_t를 만들고 다음 시점 입력으로 쓴다."
    )
    assert verdict(steps, answer) == "correct"


def test_quantifier__only_on_a_word_matched_to_another_point_is_not_correct() -> None:
    c = card(
        "주의점",
        "Encoder과 Decoder의 층은 똑같이 구현한다.",
        "각 Decoder 층에 Encoder의 출력을 모두 입력해준다.",
    )
    said = (
        "디코더 첫 번째 층에만 인코더 출력을 넣고 나머지 층에는 넣지 않는다."
        " 인코더와 디코더 층은 똑같이 구현"
    )
    assert verdict(c, said) != "correct"
    assert verdict(
        c, "인코더 디코더 층은 똑같이 구현하고 각 디코더 층에 인코더 출력을 모두 넣는다"
    ) == ("correct")


def test_difference__must_differ_denies_the_same() -> None:
    c = card("주의점", "Encoder과 Decoder의 층은 똑같이 구현한다.")
    assert verdict(c, "인코더와 디코더 층은 달라야 한다") != "correct"


def test_difference__smaller_than_where_the_point_says_same_is_partial() -> None:
    c = card(
        "만드는 방법", "랜덤 방향 벡터를 만든다. 이때 두 벡터는 파라미터와 같은 차원 벡터이다."
    )
    assert verdict(c, "랜덤 방향 벡터를 만드는데 파라미터보다 훨씬 작은 차원 벡터다") == "partial"
    assert verdict(c, "랜덤 방향 벡터를 파라미터와 같은 차원으로 만든다") == "correct"


def test_difference__same_as_the_other_role_is_partial() -> None:
    c = card(
        "값",
        "각 인코더의 은닉벡터를 곱하고 합하여 Attention Value를 얻는다. (인코더의 차원과 동일)",
    )
    base = "인코더 은닉벡터를 곱해서 합하면 attention value"
    assert verdict(c, base + ". 차원은 디코더 vocab 크기와 같다") == "partial"
    assert verdict(c, base + ". 차원은 인코더 차원과 같다") == "correct"


def test_divisor__another_divisor_is_not_correct() -> None:
    c = card("예측", "다른 사람들의 선호도와 유사도를 곱하고 유사도 합을 나눈다")
    assert verdict(c, "다른 사람들 선호도에 유사도를 곱해 더한 뒤 유저 수로 나눈다") == "partial"
    assert (
        verdict(c, "다른 사람들 선호도에 유사도를 곱해 더한 뒤 유사도 합으로 나눈다") == "correct"
    )
    s = card("Score", "Query와 Key의 내적을 key 벡터 크기의 루트 값으로 나누어 Score를 계산한다.")
    assert verdict(s, "Q와 K를 내적해서 sqrt(d_k)로 나눠 score 계산") == "correct"


def test_category__a_rival_beside_a_negated_verb_still_substitutes() -> None:
    c = card("배경", "Seq2Seq의 문제점을 해결하기 위해서 나왔다.")
    answer = (
        "CNN 기반 이미지 분류에서 receptive field가 작아 전역 정보를 보지 못하는 문제를 "
        "해결하려고 나왔다"
    )
    assert verdict(c, answer) == "wrong"


PE_ADD = card(
    "입력", "단어의 Embedding 결과에서 Positional Encoding을 더한 벡터를 입력으로 사용한다."
)


def test_category__concatenated_for_added_is_a_substitution() -> None:
    assert verdict(
        PE_ADD, "임베딩 결과에 positional encoding을 이어붙인(concat) 벡터를 입력으로 쓴다"
    ) == ("wrong")
    assert (
        verdict(PE_ADD, "임베딩 결과에 positional encoding을 더한 벡터를 입력으로 쓴다")
        == "correct"
    )


def test_category__adding_something_in_names_no_operation() -> None:
    c, cards = sample_card("/positional-encoding")
    # 위치 정보를 같이 추가: the point's 추가 is no sum that concat could stand in for
    one = "트랜스포머는 RNN을 안 써서 위치 정보를 임베딩 뒤에 concat해서 추가하는 방법이 PE다"
    # nor does the answer's 추가 say the 더한 that concat stands in for
    two = (
        "트랜스포머는 RNN을 안 써서 위치 정보를 추가할 방법이 필요했고 그게 positional "
        "encoding이다. 그 벡터를 임베딩 뒤에 concat해서 입력으로 쓴다."
    )
    for answer in (one, two):
        got = grade(c, answer, deck=cards)
        assert got.verdict == "partial"
        assert [p.hit for p in got.points][1:3] == [True, False]
