"""Turn text (a key point or a typed answer) into comparable tokens.

Both sides go through the same steps: Unicode NFC, case folding, punctuation and
spacing, Korean particles and endings stripped to a stem, glossary variants mapped
to one canonical name. Each token keeps its character span in the original text,
the clause it belongs to, its grammatical role (from the particle), and whether its
clause is negated, so that the grader can catch flipped and swapped points.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from studydeck.morph import (
    english_stem,
    is_hangul,
    is_suffix,
    nfc_with_offsets,
    split_suffix,
)
from studydeck.segment import Segmenter
from studydeck.wordlists import (
    CLAUSE_ENDINGS,
    CLAUSE_WORDS,
    ENGLISH_CASE,
    ENGLISH_NEG,
    ENGLISH_NEG_VERBS,
    GREEK_LETTERS,
    NEG_ADVERBS,
    NT_STEMS,
    NUMBER_WORDS,
    PARTICLES,
    SHORT_CLAUSE_VERBS,
    SUFFIXES,
)

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
_NUMERIC = re.compile(r"[0-9]+(?:개|명|번|차|가지)?")
# connective endings after which a negated clause is over: 없이, 않고, 없어서, 없으니까
_NEG_CONNECTIVES = ("서", "니까", "니", "고", "이", "는데", "지만", "면서", "며", "면")
_NEGATORS = ("않", "없", "아니", "못하")
_REMOVE = ("없애", "없앤", "없앨", "없앴")  # RNN을 없애고: a verb (remove), not a negation
_HA_ENDING_STARTS = frozenset("하한할함해했합")
_COUNTERS = frozenset("명개번")
# numeral determiners take no ending: 두고, 두어 (put), 한다 (do), 세워 (stand) are verbs
_DETERMINERS = frozenset(["한", "두", "세", "네"])
# a counted noun with its particles stacked: 두개로만, 세 개의 → the count
_COUNTED = re.compile(
    r"(하나|한|둘|두|셋|세|넷|네|다섯)(?:개|명|가지)(?:으로|로|만|뿐|이|가|을|를|의|와|과|에)*"
)
# Particles and 하다 endings that stand apart from their word when typed with a space;
# one-syllable words that are also numbers or nouns (한, 이, 다, 나 …) are left alone.
_LOOSE_SUFFIXES = frozenset(
    s
    for s in SUFFIXES
    if (s in PARTICLES and len(s) >= 2)
    or s in ("를", "을", "과", "와", "의", "은", "는", "가")
    or (s[:1] in "하할해했합되될됐" and s != "한")
)


def _span(offsets: list[int], at: int, size: int) -> tuple[int, int]:
    """Map a normalised [at, at+size) back to the original text, never to an empty span.

    A word can end inside a cluster (V + a combining accent): its end is the cluster's end.
    """
    start, k = offsets[at], at + size
    while offsets[k] <= start and k < len(offsets) - 1:
        k += 1
    return start, offsets[k]


def _cuts(piece: str, parts: list[str]) -> list[tuple[str, int]]:
    out, at = [], 0
    for part in parts or [piece]:
        out.append((part, at))
        at += len(part)
    return out


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


@dataclass(slots=True)  # not frozen: built for every word, and never changed (replace())
class _Raw:
    surface: str
    stem: str
    suffix: str
    start: int
    end: int
    clause: int
    hangul: bool
    negator: str = ""  # "pre" (안, not, no …) or "post" (않, 없, 못하 …) for a negation word


_BECOME = re.compile(r"\s+(?:되|돼|됨|된)")
_RETRACTION = re.compile(r"(\S+?)\s*(?:\.{2,}|…|,|—)\s*아니(?:요|고)?[,.]?\s+(?=\S)")


def _list_number(text: str, start: int, end: int) -> bool:
    """Tell whether digits are a list item's number: "1) …", or "1. …" starting a line."""
    if len(text) <= end or not (start == 0 or text[start - 1].isspace()):
        return False
    if text[end] == ")":
        return text.count("(", 0, start) <= text.count(")", 0, start)  # not inside (… 2)
    line = text.rfind("\n", 0, start) + 1
    return text[end] == "." and text[end + 1 : end + 2].isspace() and not text[line:start].strip()


