"""Normalisation: both sides of a comparison reduce to the same tokens."""

from __future__ import annotations

import unicodedata

from studydeck.glossary import load_glossary
from studydeck.morph import english_stem, nfc_with_offsets, split_suffix


def keys(text: str) -> list[str]:
    return [t.key for t in load_glossary().normalizer.analyse(text).tokens]


def test_nfc__decomposed_hangul_equals_composed() -> None:
    assert keys(unicodedata.normalize("NFD", "정보 손실")) == keys("정보 손실")


def test_nfc__offsets_point_into_the_original_text() -> None:
    text = unicodedata.normalize("NFD", "정보 손실")
    norm, offsets = nfc_with_offsets(text)
    assert norm == "정보 손실"
    assert text[offsets[3] : offsets[5]] == unicodedata.normalize("NFD", "손실")


def test_nfc__plain_hangul_and_ascii_keep_their_offsets() -> None:
    norm, offsets = nfc_with_offsets("Query는 디코더")
    assert norm == "query는 디코더"
    assert offsets == list(range(len(norm) + 1))
    mixed, at = nfc_with_offsets("Σ는 µ")  # other scripts go cluster by cluster
    assert mixed == "σ는 µ" and at == list(range(5))


def test_case__upper_and_lower_equal() -> None:
    assert keys("ATTENTION Value") == keys("attention value")


def test_punctuation__ignored() -> None:
    assert keys("정보 손실!!! (vanishing gradient)") == keys("정보 손실 vanishing gradient")


def test_particles__stripped_from_korean_words() -> None:
    assert keys("정보가 손실된다") == keys("정보 손실")


def test_particles__stripped_from_latin_words() -> None:
    assert keys("Query는 Attention을") == keys("query attention")


def test_endings__hada_verbs_keep_their_noun() -> None:
    assert split_suffix("예측할때")[0] == "예측"
    assert split_suffix("표현하는")[0] == "표현"


def test_glossary__korean_and_english_variants_equal() -> None:
    assert keys("어텐션 인코더 디코더") == keys("Attention encoder decoder")


def test_glossary__multiword_terms_with_or_without_spaces() -> None:
    assert keys("셀프어텐션을") == keys("self attention") == ["self-attention"]


def test_stopwords__dropped() -> None:
    assert keys("그리고 the 것") == []


def test_negation__marks_the_clause_and_the_word_it_applies_to() -> None:
    tokens = (
        load_glossary().normalizer.analyse("미래 단어를 참고하지 못하도록, 마스크를 씌운다").tokens
    )
    by_key = {t.key: t for t in tokens}
    assert by_key["look"].negated and by_key["look"].neg_head
    assert not by_key["mask"].negated


def test_roles__particles_give_coarse_cases() -> None:
    tokens = load_glossary().normalizer.analyse("유저보다 아이템이 작다").tokens
    assert [(t.key, t.case) for t in tokens][:2] == [("user", "than"), ("item", "subj")]


def test_segment__a_compound_of_glossary_words_is_split() -> None:
    assert keys("최소평가") == keys("최소 평가")


def test_segment__a_long_run_without_spaces_is_cut_around_terms() -> None:
    got = keys("인코더의출력을각디코더층에모두입력한다")
    assert {"encoder", "output", "decoder", "layer", "input"} <= set(got)


def test_numbers__words_digits_and_counters_compare_equal() -> None:
    assert keys("두 벡터") == keys("two vectors") == keys("2개 벡터") == ["2", "vector"]


def test_lookup__a_stem_before_a_ha_ending_finds_the_verb() -> None:
    assert keys("구하는") == keys("계산") == ["compute"]


def test_glossary__one_syllable_stems_of_variants_are_not_terms() -> None:
    assert "understand" not in keys("이를 해결한다")  # 이해 → 이 must not catch 이를


def test_english_stem__inflections_compare_equal() -> None:
    assert english_stem("computing") == english_stem("computed") == english_stem("compute")
    assert english_stem("embedding") == english_stem("embeds") == "embed"
    assert english_stem("loss") == "loss"  # -ss is not a plural


def test_latin_word__a_glued_ha_ending_is_not_a_word() -> None:
    assert keys("high dimensional한 함수") == keys("high dimensional 함수")
    assert "1" not in keys("dimensional한")  # 한 here is an ending, not the number one


