"""Turn text (a key point or a typed answer) into comparable tokens.

Both sides go through the same steps: Unicode NFC, case folding, punctuation and
spacing, Korean particles and endings stripped to a stem, glossary variants mapped
to one canonical name. Each token keeps its character span in the original text,
the clause it belongs to, its grammatical role (from the particle), and whether its
clause is negated, so that the grader can catch flipped and swapped points.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from rapidfuzz.distance import OSA

from studydeck.cues import ENGLISH_CASE, NUMBER_WORDS
from studydeck.morph import is_hangul
from studydeck.segment import Segmenter
from studydeck.wordlists import PARTICLES
from studydeck.words import Word, raw_words

_NUMERIC = re.compile(r"[0-9]+(?:개|명|번|차|가지)?")
_HA_ENDING_STARTS = frozenset("하한할함해했합")
# a typo in a term's longer English word (vanishing gradiant, feed foward): still the term
_PHRASE_TYPO = 0.8
_PHRASE_TYPO_LETTERS = 5
# numeral determiners take no ending: 두고, 두어 (put), 한다 (do), 세워 (stand) are verbs
_DETERMINERS = frozenset(["한", "두", "세", "네"])
# a counted noun with its particles stacked: 두개로만, 세 개의 → the count
_COUNTED = re.compile(
    r"(하나|한|둘|두|셋|세|넷|네|다섯)(?:개|명|가지)(?:으로|로|만|뿐|이|가|을|를|의|와|과|에)*"
)


# the endings said by a final consonant alone: ㄴ (만든, 끝난), ㅁ (바꿈, 만듦), ㄹ (쓸)
_ENDING_FINALS = {4: 0, 8: 0, 16: 0, 10: 8}  # ㄴ, ㄹ, ㅁ → none; ㄻ → ㄹ


def _without_final(word: str) -> str:
    """Return the word with its last syllable's ending consonant taken off, or ""."""
    code = ord(word[-1]) - 0xAC00 if word else -1
    if not 0 <= code < 11172 or code % 28 not in _ENDING_FINALS:
        return ""
    return word[:-1] + chr(ord(word[-1]) - code % 28 + _ENDING_FINALS[code % 28])


@dataclass(frozen=True)
class Token:
    """One content word: its comparable form, where it is, and how it is used."""

    key: str  # the compared form: glossary canonical name, or the stem
    stem: str  # the stem before glossary mapping (for fuzzy and compound matching)
    start: int  # [start, end) in the original text
    end: int
    index: int  # position among the text's tokens
    clause: int  # clause number (split at punctuation and connectives)
    bind: int  # clause split further before each topic/subject: who-does-what unit
    case: str  # role marked by a particle: subj, obj, of, to, than, and, or ""
    particle: str  # the particle or ending itself
    negated: bool  # the clause contains a negation (않/안/못/없/not/no)
    neg_head: bool  # the word a negation applies to (사용하지 않는다 → 사용; no RNN → rnn)
    number: int | None  # a count this word states (두 → 2), if any
    hangul: bool


@dataclass(frozen=True)
class Analysis:
    """The tokens of a text, including function words the grader ignores for coverage."""

    text: str
    tokens: tuple[Token, ...]


_BECOME = re.compile(r"\s+(?:되|돼|됨|된)")


