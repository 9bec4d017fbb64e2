"""Find what an answer claims beyond the notes: a clause that none of the card's points says.

studydeck grades against the learner's own notes. An answer that says every point and then adds
a claim of its own ("…, and Google published it in 2014") cannot get full credit: nothing
offline can tell a true extra claim from a false one, and an interviewer marks a false one down.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from studydeck.normalize import Token
from studydeck.words import SENTENCE_END, sentence_numbers

# an example illustrates a point (e.g. if people like you loved Inception): it claims nothing
_EXAMPLE = re.compile(r"\b(?:e\.g\.|for example|for instance)|예를 들[어면]|예컨대|예시로")
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
    """Return the answer words from an example marker to the end of its sentence."""
    if not text:
        return set()
    out: set[int] = set()
    for m in _EXAMPLE.finditer(text.lower()):
        end = SENTENCE_END.search(text, m.end())
        stop = end.start() if end else len(text)
        out |= {j for j, t in enumerate(tokens) if m.start() <= t.start < stop}
    return out
