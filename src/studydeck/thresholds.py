"""The named constants of the grader's verdict (all can be set)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """The named constants of the verdict; every one can be set.

    - ``point_hit``: a point is hit when its score (weighted share of its key words the
      answer covers) reaches this.
    - ``correct``: the answer is correct when the hit points carry this share of the
      expected points' weight.
    - ``partial``: otherwise it is partial when any expected point is hit or the
      overall score reaches this, or ``partial_point`` of one point is covered by
      clauses that contradict nothing; else wrong.
    - ``typo``: jamo/letter similarity (0..1, Damerau-style) at which a longer word
      with a typo still counts as the word.
    - ``typo_min_syllables`` / ``typo_min_letters``: shorter words must match exactly,
      so that 손실 ≠ 소실.
    - ``long_point_words``: a point with more key-word weight than this needs only
      half of each further word (a learner summarises long points).
    - ``question_weight`` / ``weak_weight``: weight of a key word that the question
      already says, and of a generic word (방법, 과정, use, …).
    - ``plain_weight``: weight of a key word the glossary does not know (크게, 강구, …):
      the field's terms carry a point, its connecting words less so.
    - ``on_target``: an answer too short for ``partial`` is still partial when this
      share of its own words (not the question's) match key terms it does not contradict.
    - ``rarity``: with a ``deck`` given to ``grade``, each key word's weight is multiplied
      by its rarity across the deck's points (inverse document frequency, scaled to
      average 1) to this power: 0 turns it off.
    - ``kept``: an answer that contradicts an expected point it talks about is wrong
      unless one point's clean coverage (outside contradicting clauses) reaches this; when
      its only fault is a rival term in a later point's detail (concat for 더한),
      ``partial_point`` of one point is enough.
    - ``disputed``: an answer that contradicts an expected point and covers this much of
      it (or puts a rival term in its place) is not correct, however much else it hits.
    - ``main_point``: on a card of two expected points, one carrying this share of their
      weight (square-root weighted, as for ``correct``) is a main point: an answer that
      covers less than ``partial`` of it is not correct.
    - ``unsupported_words``: an answer that hits every point but adds a clause of its own —
      no word of it matched to a point, and this many words the card never uses — is
      partial: the notes cannot back the claim (0 turns it off).
    - ``spare_claim_words``: such a clause may borrow one word matched to a point that is hit
      without it (다른 유저들의 평점 데이터가 반드시 있어야 한다 borrows 유저) when it says this
      many words the card never uses (0 turns it off).
    - ``outside_words``: an answer that hits no point is partial when it covers ``partial``
      of them or ``partial_point`` of one, unless it says this many words no card of the
      deck uses (유저의 나이, 성별 같은 프로필 정보: another method told in a few of the
      card's words) and, covering only ``partial`` of them, more than half as many as the
      notes' words it says; twice ``partial`` is partial regardless (0 turns it off).
    - ``sentence_claim_words``: a sentence after the first that says this many words the
      card never uses, whose words no hit point needs and that says no line of a point, is a
      claim of its own too ("이때 θ는 학습 시작 전 초기화된 파라미터를 씀" borrows θ and
      파라미터 from a point already said): the answer is partial (0 turns it off).
    """

    point_hit: float = 0.4
    correct: float = 0.6
    partial: float = 0.15
    partial_point: float = 0.25
    typo: float = 0.8
    typo_min_syllables: int = 3
    typo_min_letters: int = 5
    long_point_words: float = 6.0
    question_weight: float = 0.3
    weak_weight: float = 0.5
    plain_weight: float = 0.6
    on_target: float = 0.5
    rarity: float = 2.0
    kept: float = 0.4
    disputed: float = 0.25
    unsupported_words: int = 4
    main_point: float = 0.36
    spare_claim_words: int = 5
    sentence_claim_words: int = 3
    outside_words: int = 2


DEFAULT_THRESHOLDS = Thresholds()