def test_loose_particle__a_particle_typed_apart_joins_its_word() -> None:
    tokens = load_glossary().normalizer.analyse("Mask 를 씌운다").tokens
    assert [(t.key, t.case) for t in tokens][:1] == [("mask", "obj")]
    assert keys("한 가지") == ["1"]  # a one-syllable number stays a word


def test_latex__a_command_is_markup() -> None:
    assert keys(r"$\rightarrow$ 마스크") == ["mask"]


def test_roles__a_latin_noun_before_a_korean_one_borrows_its_case() -> None:
    tokens = load_glossary().normalizer.analyse("각 Decoder 층에 Encoder의 출력을").tokens
    assert [(t.key, t.case) for t in tokens][:2] == [("decoder", "to"), ("layer", "to")]


def test_numbers__a_counted_word_keeps_its_count_under_stacked_particles() -> None:
    assert keys("두개로만") == keys("두개") == ["2"]
    assert "3" in keys("세개의 네트워크")


def test_span__a_word_ending_inside_a_combining_cluster_keeps_its_letters() -> None:
    from studydeck.grader import grade
    from studydeck.notes import parse_text

    (card,) = parse_text("# T\n### Q\n- v 값\n", file="x.md").cards
    answer = "V\u0300 값"  # V and a combining grave accent: one cluster, two code points
    result = grade(card, answer)
    assert all(0 <= s < e <= len(answer) for r in result.points for s, e in r.spans)


def test_negation__an_after_a_bare_noun_is_a_place() -> None:
    tokens = load_glossary().normalizer.analyse("문장 안 단어들").tokens
    assert not any(t.negated for t in tokens)


def test_negation__an_before_a_verb_still_negates() -> None:
    for text in ("RNN을 안 쓴다", "전혀 안 쓴다"):
        tokens = load_glossary().normalizer.analyse(text).tokens
        assert all(t.negated for t in tokens)


def test_negation__english_stop_verb_negates_its_clause() -> None:
    tokens = load_glossary().normalizer.analyse("it stops the decoder from seeing future words")
    assert all(t.negated for t in tokens.tokens)


def test_case__a_dropped_counting_word_passes_its_role_back() -> None:
    tokens = load_glossary().normalizer.analyse("유저 수가 아이템 수보다 많다").tokens
    assert [(t.key, t.case) for t in tokens[:2]] == [("user", "subj"), ("item", "than")]


def test_case__than_passes_over_an_article() -> None:
    tokens = load_glossary().normalizer.analyse("smaller than the number of users").tokens
    assert ("size", "than") in [(t.key, t.case) for t in tokens]


def analysed(text: str) -> dict[str, bool]:
    """Return each token's key and whether its clause is negated."""
    return {t.key: t.negated for t in load_glossary().normalizer.analyse(text).tokens}


def test_negation__ends_with_the_clause_of_its_negator() -> None:
    assert analysed("RNN 없이 attention만 쓴다") == {"rnn": True, "attention": False, "use": False}
    assert not analysed("RNN을 안 써서 위치 정보를 더한다")["position"]


def test_negation__removing_a_term_is_not_negating_the_clause() -> None:
    assert analysed("RNN을 없애고 attention만 쓴다")["rnn"] is False


def test_spacing__a_negator_glued_to_its_verb_still_negates() -> None:
    assert analysed("rnn안써서 위치정보없음")["use"] is True
    assert keys("문장안 단어") == ["sentence", "inside", "word"]


def test_spacing__run_together_words_with_particles_between_are_cut() -> None:
    assert keys("연관이높으면 높은가중치") == ["relevance", "high", "high", "weight"]
    assert keys("입력으로넣음") == ["input", "input"]
    assert keys("같이본다") == ["look"]


def test_symbols__math_signs_in_an_answer_are_words() -> None:
    assert keys("QK^T/√dk") == ["qk", "divide", "square-root", "key-size"]
    assert keys("(유사도*평점)합 / 유사도합")[:3] == ["similarity", "multiply", "rating"]


def test_symbols__signs_in_latex_are_a_formula_not_steps() -> None:
    assert "add" not in keys("$L(\\theta+\\alpha*v_1)$ 표시")


def test_latex__a_greek_letter_command_is_its_letter() -> None:
    assert keys("$\\alpha, \\beta$를 곱한다") == keys("α, β를 곱한다")
    assert "rightarrow" not in keys("A $\\rightarrow$ B")


def test_spacing__a_thing_said_short_and_a_side_are_cut_off() -> None:
    assert keys("연관높은건") == ["relevance", "high"]
    assert keys("인코더쪽에서") == ["encoder"]


