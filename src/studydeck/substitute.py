"""Find substituted terms and flipped quantifiers that the older contradiction checks miss.

A category substitution: the point names a term of a category (an activation function, a
similarity measure, an arithmetic operation, …), the answer never says it, and in the
clause where the answer says the rest of that point clause it names another term of the
same category (sigmoid for softmax, 곱 for 나눔, Euclidean for cosine).

A quantifier flip: the answer says "all" where the point tells same from different
(같은 층에서는 공유, 다른 층과는 다르다 → 모든 층에서 공유), or "only" where the point
says "each/all/various" or forbids the word (미래 단어를 참고하지 못하도록 → 미래
단어들만 참고하도록).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from studydeck.glossary import Glossary, poles, rival
from studydeck.normalize import Token
from studydeck.wordlists import PARTICLES

__all__ = [
    "category_substituted",
    "complement_said",
    "difference_claimed",
    "divisor_changed",
    "positional_substituted",
    "quantifier_flipped",
    "rival_introduced",
]

_ALL = frozenset(["모든", "전부", "전체", "모두", "all", "every", "each", "각", "각각"])
_SOME = frozenset(["일부", "몇몇", "some", "only", "한가지", "한", "하나", "하나의", "오직", "단"])
_ONLY = frozenset(
    ["만", "만을", "만으로", "만이", "만의", "에만", "에서만", "만으로도", "뿐", "으로만", "로만"]
)
_ONE = frozenset(["한가지", "한가지만", "하나", "하나만", "하나뿐", "유일"])
# words that say a term was dropped or set aside: sigmoid 대신 softmax, not sigmoid
_ASIDE = frozenset(
    [
        "대신",
        "instead",
        "rather",
        "아니라",
        "아닌",
        "말고",
        "not",
        "버리",
        "빼",
        "제외",
        "없이",
        "remove",
    ]
)
_INSTEAD = frozenset(["대신", "instead", "rather", "말고"])
# words of an operation's term that name no operation: 위치 정보를 추가 adds something in,
# it neither sums nor concatenates (on either side: the answer's 추가 says no 더한 either)
_LOOSE = frozenset(["추가", "additionally", "extra"])
_THAN = frozenset(["보다", "보다는", "보다도", "보단"])
# words that say one thing was changed into another: 활성화 함수만 tanh로 바뀐다
_CHANGED = frozenset(
    ["바뀌", "바뀐", "바뀌고", "바꾸", "바꾼", "바꿔", "바뀜", "chang", "change", "changed"]
)

Pairs = Mapping[int, int]


def _before(text: str, t: Token) -> str:
    """Return the word written right before a token, lower-cased ("" at the start)."""
    words = text[: t.start].split()
    return words[-1].lower().strip(",.()") if words else ""


def _says_all(text: str, t: Token) -> bool:
    return t.key in _ALL or t.stem in _ALL or _before(text, t) in _ALL


def _says_only(text: str, t: Token) -> bool:
    if t.particle in _ONLY or t.stem in _ONE or t.key in _ONE:
        return True
    before = _before(text, t)
    return before in _SOME or before.endswith("만")


def category_substituted(
    key: Sequence[Token],
    pairs: Pairs,
    answer: Sequence[Token],
    glossary: Glossary,
    elsewhere: frozenset[str] = frozenset(),
) -> set[int]:
    """Return the answer clause that names a same-category term in place of a missing one.

    A term another point of the card names (``elsewhere``: s_t와 결합 beside 곱하고
    합하여) is that point's word, not a substitute.
    """
    rivals = glossary.rivals
    said_key = {t.key for t in key} | elsewhere
    said_answer = {a.key for a in answer if a.stem not in _LOOSE}
    used = set(pairs.values())
    for t in key:
        if t.key not in rivals or t.key in said_answer or t.stem in _LOOSE:
            continue
        # where the term belongs: the answer clauses that say the rest of its point clause;
        # a term that is a list item on its own (- Vanishing gradient) belongs wherever
        # the answer says the rest of its point
        window = {answer[j].clause for n, j in pairs.items() if key[n].clause == t.clause}
        if all(k.key == t.key for k in key if k.clause == t.clause):
            window = {answer[j].clause for j in pairs.values()}
        for a in answer:
            if (
                a.clause in window
                and a.index not in used
                and a.key not in said_key
                and not _denied(a, answer)
                and a.key in rivals
                and rival(a, t, rivals)
                and not _set_aside(a, answer)
            ):
                return {a.clause}
    return set()


def _denied(a: Token, answer: Sequence[Token]) -> bool:
    """Return True when a negation reaches the word: its own unit holds the negated verb.

    CNN 기반 분류에서 field가 작아 정보를 보지 못하는: the negation denies the seeing, the
    CNN is still the answer's claim.
    """
    return a.negated and (
        a.neg_head or any(b.neg_head and b.bind == a.bind for b in answer if b.clause == a.clause)
    )


def positional_substituted(
    key: Sequence[Token],
    pairs: Pairs,
    answer: Sequence[Token],
    groups: Mapping[str, frozenset[int]],
    elsewhere: frozenset[str] = frozenset(),
) -> set[int]:
    """Find a point term the answer left out and put a rival term in its place.

    The place is fixed by the nearest matched word of the point on either side: the
    rival must stand as far from that word's match as the left-out term stands from it.
    """
    used = set(pairs.values())
    said = {t.key for t in key} | elsewhere
    for i, t in enumerate(key):
        if i in pairs or t.key not in groups:
            continue
        for step in (-1, 1):
            n = i + step
            while 0 <= n < len(key) and key[n].clause == t.clause and n not in pairs:
                n += step
            if not (0 <= n < len(key) and key[n].clause == t.clause) or abs(n - i) > 1:
                continue
            if key[n].number is not None:
                continue  # a count (아이템 (1, 1, …) vs 한 명) matches by value, not by place
            j = pairs[n]
            if any(a.key == t.key and a.clause == answer[j].clause for a in answer):
                continue
            if _phrase_said(answer, t.key, key[n].key, n - i):
                continue  # 디코더 은닉상태 said, its words matched to another point
            want = j + (i - n)
            for a in answer[max(0, want - 1) : want + 2]:
                if (
                    a.index not in used
                    and a.clause == answer[j].clause
                    and (a.index - j) * step < 0
                    and a.key not in said
                    and rival(a, t, groups)
                ):
                    return {a.clause}
    return set()


def complement_said(
    key_clause: Sequence[Token], clause: Sequence[Token], glossary: Glossary
) -> bool:
    """Return True when the answer allows "only" the other pole of what the point forbids.

    미래 단어를 참고하지 못하도록 = "attends only to earlier words": the same rule.
    """
    if not any(t.negated for t in key_clause) or any(a.negated for a in clause):
        return False
    if not any(a.key == "only" or a.stem in _ONE or a.particle in _ONLY for a in clause):
        return False
    kp = {gp for t in key_clause for gp in poles(t, glossary)}
    ap = {gp for a in clause for gp in poles(a, glossary)}
    return not kp & ap and any(g == g2 and p != p2 for g, p in kp for g2, p2 in ap)


def _phrase_said(answer: Sequence[Token], term: str, other: str, step: int) -> bool:
    """Return True when the answer says ``term`` with ``other`` ``step`` words after it."""
    return any(
        a.key == term
        and 0 <= a.index + step < len(answer)
        and answer[a.index + step].key == other
        and answer[a.index + step].clause == a.clause
        for a in answer
    )


def _set_aside(a: Token, answer: Sequence[Token]) -> bool:
    """Return True when the answer's clause drops the term: sigmoid 대신, instead of."""
    return any(b.clause == a.clause and (b.key in _ASIDE or b.stem in _ASIDE) for b in answer)


