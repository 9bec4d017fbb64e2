"""Find what an answer claims beyond the notes: a clause that none of the card's points says.

studydeck grades against the learner's own notes. An answer that says every point and then adds
a claim of its own ("…, and Google published it in 2014") cannot get full credit: nothing
offline can tell a true extra claim from a false one, and an interviewer marks a false one down.
A later sentence that reuses the points' words for a claim of its own counts too, and an
answer that hits no point and tells, in words from outside the notes, something else than they
say is wrong rather than partial.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from studydeck.glossary import Glossary
from studydeck.keypoints import Key
from studydeck.normalize import Token
from studydeck.thresholds import Thresholds
from studydeck.words import SENTENCE_END, sentence_numbers

# an example or a likeness illustrates a point (e.g. if people like you loved Inception; 원문을
# 다시 훑어보는 느낌, kind of like a terrain map): it claims nothing
_EXAMPLE = re.compile(
    r"\b(?:e\.g\.|for example|for instance|kind of like|sort of like|think of it as)"
    r"|예를 들[어면]|예컨대|예시로|마치|비유하면"
)
# … 밑줄 긋는 느낌이다, … skip connection 생각하면 돼요 ("think of it as"): a likeness said at
# its sentence's end holds the whole sentence
_LIKENESS = re.compile(r"느낌|생각하면\s*(?:된|돼|될|되)")
# "… 그 다음은 기억이 잘 안 나요", "I don't remember the rest": the learner says a part is missing
_FORGOT = re.compile(
    r"기억이?\s*(?:잘\s*|좀\s*|정확히\s*)?안\s*[나남났]|기억(?:이\s*)?나지\s*않|모르겠|까먹"
    r"|\bi\s*(?:do\s*not|don'?t|can'?t|cannot)\s*(?:remember|recall)|\bi\s*forgot"
    r"|\bi'?m\s*not\s*sure|\bi\s*don'?t\s*know",
    re.IGNORECASE,
)
_MATH = frozenset(["plus", "times", "divide", "sqrt", "max", "min"])
# adverbs of a sweeping claim (항상 적다, 반드시 필요하다): a learner's false detail most often
# wears one; 무조건 and "must" are left out, learners say "무조건 1" and "must not see" rightly
_ABSOLUTE = frozenset(["항상", "반드시", "꼭", "절대", "alway", "always"])


def unsupported_claim(
    tokens: Sequence[Token],
    used: Collection[int],
    vocabulary: Collection[str],
    min_words: int,
    *,
    spare: Collection[int] = (),
    spare_words: int = 0,
    text: str = "",
    foreign: Collection[str] = (),
) -> tuple[int, ...]:
    """Return the answer words of the longest clause the key points do not back, or ().

    A clause is unbacked when none of its words was matched to a point and it says at least
    ``min_words`` words that the card (its points and question) never uses; or when its one
    matched word is ``spare`` (its point is hit without it) and it says ``spare_words`` such
    words: 다른 유저들의 평점 데이터가 반드시 있어야 동작한다 borrows 유저 from a point said
    already. A clause that names a ``foreign`` term (another card's subject, one this card
    never uses) and one more word the card does not use makes a claim about a neighbouring
    concept, however short. A clause inside an example (``text`` says "e.g.") claims nothing.
    """
    if min_words <= 0:
        return ()
    skipped = _examples(tokens, text)
    clauses: dict[int, list[int]] = {}
    for j, t in enumerate(tokens):
        clauses.setdefault(t.clause, []).append(j)
    runs = _runs(list(clauses.values()), tokens, used, vocabulary, text)
    best: tuple[int, ...] = ()
    longest = min_words - 1
    for words in [*clauses.values(), *runs]:
        if skipped.intersection(words):
            continue
        held = [j for j in words if j in used]
        if len(held) > 1 or (held and held[0] not in spare):
            continue
        new = sum(tokens[j].key not in vocabulary and not _math(tokens[j]) for j in words)
        if new >= 2 and any(tokens[j].key in foreign for j in words):
            new = max(new, min_words, spare_words)  # another card's subject, and a claim on it
        if held and new < spare_words:
            new = 0  # a spare word: only a long claim of its own is kept apart
        if new > longest:
            best, longest = tuple(words), new
    return best


def sentence_claim(
    tokens: Sequence[Token],
    points: Sequence[tuple[Sequence[Token], Sequence[float], Mapping[int, int], float]],
    vocabulary: Collection[str],
    min_words: int,
    point_hit: float,
    text: str,
) -> tuple[int, ...]:
    """Return the answer words of a later sentence that makes a claim of its own, or ().

    An answer that says its points and then, in a sentence of its own, what the notes never
    say ("이때 θ는 학습 시작 전 초기화된 파라미터를 씀") reuses the points' words in it, so no
    clause of it is unmatched. Such a sentence is a claim when it says ``min_words`` words
    the card never uses, each hit point stays hit without its words, and it does not say
    most of one line of a point (a nested line said again in other words). ``points`` gives
    each point's words, their weights, the answer words matched to them and the weight that
    makes the point whole (0 for a point not hit). The first sentence, and one inside an
    example, are never such a claim.
    """
    if min_words <= 0 or not text:
        return ()
    sentence = sentence_numbers(text, (t.start for t in tokens))
    skipped = _examples(tokens, text)
    for number in sorted(set(sentence[1:]) - {sentence[0]}):
        words = {j for j, n in enumerate(sentence) if n == number}
        if skipped & words:
            continue
        new = sum(tokens[j].key not in vocabulary and not _math(tokens[j]) for j in words)
        if new < min_words:
            continue
        if not any(
            _restated(key, weights, pairs, words)
            or (
                total
                and sum(weights[i] for i, j in pairs.items() if j not in words) < point_hit * total
            )
            for key, weights, pairs, total in points
        ):
            return tuple(sorted(words))
    return ()


def _restated(
    key: Sequence[Token], weights: Sequence[float], pairs: Mapping[int, int], words: set[int]
) -> bool:
    """Return True when the sentence says half of one line (clause) of a point, or more."""
    lines: dict[int, list[int]] = {}
    for i, t in enumerate(key):
        lines.setdefault(t.clause, []).append(i)
    return any(
        len(line) >= 2
        and 2 * sum(weights[i] for i in line if pairs.get(i, -1) in words)
        >= sum(weights[i] for i in line)
        for line in lines.values()
    )


def foreign_term(
    tokens: Sequence[Token],
    used: Collection[int],
    deck_words: Collection[str],
    canon: Mapping[str, str],
) -> bool:
    """Return True when a Korean answer names a technical term that no card of the deck uses.

    epoch마다 loss를 그린 learning curve, TF-IDF로 유사도: a term typed in Latin letters
    inside a Korean answer, or a compound glossary term (gradient-descent), that the notes
    never use names another concept. Negated terms (RNN이나 CNN 없이), two letters, and
    letters that each stand for a deck word (QKV: Query, Key, Value) are left out.
    """
    if not tokens or 2 * sum(t.hangul for t in tokens) < len(tokens):
        return False  # an English answer says everyday words in Latin letters
    for j, t in enumerate(tokens):
        if j in used or t.negated or t.number is not None or t.key in deck_words:
            continue
        if t.hangul:
            if "-" in t.key and t.key in canon.values():
                return True
        elif (
            len(t.key) >= 3 and not _math(t) and not all(canon.get(c) in deck_words for c in t.key)
        ):
            return True
    return False


def unknown_words(tokens: Sequence[Token], known: Collection[str]) -> tuple[int, int]:
    """Return how many different content words of the answer are not ``known``, and are.

    Numbers, formula words and one-syllable Korean words (음, 간) are left out.
    """
    words = {
        t.key
        for t in tokens
        if t.number is None and not _math(t) and not (t.hangul and len(t.key) < 2)
    }
    outside = len(words.difference(known))
    return outside, len(words) - outside


def partly_said(
    score: float, best: float, tokens: Sequence[Token], known: Collection[str], th: Thresholds
) -> bool:
    """Return True when an answer that hits no point still says some of them.

    Some of one point (``partial_point``) or of all (``partial``) is partial, unless what the
    answer adds comes from outside the notes: ``outside_words`` words no card uses (유저의
    나이, 성별 같은 프로필 정보로 비슷한 유저: another method told in a few of the card's
    words), and, where the little it says is spread over the points, more than half as many
    as the notes' words it says. Covering twice ``partial`` is partial whatever it adds.
    """
    if best >= th.point_hit or score >= 2 * th.partial:
        return True
    if score < th.partial and best < th.partial_point:
        return False
    if not th.outside_words:
        return True
    outside, inside = unknown_words(tokens, known)
    if outside < th.outside_words:
        return True
    return score >= th.partial and 2 * outside <= inside


def on_target_words(
    tokens: Sequence[Token], used: set[int], key: Key, glossary: Glossary, th: Thresholds
) -> bool:
    """Return True when most of a short answer's own words are key terms it got right."""
    names = glossary.normalizer.names
    own = [j for j, t in enumerate(tokens) if t.key not in key.question]
    said = {t.key for kp in key.points for t in kp.tokens}
    if not own or any(tokens[j].key in names and tokens[j].key not in said for j in own):
        return False  # a term the key never uses: maybe another card's answer
    terms = [j for j in used if tokens[j].key in names]
    return bool(terms) and len(used & set(own)) >= th.on_target * len(own)


