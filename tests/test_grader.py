"""The grader: verdicts a learner would call fair, each trap, the result shape, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from studydeck.cards import Card, Point
from studydeck.cli import main
from studydeck.errors import StudydeckError
from studydeck.grader import Grade, Thresholds, grade, grade_record
from studydeck.grading_io import find_card, grade_batch
from studydeck.notes import parse_text

from .conftest import card, sample_card, sample_deck, verdict

NOTES = Path(__file__).resolve().parent.parent / "notes"


ATTN = card(
    "Attention이란?",
    "출력단어를 예측할때 인코더 부분에서의 정보를 같이 본다. 이때 가중치를 두어 연관이 높으면 "
    "높은 가중치, 낮으면 낮은 가중치를 둔다.",
)
ENC_DEC = card(
    "인코더-디코더 어텐션",
    "Query는 디코더의 행렬, Key, Value는 인코더에서 마지막 행렬을 가져온다.",
)
CF = card(
    "Collaborative Filtering",
    "추천 시스템의 한 종류",
    "유사한 성향의 User를 찾아 User의 컨텐츠를 추천한다.",
)
MASK = card(
    "Look Ahead Mask",
    "목적 : 현재 시점의 예측에서 현재 시점보다 미래에 있는 단어들을 참고하지 못하도록 하기 위한 "
    "방법",
)
LOSS = card("정보", "고정된 크기의 벡터로 압축하면 정보 손실이 생긴다.")


def test_grade__paraphrase_is_correct() -> None:
    assert (
        verdict(
            ATTN,
            "디코더가 출력 단어를 예측할 때 인코더 정보를 함께 보고, 연관성이 높은 곳에 "
            "높은 가중치, 낮은 곳에 낮은 가중치를 준다",
        )
        == "correct"
    )


def test_grade__english_answer_to_korean_card_is_correct() -> None:
    assert (
        verdict(
            ENC_DEC,
            "Queries come from the decoder; keys and values come from the encoder's final output.",
        )
        == "correct"
    )


def test_spacing__words_run_together_still_hit() -> None:
    assert (
        verdict(
            ATTN,
            "출력단어를예측할때 인코더부분에서의정보를같이본다. 연관이높으면높은가중치 "
            "낮으면낮은가중치",
        )
        == "correct"
    )


def test_typo__jamo_typo_in_a_long_word_still_matches() -> None:
    c = card(
        "Transformer란?", "인코더-디코더 구성을 따르면서, Attention만을 이용하여 구성한 모델이다."
    )
    assert verdict(c, "인코더-디코더 구조를 따르고 어텐숀만 이용해서 만든 모델") == "correct"


def test_typo__remembered_similarity_follows_the_thresholds() -> None:
    c = card("무엇인가?", "가중치를 정규화하는 레이어를 추가한다.")
    answer = "가중치를 정구화하는 레이어를 추가"
    typo = grade(c, answer)  # fills the memo of word similarities
    strict = grade(c, answer, thresholds=Thresholds(typo=0.99))
    assert typo.points[0].score > strict.points[0].score
    assert grade(c, answer).points[0].score == typo.points[0].score


def test_typo__short_words_must_match_exactly() -> None:
    assert not grade(LOSS, "소실").points[0].score


def test_flip__first_for_last_does_not_hit() -> None:
    c = card("인코더-디코더 어텐션", "Key, Value는 인코더에서 마지막 행렬을 가져온다.")
    assert verdict(c, "Key와 Value는 인코더의 마지막 층 출력에서 가져온다") == "correct"
    assert verdict(c, "Key와 Value는 인코더의 첫 번째 층 출력에서 가져온다") != "correct"


def test_flip__higher_lower_swapped_does_not_hit() -> None:
    g = grade(
        ATTN,
        "출력 단어를 예측할 때 인코더 정보를 같이 보는데, 연관이 높으면 낮은 가중치를, "
        "낮으면 높은 가중치를 준다",
    )
    assert g.verdict == "wrong" and not g.hits


def test_flip__future_to_past_does_not_hit() -> None:
    assert (
        verdict(MASK, "현재 시점의 예측에서 과거 단어들을 참고하지 못하도록 하는 방법") == "wrong"
    )


def test_flip__dropped_negation_does_not_hit() -> None:
    assert verdict(MASK, "현재 시점의 예측에서 미래 단어들도 참고할 수 있도록 하는 방법") == "wrong"


def test_flip__added_negation_does_not_hit() -> None:
    assert verdict(LOSS, "고정된 크기의 벡터로 압축해도 정보 손실이 없다") == "wrong"


def test_flip__english_not_flips_too() -> None:
    c = card("Q", "각 Decoder 층에 Encoder의 출력을 모두 입력해준다.")
    assert verdict(c, "Every decoder layer does not receive the encoder output.") == "wrong"


def test_flip__counts_that_differ_do_not_hit() -> None:
    c = card("Encoder", "크게 두 네트워크로 이루어져 있다: Self Attention, FFNN")
    assert verdict(c, "셀프 어텐션과 FFNN 등 세 네트워크로 이루어져 있다") == "wrong"


def test_swap__query_and_key_sources_swapped_does_not_hit() -> None:
    assert verdict(ENC_DEC, "Query는 인코더에서, Key와 Value는 디코더에서 가져온다") == "wrong"
    assert (
        verdict(
            ENC_DEC,
            "The query comes from the encoder, and the keys and values come from the decoder.",
        )
        == "wrong"
    )


def test_swap__reordered_but_same_roles_still_hits() -> None:
    assert (
        verdict(
            ENC_DEC, "Key랑 Value는 인코더 마지막 행렬에서 가져오고 Query는 디코더에서 가져온다"
        )
        == "correct"
    )


def test_swap__exchanged_comparison_does_not_hit() -> None:
    c = card("Q", "일반적으로 유저보다는 아이템의 크기가 작다.")
    assert verdict(c, "아이템이 유저보다 작다") == "correct"
    assert verdict(c, "아이템보다 유저가 작다") == "wrong"


def test_echo__question_typed_back_is_wrong() -> None:
    assert verdict(ATTN, "Attention이란?") == "wrong"
    assert verdict(CF, "협업 필터링") == "wrong"


@pytest.mark.parametrize("answer", ["", "   ", "...", "사과 바나나 자동차 하늘", "asdf qwer"])
def test_grade__empty_or_random_is_wrong(answer: str) -> None:
    g = grade(ATTN, answer)
    assert (g.verdict, g.score, g.hits) == ("wrong", 0.0, ())


def test_words_used_once__one_word_cannot_hit_two_points() -> None:
    g = grade(CF, "추천")
    assert len([r for r in g.points if r.score > 0]) <= 1


def test_grade__missing_points_is_partial() -> None:
    assert verdict(CF, "추천 시스템의 한 종류") == "partial"


def test_spans__index_the_original_answer() -> None:
    answer = "음… 인코더의 정보를 같이 보고 연관 높으면 높은 가중치"
    g = grade(ATTN, answer)
    words = [answer[s:e] for s, e in g.points[0].spans]
    assert "인코더" in words[0] and any("가중치" in w for w in words)


def test_thresholds__can_be_set() -> None:
    answer = "인코더의 정보를 같이 본다"
    assert verdict(ATTN, answer) == "partial"
    assert (
        grade(ATTN, answer, thresholds=Thresholds(point_hit=0.2, correct=0.5)).verdict == "correct"
    )


def test_grade__hits_and_misses_partition_points() -> None:
    g = grade(CF, "비슷한 성향의 유저를 찾아 그 유저의 컨텐츠를 추천")
    assert isinstance(g, Grade) and set(g.hits) | set(g.misses) == set(g.points)


def test_grade_record__has_the_stable_keys() -> None:
    rec = grade_record("x", grade(CF, "추천 시스템의 한 종류"))
    assert list(rec) == ["id", "verdict", "score", "hits", "misses", "unsupported", "points"]
    assert rec["hits"] == ["추천 시스템의 한 종류"]
    assert json.loads(json.dumps(rec, ensure_ascii=False)) == rec


def test_glossary__notes_folder_adds_terms(tmp_path: Path) -> None:
    c = card("Q", "그래디언트 부스팅을 쓴다")
    (tmp_path / "glossary.yml").write_text("terms:\n  gbm: [그래디언트 부스팅, GBM]\n", "utf-8")
    from studydeck.grader import load_glossary

    assert grade(c, "GBM 쓴다", glossary=load_glossary([tmp_path])).verdict == "correct"
    assert grade(c, "GBM 쓴다").verdict != "correct"


def test_glossary__bad_yaml_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "glossary.yml").write_text("terms: [unclosed\n", "utf-8")
    from studydeck.grader import load_glossary

    with pytest.raises(StudydeckError, match="glossary"):
        load_glossary([tmp_path])


def test_find_card__unknown_id_lists_close_ids() -> None:
    with pytest.raises(StudydeckError, match="Did you mean: t/topic/attention이란"):
        find_card([ATTN, CF], "t/topic/attention")


def test_grade_batch__a_bad_line_does_not_stop_the_rest() -> None:
    lines = ["not json", json.dumps({"id": ATTN.id, "answer": "Attention이란?"}), "{}"]
    out = list(grade_batch([ATTN], lines))
    assert [("error" in r, r.get("verdict")) for r in out] == [
        (True, None),
        (False, "wrong"),
        (True, None),
    ]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_grade__never_crashes_on_any_text(answer: str) -> None:
    g = grade(ENC_DEC, answer)
    assert g.verdict in ("correct", "partial", "wrong") and 0.0 <= g.score <= 1.0
    assert all(0 <= s < e <= len(answer) for r in g.points for s, e in r.spans)


@settings(max_examples=100, deadline=None)
@given(st.text(), st.text())
def test_grade__never_crashes_on_any_card_text(point: str, answer: str) -> None:
    c = Card("i", "g", "d", ("t",), "q", point, (Point(point, (), 1),), (), (), "f", 1)
    assert grade(c, answer).verdict in ("correct", "partial", "wrong")


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["grade", str(NOTES), *args], input=stdin)
    return result.exit_code, result.output


def test_cli_grade__prints_verdict_points_and_reference() -> None:
    code, out = run(
        "--card",
        "ml-interview/transformer/transformer란",
        "--answer",
        "인코더-디코더 구조를 따르면서 어텐션만으로 구성한 모델",
    )
    assert code == 0
    assert "\nCORRECT  (score " in "\n" + out
    assert "✓ 인코더-디코더 구성을 따르면서, Attention만을 이용하여 구성한 모델이다." in out
    assert "Reference answer:" in out


def test_cli_grade__shows_a_claim_the_notes_do_not_back() -> None:
    answer = "인코더-디코더 구조에 어텐션만 쓴 모델이고, 2014년에 구글이 처음 발표했다"
    code, out = run("--card", "ml-interview/transformer/transformer란", "--answer", answer)
    assert code == 0
    assert "\nPARTIAL  (score " in "\n" + out
    assert "? Not in your notes: 2014년에 구글이 처음 발표했다\n" in out


def test_cli_grade__reads_the_answer_from_stdin_and_prints_json() -> None:
    code, out = run(
        "--card", "ml-interview/transformer/transformer란", "--json", stdin="Transformer란?"
    )
    assert code == 0
    rec = json.loads(out)
    assert (rec["verdict"], rec["hits"]) == ("wrong", [])


def test_cli_grade__unknown_id_exits_1_with_close_ids() -> None:
    code, out = run("--card", "ml-interview/attention/attention", "--answer", "x")
    assert code == 1
    assert "Error: no card with id 'ml-interview/attention/attention'. Did you mean:" in out


def test_cli_grade__batch_prints_one_result_per_line(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text(
        json.dumps({"id": "ml-interview/transformer/transformer란", "answer": "어텐션만 쓴 모델"})
        + "\nnot json\n",
        "utf-8",
    )
    code, out = run("--batch", str(f))
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(rows) == 2
    assert {"id", "verdict", "score", "hits", "misses"} <= set(rows[0]) and "error" in rows[1]


def test_cli_grade__no_card_is_a_usage_error() -> None:
    assert run()[0] == 2


def notes_card(card_id: str) -> Card:
    return next(c for c in sample_deck() if c.id == card_id)


def test_substitution__rival_term_in_the_point_terms_place_does_not_hit() -> None:
    c = card(
        "Transformer란?", "인코더-디코더 구성을 따르면서, Attention만을 이용하여 구성한 모델이다."
    )
    assert verdict(c, "RNN만을 이용하여 구성한 인코더-디코더 모델") == "wrong"
    assert verdict(c, "CNN만을 이용해서 인코더-디코더를 구성한 모델") == "wrong"


def test_substitution__rival_named_elsewhere_still_hits() -> None:
    c = card(
        "Transformer란?", "인코더-디코더 구성을 따르면서, Attention만을 이용하여 구성한 모델이다."
    )
    assert verdict(c, "RNN 없이 Attention만을 이용한 인코더-디코더 모델") == "correct"


def test_attachment__modifier_moved_to_the_other_role_is_wrong() -> None:
    c = card("User Based", "유사도 : 두 사용자가 얼마나 유사한 아이템을 선호했는지를 기준")
    assert verdict(c, "두 사용자가 얼마나 비슷한 아이템을 좋아했는지로 유사도를 본다") == "correct"
    assert (
        verdict(c, "두 아이템이 얼마나 유사한 유저들에게 선호되었는지를 기준으로 유사도") == "wrong"
    )


def test_attachment__pole_moved_to_another_head_does_not_hit() -> None:
    c = card(
        "Loss Surface란?", "고차원 목적 함수를 사람이 이해할 수 있도록 3차원 공간안에 표현하는 방법"
    )
    assert (
        verdict(c, "고차원 목적 함수를 사람이 볼 수 있게 3차원 공간에 나타내는 방법") == "correct"
    )
    assert verdict(c, "저차원 목적 함수를 고차원 공간에 표현하는 방법") == "wrong"


def test_english__inflected_and_sub_layer_variants_hit() -> None:
    assert verdict(LOSS, "Compressing into a fixed-size vector loses information") == "correct"
    enc = card(
        "Encoder", "크게 두 네트워크로 이루어져 있다.\nSelf Attention\nFeed Forward Neural Network"
    )
    assert grade(enc, "It consists of two sub-layers: self-attention and feed-forward").hits


def test_partial__a_short_half_answer_is_partial() -> None:
    c = notes_card("ml-interview/loss-surface/만드는-방법은")
    assert verdict(c, "랜덤 방향 벡터 두 개를 가우시안 분포로 뽑는다.") == "partial"


def test_partial__a_flipped_clause_keeps_credit_for_the_rest() -> None:
    c = notes_card("ml-interview/collaborative-filtering/아마존-넷플릭스에서는")
    assert verdict(c, "아이템 기반을 쓴다. 아이템이 유저보다 많아서") == "partial"
    assert verdict(c, "아이템 기반을 쓴다. 아이템이 유저보다 적어서") == "correct"


def test_weights__words_the_glossary_does_not_know_weigh_less() -> None:
    c = card("Encoder", "크게 두 네트워크로 이루어져 있다.")
    light = grade(c, "크게 이루어져").points[0].score
    assert light < grade(c, "두 네트워크").points[0].score
    assert grade(c, "두 네트워크", thresholds=Thresholds(plain_weight=1.0)).points[0].score < 1


def test_on_target__a_short_answer_all_in_the_key_is_partial() -> None:
    c = notes_card("ml-interview/transformer/add-norm")
    only = Thresholds(partial=0.9, partial_point=0.9)  # no other way to partial
    assert grade(c, "잔차 연결이다", thresholds=only).verdict == "partial"
    assert grade(c, "잔차 연결이랑 드롭아웃", thresholds=only).verdict == "wrong"  # not in key
    off = Thresholds(partial=0.9, partial_point=0.9, on_target=1.1)
    assert grade(c, "잔차 연결이다", thresholds=off).verdict == "wrong"


def test_swap__english_word_order_is_not_a_role_swap() -> None:
    c = notes_card("ml-interview/collaborative-filtering/아마존-넷플릭스에서는")
    answer = "Item-based CF, since the number of items is usually smaller than the number of users."
    assert verdict(c, answer) == "correct"
    assert verdict(c, "유저 기반 추천을 쓴다. 아이템보다 유저가 적기 때문") != "correct"


def test_mixed__korean_ending_on_an_english_term_still_hits() -> None:
    c = notes_card("ml-interview/loss-surface/loss-surface란")
    answer = "high dimensional한 loss function을 사람이 이해할 수 있게 3D로 표현한 것"
    assert verdict(c, answer) == "correct"


RARE = card("출력층", "softmax로 벡터를 확률로 바꾼다")
DECK = (
    RARE,
    card("임베딩", "단어를 벡터로 바꾼다"),
    card("은닉 상태", "은닉 벡터를 다음 시점에 넘긴다"),
    card("내적", "두 벡터를 곱해서 더한다"),
)


def test_rarity__a_word_rare_in_the_deck_weighs_more() -> None:
    plain = grade(RARE, "softmax", thresholds=Thresholds(rarity=0), deck=DECK)
    rare = grade(RARE, "softmax", deck=DECK)
    assert rare.points[0].score > plain.points[0].score


def test_rarity__a_word_common_in_the_deck_weighs_less() -> None:
    plain = grade(RARE, "벡터", thresholds=Thresholds(rarity=0), deck=DECK)
    common = grade(RARE, "벡터", deck=DECK)
    assert common.points[0].score < plain.points[0].score


def test_rarity__without_a_deck_weights_are_unchanged() -> None:
    off = grade(RARE, "softmax로 확률", thresholds=Thresholds(rarity=0), deck=DECK)
    assert grade(RARE, "softmax로 확률") == off


def test_english__korean_words_without_an_english_rendering_do_not_count() -> None:
    c = card("Q", "고차원 목적 함수를 3차원 공간안에 극명하게 강구하여 표현하는 방법")
    assert grade(c, "a way to show the high-dimensional objective function in 3D").verdict == (
        "correct"
    )


def test_english__the_same_korean_words_still_count_in_a_korean_answer() -> None:
    c = card("Q", "고차원 목적 함수를 3차원 공간안에 극명하게 강구하여 표현하는 방법")
    partial = grade(c, "고차원 목적 함수")
    assert partial.points[0].score < grade(c, "high-dimensional objective function").points[0].score


def test_compound__a_word_of_a_compound_term_stands_for_it() -> None:
    c = card("Q", "디코더의 은닉 상태와 어텐션 분포와 소프트맥스 출력을 결합한다")
    part = grade(c, "the decoder hidden").points[0].score
    none = grade(c, "the decoder").points[0].score
    assert none < part == grade(c, "the decoder hidden state").points[0].score


def test_flip__variable_size_is_not_fixed_size() -> None:
    c = card("배경", "고정된 크기의 벡터로 압축하는 방식에 문제가 있었다.")
    assert not grade(c, "가변 크기의 벡터로 압축하는 방식이 문제").points[0].hit


def test_english__single_letter_q_k_v_are_query_key_value() -> None:
    c = card("Q", "Query와 Key를 내적하고 Value를 곱한다")
    assert grade(c, "dot Q with K, then multiply by V").verdict == "correct"


DECODER = card(
    "Decoder",
    "크게 세 네트워크로 이루어져 있다. Self Attention & look-ahead mask, 인코더-디코더 어텐션, "
    "Feed Forward Neural Network",
    "그리고 각 네트워크 출력에서 Add & Norm 과정이 포함되어 있다. (총 3개)",
)
SURFACE = card(
    "Loss Surface란?",
    "고차원 목적 함수를 사람이 이해할 수 있도록 3차원 공간안에 표현하는 방법",
)
TRANSFORMER = card(
    "Transformer란?", "인코더-디코더 구성을 따르면서, Attention만을 이용하여 구성한 모델이다."
)


def test_flip__a_pole_said_as_in_another_clause_of_the_point_is_not_flipped() -> None:
    said = (
        "디코더가 출력 단어를 예측할 때 인코더 정보를 함께 보는데, "
        "관련 높은 부분에 높은 가중치를 준다"
    )
    assert verdict(ATTN, said) == "correct"
    assert verdict(
        ATTN, "출력 단어를 예측할 때 인코더를 보는데 연관이 높으면 낮은 가중치를 준다"
    ) != ("correct")


def test_count__only_two_of_three_networks_is_not_correct() -> None:
    assert verdict(DECODER, "셀프 어텐션과 피드포워드 두개로만 이루어져 있다") != "correct"


def test_swap__opposite_poles_exchanging_their_roles_is_wrong() -> None:
    assert verdict(SURFACE, "3차원 함수를 고차원 공간에 표현하는 방법") == "wrong"
    assert verdict(
        SURFACE, "고차원 목적 함수를 3차원 공간에 표현해서 사람이 이해하게 하는 방법"
    ) == ("correct")


def test_only__the_point_s_only_term_must_be_said_without_a_kept_rival() -> None:
    assert verdict(TRANSFORMER, "인코더 디코더 구조의 모델") != "correct"
    assert verdict(TRANSFORMER, "RNN 인코더에 어텐션을 추가한 인코더-디코더 모델") != "correct"
    assert verdict(TRANSFORMER, "인코더-디코더 구조인데 RNN 대신 어텐션만 쓴 모델") == "correct"
    assert verdict(TRANSFORMER, "encoder-decoder 구조인데 RNN 없이 attention만으로 만든 모델") == (
        "correct"
    )


def test_swap__role_words_paired_with_the_other_partner_are_wrong() -> None:
    crossed = "keys come from the decoder, and the queries and values from the encoder"
    assert verdict(ENC_DEC, crossed) == "wrong"
    kept = "The decoder provides the queries and the encoder output provides the keys and values"
    assert verdict(ENC_DEC, kept) == "correct"


def test_enumeration__one_of_three_listed_parts_is_not_correct() -> None:
    decoder = card(
        "Decoder",
        "크게 세 네트워크로 이루어져 있다. Self Attention & look-ahead mask, 인코더-디코더 어텐션, "
        "Feed Forward Neural Network",
    )
    assert verdict(decoder, "마스크 셀프 어텐션이 있다") == "partial"
    full = "masked self-attention, 인코더-디코더 어텐션, FFNN 세 네트워크로 이루어져 있다"
    assert verdict(decoder, full) == "correct"


AMAZON = card(
    "아마존, 넷플릭스에서는?",
    "아이템 기반의 추천 시스템을 사용한다.",
    "일반적으로 유저보다는 아이템의 크기가 작다.",
)


def test_policy__a_contradicted_point_makes_the_answer_wrong() -> None:
    c = card("주의점", "각 Decoder 층에 Encoder의 출력을 모두 입력해준다.")
    assert verdict(c, "인코더 출력은 마지막 디코더 층에만 입력한다") == "wrong"
    assert verdict(c, "인코더 출력을 모든 디코더 층에 입력한다") == "correct"


def test_policy__a_false_claim_beside_a_covered_point_is_partial() -> None:
    assert verdict(AMAZON, "아이템 기반 추천을 쓴다. 아이템이 유저보다 많기 때문") == "partial"
    assert verdict(AMAZON, "아이템 기반 추천을 쓴다. 유저보다 아이템이 적기 때문") == "correct"


def test_policy__a_contradicted_minor_point_leaves_a_covered_answer_partial() -> None:
    c = card(
        "Decoder",
        "크게 세 네트워크로 이루어져 있다: Self Attention, 인코더-디코더 어텐션, FFNN",
        "그리고 각 네트워크 출력에서 Add & Norm 과정이 포함되어 있다. (총 3개)",
    )
    answer = "self attention, 인코더-디코더 어텐션, FFNN으로 이루어지고 Add & Norm은 총 2개이다"
    assert verdict(c, answer) == "partial"


def test_count__a_number_the_point_says_elsewhere_is_no_other_count() -> None:
    c = card(
        "만드는 방법은?",
        "학습이 완료된 파라미터와 두 벡터에 alpha, beta를 곱한 파라미터를 더하고 Loss값을 구한다. "
        "이 때 alpha, beta를 -1과 1사이의 값으로 설정한다.",
    )
    answer = "학습된 파라미터에 alpha, beta(-1~1)를 곱한 두 벡터를 더해 loss를 계산한다"
    assert verdict(c, answer) == "correct"


def test_negation__place_word_an_is_no_negation() -> None:
    c = card(
        "Self Attention",
        "현재 문장 안에서 각 단어들 사이의 관계가 얼마나 연관있는지 Attention 방법을 통하여 "
        "추출한다.",
    )
    assert verdict(c, "한 문장 안 단어들끼리 얼마나 연관있는지 어텐션으로 뽑는 것") == "correct"


def test_negation__prevent_from_says_not() -> None:
    answer = "It prevents the prediction from looking at future words at the current time step"
    assert verdict(MASK, answer) == "correct"


BACKGROUND = card(
    "배경",
    "Seq2Seq의 문제점을 해결하기 위해서 나왔다.",
    "즉, 고정된 크기의 벡터로 압축하는 방식에 문제가 있었다.\n"
    "  - 정보 손실\n  - Vanishing gradient",
)
ITEM_BASED = card(
    "아마존, 넷플릭스에서는?",
    "아이템 기반의 추천 시스템을 사용한다.\n  - 일반적으로 유저보다는 아이템의 크기가 작다.",
)
DECODER = card(
    "Decoder",
    "크게 세 네트워크로 이루어져 있다.\n  - Self Attention & look-ahead mask\n"
    "  - 인코더-디코더 어텐션\n  - Feed Forward Neural Network",
    "그리고 각 네트워크 출력에서 Add & Norm 과정이 포함되어 있다. (총 3개)",
)


def test_substitution__rival_of_a_listed_term_is_not_correct() -> None:
    good = "Seq2Seq의 문제를 해결하려고 나왔다. 고정 크기 벡터로 압축해서 정보 손실, 기울기 소실"
    assert verdict(BACKGROUND, good) == "correct"
    bad = "Seq2Seq가 입력을 고정된 크기 벡터로 압축해서 exploding gradient 문제가 생겨 나왔다"
    assert verdict(BACKGROUND, bad) != "correct"


def test_substitution__another_model_for_the_point_s_model_is_not_correct() -> None:
    answer = "CNN의 문제점을 해결하기 위해 나왔고, 고정 크기 벡터 압축 때문에 정보 손실이 있었다"
    assert verdict(BACKGROUND, answer) != "correct"


def test_contrast__opposite_of_similar_does_not_hit() -> None:
    assert verdict(CF, "추천 시스템의 한 종류로 비슷한 성향의 유저를 찾아 추천한다") == "correct"
    assert verdict(CF, "추천 시스템의 한 종류로 성향이 정반대인 유저를 찾아 추천한다") != "correct"


def test_category__max_and_min_for_mean_and_variance_is_not_correct() -> None:
    c = card("Layer Normalization", "각 단어 행의 평균과 분산을 구하여 정규화 한다.")
    assert verdict(c, "단어 행마다 평균과 분산으로 정규화") == "correct"
    assert verdict(c, "각 단어 행의 최댓값과 최솟값으로 정규화한다") != "correct"


def test_comparison__sides_exchanged_with_the_other_pole_is_correct() -> None:
    assert verdict(ITEM_BASED, "Item-based, because users usually outnumber items") == "correct"
    assert verdict(ITEM_BASED, "아이템 기반. 유저 수가 아이템 수보다 많기 때문") == "correct"
    assert verdict(ITEM_BASED, "아이템 기반 추천, 아이템이 유저보다 적어서") == "correct"


def test_comparison__reversed_is_not_correct() -> None:
    assert verdict(ITEM_BASED, "Item-based, because items usually outnumber users") != "correct"
    assert verdict(ITEM_BASED, "아이템 기반. 아이템이 유저보다 많기 때문") != "correct"


def test_nested__a_card_s_only_point_needs_its_nested_line() -> None:
    assert verdict(ITEM_BASED, "아이템 기반 추천 시스템") == "partial"


def test_sameness__a_claimed_swap_denies_the_same() -> None:
    c = card("Feed Forward Neural Network", "인코더에서의 FFNN과 같다.")
    assert verdict(c, "인코더의 FFNN과 동일하다") == "correct"
    # the sameness is said, a false detail beside it: half right
    assert verdict(c, "Same as the encoder FFNN but uses sigmoid instead of ReLU") == "partial"
    assert verdict(c, "인코더의 FFNN과 달리 히든 레이어가 세 개다") != "correct"


def test_count__a_listing_point_with_another_count_is_not_correct() -> None:
    answer = "Just two parts, masked self-attention and encoder-decoder attention"
    assert verdict(DECODER, answer) != "correct"


def test_verdict__a_contradicted_point_keeps_the_answer_from_correct() -> None:
    listed = "masked self attention, 인코더-디코더 어텐션, FFNN으로 이루어지고 "
    good = listed + "각 네트워크 출력에 Add & Norm이 포함, 총 3개"
    assert verdict(DECODER, good) == "correct"
    assert verdict(DECODER, good.replace("3개", "2개")) == "partial"


WHY_TRANSFORMER = card(
    "왜 나왔나?",
    "Attention이 나왔을 때와 같이 고정된 크기의 벡터로 압축을 하면서 1. 정보 손실, "
    "2. Vanishing gradient 문제가 나왔다.",
    "이를 해결하기 위해 Attention을 사용하였고, RNN구조에서 이를 바꿔 Attention만을 "
    "이용해보자는 아이디어에서 나왔다.",
)
CONTENT_BASED = card(
    "Content-based",
    "추천 시스템의 한 종류",
    "유사한 컨텐츠를 찾아 컨텐츠를 User에게 추천한다.",
)


def test_negation__dropping_rnn_agrees_with_replacing_it() -> None:
    answer = (
        "RNN 기반 seq2seq는 fixed-size vector로 압축해서 information loss랑 vanishing "
        "gradient 문제가 있었음. 그래서 RNN 없애고 attention only로 가자는 아이디어"
    )
    assert verdict(WHY_TRANSFORMER, answer) != "wrong"
    assert grade(WHY_TRANSFORMER, "RNN 구조 없이 attention만 쓰자는 아이디어").points[1].hit


def test_negation__a_negated_answer_word_meets_the_negated_point() -> None:
    c = card(
        "Positional Encoding",
        "기존의 RNN 모델의 장점은 단어의 위치 정보를 같이 학습할 수 있다는 것이었다.",
        "그러나 Transformer에서는 RNN 모델을 사용하지 않기 때문에 위치 정보를 같이 추가 할 수 "
        "있는 방법을 강구해왔고, 그 방법이 Positional Encoding이다.",
    )
    answer = "RNN이 없어서 위치 정보를 따로 추가할 방법이 필요했고 그게 positional encoding"
    result = grade(c, answer)
    assert (0, 4) in result.points[1].spans  # RNN이 없어서 → RNN 모델을 사용하지 않기
    assert result.verdict == "partial"


def test_roles__a_role_word_keeping_its_modifier_is_not_swapped() -> None:
    answer = "추천 시스템의 한 종류로 유저가 좋아한 item이랑 비슷한 content를 찾아서 추천"
    assert verdict(CONTENT_BASED, answer) == "correct"
    assert verdict(CONTENT_BASED, "비슷한 성향의 유저를 찾아 그 유저가 본 컨텐츠를 추천") != (
        "correct"
    )


def test_symbols__a_formula_answer_covers_the_steps() -> None:
    c = card("Score", "Query와 Key를 내적하고 key 차원의 루트로 나눈다")
    assert grade(c, "Q·K 내적 / √dk").points[0].hit


def test_roles__a_phrase_said_for_another_point_is_no_substitution() -> None:
    c, _ = sample_card("attention/학습-방법")
    answer = (
        "새 s_t를 다음 입력으로 쓰는데 그 s_t는 디코더 은닉상태랑 어텐션 값을 concat해서 "
        "tanh 통과시켜 만든다. 어텐션 값은 h_i와 s_t 내적 → 소프트맥스 → 인코더 은닉벡터 "
        "가중합으로 구함."
    )
    assert verdict(c, answer) != "wrong"


def test_negation__only_the_other_pole_agrees_with_a_forbidden_one() -> None:
    assert verdict(MASK, "현재 시점에서 예측할 때 이전 단어만 참고하도록 하는 방법") == "correct"
    assert verdict(MASK, "at the current step the prediction may only look at earlier words") == (
        "correct"
    )
    assert verdict(MASK, "현재 시점 예측에서 미래 단어들만 참고하도록 하는 방법") == "wrong"


def test_roles__naming_one_side_of_a_pairing_is_not_correct() -> None:
    assert verdict(ENC_DEC, "Query는 디코더에서 가져온다") == "partial"
    assert verdict(ENC_DEC, "Q는 decoder, K랑 V는 encoder 마지막 출력에서 가져옴") == "correct"


def test_roles__a_list_cut_by_commas_keeps_its_partner() -> None:
    answer = "인코더 출력은 쓰지 않고 디코더 행렬로만 Q, K, V를 다 만든다"
    assert verdict(ENC_DEC, answer) == "wrong"


def test_exclusion__the_only_term_said_as_dropped_is_not_said() -> None:
    c = card("Transformer란?", "인코더-디코더 구조를 유지하면서 **Attention만을 이용한 모델**")
    assert verdict(c, "인코더-디코더 구조에서 어텐션 대신 CNN만 써서 만든 모델") != "correct"
    assert verdict(c, "인코더-디코더 구조에서 RNN 대신 어텐션만 써서 만든 모델") == "correct"


def test_echo__asking_the_question_back_is_wrong() -> None:
    c = card(
        "Loss Surface란?", "고차원 목적 함수를 사람이 이해할 수 있도록 3차원 공간안에 표현하는 방법"
    )
    assert verdict(c, "Loss Surface란 무엇인가") == "wrong"


def test_verdict__a_false_all_beside_a_point_said_right_is_partial() -> None:
    c = card(
        "Position-wise FFNN",
        "은닉층이 1개인 Fully Connected 네트워크이고 활성화 함수로 ReLU를 쓴다.",
        "이때 W1, b1은 같은 인코더 층에서는 공유하지만 다른 층과는 다르다.",
    )
    answer = "은닉층 하나짜리 FC 층이고 ReLU를 쓴다. 가중치는 모든 인코더 층이 똑같이 공유한다."
    assert verdict(c, answer) == "partial"


def test_roles__a_role_word_said_again_later_is_not_swapped() -> None:
    item_based = notes_card("ml-interview/collaborative-filtering/item-based")
    said = "두 아이템을 얼마나 비슷한 유저들이 좋아했는지로 아이템 간 유사도를 정한다"
    assert grade(item_based, said).points[1].hit
    swapped = "두 유저를 얼마나 비슷한 아이템들이 좋아했는지로 유저 간 유사도를 정한다"
    assert not grade(item_based, swapped).points[1].hit


def test_enumeration__every_listed_part_named_hits_the_point() -> None:
    encoder = notes_card("ml-interview/transformer/encoder")
    both = "Self Attention과 Feed Forward Neural Network으로 되어 있다"
    assert grade(encoder, both).points[0].hit
    assert not grade(encoder, "Self Attention으로 되어 있다").points[0].hit
    assert not grade(encoder, "Self Attention과 RNN으로 되어 있다").points[0].hit


def test_rival__no_point_said_and_a_rival_term_put_in_is_wrong() -> None:
    c = card("Transformer란?", "인코더-디코더 구성을 따르면서, Attention만을 이용한 모델이다.")
    assert verdict(c, "인코더-디코더 구조의 RNN에 어텐션을 추가한 모델이다") == "wrong"
    assert verdict(c, "RNN 없이 어텐션만 쓰는 인코더-디코더 모델") == "correct"


def test_reason__the_answer_right_and_its_reason_reversed_is_partial() -> None:
    body = "아이템 기반의 추천 시스템을 사용한다.\n  - 일반적으로 유저보다는 아이템의 크기가 작다."
    c = card("아마존, 넷플릭스에서는?", body)
    assert verdict(c, "아이템 기반을 쓰는데, 아이템 수가 유저 수보다 많기 때문이다") == "partial"
    assert verdict(c, "아이템 기반을 쓰는데, 유저보다 아이템 수가 적기 때문이다") == "correct"


def test_count__a_term_that_holds_its_count_said_as_it_is_agrees() -> None:
    c = card("시각화", "3차원 공간상에 $\\alpha, \\beta$와 loss를 표시함으로써 시각화를 진행한다.")
    assert verdict(c, "alpha, beta 두 값과 loss를 3차원에 찍어서 시각화한다") == "correct"


def test_unsupported__every_point_and_a_claim_of_its_own_is_partial() -> None:
    c = card("Transformer란?", "인코더-디코더 구성을 따르면서, Attention만을 이용한 모델이다.")
    plain = "인코더-디코더 구조에 attention만 쓴 모델"
    assert verdict(c, plain) == "correct"
    result = grade(c, f"{plain}이고, 2014년에 구글이 처음 발표했다")
    assert result.verdict == "partial"
    assert result.unsupported == "2014년에 구글이 처음 발표했다"
    assert grade_record(c.id, result)["unsupported"] == result.unsupported
    off = Thresholds(unsupported_words=0)
    assert grade(c, f"{plain}이고, 2014년에 구글이 처음 발표했다", thresholds=off).verdict == (
        "correct"
    )


def test_unsupported__more_said_in_the_cards_own_words_stays_correct() -> None:
    c = card(
        "코사인 유사도의 단점",
        "평가한 사람이 1명이면 유사도가 1이 나온다.\n  - 최소 인원수보다 작으면 0으로 정한다.",
    )
    answer = "평가한 사람이 1명이어도 유사도 1이 나옴. 그래서 최소 인원수 정해서 작으면 0으로 정함"
    assert grade(c, answer).unsupported == ""
    assert verdict(c, answer) == "correct"


def test_count__a_number_that_picks_the_topic_counts_nothing() -> None:
    encoder = card(
        "Encoder",
        "크게 두 네트워크로 이루어져 있다.\n  - Self Attention\n  - Feed Forward Neural Network",
    )
    said = "Self-Attention이랑 Feed Forward 신경망 두 개로 되어 있다"
    assert verdict(encoder, f"인코더 한 층은 {said}") == "correct"
    assert verdict(encoder, "Self-Attention이랑 Feed Forward 신경망 세 개로 되어 있다") != (
        "correct"
    )


def test_spacing__a_short_thing_and_a_side_glued_on_still_hit() -> None:
    answer = "출력 단어 예측할때 인코더쪽 정보도 같이보는데 연관높은건 가중치 크게 연관낮은건 작게"
    assert verdict(ATTN, answer) == "correct"


def test_symbols__arrows_for_higher_and_lower_weights_are_correct() -> None:
    answer = (
        "decoder가 단어 예측할 때 encoder 쪽 정보 다시 참조, 관련도 높으면 weight ↑ 낮으면 weight ↓"
    )
    assert verdict(ATTN, answer) == "correct"


def test_spacing__a_glued_one_syllable_modifier_still_hits() -> None:
    answer = (
        "출력단어를예측할때 인코더의정보를 함께참고하고, 연관성이 높은 부분에는 큰가중치를 "
        "낮은 부분에는 작은 가중치를 준다."
    )
    assert verdict(ATTN, answer) == "correct"


BACKGROUND = card(
    "배경",
    "Seq2Seq의 문제점을 해결하기 위해서 나왔다.",
    "즉, 고정된 크기의 벡터로 압축하는 방식에 문제가 있었다."
    "\n  - 정보 손실\n  - Vanishing gradient",
)


def test_cause__the_points_problem_said_as_the_aim_is_wrong() -> None:
    reversed_ = (
        "Seq2Seq는 입력을 가변 길이 벡터 그대로 들고 있어서 메모리 문제가 있었고, "
        "이걸 하나의 고정 크기 벡터로 압축하려고 나왔다."
    )
    assert verdict(BACKGROUND, reversed_) == "wrong"
    assert verdict(BACKGROUND, "고정 크기 벡터로 압축하기 위해 나왔다") == "wrong"
    right = (
        "seq2seq는 고정 크기 벡터로 압축해서 정보 손실과 vanishing gradient 문제가 있었고 "
        "이를 해결하려고 나왔다"
    )
    assert verdict(BACKGROUND, right) == "correct"


def test_modifier__similar_said_of_another_word_of_the_point_is_wrong() -> None:
    assert verdict(
        CF, "추천 시스템의 한 종류로, 사용자가 좋아한 콘텐츠와 비슷한 콘텐츠를 추천"
    ) == ("wrong")
    assert verdict(CF, "Recommender system: recommends content similar to what the user liked") == (
        "wrong"
    )
    right = "추천 시스템의 한 종류로, 비슷한 성향의 유저를 찾아 그 유저의 컨텐츠를 추천한다"
    assert verdict(CF, right) == "correct"


def test_modifier__the_cards_own_subject_may_be_called_similar() -> None:
    item = card("Item Based", "유사도 : 두 아이템에서 얼마나 유사한 유저가 선호했는지를 기준")
    assert verdict(item, "아이템끼리 비슷한 유저들이 선호했는지로 유사도, 비슷한 아이템 추천") == (
        "correct"
    )


def test_substitute__a_rival_in_one_point_leaves_the_other_point_partial() -> None:
    add_norm, cards = sample_card("/add-norm")
    answer = (
        "잔차연결로 X+Z를 하고, 그다음 배치 전체의 평균과 분산으로 정규화하는 배치 정규화를 한다."
    )
    assert grade(add_norm, answer, deck=cards).verdict == "partial"
    assert grade(add_norm, "배치 정규화를 한다", deck=cards).verdict == "wrong"


def test_main_point__one_of_two_points_left_out_is_partial() -> None:
    decoder, cards = sample_card("/decoder")
    parts = "셀프 어텐션, 인코더-디코더 어텐션, FFNN으로 구성"
    assert grade(decoder, parts, deck=cards).verdict == "partial"
    both = parts + "되고 각 출력마다 Add & Norm이 있다"
    assert grade(decoder, both, deck=cards).verdict == "correct"
    cf = card(
        "Content-based", "추천 시스템의 한 종류", "유사한 컨텐츠를 찾아 컨텐츠를 User에게 추천한다."
    )
    assert verdict(cf, "비슷한 컨텐츠를 찾아서 유저에게 추천한다") == "correct"  # a side remark


def test_count__the_other_cards_count_in_a_clause_of_its_own_is_not_correct() -> None:
    decoder, cards = sample_card("/decoder")
    answer = "인코더처럼 self attention이랑 FFNN 두 개로 되어 있고 Add & Norm도 두 개"
    assert grade(decoder, answer, deck=cards).verdict != "correct"


def test_quantifier__only_one_layer_where_the_point_says_each_layer_is_wrong() -> None:
    tip, cards = sample_card("/주의점")
    assert (
        grade(
            tip,
            "인코더 출력은 마지막 디코더 층에만 넣고, 디코더 층은 인코더보다 많이 쌓는다.",
            deck=cards,
        ).verdict
        == "wrong"
    )
    kept = "인코더와 디코더 층은 똑같이 만들고, 인코더 출력은 마지막 디코더 층에만 넣는다"
    assert grade(tip, kept, deck=cards).verdict == "partial"


def test_typo__a_pole_typed_by_ear_still_says_its_pole() -> None:
    answer = "출력 단어 예측할 때 인코더 정보를 같이 봄 연관 놉으면 가중치 크게 낮으면 작게"
    assert verdict(ATTN, answer) == "correct"


def test_exclusion__only_said_with_euro_man_is_only() -> None:
    c = card(
        "Transformer란?", "인코더-디코더 구성을 따르면서, Attention만을 이용하여 구성한 모델이다."
    )
    assert verdict(c, "인코더 디코더 구성으로 되어있고 어텐션으로만 만들어진 모델") == "correct"


CONTENT = card(
    "Content-based", "추천 시스템의 한 종류", "유사한 컨텐츠를 찾아 컨텐츠를 User에게 추천한다."
)


def test_unsupported__a_long_claim_borrowing_one_spare_word_is_partial() -> None:
    said = "유사한 컨텐츠를 찾아 유저에게 추천하는 추천 시스템."
    assert verdict(CONTENT, said) == "correct"
    claim = said + " 다른 유저들의 평점 데이터가 반드시 많이 있어야 동작함"
    result = grade(CONTENT, claim)
    assert result.verdict == "partial"
    assert "평점" in result.unsupported


def test_unsupported__an_example_claims_nothing() -> None:
    c = card("Collaborative Filtering", "유사한 성향의 User를 찾아 User의 컨텐츠를 추천한다.")
    answer = (
        "Find users whose tastes are similar to yours and recommend what they liked. "
        "E.g. if people who rate movies like you loved Inception, you get Inception recommended."
    )
    assert verdict(c, answer) == "correct"


def test_unsupported__a_formula_is_not_a_claim() -> None:
    ffnn, cards = sample_card("/position-wise-ffnn")
    answer = (
        "hidden layer 1개짜리 fully connected network, FFN(x) = max(0, xW1 + b1)W2 + b2 라서 "
        "활성화는 ReLU. W1, b1, W2, b2는 한 인코더 layer 안에서는 모든 position이 공유하지만 "
        "layer마다는 다른 값."
    )
    assert grade(ffnn, answer, deck=cards).verdict == "correct"


def test_unsupported__a_claim_about_another_cards_subject_is_partial() -> None:
    decoder, cards = sample_card("/decoder")
    said = (
        "세 개 서브층: masked self attention, 인코더-디코더 어텐션, FFNN이고 각각 뒤에 Add & Norm."
    )
    assert grade(decoder, said, deck=cards).verdict == "correct"
    claim = said + " 그리고 디코더 입력에는 positional encoding을 더하지 않는다"
    assert grade(decoder, claim, deck=cards).verdict == "partial"


def test_unsupported__the_points_pole_in_other_words_is_the_notes_word() -> None:
    answer = (
        "디코더가 매 time step마다 출력 단어를 만들 때 인코더 전체 hidden state를 다시 "
        "참고하는데, 지금 예측할 단어랑 관련 깊은 입력 위치엔 가중치를 크게, 관련 적은 곳엔 "
        "작게 준다."
    )
    assert verdict(ATTN, answer) == "correct"


def test_exception__extending_the_exception_to_what_it_excepts_is_partial() -> None:
    mask, cards = sample_card("/self-attention-and-look-ahead-mask")
    said = "미래 단어를 못 보게 마스크를 씌우는 방법이고, 나머지는 인코더 셀프 어텐션과 같다"
    assert grade(mask, said, deck=cards).verdict == "correct"
    also = "미래 단어를 못 보게 마스크를 씌우는 방법이고, 인코더의 셀프 어텐션에도 똑같이 들어간다"
    assert grade(mask, also, deck=cards).verdict == "partial"
    english = "It masks future words, and the mask is also applied to the encoder self-attention."
    assert grade(mask, english, deck=cards).verdict != "correct"


def test_roles__dimensions_exchanged_around_a_feature_space_is_wrong() -> None:
    c = card(
        "Loss Surface란?", "고차원 목적 함수를 사람이 이해할 수 있도록 3차원 공간안에 표현하는 방법"
    )
    assert verdict(c, "3차원 데이터를 고차원 feature space로 올려서 표현하는 방법") == "wrong"


def test_substitute__self_attention_in_place_of_the_ffnn_is_wrong() -> None:
    c = card("Feed Forward Neural Network", "인코더에서의 FFNN과 같다.")
    assert verdict(c, "인코더의 FFNN과 같다") == "correct"
    assert verdict(c, "인코더의 self attention 층과 같다") == "wrong"


def test_echo__the_question_with_a_generic_word_is_wrong() -> None:
    assert verdict(CONTENT, "Content-based는 컨텐츠 기반으로 하는 방식이요.") == "wrong"


def test_swap__both_sides_of_a_dot_product_in_the_other_order_is_no_swap() -> None:
    c = card(
        "Attention 점수",
        "인코더에서의 은닉 벡터 h_i와 디코더에서의 은닉 벡터 s_t를 내적하여 softmax를 취한다.",
    )
    answer = "디코더 은닉 상태 s_t를 인코더 은닉 상태 h_i와 내적해서 softmax를 취한다"
    assert verdict(c, answer) == "correct"


def test_retraction__a_slip_taken_back_is_not_a_swap() -> None:
    answer = "쿼리는 인코더... 아니 디코더 쪽 행렬에서 가져오고요, 키랑 밸류는 인코더 마지막 행렬"
    assert verdict(ENC_DEC, answer) == "correct"


DECK = sample_deck()
DECODER = next(c for c in DECK if c.id.endswith("transformer/decoder"))


def test_enumeration__two_of_three_parts_is_not_correct() -> None:
    # the decoder's three networks with the encoder-decoder attention left out
    answer = "masked self attention이랑 FFNN이 있고 각각 뒤에 add&norm"
    assert grade(DECODER, answer, deck=DECK).verdict != "correct"


def test_enumeration__two_of_three_parts_with_the_count_said_is_correct() -> None:
    # the third part garbled (Feed Foward), not forgotten: the answer says there are three
    answer = (
        "셀프 어텐션 & look-ahead mask, 인코더-디코더 어텐션, Feed Foward 신경망 이렇게 세개로 "
        "이루어짐. 각 출력에 Add & Norm 있음(총3개)"
    )
    assert grade(DECODER, answer, deck=DECK).verdict == "correct"


def test_swap__what_a_side_becomes_is_no_swap() -> None:
    answer = "디코더 행렬이 Query가 되고 인코더 마지막 출력이 Key와 Value가 됨"
    assert verdict(ENC_DEC, answer) == "correct"
    assert verdict(ENC_DEC, "인코더 행렬이 Query가 되고 디코더 마지막 출력이 Key와 Value가 됨") != (
        "correct"
    )


def test_unsupported__short_clauses_run_on_in_one_sentence_are_one_claim() -> None:
    c = card("Transformer란?", "인코더-디코더 구성을 따르면서, Attention만을 이용한 모델이다.")
    plain = "attention만으로 만든 encoder-decoder 모델."
    assert verdict(c, plain) == "correct"
    result = grade(c, f"{plain} 인코더와 디코더는 각각 6층이고 서로 가중치를 공유한다")
    assert result.verdict == "partial"
    assert "공유" in result.unsupported


def test_swap__the_same_subject_with_its_object_said_otherwise_is_no_swap() -> None:
    item, cards = sample_card("/item-based")
    said = "공통으로 평가한 유저 점수로 벡터 2개 만들고 코사인 유사도 계산"
    same = f"같은 유저들이 두 아이템을 얼마나 비슷하게 좋아했냐가 기준. {said}"
    assert grade(item, same, deck=cards).verdict == "correct"
    users = "두 사용자가 같은 아이템을 얼마나 좋아했는지로 사용자끼리 유사도를 구함"
    assert grade(item, users, deck=cards).verdict != "correct"  # the count moved: 두 사용자


def test_modifier__similar_said_after_another_word_of_the_point() -> None:
    assert verdict(CF, "추천 시스템의 한 종류로 컨텐츠끼리 비슷한 걸 찾아서 추천한다") != "correct"
    assert verdict(
        CF, "추천 시스템의 한 종류로 성향이 비슷한 유저를 찾아 유저의 컨텐츠를 추천"
    ) == ("correct")


def test_pairing__a_role_paired_otherwise_than_another_card_is_partial() -> None:
    decoder = card(
        "Decoder", "Self Attention, 인코더-디코더 어텐션, FFNN 세 네트워크로 이루어져 있다."
    )
    deck = [decoder, ENC_DEC]
    right = "self attention, 인코더-디코더 어텐션, FFNN 세 네트워크로 이루어져 있다"
    assert grade(decoder, right, deck=deck).verdict == "correct"
    crossed = grade(
        decoder, right + ". 인코더-디코더 어텐션의 Query는 인코더에서 가져온다", deck=deck
    )
    assert crossed.verdict == "partial"
    assert "Query" in crossed.unsupported


def test_nested__a_listed_term_left_out_is_not_correct() -> None:
    text = (
        "# Topic\n\n### 배경\n\n- Seq2Seq의 문제점을 해결하기 위해서 나왔다.\n"
        "- 고정된 크기의 벡터로 압축하는 방식에 문제가 있었다.\n  - 정보 손실\n"
        "  - Vanishing gradient\n"
    )
    c = parse_text(text, file="t.md", deck="t").cards[0]
    both = "seq2seq 문제 해결하려고 나옴. 고정 크기 벡터로 압축해서 정보 손실, vanishing gradient"
    assert verdict(c, both) == "correct"
    assert (
        verdict(c, "seq2seq 문제 해결하려고 나옴. 고정 크기 벡터로 압축해서 정보 손실") == "partial"
    )


TRANSFORMER = card(
    "Transformer란?", "인코더-디코더 구성을 따르면서, Attention만을 이용하여 구성한 모델이다."
)


def test_exclusion__a_negated_rival_beside_the_only_term_agrees() -> None:
    right = "RNN을 쓰지 않고 어텐션만으로 만든 인코더-디코더 구조의 모델"
    assert verdict(TRANSFORMER, right) == "correct"
    assert verdict(TRANSFORMER, "RNN을 쓰지 않는 인코더-디코더 구조의 모델") != "correct"


def test_exclusion__the_only_term_said_without_only_is_partial() -> None:
    assert verdict(TRANSFORMER, "어텐션을 쓰는 인코더-디코더 모델") == "partial"
    assert verdict(TRANSFORMER, "어텐션만 쓰는 인코더-디코더 모델") == "correct"
    assert verdict(TRANSFORMER, "attention 만 이용해서 만든 인코더-디코더 구조 모델") == "correct"
    assert verdict(TRANSFORMER, "RNN 없이 어텐션으로 만든 인코더-디코더 모델") == "correct"


def test_absolute__a_sweeping_claim_of_its_own_is_partial() -> None:
    c = card("Content-based란?", "유사한 컨텐츠를 찾아 추천한다.")
    result = grade(c, "비슷한 컨텐츠를 찾아 추천함. 평점이 꼭 있어야 돌아감")
    assert result.verdict == "partial"
    assert result.unsupported == "평점이 꼭 있어야 돌아감"
    assert verdict(c, "비슷한 컨텐츠를 찾아 추천하는 방식") == "correct"


def test_absolute__always_restating_the_point_stays_correct() -> None:
    c = card("단점", "공통 평가자가 1명이면 유사도가 1이 된다.")
    assert verdict(c, "공통 평가자가 한 명이면 유사도가 항상 1") == "correct"


def test_negation__the_object_of_a_denied_light_verb_said_as_used_flips() -> None:
    pe, deck = sample_card("/positional-encoding")
    flipped = (
        "RNN은 위치 정보를 학습 못 하는 단점이 있었는데 Transformer는 RNN 구조를 써서 "
        "위치 정보를 자동으로 얻는다"
    )
    assert grade(pe, flipped, deck=deck).verdict != "correct"
    right = (
        "RNN은 위치 정보를 같이 학습하는 장점이 있었지만 Transformer는 RNN을 쓰지 않아서 위치 "
        "정보를 추가하는 방법이 필요했고 그게 Positional Encoding이다. 단어 임베딩에 PE를 더한 "
        "벡터를 입력으로 쓴다"
    )
    assert grade(pe, right, deck=deck).verdict == "correct"


def test_negation__likened_to_what_the_point_does_without_flips() -> None:
    pe, deck = sample_card("/positional-encoding")
    likened = (
        "트랜스포머는 RNN처럼 위치 정보를 자동으로 학습하기 때문에 positional encoding으로 "
        "그 위치 정보를 지워준다"
    )
    assert grade(pe, likened, deck=deck).verdict != "correct"


def test_exclusion__only_term_said_as_the_object_dropped_does_not_hit() -> None:
    c = card(
        "Transformer란?", "인코더-디코더 구성을 따르면서, Attention만을 이용하여 구성한 모델이다."
    )
    assert verdict(c, "인코더-디코더 구조에서 어텐션을 없애고 RNN만 쓴 모델") != "correct"
    assert verdict(c, "인코더-디코더 구조에서 어텐션을 빼고 CNN만으로 만든 모델") != "correct"
    assert verdict(c, "인코더-디코더 구조에서 RNN을 빼고 어텐션만으로 만든 모델") == "correct"


def test_negation__the_topic_of_a_denied_light_verb_is_denied() -> None:
    c, deck = sample_card("/만드는-방법은")
    answer = (
        "학습이 완료된 파라미터는 안 쓰고, 랜덤 초기화 파라미터 두 개에 α, β를 곱해 더하고 "
        "loss를 구한다"
    )
    assert grade(c, answer, deck=deck).verdict != "correct"


def test_verdict__a_disputed_point_with_nothing_else_kept_is_wrong() -> None:
    c, deck = sample_card("/decoder")
    assert grade(c, "self attention이랑 FFNN 두 개로 구성되고 add&norm 2개", deck=deck).verdict == (
        "wrong"
    )


def test_foreign__a_term_from_outside_the_notes_with_no_point_said_is_wrong() -> None:
    c, deck = sample_card("/loss-surface란")
    wrong = "학습하면서 epoch마다 loss 값이 어떻게 줄어드는지 그린 learning curve"
    assert grade(c, wrong, deck=deck).verdict == "wrong"
    partial = "loss 함수를 그래프로 시각화해서 보는 방법"
    assert grade(c, partial, deck=deck).verdict == "partial"


def test_roles__what_one_role_owns_said_of_the_other_is_wrong() -> None:
    swapped = "인코더가 입력 단어를 읽을 때 디코더의 출력 정보를 참고해서 가중치를 주는 것"
    assert verdict(ATTN, swapped) == "wrong"
    right = (
        "디코더가 출력 단어를 예측할 때 인코더의 정보를 같이 보고 연관이 높으면 높은 가중치를 준다"
    )
    assert verdict(ATTN, right) == "correct"


def test_swap__the_operands_of_a_dot_product_exchanged_are_wrong() -> None:
    c, deck = sample_card("/self-attention")
    swapped = "Key와 Value를 내적해서 score를 구하고 softmax 한 다음 Query 벡터들을 가중합한다."
    assert grade(c, swapped, deck=deck).verdict == "wrong"
    right = (
        "같은 문장 안 단어들의 연관성을 구한다. Q, K, V를 만들고 Q·K 내적을 key 차원의 루트로 "
        "나눈 score에 softmax를 하고 V를 가중합해서 z를 만든다. 행렬로 한번에 계산하고 "
        "n개 head의 z를 concat해서 W_0를 곱한다"
    )
    assert grade(c, right, deck=deck).verdict != "wrong"


def test_align__a_word_is_read_beside_its_clause_mates() -> None:
    c, deck = sample_card("/position-wise-ffnn")
    answer = (
        "히든 레이어 1개짜리 fully connected 네트워크이고 중간에 ReLU 씀. W1, b1, W2, b2는 "
        "한 인코더 층 안에서는 공유되고 층이 달라지면 다른 값"
    )
    assert grade(c, answer, deck=deck).verdict == "correct"


def test_poles__a_run_on_clause_says_each_pole_in_its_own_unit() -> None:
    c = card("가중치", "W1, b1은 같은 인코더 층에서는 공유하지만 다른 층과는 다르다.")
    assert verdict(c, "W1 b1은 같은 인코더 층 안에선 공유 다른 층이랑은 다름") == "correct"
    assert verdict(c, "W1 b1은 같은 인코더 층 안에서도 다르고 다른 층과는 공유") != "correct"


def test_flip__the_opposite_of_similar_is_a_flip() -> None:
    assert verdict(CF, "추천 시스템의 일종. 성향 반대인 유저 찾아서 그 유저의 컨텐츠를 추천함") != (
        "correct"
    )


def test_echo__the_question_said_back_in_its_parts_is_wrong() -> None:
    c, deck = sample_card("/content-based")
    assert grade(c, "Content-based는 content를 기반으로 하는 것입니다.", deck=deck).verdict == (
        "wrong"
    )
    t, _ = sample_card("/transformer란")
    assert grade(t, "Transformer란 트랜스포머 모델이다", deck=deck).verdict == "wrong"


def test_align__a_generic_half_of_a_compound_does_not_stand_for_it() -> None:
    c, deck = sample_card("/아마존-넷플릭스에서는")
    assert grade(c, "딥러닝 기반 추천만 쓴다", deck=deck).verdict == "wrong"


def test_negation__a_purpose_ending_ends_the_flip_it_hides() -> None:
    c, deck = sample_card("/self-attention-and-look-ahead-mask")
    flipped = (
        "현재 시점의 예측에서 과거 단어들을 참고하지 못하도록 mask를 씌워 미래 단어만 보게 한다"
    )
    assert grade(c, flipped, deck=deck).verdict == "wrong"


def test_flip__a_word_said_with_the_other_pole_is_talked_about() -> None:
    c, deck = sample_card("/self-attention-and-look-ahead-mask")
    assert grade(c, "과거 단어들을 가려서 미래 단어만 참고하도록 하는 방법", deck=deck).verdict == (
        "wrong"
    )


def test_pairing__a_member_the_notes_do_not_name_for_its_category_is_partial() -> None:
    c, deck = sample_card("/feed-forward-neural-network")
    crossed = "인코더 ffnn이랑 같은데 활성화함수만 softmax씀"
    assert grade(c, crossed, deck=deck).verdict == "partial"
    named = "인코더 ffnn이랑 같은 구조, 활성화함수는 relu씀"
    assert grade(c, named, deck=deck).verdict == "correct"


def test_negation__a_notes_x_mark_denies_the_rival_it_follows() -> None:
    c, deck = sample_card("/transformer란")
    assert grade(c, "enc-dec 구조 + attention만 사용 (RNN X)", deck=deck).verdict == "correct"


def test_flip__an_initial_parameter_for_a_trained_one_is_not_correct() -> None:
    c, deck = sample_card("/만드는-방법은")
    answer = (
        "가우시안 랜덤 방향 벡터 두 개를 파라미터와 같은 차원으로 만들고, {} 파라미터 θ에 α, β를 "
        "곱한 두 벡터를 더해 loss를 구한다. α, β는 -1~1, (α, β, loss)를 3차원에 그린다"
    )
    assert grade(c, answer.format("학습 시작 전에 초기화한"), deck=deck).verdict != "correct"
    assert grade(c, answer.format("학습이 끝난"), deck=deck).verdict == "correct"


def test_unsupported__a_later_sentence_reusing_point_words_is_a_claim() -> None:
    c, deck = sample_card("/attention이란")
    said = "출력 단어를 예측할 때 인코더 쪽 정보를 같이 보고, 연관이 높으면 높은 가중치를 준다."
    claim = grade(c, said + " 이 가중치는 사람이 미리 손으로 정해 둔 상수다.", deck=deck)
    assert claim.verdict == "partial"
    assert claim.unsupported.startswith("가중치는 사람이")
    restated = said + " 연관이 낮으면 낮은 가중치를 준다."
    assert grade(c, restated, deck=deck).verdict == "correct"


def test_roles__a_phrase_typed_without_particles_still_has_its_owner() -> None:
    assert verdict(ATTN, "인코더가 입력 단어를 읽을 때 디코더 출력 정보를 보고 가중치를 준다") == (
        "wrong"
    )
    assert verdict(
        ATTN, "디코더 출력 단어 예측할 때 인코더 정보 같이 봄, 연관 높으면 높은 가중치"
    ) == ("correct")


def test_verdict__little_said_in_words_from_outside_the_notes_is_wrong() -> None:
    c, deck = sample_card("/user-based")
    assert grade(
        c, "유저의 거주 지역, 연령대 같은 인구 통계 정보로 비슷한 유저를 찾는다", deck=deck
    ).verdict == ("wrong")
    assert grade(c, "비슷한 유저를 찾아서 추천하는 협업 필터링", deck=deck).verdict == "partial"


def test_count__a_points_number_said_otherwise_is_not_correct() -> None:
    c, deck = sample_card("/decoder")
    listed = "look-ahead mask 셀프 어텐션, 인코더-디코더 어텐션, FFNN 세 개로 이루어지고 "
    assert grade(c, listed + "Add & Norm은 마지막에 1번만 있다", deck=deck).verdict != "correct"
    assert grade(c, listed + "각 출력마다 Add & Norm, 총 3개", deck=deck).verdict == "correct"


def test_verdict__a_flip_beside_a_point_said_in_part_is_wrong() -> None:
    c, deck = sample_card("/self-attention-and-look-ahead-mask")
    answer = "현재 시점보다 앞쪽 단어들을 가려서 미래 단어만 참고하도록 하는 방법"
    assert grade(c, answer, deck=deck).verdict == "wrong"


def test_unsupported__a_likeness_claims_nothing() -> None:
    c, deck = sample_card("/attention이란")
    said = "출력 단어를 예측할 때 인코더 정보를 같이 보고, 연관이 높으면 높은 가중치를 준다."
    likeness = " 번역가가 원문을 다시 훑어보면서 중요한 부분에 밑줄 긋는 느낌이다."
    assert grade(c, said + likeness, deck=deck).verdict == "correct"
    english = (
        "looks at the encoder info with bigger weights for related words when predicting an "
        "output word, kind of like a translator skimming the source text again"
    )
    assert grade(c, english, deck=deck).verdict == "correct"


def test_verdict__a_rival_only_in_a_later_points_detail_is_partial() -> None:
    c, deck = sample_card("/positional-encoding")
    answer = "RNN이 없어서 위치 정보를 넣어야 함 → PE를 임베딩에 concat"
    assert grade(c, answer, deck=deck).verdict == "partial"  # concat for 더한: only a detail
    # with nothing else said, the rival is the answer's own claim
    assert grade(c, "PE를 임베딩에 concat", deck=deck).verdict == "wrong"


def test_unsupported__the_card_called_the_same_backs_its_details() -> None:
    ffnn = card(
        "Position-wise FFNN",
        "하나의 히든 레이어를 가지는 Fully Connected NN",
        "히든 레이어의 출력의 활성화 함수를 ReLU 사용",
    )
    decoder_ffnn = card("Feed Forward Neural Network", "인코더에서의 FFNN과 같다.")
    other = card("Embedding", "단어를 벡터로 바꾼다")
    deck = [ffnn, decoder_ffnn, other]
    answer = (
        "인코더의 FFNN과 같은 구조예요. 히든 레이어 하나에 ReLU 쓰는 fully connected 네트워크요."
    )
    assert grade(decoder_ffnn, answer, deck=deck).verdict == "correct"
    # what the referred card does not say stays a claim of the answer's own
    made_up = (
        "인코더의 FFNN과 같은 구조예요. 디코더는 모든 층이 같은 가중치를 그대로 공유해서 씁니다."
    )
    assert grade(decoder_ffnn, made_up, deck=deck).verdict == "partial"


def test_verdict__a_part_owned_up_to_as_forgotten_is_not_correct() -> None:
    c = card("Loss Surface", "고차원의 손실 함수를 3차원으로 시각화한 것")
    said = "고차원 손실 함수를 3차원으로 시각화한 거예요."
    assert verdict(c, said) == "correct"
    assert verdict(c, said + " 그 다음은 기억이 잘 안 나요.") == "partial"
    assert verdict(c, said + " I don't remember the rest.") == "partial"


def test_unsupported__think_of_it_as_said_in_korean_claims_nothing() -> None:
    c, deck = sample_card("/attention이란")
    said = "출력 단어를 예측할 때 인코더 정보를 같이 보고, 연관이 높으면 높은 가중치를 준다."
    likeness = " 번역가가 원문을 다시 훑어보면서 중요한 부분에 밑줄 긋는 거라고 생각하면 돼요."
    assert grade(c, said + likeness, deck=deck).verdict == "correct"