def quantifier_flipped(
    key: Sequence[Token],
    key_text: str,
    pairs: Pairs,
    answer: Sequence[Token],
    answer_text: str,
    glossary: Glossary,
) -> set[int]:
    """Return the answer clauses whose all/only quantifier contradicts the point."""
    bad: set[int] = set()
    distinguishes = {
        group
        for group in ("sameness",)
        if len({p for t in key for g, p in poles(t, glossary) if g == group}) == 2
    }
    plural = any(_says_all(key_text, t) or ("plurality", "many") in poles(t, glossary) for t in key)
    for i, j in pairs.items():
        k, a = key[i], answer[j]
        if distinguishes and _says_all(answer_text, a) and not _says_all(key_text, k):
            bad.add(a.clause)
        elif _says_only(answer_text, a) and not _says_only(key_text, k) and not a.negated:
            # 미래 단어를 참고하지 못하도록 → 미래 단어들만 참고하도록: "only" where it forbids
            forbids = k.negated and any(n.clause == k.clause and n.neg_head for n in key)
            forbids = forbids and not complement_said(
                [n for n in key if n.clause == k.clause],
                [b for b in answer if b.clause == a.clause],
                glossary,
            )
            # 각 Decoder 층에 … 모두 → 첫 번째 층에만: "only" where the point's clause says each/all
            each = _says_all(key_text, k) or (
                a.particle in _ONLY
                and any(_says_all(key_text, n) for n in key if n.clause == k.clause)
            )
            if forbids or (plural and each):
                bad.add(a.clause)
    if plural:
        # 각 층에 … 모두 → 첫 번째 층에만 … 넣고: the "only" word may have gone to another point
        near = {answer[j].clause for j in pairs.values()}
        each = {
            k.key for k in key if any(_says_all(key_text, n) for n in key if n.clause == k.clause)
        }
        bad |= {
            b.clause
            for b in answer
            if b.clause in near and b.key in each and b.particle in _ONLY and not b.negated
        }
    return bad


