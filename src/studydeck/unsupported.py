"""Find what an answer claims beyond the notes: a clause that none of the card's points says.

studydeck grades against the learner's own notes. An answer that says every point and then adds
a claim of its own ("…, and Google published it in 2014") cannot get full credit: nothing
offline can tell a true extra claim from a false one, and an interviewer marks a false one down.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from studydeck.normalize import Token


def unsupported_claim(
    tokens: Sequence[Token], used: Collection[int], vocabulary: Collection[str], min_words: int
) -> tuple[int, ...]:
    """Return the answer words of the longest clause the key points do not back, or ().

    A clause is unbacked when none of its words was matched to a point and it says at least
    ``min_words`` words that the card (its points and question) never uses.
    """
    if min_words <= 0:
        return ()
    clauses: dict[int, list[int]] = {}
    for j, t in enumerate(tokens):
        clauses.setdefault(t.clause, []).append(j)
    best: tuple[int, ...] = ()
    longest = min_words - 1
    for words in clauses.values():
        if any(j in used for j in words):
            continue
        new = sum(tokens[j].key not in vocabulary for j in words)
        if new > longest:
            best, longest = tuple(words), new
    return best