def raw_words(
    text: str, segment: Callable[[str], list[str]] | None = None
) -> tuple[list[_Raw], set[int]]:
    """Split text into words with original spans and clause numbers; return negated clauses.

    ``segment`` may cut a Hangul run typed without spaces into words.
    """
    norm, offsets = nfc_with_offsets(text)
    # 쿼리는 인코더... 아니 디코더: a word taken back, and the 아니 that takes it back
    retracted = [range(m.start(1), m.end()) for m in _RETRACTION.finditer(norm)]
    words: list[_Raw] = []
    negated: set[int] = set()
    clause = 0
    pos = 0
    for m in _WORD.finditer(norm):
        if _CLAUSE_PUNCT.search(norm, pos, m.start()):
            clause += 1
        pos = m.end()
        run = m.group()
        if retracted and any(m.start() in span for span in retracted):
            continue
        if run.isdigit() and _list_number(norm, m.start(), m.end()):
            continue  # 1) self attention 2) FFNN: the list's numbering, not a count
        if m.start() and norm[m.start() - 1] == "\\" and run not in GREEK_LETTERS:
            continue  # a LaTeX command ($\\rightarrow$) is markup, not a word; $\\alpha$ is α
        if run in _SYMBOLS:
            if "$" in norm and norm.count("$", 0, m.start()) % 2:
                continue  # LaTeX in a note ($L(\theta+\alpha*v_1)$) spells a formula, not steps
            start, end = _span(offsets, m.start(), 1)
            words.append(_Raw(_SYMBOLS[run], _SYMBOLS[run], "", start, end, clause, False))
            continue
        if is_hangul(run):
            pieces: list[tuple[str, int]] = []
            last = 0
            for cut in _NEG_SPLIT.finditer(run):
                pieces.append((run[last : cut.start()], m.start() + last))
                last = cut.start()
            pieces.append((run[last:], m.start() + last))
            if segment is not None:
                pieces = [
                    (part, at + cut)
                    for piece, at in pieces
                    for part, cut in _cuts(piece, segment(piece))
                ]
        else:
            pieces = [(run, m.start())]
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
                    words.append(_Raw(piece, piece, "", start, end, clause, True, "post"))
                    if piece.endswith(_NEG_CONNECTIVES):
                        clause += 1  # RNN 없이 attention만: the negation ends with its clause
                    continue
                inside = piece == "안" and after and words[-1].hangul and not words[-1].suffix
                if piece in ("안", "못") and not (inside and words[-1].surface not in NEG_ADVERBS):
                    negated.add(clause)
                    words.append(_Raw(piece, piece, "", start, end, clause, True, "pre"))
                    continue
                stem, suffix = split_suffix(piece)
            else:
                if piece in ENGLISH_NEG or (
                    piece == "t" and words and words[-1].surface in NT_STEMS
                ):
                    negated.add(clause)
                    words.append(_Raw(piece, piece, "", start, end, clause, False, "pre"))
                    continue
                if piece.endswith("n't") or piece in ENGLISH_NEG_VERBS:
                    negated.add(clause)
                stem, suffix = english_stem(piece.replace("_", "")), ""
            if piece in CLAUSE_WORDS:
                clause += 1
                continue
            words.append(_Raw(piece, stem, suffix, start, end, clause, hangul))
            if hangul and (
                (piece.endswith(CLAUSE_ENDINGS) and len(piece) >= 3) or piece in SHORT_CLAUSE_VERBS
            ):
                clause += 1
            elif hangul and clause in negated and piece.endswith(_NEG_CONNECTIVES[:3]):
                clause += 1  # 안 써서 위치 정보를 더한다: what follows is not negated
    return words, negated


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
        self.segment = Segmenter(
            frozenset(k for k in canon if k and is_hangul(k)),
            frozenset(w for w in stopwords if len(w) >= 2 and is_hangul(w)),
        )

    def lookup(self, raw: _Raw) -> str | None:
        """Return the glossary name of a word: whole surface, then particle-stripped, then stem."""
        for form in (raw.surface, raw.surface[: len(raw.surface) - len(raw.suffix)], raw.stem):
            hit = self.canon.get(form)
            if hit is not None:
                return hit
        if raw.hangul and raw.suffix[:1] in _HA_ENDING_STARTS:  # 구하는 → 구 + 하는 → 구하
            return self.canon.get(raw.stem + "하")
        if raw.hangul and raw.surface.endswith("서") and len(raw.surface) >= 2:
            return self.canon.get(raw.surface[:-1])  # 써서, 봐서: 서 after a contracted stem
        return None

    def analyse(self, text: str) -> Analysis:
        """Return the content tokens of a text, glossary-mapped, with role and negation marks."""
        words, negated = raw_words(text, self.segment)
        keys = [self.lookup(w) for w in words]
        merged: list[tuple[str, str, int, int, _Raw]] = []  # key, stem, first, last word
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
