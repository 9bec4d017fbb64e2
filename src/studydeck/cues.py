"""Words that cue how a text is read: where a clause ends, what negates, roles, Greek letters
and numbers."""

from __future__ import annotations

# Clauses end at these words, and after Korean connective endings.
CLAUSE_WORDS = frozenset(
    [
        "and",
        "but",
        "while",
        "whereas",
        "although",
        "though",
        "so",
        "then",
        "그리고",
        "하지만",
        "그러나",
        "반면",
        "반면에",
        "그런데",
        "그래서",
        "또한",
        "그다음",
        "다음으로",
        "그후",
    ]
)
# LaTeX spells Greek letters as commands: $\\alpha, \\beta$ says α, β
GREEK_LETTERS = frozenset(
    [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "zeta",
        "eta",
        "theta",
        "iota",
        "kappa",
        "lambda",
        "mu",
        "nu",
        "xi",
        "pi",
        "rho",
        "sigma",
        "tau",
        "upsilon",
        "phi",
        "chi",
        "psi",
        "omega",
    ]
)
# two-syllable verbs joined by 고 (있고, 되고): a clause ends there as after a longer one
SHORT_CLAUSE_VERBS = frozenset(["있고", "되고", "쓰고", "넣고", "주고", "받고", "찾고", "두고"])
CLAUSE_ENDINGS = ("지만", "는데", "은데", "인데", "면서", "으며", "하며", "되며", "고")
ENGLISH_CASE = {"from": "of", "of": "of", "than": "than", "to": "to", "into": "to"}
ENGLISH_NEG = frozenset(
    [
        *["not", "no", "never", "without", "cannot", "none", "nor", "neither"],
        # typed without the apostrophe on a phone: cant attend, doesnt use
        *["cant", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont"],
        *["couldnt", "wouldnt", "shouldnt", "hasnt", "havent", "hadnt"],
    ]
)
# verbs that negate their clause without a negator word: stop it from peeking = 못 보게
ENGLISH_NEG_VERBS = frozenset(["prevent", "prevents", "stop", "stops", "avoid", "avoids"])
# adverbs before a negating 안 (전혀 안 쓴다), unlike a noun before the place word (문장 안)
NEG_ADVERBS = frozenset(
    ["전혀", "아직", "절대", "별로", "결코", "아예", "아직도", "잘", "다", "또", "왜"]
)
NT_STEMS = frozenset(
    [
        "don",
        "doesn",
        "didn",
        "isn",
        "aren",
        "wasn",
        "weren",
        "can",
        "couldn",
        "won",
        "wouldn",
        "shouldn",
        "hasn",
        "haven",
        "hadn",
    ]
)
NUMBER_WORDS = {
    "하나": 1,
    "한": 1,
    "둘": 2,
    "두": 2,
    "셋": 3,
    "세": 3,
    "넷": 4,
    "네": 4,
    "다섯": 5,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "한개": 1,
    "두개": 2,
    "세개": 3,
    "네개": 4,
    "한명": 1,
    "두명": 2,
    "세명": 3,
}