def absolute_claim(
    tokens: Sequence[Token], vocabulary: Collection[str], plain: Collection[str]
) -> int | None:
    """Return the clause that makes a sweeping claim ("always", 반드시) the notes do not, or None.

    The clause must also say two words of its own beyond the card's (``vocabulary``) and
    generic (``plain``) words: 유사도가 항상 1 (한 명이면) restates the point, 평점이 반드시
    있어야 돌아감 adds to it.
    """
    for t in tokens:
        if t.key not in _ABSOLUTE or t.key in vocabulary:
            continue
        own = {
            a.key
            for a in tokens
            if a.clause == t.clause
            and a.key not in _ABSOLUTE
            and a.key not in vocabulary
            and a.key not in plain
        }
        if len(own) >= 2:
            return t.clause
    return None


def _runs(
    clauses: Sequence[list[int]],
    tokens: Sequence[Token],
    used: Collection[int],
    vocabulary: Collection[str],
    text: str,
) -> list[list[int]]:
    """Join adjacent clauses of one sentence, each unbacked and saying two new words.

    각각 6층이고 서로 가중치를 공유한다: two short clauses, one claim the notes never make.
    """
    if not text:
        return []
    numbers = sentence_numbers(text, (tokens[words[0]].start for words in clauses))
    out: list[list[int]] = []
    run: list[int] = []
    last = -1
    for words, sentence in zip(clauses, numbers, strict=True):
        held = any(j in used for j in words)
        if held or sum(tokens[j].key not in vocabulary for j in words) < 2:
            sentence = -2  # backed, or no claim of its own: the run breaks here
        if run and sentence == last and sentence >= 0:
            run = run + words
            out.append(run)
        else:
            run = words if sentence >= 0 else []
        last = sentence
    return out


