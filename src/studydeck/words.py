"""Split a text into words: where each starts and ends, its clause, and what negates it.

The first step of normalisation: Hangul runs (cut into glossary words when typed together),
Latin words, Greek letters and math signs; clauses split at punctuation and connectives;
Korean negators found; a word taken back ("인코더... 아니 디코더") and a list's numbering
left out. Notes' shorthand is read too: "RNN X" denies RNN, "info loss / vanishing grad"
lists two phrases.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from studydeck.cues import (
    CLAUSE_ENDINGS,
    CLAUSE_WORDS,
    ENGLISH_NEG,
    ENGLISH_NEG_VERBS,
    GREEK_LETTERS,
    NEG_ADVERBS,
    NT_STEMS,
    SHORT_CLAUSE_VERBS,
)
from studydeck.morph import english_stem, is_hangul, is_suffix, nfc_with_offsets, split_suffix
from studydeck.segment import Segmenter
from studydeck.wordlists import PARTICLES, SUFFIXES

# a sentence ends at . ! ? or a line break followed by space or the end (not 0.5, not e.g.x)
SENTENCE_END = re.compile(r"[.!?\n](?=\s|$)")


def sentence_numbers(text: str, starts: Iterable[int]) -> list[int]:
    """Number the sentence of ``text`` that each start offset falls in (0, 1, …)."""
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    return [bisect.bisect(ends, start) for start in starts]


# A word is a run of Hangul, or of Latin letters/digits (underscores joined: W_0 → w0,
# s_t → st), or one Greek letter. Korean negators inside a run start a new word.
_WORD = re.compile(r"[가-힣]+|[a-z0-9_]+|[α-ω]|[√×÷*+↑↓]|(?<=\s)/(?=\s)|/(?=√)")
# a math sign in a terse answer says its word: QK^T/√dk, (유사도*평점)합 / 유사도합
_SYMBOLS = {
    "√": "sqrt",
    "×": "times",
    "*": "times",
    "÷": "divide",
    "/": "divide",
    "+": "plus",
    "↑": "high",
    "↓": "low",
}
_NEG_SPLIT = re.compile(r"(?<=[가-힣])(?=않|없|못하|아니)")
_CLAUSE_PUNCT = re.compile(r"[,.;:!?\n·•|→⇒]|->|=>|\s-\s")
# connective endings after which a negated clause is over: 없이, 않고, 없어서, 없으니까
# 참고하지 못하도록 마스크를 씌워: a purpose ending too (도록, 게)
_NEG_CONNECTIVES = (
    "서",
    "니까",
    "니",
    "고",
    "이",
    "는데",
    "지만",
    "면서",
    "며",
    "면",
    "도록",
    "게",
)
_NEGATORS = ("않", "없", "아니", "못하")
# 학습 안 되는, 안돼: 안 before a light verb negates it, whatever noun stands before it
_NEG_VERB = re.compile(
    r"\s*(?:되|돼|됨|된|됐|됩|하[고는니다여지면게]|해|했|함|합|한다|쓰|써|씀|썼|쓴|쓸|씌)[가-힣]{0,2}"
)
_INSIDE_NEXT = re.compile(r"\s*(?:에서|에|의|[a-z])")
_REMOVE = ("없애", "없앤", "없앨", "없앴")  # RNN을 없애고: a verb (remove), not a negation
_COUNTERS = frozenset("명개번")
# a note's "X" after a word denies it: (RNN X), 위치정보X →, 미래 토큰 참조 X / …; not the
# variable of a formula (X → Q, K, V), nor where the text names Y or Z too (입력 X, 출력 Z)
_NO_MARK = re.compile(r"(?<=[\s가-힣])X(?=\s*(?:$|[)\]/→,.;\n]|->))(?!\s*(?:,|→|->)\s*[A-Za-z]\b)")
_VARIABLES = re.compile(r"(?<![A-Za-z])[YZ](?![A-Za-z])")
# attention만 씀 (RNN X): the brackets hold what the mark denies, a clause of their own
_MARKED_ASIDE = re.compile(r"\((?=[^()]*X\s*\))")
# a slash beside these is a division (Σ(sim×r) / Σsim, 합 / 유사도 합); else a note's list
_MATHY = re.compile(r"[()*×·^√=Σ_0-9]|sqrt|sum|루트|합$|^합")
# Particles and 하다 endings that stand apart from their word when typed with a space;
# one-syllable words that are also numbers or nouns (한, 이, 다, 나 …) are left alone.
_LOOSE_SUFFIXES = frozenset(
    s
    for s in SUFFIXES
    if (s in PARTICLES and len(s) >= 2)
    or s in ("를", "을", "과", "와", "의", "은", "는", "가", "란")
    or (s[:1] in "하할해했합되될됐" and s != "한")
)


def _separator(text: str, at: int) -> bool:
    """Return True when " / " parts two phrases of a note rather than a formula's terms."""
    before = text[:at].split()[-1:] or [""]
    after = text[at + 1 :].split()[:1] or [""]
    return not (_MATHY.search(before[0]) or _MATHY.search(after[0]))