def difference_claimed(
    key: Sequence[Token], answer: Sequence[Token], glossary: Glossary
) -> set[int]:
    """Return the answer clauses that swap one term for another where the point says "same".

    인코더의 FFNN과 같다 → "same as the encoder FFNN but uses sigmoid instead of ReLU":
    a claimed difference (a rival in place of another, or a rival said to be changed to:
    활성화 함수만 tanh로 바뀐다) denies the sameness. A point that
    names its own exception (이를 제외하고는 같다) is left alone.
    """
    same = any(("sameness", "same") in poles(t, glossary) for t in key)
    if not same or any(t.key == "except" for t in key):
        return set()
    bad: set[int] = set()
    own = {t.key for t in key}
    bad |= _other_role_same(key, answer, glossary)
    for b in answer:
        if b.key in own and b.particle in _THAN and not b.negated:
            # 파라미터와 같은 차원 → 파라미터보다 작은 벡터: a comparison denies the sameness
            clause = [a for a in answer if a.clause == b.clause and not a.negated]
            if any(g == "magnitude" for a in clause for g, _ in poles(a, glossary)):
                bad.add(b.clause)
        changed = b.key in _CHANGED or b.stem in _CHANGED
        said = {b.key, b.stem, b.stem + b.particle}  # 말고 is cut to 말 + 고
        if not said & _INSTEAD and not changed:
            continue
        clause = [a for a in answer if a.clause == b.clause and not a.negated]
        if any(rival(x, y, glossary.rivals) for x in clause for y in clause) or (
            changed and any(a.key in glossary.rivals and a.key not in own for a in clause)
        ):
            bad.add(b.clause)
    return bad


def rival_introduced(
    answer: Sequence[Token], used: set[int], said: frozenset[str], glossary: Glossary
) -> bool:
    """Return True when the answer names a rival term (CNN, sigmoid) that the key never says.

    With no point hit, such a term is the answer's own claim in the key's place: an RNN
    added to a model that has none, not a half-remembered point.
    """
    return any(
        a.index not in used and a.key not in said and a.key in glossary.rivals and not a.negated
        for a in answer
    )


def _other_role_same(key: Sequence[Token], answer: Sequence[Token], glossary: Glossary) -> set[int]:
    """Return the answer clauses that say "same as" of the other role than the point.

    (인코더의 차원과 동일) → "its size is the same as the decoder's vocabulary": the
    sameness is claimed of the rival role, and the point's own role is not named.
    """
    roles = glossary.roles
    bad: set[int] = set()
    for c in {t.clause for t in key if ("sameness", "same") in poles(t, glossary)}:
        clause = [t for t in key if t.clause == c]
        mine = {t.key for t in clause if t.key in roles}
        rest = {t.key for t in clause if t.key not in roles and not poles(t, glossary)}
        if not mine or not rest:
            continue
        for b in answer:
            if not poles(b, glossary) or ("sameness", "same") not in poles(b, glossary):
                continue
            said = [a for a in answer if a.clause == b.clause and not a.negated]
            keys = {a.key for a in said}
            if keys & mine or not keys & rest:
                continue
            if any(rival(a, t, roles) for a in said for t in clause):
                bad.add(b.clause)
    return bad


def divisor_changed(key: Sequence[Token], answer: Sequence[Token]) -> set[int]:
    """Return the answer clauses that divide by a word the point's division never names.

    유사도 합을 나눈다 → "유저 수로 나눈다": the divisor is the word written right before a
    Korean divide verb, and a formula with another divisor is another formula.
    """
    divisors = [{k.key for k in key if k.clause == t.clause} for t in key if t.key == "divide"]
    if not divisors:
        return set()
    allowed = set().union(*divisors)
    bad: set[int] = set()
    for d in answer:
        if d.key != "divide" or not d.hangul or d.negated:
            continue
        n = d.index - 1
        while n >= 0 and answer[n].key in PARTICLES:
            n -= 1  # sqrt(d_k)로: a particle cut off by the bracket
        if n >= 0 and answer[n].clause == d.clause and answer[n].key not in allowed:
            bad.add(d.clause)
    return bad
