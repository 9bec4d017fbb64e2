"""What one word is made of: NFC with offsets, Korean stems and endings, English stems, jamo."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from studydeck.wordlists import MAX_SUFFIX, NO_STRIP, PARTICLES, SUFFIXES

_HANGUL_START, _HANGUL_END = 0xAC00, 0xD7A3
_EN_INFLECTIONS = ("ing", "ed", "es", "s")
_PLAIN = re.compile(r"[\x00-\x7f\uac00-\ud7a3]*")
_HA_ENDINGS = frozenset(e[:2] for e in SUFFIXES if e[:1] in "하되" and len(e) >= 2)


def nfc_with_offsets(text: str) -> tuple[str, list[int]]:
    """Return NFC-normalised, case-folded text and, per output char, its original offset."""
    if text.isascii() or _PLAIN.fullmatch(text):
        # ASCII and Hangul syllables are NFC already, one character each once lowered
        return text.lower(), list(range(len(text) + 1))
    out: list[str] = []
    offsets: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        j = i + 1
        # a cluster: a starter and the combining marks / conjoining jamo that follow it
        while j < n and (unicodedata.combining(text[j]) or 0x1160 <= ord(text[j]) <= 0x11FF):
            j += 1
        chunk = unicodedata.normalize("NFC", text[i:j]).lower()
        out.append(chunk)
        offsets.extend([i] * len(chunk))
        i = j
    offsets.append(n)
    return "".join(out), offsets


@lru_cache(maxsize=8192)
def split_suffix(word: str) -> tuple[str, str]:
    """Split a Korean word into (stem, particle-or-ending), keeping a stem of ≥1 syllable."""
    if word in NO_STRIP or len(word) < 2:
        return word, ""
    for size in range(min(MAX_SUFFIX, len(word) - 1), 0, -1):
        suffix = word[-size:]
        if suffix in SUFFIXES:
            stem = word[:-size]
            if stem.endswith("들") and len(stem) >= 3:
                stem = stem[:-1]
            if stem[-1] in "하되" and len(stem) >= 3:
                stem = stem[:-1]
            elif suffix in PARTICLES and len(stem) >= 4 and stem[-2:] in _HA_ENDINGS:
                stem = stem[:-2]  # 제외하고는 → 제외: an ending under the particle
            return stem, suffix
    return word, ""


@lru_cache(maxsize=8192)
def english_stem(word: str) -> str:
    """Strip an English inflection: values, computed, computing → valu, comput, comput."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ss", "us", "is")) or not word.isalpha():
        return word
    for suffix in _EN_INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix != "s" and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # embedding → embed, stopped → stop
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # compute and computing compare equal
    return word


def is_suffix(piece: str) -> bool:
    """Return True for a Korean particle or ending that can follow a Latin word."""
    if piece in PARTICLES:
        return True
    verb = piece[1:] if piece[0] in "하되" and len(piece) > 1 else piece
    return piece[0] in "하한할함해했합되된될됨돼" and (verb in SUFFIXES or piece in SUFFIXES)


@lru_cache(maxsize=4096)
def jamo(word: str) -> str:
    """Split Hangul syllables into jamo (NFKD) so that a typo costs one letter, not one syllable."""
    return unicodedata.normalize("NFKD", word)


def is_hangul(word: str) -> bool:
    """Return True when the word starts with a Hangul syllable."""
    return bool(word) and _HANGUL_START <= ord(word[0]) <= _HANGUL_END