def test_symbols__arrows_say_high_and_low() -> None:
    assert keys("weight ↑ 낮으면 weight ↓") == ["weight", "high", "low", "weight", "low"]


def test_segment__a_one_syllable_word_before_glossary_words_is_cut() -> None:
    assert keys("큰가중치를") == ["large", "weight"]


def test_numbers__a_list_s_numbering_is_no_count() -> None:
    assert keys("1) self attention 2) FFNN") == ["self-attention", "ffnn"]
    assert keys("1. self attention\n2. FFNN") == ["self-attention", "ffnn"]
    assert "2" in keys("FFNN (총 2) 있다")  # a number inside brackets stays


def test_numbers__a_numeral_determiner_with_an_ending_is_a_verb() -> None:
    assert "2" not in keys("가중치를 두어")  # 두어, 두고: put, not two
    assert "2" not in keys("기준을 두고 미달이면")
    assert "1" not in keys("정규화 한다")  # 한다: does, not one
    assert keys("두 벡터") == ["2", "vector"]
    assert "2" in keys("두개로")


def test_particles__only_with_and_contracted_particles_are_cut_off() -> None:
    assert keys("어텐션으로만") == ["attention"]
    assert keys("디코더에선") == ["decoder"]
    assert keys("구조인데") == ["structure"]


def test_glossary__attached_is_included_and_glued_on_is_combined() -> None:
    assert keys("Add & Norm이 붙는다") == ["add-norm", "include"]
    assert keys("s_t랑 붙여서") == ["st", "combine"]


def test_clauses__a_short_verb_with_go_ends_its_clause() -> None:
    tokens = load_glossary().normalizer.analyse("FFNN으로 되어 있고 Add & Norm도 2개").tokens
    assert tokens[0].clause != tokens[-1].clause


def test_numbers__an_ending_on_a_number_is_not_a_word() -> None:
    tokens = load_glossary().normalizer.analyse("cos = 1인데 실제론 정반대").tokens
    assert [t.key for t in tokens][:2] == ["cosine-similarity", "1"]
    assert tokens[1].clause != tokens[2].clause  # 인데 ends the claim


def test_endings__a_copula_with_yo_is_stripped() -> None:
    assert keys("방식이요") == keys("방식")


def test_glossary__cos_sim_is_cosine_similarity() -> None:
    assert keys("cos sim") == keys("코사인 유사도") == ["cosine-similarity"]


def test_endings__a_polite_spoken_ending_keeps_its_negation() -> None:
    (rnn, use) = load_glossary().normalizer.analyse("RNN은 안쓰고요").tokens
    assert (rnn.key, use.key, use.negated) == ("rnn", "use", True)


def test_retraction__a_word_taken_back_with_ani_is_dropped() -> None:
    assert keys("쿼리는 인코더... 아니 디코더에서") == ["query", "decoder"]
    assert keys("인코더, 아니요 디코더") == ["decoder"]
    assert keys("그게 아니라 디코더") == ["decoder"]


def test_retraction__a_spoken_a_anida_takes_the_word_back() -> None:
    assert keys("쿼리가 인코더에서, 아 아니다 디코더에서") == ["query", "decoder"]
    assert keys("쿼리는 디코더... 아 아니다, 인코더") == ["query", "encoder"]
    assert keys("인코더가 아니다") == ["encoder"]  # a plain denial takes nothing back


def test_glossary__hangul_spelled_english_terms() -> None:
    text = "마스크드 컨텐츠 베이스드 배니싱 그래디언트 레지듀얼 컨넥션 콘캣"
    keys = [t.key for t in load_glossary().normalizer.analyse(text).tokens]
    assert keys == ["mask", "content-based", "vanishing-gradient", "residual-connection", "combine"]


def test_segment__a_particle_glued_between_a_latin_word_and_a_term_is_cut() -> None:
    tokens = load_glossary().normalizer.analyse("Query는디코더 행렬").tokens
    assert [(t.key, t.case) for t in tokens][:2] == [("query", "subj"), ("decoder", "")]
    assert keys("Query가중치") == keys("query 가중치")  # 가중치 is a word, not 가 + 중치


def negated(text: str) -> list[bool]:
    return [t.negated for t in load_glossary().normalizer.analyse(text).tokens]