def _math(token: Token) -> bool:
    """Return True for a word of a formula (xW1, b2, +): it restates, it does not claim."""
    stem = token.stem
    return stem in _MATH or (
        not token.hangul and not stem.isdigit() and any(c.isdigit() for c in stem)
    )


def _examples(tokens: Sequence[Token], text: str) -> set[int]:
    """Return the answer words from an example marker to the end of its sentence.

    A likeness marker at a sentence's end (느낌) holds the sentence from its start.
    """
    if not text:
        return set()
    out: set[int] = set()
    spans = [(m.start(), m.end()) for m in _EXAMPLE.finditer(text.lower())]
    for m in _LIKENESS.finditer(text):
        starts = [e.end() for e in SENTENCE_END.finditer(text, 0, m.start())]
        spans.append((starts[-1] if starts else 0, m.end()))
    for start, after in spans:
        end = SENTENCE_END.search(text, after)
        stop = end.start() if end else len(text)
        out |= {j for j, t in enumerate(tokens) if start <= t.start < stop}
    return out


def gap_admitted(text: str) -> bool:
    """Return True when the answer says the learner does not remember or know a part.

    Whatever it covers, an answer that ends "그 다음은 기억이 잘 안 나요" owns up to a gap:
    it is not a whole answer.
    """
    return _FORGOT.search(text) is not None