class Normalizer:
    """Analyse texts with one glossary: canonical names, stopwords, clause and role marks."""

    def __init__(
        self,
        canon: Mapping[str, str],
        phrases: Mapping[tuple[str, ...], str],
        stopwords: frozenset[str],
    ) -> None:
        self.canon = canon
        self.phrases = phrases
        self.max_phrase = max((len(p) for p in phrases), default=1)
        self.stopwords = stopwords
        self.names = frozenset(canon.values()) | frozenset(phrases.values())
        # words that can begin a phrase, or a compound typed apart: only there are they looked up
        self._phrase_starts = frozenset(p[0] for p in phrases)
        self._compound_starts = frozenset(k[:n] for k in canon for n in range(1, len(k)))
        self._latin_pairs: dict[str, list[tuple[str, str]]] = {}
        for p, name in phrases.items():
            if len(p) == 2 and p[1].isascii() and len(p[1]) >= _PHRASE_TYPO_LETTERS:
                self._latin_pairs.setdefault(p[0], []).append((p[1], name))
        # a run is cut into the words of the glossary's phrases too: 고정된크기 → 고정된 크기
        parts = {w for p in phrases for w in p if len(w) >= 2 and is_hangul(w)}
        self.segment = Segmenter(
            frozenset(k for k in canon if k and is_hangul(k)) | parts,
            frozenset(w for w in stopwords if len(w) >= 2 and is_hangul(w)),
        )

    def lookup(self, raw: Word) -> str | None:
        """Return the glossary name of a word: whole surface, then particle-stripped, then stem."""
        for form in (raw.surface, raw.surface[: len(raw.surface) - len(raw.suffix)], raw.stem):
            hit = self.canon.get(form)
            if hit is not None:
                return hit
        if raw.hangul and raw.suffix[:1] in _HA_ENDING_STARTS:  # 구하는 → 구 + 하는 → 구하
            return self.canon.get(raw.stem + "하")
        if raw.hangul and raw.surface.endswith("서") and len(raw.surface) >= 2:
            return self.canon.get(raw.surface[:-1])  # 써서, 봐서: 서 after a contracted stem
        if raw.hangul:
            bare = _without_final(raw.stem)  # 만듦, 바꿈, 끝난: an ending in the last syllable
            return self.canon.get(bare) if bare else None
        return None

    def _typo_pair(self, form: str, first: Word, second: Word) -> str | None:
        """Return the two-word term whose longer English word the second word misspells."""
        if second.hangul or second.clause != first.clause:
            return None
        surface = second.surface[: len(second.surface) - len(second.suffix)]
        for head in {form, first.surface, first.stem}:
            for word, name in self._latin_pairs.get(head, ()):
                for got in {surface, second.stem}:  # conected: the stem's typo, connect's
                    if (
                        len(got) >= _PHRASE_TYPO_LETTERS
                        and abs(len(got) - len(word)) <= 1
                        and not got.startswith(word)
                        and not word.startswith(got)  # dimension for dimensional: another word
                        and OSA.normalized_similarity(got, word, score_cutoff=_PHRASE_TYPO)
                    ):
                        return name
        return None

    def analyse(self, text: str) -> Analysis:
        """Return the content tokens of a text, glossary-mapped, with role and negation marks."""
        words, negated = raw_words(text, self.segment)
        keys = [self.lookup(w) for w in words]
        merged: list[tuple[str, str, int, int, Word]] = []  # key, stem, first, last word
        i = 0
        stems = [w.stem for w in words]
        surfaces = [w.surface for w in words]
        forms = [k or w for k, w in zip(keys, stems, strict=True)]
        phrase_starts, compound_starts = self._phrase_starts, self._compound_starts
        while i < len(words):
            done = False
            w = words[i]
            phrase = (
                forms[i] in phrase_starts
                or surfaces[i] in phrase_starts
                or stems[i] in phrase_starts
            )
            compound = w.hangul and stems[i] in compound_starts
            longest = min(self.max_phrase, len(words) - i) if phrase or compound else 1
            for size in range(longest, 1, -1):
                end = i + size
                if words[end - 1].clause != w.clause:
                    continue
                name = (
                    (
                        self.phrases.get(tuple(forms[i:end]))
                        or self.phrases.get(tuple(surfaces[i:end]))
                        or self.phrases.get(tuple(stems[i:end]))
                    )
                    if phrase
                    else None
                )
                if name is None and compound and all(x.hangul for x in words[i:end]):
                    name = self.canon.get("".join(stems[i:end]))
                if name is not None:
                    merged.append((name, "".join(stems[i:end]), i, end - 1, words[end - 1]))
                    i = end
                    done = True
                    break
            if not done and i + 1 < len(words):
                name = self._typo_pair(forms[i], w, words[i + 1])
                if name is not None:
                    merged.append((name, stems[i] + stems[i + 1], i, i + 1, words[i + 1]))
                    i += 2
                    done = True
            if not done:
                w = words[i]
                merged.append((keys[i] or w.stem, w.stem, i, i, w))
                i += 1
        tokens: list[Token] = []
        bind = 0
        pending_case = ""
        prev_clause = -1
        heads: set[int] = set()  # token numbers that a negator applies to
        want_next = False
        after_complement = False
        for key, stem, first, last, tail in merged:
            head = words[first]
            if head.negator:
                if head.negator == "post" and tokens and tokens[-1].clause == head.clause:
                    heads.add(len(tokens) - 1)
                want_next = head.negator == "pre"
                continue
            if head.clause != prev_clause:
                bind += 1
                prev_clause = head.clause
            if not head.hangul and head.surface in ENGLISH_CASE:
                pending_case = ENGLISH_CASE[head.surface]
                continue
            case = PARTICLES.get(tail.suffix, "") if tail.suffix else pending_case
            pending_case = ""
            bare = head.surface[: len(head.surface) - len(head.suffix)]
            number = NUMBER_WORDS.get(head.surface) or (
                NUMBER_WORDS.get(bare) if bare not in _DETERMINERS else None
            )
            counted = _COUNTED.fullmatch(head.surface) if number is None else None
            if counted:
                number = NUMBER_WORDS[counted.group(1)]
            digits = _NUMERIC.fullmatch(head.surface)
            if digits:
                number = int(re.sub(r"\D", "", head.surface)[:9])
            if number is not None and key not in self.names:
                key = str(number)  # 두, two, 2개 compare equal
            elif key in self.stopwords or (not head.hangul and len(key) < 2):
                last = tokens[-1] if tokens and tokens[-1].clause == head.clause else None
                if not head.hangul:
                    pending_case = case  # than the items: the role passes over "the"
                elif case and last and last.case in ("", "of"):  # 유저 수가: 유저 is the subject
                    tokens[-1] = replace(last, case=case)
                continue
            # 디코더 행렬이 Query가 되고: what X becomes stays in X's unit; the next word starts one
            gap_end = words[last + 1].start if last + 1 < len(words) else len(text)
            becomes = case == "subj" and bool(_BECOME.match(text, words[last].end, gap_end))
            if case == "subj" and not becomes and tokens and tokens[-1].clause == head.clause:
                bind += 1
                # 디코더 행렬이: the bare words just before a subject modify it, so join its unit
                k = len(tokens) - 1
                while k >= 0 and tokens[k].clause == head.clause and not tokens[k].case:
                    if tokens[k].bind != bind - 1:
                        break
                    tokens[k] = replace(tokens[k], bind=bind)
                    k -= 1
            elif after_complement and tokens and tokens[-1].clause == head.clause:
                bind += 1
            after_complement = becomes
            if want_next:
                heads.add(len(tokens))
                want_next = False
            tokens.append(
                Token(
                    key=key,
                    stem=stem,
                    start=head.start,
                    end=tail.end,
                    index=len(tokens),
                    clause=head.clause,
                    bind=bind,
                    case=case,
                    particle=tail.suffix,
                    negated=head.clause in negated,
                    neg_head=False,
                    number=number,
                    hangul=head.hangul,
                )
            )
        tokens = [replace(t, neg_head=True) if t.index in heads else t for t in tokens]
        return Analysis(text, tuple(_borrow_cases(tokens)))


def _borrow_cases(tokens: list[Token]) -> list[Token]:
    """Give a bare or genitive noun the role of the noun it modifies (Decoder 층에 → 'to')."""
    out = list(tokens)
    for i in reversed(range(len(out) - 1)):  # 3차원 공간 안에: the role passes down a chain
        t, nxt = out[i], out[i + 1]
        # but "than" marks one noun: 최소 평가 인원수보다 compares the 인원수
        cases = ("subj", "obj", "to", "than") if nxt is tokens[i + 1] else ("subj", "obj", "to")
        if (
            (t.hangul or nxt.hangul)  # Decoder 층에: a Latin noun before a Korean one too
            and t.particle in ("", "의")
            and nxt.clause == t.clause
            and nxt.case in cases
            and nxt.start - t.end <= 2
            and not (t.case == "" and nxt.case == "subj")
        ):
            out[i] = replace(t, case=nxt.case)
    return out