def test_negation__an_before_a_light_verb_negates_the_noun_before_it() -> None:
    assert negated("학습 안되는 고정값")[0]
    assert negated("학습 안 되는 고정값")[0]
    assert not any(negated("문장 안 단어"))


def test_negation__an_between_english_and_a_noun_is_inside() -> None:
    assert not any(negated("같은 layer 안 position끼리 share"))
    assert all(negated("RNN 안 써서"))


def test_phrase__a_typo_in_the_english_word_of_a_term_is_still_the_term() -> None:
    assert keys("vanishing gradiant") == keys("vanishing gradient")
    assert keys("feed foward") == keys("feed forward")
    assert "high-dimensional" not in keys("higher dimension")


def test_negation__an_glued_to_a_past_light_verb_negates() -> None:
    assert negated("rnn 안쓴거")[0]
    assert negated("RNN 안 쓴 모델")[0]


def test_negation__an_english_contraction_typed_without_its_apostrophe() -> None:
    assert all(negated("pos t cant attend to later words"))
    assert all(negated("it doesnt use recurrence"))


def test_negation__a_purpose_ending_closes_the_negated_clause() -> None:
    marks = negated("과거 단어들을 참고하지 못하도록 mask를 씌워 미래 단어만 보게")
    assert marks[0] and not marks[-1]


def test_glossary__phone_abbreviations_are_their_terms() -> None:
    assert keys("high dim objective fn") == keys("high dimensional objective function")
    assert keys("pos enc") == ["positional-encoding"]
    assert keys("sim vecs") == ["similarity", "vector"]
    assert keys("활성화 relu") == keys("활성화 함수 relu")
    assert keys("여러개") == ["various"]


def test_segment__a_run_is_cut_into_the_words_of_a_glossary_phrase() -> None:
    assert keys("고정된크기 벡터") == keys("고정된 크기 벡터") == ["fixed-size", "vector"]
    assert keys("비슷한성향") == ["similar", "taste"]


def test_segment__a_determiner_typed_onto_its_noun_is_cut() -> None:
    assert keys("두아이템") == ["2", "item"]
    assert keys("그유저") == ["user"]


def test_normalize__an_ending_said_by_the_last_consonant_is_stripped() -> None:
    assert keys("만듦") == keys("만들") == ["create"]
    assert keys("바꿈") == ["transform"]
    assert keys("학습끝난") == ["train", "finish"]


def test_normalize__a_count_with_jjari_is_the_count() -> None:
    assert keys("하나짜리") == ["1"]


def test_phrase__a_typo_in_the_stem_of_a_terms_english_word() -> None:
    assert keys("fully conected") == ["fully-connected"]


def test_normalize__ran_typed_apart_is_the_particle() -> None:
    assert keys("loss surface 란") == keys("loss surface란")


def test_glossary__a_sublayer_is_a_network_and_a_fix_solves() -> None:
    assert keys("서브레이어 두 개") == keys("네트워크 두 개")
    assert keys("two sublayers") == keys("two networks")
    assert "solve" in keys("attention patched that") and "solve" in keys("fix it with Pearson")


def test_negation__a_notes_x_mark_denies_its_clause() -> None:
    tokens = load_glossary().normalizer.analyse("attention만 씀 (RNN X)").tokens
    assert [(t.key, t.negated) for t in tokens] == [
        ("attention", False),
        ("use", False),
        ("rnn", True),
    ]
    assert all(t.negated for t in load_glossary().normalizer.analyse("위치정보X → 필요").tokens[:2])


def test_negation__an_x_among_variables_is_a_variable() -> None:
    for text in ("입력 X, 출력 Z 더함", "입력 X → Q, K, V"):
        assert not any(t.negated for t in load_glossary().normalizer.analyse(text).tokens)


def test_glossary__note_form_variants_are_terms() -> None:
    assert "vanishing-gradient" in keys("info loss, vanishing grad")
    assert keys("loss 함수를 그림으로 보여주는 것") == ["loss-function", "visualize", "express"]


def test_clauses__a_notes_slash_parts_phrases_but_divides_a_formula() -> None:
    tokens = load_glossary().normalizer.analyse("info loss / vanishing grad").tokens
    assert [t.key for t in tokens] == ["information", "loss", "vanishing-gradient"]
    assert tokens[1].clause != tokens[2].clause
    assert "divide" in keys("Σ(sim × 평점) / Σ sim")
    assert "divide" in keys("다른 사람 선호도 × 유사도 합 / 유사도 합")