def _span(offsets: list[int], at: int, size: int) -> tuple[int, int]:
    """Map a normalised [at, at+size) back to the original text, never to an empty span.

    A word can end inside a cluster (V + a combining accent): its end is the cluster's end.
    """
    start, k = offsets[at], at + size
    while offsets[k] <= start and k < len(offsets) - 1:
        k += 1
    return start, offsets[k]


def _after_latin(text: str, at: int) -> bool:
    """Return True when a Latin letter or digit stands right before ``at``."""
    return at > 0 and (text[at - 1].isascii() and text[at - 1].isalnum())


def _cuts(piece: str, parts: list[str]) -> list[tuple[str, int]]:
    out, at = [], 0
    for part in parts or [piece]:
        out.append((part, at))
        at += len(part)
    return out


@dataclass(slots=True)  # not frozen: built for every word, and never changed (replace())
class Word:
    """One word of a text as written: its surface, stem and suffix, span and clause."""

    surface: str
    stem: str
    suffix: str
    start: int
    end: int
    clause: int
    hangul: bool
    # "pre" (안, not, no …) or "post" (않, 없, 못하 …) for a negation word; "mark" for a
    # note's X, which denies its clause but no one word of it
    negator: str = ""


_RETRACTION = re.compile(
    r"(\S+?)\s*(?:\.{2,}|…|,|—)\s*(?:아\s+)?아니(?:요|고|다|야|지)?[,.]?\s+(?=\S)"
)


def _list_number(text: str, start: int, end: int) -> bool:
    """Tell whether digits are a list item's number: "1) …", or "1. …" starting a line."""
    if len(text) <= end or not (start == 0 or text[start - 1].isspace()):
        return False
    if text[end] == ")":
        return text.count("(", 0, start) <= text.count(")", 0, start)  # not inside (… 2)
    line = text.rfind("\n", 0, start) + 1
    return text[end] == "." and text[end + 1 : end + 2].isspace() and not text[line:start].strip()


