"""Cut a run of Hangul typed without spaces into the glossary's words.

Learners run words together (포지셔널인코딩, 입력으로넣음, 연관이높으면): a run that the
glossary's words cover, with particles and endings between them, is cut into them, and
a long run is cut around the glossary words it holds.
"""

from __future__ import annotations

from functools import lru_cache

from studydeck.morph import split_suffix
from studydeck.wordlists import MAX_SUFFIX, PARTICLES, SUFFIXES

# what may join two glossary words typed together: a particle (연관이높으면), or the ending
# that makes a verb modify a noun (고정된크기, 비슷한성향)
_LINKS = frozenset([*PARTICLES, "한", "된", "할", "될", "하는", "되는"])

# one-syllable determiners and numerals typed onto their noun: 두아이템, 그유저, 각출력
_DETERMINERS = frozenset("그이저두세네한각매첫새")


class Segmenter:
    """Cut Hangul runs with one glossary's words; called like a function."""

    def __init__(self, vocab: frozenset[str], function_words: frozenset[str]) -> None:
        self.vocab = vocab
        # words a run may also be cut into: longer function words (같이본다 → 같이 본다)
        # that the grader then drops
        self.pieces = vocab | function_words
        self.max_vocab = max((len(k) for k in self.pieces), default=1)

    @lru_cache(maxsize=8192)  # noqa: B019 - one normalizer per glossary, kept for the process
    def __call__(self, run: str) -> list[str]:
        """Cut a Hangul run typed without spaces into glossary words ([] to keep it whole).

        A run that is all glossary words (plus a particle or ending) is cut: 최소평가 →
        최소 평가. A long run (7+ syllables) is cut around the glossary words it holds.
        """
        if run in self.vocab or split_suffix(run)[0] in self.vocab:
            return []
        if run[0] in "안못" and len(run) >= 2:
            verb = run[1:]  # 안써서, 못보게: a negator glued to its verb
            if self._verb(verb):
                return [run[0], verb]
        if len(run) < 3:
            return []
        whole = self._cover(run, 0)
        if whole is None and ((run[0] in self.vocab and len(run) >= 4) or run[0] in _DETERMINERS):
            # 큰가중치, 두아이템, 그유저: a one-syllable word before glossary words
            rest = self._cover(run, 1)
            whole = [run[0], *rest] if rest and len(rest[0]) >= 2 else None
        if whole is not None and len(whole) >= 2:
            return whole
        if len(run) < 7:
            return []
        out: list[str] = []
        i = start = 0
        while i < len(run):
            size = next(
                (
                    n
                    for n in range(min(self.max_vocab, len(run) - i), 1, -1)
                    if run[i : i + n] in self.vocab
                ),
                0,
            )
            if not size and i == start and out and run[i] in self.vocab:
                size = 1  # 디코더층: a one-syllable word right after a glossary word
            if not size:
                i += 1
                continue
            if i > start:
                out.append(run[start:i])
            end = i + size
            tail = next(
                (
                    n
                    for n in range(min(MAX_SUFFIX, len(run) - end), 0, -1)
                    if run[end : end + n] in SUFFIXES
                    and (end + n == len(run) or self._starts_word(run, end + n))
                ),
                0,
            ) or next((n for n in (3, 2, 1) if run[end : end + n] in PARTICLES), 0)
            out.append(run[i : end + tail])
            i = start = end + tail
        if start < len(run):
            out.append(run[start:])
        return out if len(out) >= 2 else []

    def particle_first(self, run: str) -> int:
        """Return the length of a particle that starts ``run`` before a glossary word, else 0.

        Query는디코더: typed after a Latin word, the run opens with that word's particle.
        """
        if run in self.vocab or split_suffix(run)[0] in self.vocab:
            return 0
        for size in (2, 1):
            rest = run[size:]
            if run[:size] not in PARTICLES or len(rest) < 2:
                continue
            if rest in self.vocab or split_suffix(rest)[0] in self.vocab or self(rest):
                return size
        return 0

    def _verb(self, word: str) -> bool:
        """Return True for a known word with its ending: 써서, 보게, 넣음."""
        stem = split_suffix(word)[0]
        return stem in self.vocab or (word[-1] == "서" and word[:-1] in self.vocab)

    def _starts_word(self, run: str, at: int) -> bool:
        return any(run[at : at + n] in self.vocab for n in range(2, self.max_vocab + 1))

    @lru_cache(maxsize=4096)  # noqa: B019 - one normalizer per glossary, kept for the process
    def _cover(self, run: str, at: int) -> list[str] | None:
        """Return run[at:] as glossary words, the last with a particle or ending, or None."""
        if at == len(run):
            return []
        if at and len(run) - at <= 3 and self._verb(run[at:]):
            return [run[at:]]  # 입력으로넣음: a one-syllable verb with its ending ends the run
        for n in range(min(self.max_vocab, len(run) - at), 1, -1):
            word = run[at : at + n]
            if word not in self.pieces:
                continue
            rest = run[at + n :]
            if not rest or rest in SUFFIXES:
                return [word + rest]
            more = self._cover(run, at + n)
            if more:
                return [word, *more]
            for size in (3, 2, 1):  # 연관이높으면 → 연관이 높으면: a particle between words
                if rest[:size] in _LINKS and size < len(rest):
                    more = self._cover(run, at + n + size)
                    if more:
                        return [word + rest[:size], *more]
        return None