def raw_words(text: str, segment: Segmenter | None = None) -> tuple[list[Word], set[int]]:
    """Split text into words with original spans and clause numbers; return negated clauses.

    ``segment`` may cut a Hangul run typed without spaces into words.
    """
    norm, offsets = nfc_with_offsets(text)
    marks: set[int] = set()
    if "X" in text and not _VARIABLES.search(text):
        marks = {m.start() for m in _NO_MARK.finditer(text)}
    asides = [m.start() for m in _MARKED_ASIDE.finditer(text)] if marks else []
    # 쿼리는 인코더... 아니 디코더, 인코더에서, 아 아니다 디코더에서: a word taken back, and the
    # 아니 that takes it back
    retracted = [range(m.start(1), m.end()) for m in _RETRACTION.finditer(norm)]
    words: list[Word] = []
    negated: set[int] = set()
    clause = 0
    pos = 0
    for m in _WORD.finditer(norm):
        if _CLAUSE_PUNCT.search(norm, pos, m.start()) or (
            asides and any(offsets[pos] <= at < offsets[m.start()] for at in asides)
        ):
            clause += 1
        pos = m.end()
        run = m.group()
        if retracted and any(m.start() in span for span in retracted):
            continue
        if run.isdigit() and _list_number(norm, m.start(), m.end()):
            continue  # 1) self attention 2) FFNN: the list's numbering, not a count
        if m.start() and norm[m.start() - 1] == "\\" and run not in GREEK_LETTERS:
            continue  # a LaTeX command ($\\rightarrow$) is markup, not a word; $\\alpha$ is α
        if run == "/" and _separator(norm, m.start()):
            clause += 1  # info loss / vanishing grad: a note's list, not a division
            continue
        if run in _SYMBOLS:
            if "$" in norm and norm.count("$", 0, m.start()) % 2:
                continue  # LaTeX in a note ($L(\theta+\alpha*v_1)$) spells a formula, not steps
            start, end = _span(offsets, m.start(), 1)
            words.append(Word(_SYMBOLS[run], _SYMBOLS[run], "", start, end, clause, False))
            continue
        if is_hangul(run):
            pieces: list[tuple[str, int]] = []
            last = 0
            for cut in _NEG_SPLIT.finditer(run):
                pieces.append((run[last : cut.start()], m.start() + last))
                last = cut.start()
            pieces.append((run[last:], m.start() + last))
            lead = segment.particle_first(run) if segment and _after_latin(norm, m.start()) else 0
            if lead and len(pieces) == 1:
                pieces = [(run[:lead], m.start()), (run[lead:], m.start() + lead)]
            if segment is not None:
                pieces = [
                    (part, at + cut)
                    for piece, at in pieces
                    for part, cut in _cuts(piece, segment(piece))
                ]
        else:
            pieces = [(run, m.start())]
            if marks and run == "x" and offsets[m.start()] in marks and words:
                if words[-1].clause == clause:  # RNN X: the word before it is denied
                    negated.add(clause)
                    start, end = _span(offsets, m.start(), 1)
                    words.append(Word("없", "없", "", start, end, clause, True, "mark"))
                continue
        for piece, at in pieces:
            start, end = _span(offsets, at, len(piece))
            hangul = is_hangul(piece)
            glued = words and not words[-1].hangul and words[-1].end == start
            after = words and words[-1].clause == clause and not words[-1].negator
            if hangul and after and not glued and piece in _LOOSE_SUFFIXES:
                # Mask 를, 계산 할 때: a particle or ending typed apart from its word
                if not words[-1].suffix:
                    words[-1] = replace(words[-1], surface=words[-1].surface + piece, suffix=piece)
                continue
            if hangul and glued and is_suffix(piece):
                # Query는, dimensional한, concat해서: a particle or 하다 ending on a Latin word
                words[-1] = replace(
                    words[-1], surface=words[-1].surface + piece, suffix=piece, end=end
                )
                continue
            if hangul and glued and words[-1].surface.isdigit() and piece in SUFFIXES:
                words[-1] = replace(words[-1], end=end)  # 1인데, 1이면: an ending, not a word
                if piece.endswith(CLAUSE_ENDINGS):
                    clause += 1  # = 1인데 실제론 정반대: what follows is another claim
                continue
            if hangul and glued and words[-1].surface.isdigit() and piece[0] in _COUNTERS:
                words[-1] = replace(words[-1], end=end)  # 1명이라면: a counter on a number
                continue
            if hangul:
                if piece.startswith(_NEGATORS) and not piece.startswith(_REMOVE):
                    negated.add(clause)
                    words.append(Word(piece, piece, "", start, end, clause, True, "post"))
                    if piece.endswith(_NEG_CONNECTIVES):
                        clause += 1  # RNN 없이 attention만: the negation ends with its clause
                    continue
                inside = piece == "안" and after and words[-1].hangul and not words[-1].suffix
                inside = inside and not _NEG_VERB.match(norm, at + len(piece))
                # layer 안 position끼리: 안 after an English noun is "inside" when a noun follows
                inside = inside or (
                    piece == "안"
                    and bool(after)
                    and not words[-1].hangul
                    and bool(_INSIDE_NEXT.match(norm, at + len(piece)))
                )
                if piece[0] == "안" and len(piece) <= 4 and _NEG_VERB.fullmatch(piece, 1):
                    negated.add(clause)  # 학습 안되는: the negator and its light verb
                    words.append(Word(piece, piece, "", start, end, clause, True, "pre"))
                    if piece.endswith(_NEG_CONNECTIVES):
                        clause += 1  # 안돼서 …: what follows is not negated
                    continue
                if piece in ("안", "못") and not (inside and words[-1].surface not in NEG_ADVERBS):
                    negated.add(clause)
                    words.append(Word(piece, piece, "", start, end, clause, True, "pre"))
                    continue
                stem, suffix = split_suffix(piece)
            else:
                if piece in ENGLISH_NEG or (
                    piece == "t" and words and words[-1].surface in NT_STEMS
                ):
                    negated.add(clause)
                    words.append(Word(piece, piece, "", start, end, clause, False, "pre"))
                    continue
                if piece.endswith("n't") or piece in ENGLISH_NEG_VERBS:
                    negated.add(clause)
                stem, suffix = english_stem(piece.replace("_", "")), ""
            if piece in CLAUSE_WORDS:
                clause += 1
                continue
            words.append(Word(piece, stem, suffix, start, end, clause, hangul))
            if hangul and (
                (piece.endswith(CLAUSE_ENDINGS) and len(piece) >= 3) or piece in SHORT_CLAUSE_VERBS
            ):
                clause += 1
            elif hangul and clause in negated and piece.endswith(_NEG_CONNECTIVES[:3]):
                clause += 1  # 안 써서 위치 정보를 더한다: what follows is not negated
    return words, negated
