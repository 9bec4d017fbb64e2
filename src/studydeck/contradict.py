"""Find where an answer contradicts a key point: flips, swaps and substituted terms.

Each check takes the point's tokens, the matching (point word index → answer word
index) and the answer's tokens, and returns the answer clauses that contradict the
point. The grader does not let a point with a contradiction be hit, and gives no
partial credit for the words of a contradicting clause.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from studydeck.compare import comparison_clauses
from studydeck.excepted import exclusion_broken, replaces, rival_denied, set_aside
from studydeck.glossary import Glossary, poles
from studydeck.modifier import attachment_swapped, role_owner_moved
from studydeck.normalize import Token
from studydeck.partners import operands_swapped, partners_crossed
from studydeck.substitute import complement_said, positional_substituted

__all__ = [
    "contradicting_clauses",
    "exclusion_broken",
    "poles",
]


# particles of a light verb's object, and of the words compounded with it (RNN 모델을)
_OBJECT = frozenset(["", "을", "를"])
# the topic of a denied light verb in an answer: 학습이 끝난 파라미터는 안 쓰고
_TOPIC = frozenset(["은", "는"])

# particles that liken one thing to another: RNN처럼, RNN과 같이
_LIKE = frozenset(["처럼", "같이", "마냥", "마찬가지로"])


# endings that join one claim to the next inside a clause the punctuation did not split
_CONNECTIVES = ("고", "서", "니까", "면", "는데", "지만", "며")

Pairs = Mapping[int, int]
_SYMMETRIC = frozenset(["dot-product", "combine", "multiply", "add", "compare", "similarity"])


def contradicting_clauses(
    key: Sequence[Token],
    pairs: Pairs,
    answer: Sequence[Token],
    glossary: Glossary,
    *,
    headline: bool = True,
    elsewhere: frozenset[str] = frozenset(),
) -> tuple[frozenset[int], bool]:
    """Return the answer clauses that contradict the point, and whether roles are swapped.

    A swap (who does what: roles exchanged, a modifier moved to another head, a rival
    term substituted in the ``headline`` point, the one that says what the thing is)
    taints every clause of the answer. A rival term another point of the card names
    (``elsewhere``) is that point's word, not a substitute.
    """
    agree, reverse = comparison_clauses(key, answer, glossary)
    bad: set[int] = set(reverse)  # items outnumber users, for 유저보다 아이템이 적다
    clauses: dict[int, list[int]] = {}
    for i, t in enumerate(key):
        clauses.setdefault(t.clause, []).append(i)
    for members in clauses.values():
        hits = [(i, pairs[i]) for i in members if i in pairs]
        if not hits:
            continue
        window = {answer[j].clause for _, j in hits}
        near = [a for a in answer if a.clause in window]
        if complement_said([key[i] for i in members], near, glossary):
            continue  # 미래 단어를 참고하지 못하도록 = 이전 단어만 참고하도록
        # negation: the clauses differ in polarity, and a word the negation applies to matched;
        # a point that replaces (RNN구조에서 이를 바꿔) agrees with "without RNN"
        replaced = replaces([key[i] for i in members])
        # RNN을 쓰지 않고 for "Attention만을 이용": the negation denies what the point excludes
        denied = rival_denied(key, answer, glossary.rivals)
        flips = [
            (i, j)
            for i, j in hits
            if key[i].negated != answer[j].negated and answer[j].clause not in denied
        ]
        heads = _light_objects(key, members, glossary.weak)
        # 학습이 끝난 파라미터는 안 쓰고: the answer's denied light verb denies its object too
        denied_objects = _light_objects(
            answer, [j for _, j in flips], glossary.weak, _OBJECT | _TOPIC, follow=True
        )
        if not replaced and any(
            key[i].neg_head
            or answer[j].neg_head
            or j in denied_objects
            or (
                i in heads
                and sum(answer[b].clause == answer[j].clause for _, b in hits) >= 2
                and not set_aside(answer, answer[j].clause)
            )
            for i, j in flips
        ):
            bad |= {answer[j].clause for _, j in flips}
        # Transformer도 RNN처럼 … for "RNN 모델을 사용하지 않기": likened to what it does without
        bad |= _likened(key, heads, window, answer)
        # users outnumber items, for 아이템이 더 적다: the other pole with the sides exchanged;
        # a clause that shares only a generic word (만들고, 구하고) talks about something else
        topical = {answer[j].clause for i, j in hits if key[i].key not in glossary.weak}
        said = [a for a in near if a.clause in topical]
        # 같은 층 안에선 공유 다른층이랑은 다름: a run-on clause, each unit with its own pole
        units = {answer[j].bind for i, j in hits if key[i].key not in glossary.weak}
        unit = [a for a in said if a.bind in units]
        if (
            not topical & agree
            and _poles_flipped([key[i] for i in members], said, glossary)
            and not _said_elsewhere(key, clauses, [i for i, _ in hits], said, glossary)
            and not _agrees(key, members, unit, glossary)
        ):
            bad |= topical
        k_nums = {key[i].number for i in members} - {None}
        a_nums = {
            a.number
            for a in near
            if a.number is not None
            and not _scoping(a, answer)
            and any(_one_phrase(answer, j, a.index) for _, j in hits)
        }
        a_nums -= {t.number for t in key} - k_nums  # 1 of (1, 1)
        worded = any(key[i].number is None for i, _ in hits)  # not just "(1, 1, 1)"
        # a term that holds its count (3차원 → 3d) said as it is: the count agrees
        kept = any(
            key[i].number is not None
            and key[i].key != str(key[i].number)
            and key[i].key == answer[j].key
            for i, j in hits
        )
        if worded and not kept and k_nums and a_nums and not k_nums & a_nums:
            bad |= window
        # … 포함되어 있다. (총 3개): the total said apart; "each one" counts nothing
        total = _count_after(key, clauses, members, glossary.weak)
        if worded and not kept and not k_nums and total and a_nums - {1} and not total & a_nums:
            bad |= window
    if positional_substituted(key, pairs, answer, glossary.rivals, elsewhere):
        if headline:
            return frozenset(a.clause for a in answer), True
        bad |= {a.clause for a in answer}  # a rival in a later point: a wrong detail
    crossed = partners_crossed(key, answer, glossary.roles)
    bad |= set(crossed)
    if (
        len(crossed) >= 2
        or _roles_swapped(key, pairs, answer, glossary) - agree  # 유저가 아이템보다 많다
        or positional_substituted(key, pairs, answer, glossary.roles)
        or attachment_swapped(key, answer, glossary)
        or role_owner_moved(key, answer, glossary)
        or operands_swapped(key, answer, glossary.roles)
        or _poles_exchanged(key, pairs, answer, glossary)
    ):
        return frozenset(a.clause for a in answer), True
    return frozenset(bad), False


def _count_after(
    key: Sequence[Token],
    clauses: Mapping[int, Sequence[int]],
    members: Sequence[int],
    weak: frozenset[str],
) -> set[int]:
    """Return the count a bare clause after the point's clause gives it: … 있다. (총 3개)."""
    after = clauses.get(key[members[-1]].clause + 1, ())
    if after and all(key[i].number is not None or key[i].key in weak for i in after):
        return {n for i in after if (n := key[i].number) is not None}
    return set()


def _one_phrase(answer: Sequence[Token], j: int, n: int) -> bool:
    """Return True when no connective ending (쓰고, 되니까, 적으면) parts two answer words.

    A run-on clause strings several claims: 0 in "그보다 적으면 0 처리" counts nothing of
    "두 아이템의 평가는 극명하게 갈린다" said before it.
    """
    lo, hi = sorted((j, n))
    return not any(
        answer[x].hangul and answer[x].particle.endswith(_CONNECTIVES) for x in range(lo, hi)
    )


def _scoping(token: Token, answer: Sequence[Token]) -> bool:
    """Tell whether a number picks out what the sentence is about, not how many there are.

    인코더 한 층은 …: "one layer (of the encoder) has two networks" counts nothing the point
    counts; the number's noun is the topic (은/는).
    """
    at = token.index + 1
    return token.number is not None and at < len(answer) and answer[at].particle in ("은", "는")


def _poles_flipped(key: Sequence[Token], near: Sequence[Token], glossary: Glossary) -> bool:
    groups: dict[str, tuple[list[str], list[str]]] = {}
    # 이를 제외하고는 X와 같다: "unlike X, it masks" says the exception, not a flip
    excepted = any(t.key == "except" for t in key)
    for side, toks in ((0, key), (1, near)):
        for t in toks:
            for group, pole in poles(t, glossary):
                if not (excepted and group == "sameness"):
                    groups.setdefault(group, ([], []))[side].append(pole)
    for ks, as_ in groups.values():
        if not ks or not as_:
            continue
        if len(set(ks)) == 1 and ks[0] not in as_:
            return True
        if len(ks) >= 2 and len(as_) >= 2 and (ks[0] == ks[1]) != (as_[0] == as_[1]):
            return True
    return False


def _agrees(
    key: Sequence[Token], members: Sequence[int], unit: Sequence[Token], glossary: Glossary
) -> bool:
    """Return True when the matched words' own units say every pole of the point's clause."""
    wanted = Counter(gp for i in members for gp in poles(key[i], glossary))
    got = Counter(gp for a in unit for gp in poles(a, glossary))
    return (
        bool(wanted)
        and wanted <= got
        and not _poles_flipped([key[i] for i in members], unit, glossary)
    )


def _said_elsewhere(
    key: Sequence[Token],
    clauses: Mapping[int, Sequence[int]],
    hit: Sequence[int],
    near: Sequence[Token],
    glossary: Glossary,
) -> bool:
    """Return True when each matched word recurs in another clause the answer agrees with.

    높은 가중치, 낮은 가중치: the answer's 가중치 may have been matched to the 낮은 one,
    yet it says what the 높은 clause says, so the poles are not flipped.
    """
    for i in hit:
        others = {key[n].clause for n, t in enumerate(key) if t.key == key[i].key} - {key[i].clause}
        if not any(
            not _poles_flipped([key[n] for n in clauses[c]], near, glossary) for c in others
        ):
            return False
    return True


def _roles_swapped(
    key: Sequence[Token], pairs: Pairs, answer: Sequence[Token], glossary: Glossary
) -> set[int]:
    """Find two role words of the point whose parts the answer exchanges."""
    roles = glossary.roles
    keyed = [(i, j) for i, j in sorted(pairs.items()) if key[i].key in roles]
    for x, (i1, j1) in enumerate(keyed):
        for i2, j2 in keyed[x + 1 :]:
            k1, k2, a1, a2 = key[i1], key[i2], answer[j1], answer[j2]
            if k1.key == k2.key:
                continue
            if not roles[k1.key] & roles[k2.key]:
                # binding: k1 and k2 share a who-does-what unit in the key, but in the
                # answer k1's unit holds another member of k2's group instead of k2
                if k1.bind == k2.bind and a1.bind != a2.bind:
                    group = roles[k2.key]
                    if any(
                        a.bind == a1.bind
                        and a.key in roles
                        and roles[a.key] & group
                        and a.key != k2.key
                        for a in answer
                    ):
                        return {a1.clause}
                continue
            if k1.clause != k2.clause or "and" in (k1.case, k2.case):
                continue
            known = k1.case and k2.case and a1.case and a2.case
            if known and k1.case != k2.case and a1.case == k2.case and a2.case == k1.case:
                return {a1.clause, a2.clause}
            changed = any(
                kc and ac and kc != ac for kc, ac in ((k1.case, a1.case), (k2.case, a2.case))
            )
            # word order tells roles only when the answer orders them as the point does:
            # English puts "than users" after "items", Korean puts 유저보다 first
            korean = all(t.hangul or t.particle for t in (k1, k2, a1, a2))
            # A와 B를 내적 = B를 A와 내적: an operation on both sides gives no side a role
            symmetric = any(t.key in _SYMMETRIC and t.clause == k1.clause for t in key)
            # 같은 유저들이 두 아이템을 (…이 …을) for 두 아이템에서 유사한 유저가: the subject stays
            subject_kept = any(k.case == "subj" == a.case for k, a in ((k1, a1), (k2, a2))) and (
                _count_before(key, i1) == _count_before(answer, j1)  # not 두 사용자 for 두 아이템
            )
            if (
                korean
                and not symmetric
                and not subject_kept
                and not _attached_alike(
                    key, i1, answer, j1, glossary
                )  # 유저가 좋아한 … 비슷한 컨텐츠
                and a1.index > a2.index
                and changed
                and "and" not in (a1.case, a2.case)
                and not _said_before(answer, k1.key, a2)
            ):
                return {a1.clause, a2.clause}
    return set()


def _count_before(tokens: Sequence[Token], at: int) -> int | None:
    return tokens[at - 1].number if at > 0 else None


def _said_before(answer: Sequence[Token], key: str, other: Token) -> bool:
    """Return True when the answer also says ``key`` before ``other`` in its clause.

    두 아이템을 … 유저들이 좋아했는지로 아이템 간 유사도: the matcher may take the later
    아이템, yet the first one stands where the point puts it.
    """
    return any(a.key == key and a.clause == other.clause and a.index < other.index for a in answer)


def _attached_alike(
    key: Sequence[Token], i: int, answer: Sequence[Token], j: int, glossary: Glossary
) -> bool:
    """Return True when the answer puts the point's own modifier (유사한) before the role word."""
    if not j or answer[j - 1].clause != answer[j].clause or not poles(answer[j - 1], glossary):
        return False
    return any(
        t.key == key[i].key and n and key[n - 1].key == answer[j - 1].key for n, t in enumerate(key)
    )


def _poles_exchanged(
    key: Sequence[Token], pairs: Pairs, answer: Sequence[Token], glossary: Glossary
) -> set[int]:
    """Find two opposite poles whose cases the answer exchanges.

    고차원 함수를 3차원 공간에 → 3차원 함수를 고차원 공간에: both words said, roles swapped.
    """
    polar = [(i, j, dict(poles(key[i], glossary))) for i, j in sorted(pairs.items())]
    polar = [(i, j, p) for i, j, p in polar if p]
    for x, (i1, j1, p1) in enumerate(polar):
        for i2, j2, p2 in polar[x + 1 :]:
            if not any(g in p2 and p1[g] != p2[g] for g in p1):
                continue
            k1, k2, a1, a2 = key[i1], key[i2], answer[j1], answer[j2]
            if not (k1.case and k2.case and a1.case and a2.case) or k1.case == k2.case:
                continue
            if a1.case == k2.case and a2.case == k1.case:
                return {a1.clause, a2.clause}
    return set()


def _light_objects(
    key: Sequence[Token],
    members: Sequence[int],
    weak: frozenset[str],
    particles: frozenset[str] = _OBJECT,
    *,
    follow: bool = False,
) -> set[int]:
    """Return the point words a negated light verb denies: RNN 모델을 사용하지 않기 → RNN, 모델.

    사용/use says little itself; "not using RNN" denies RNN, so an answer that has the
    Transformer use RNN flips the point even when its "use" went to another point.
    With ``follow``, the light verb may stand after the members (they are its objects).
    """
    out: set[int] = set()
    if follow:
        members = sorted(
            {
                n
                for m in members
                for n in range(m, len(key))
                if key[n].clause == key[m].clause and key[n].neg_head
            }
        )
    for n in members:
        if not (key[n].neg_head and key[n].key in weak):
            continue
        at = n - 1
        while at >= 0 and key[at].clause == key[n].clause and key[at].particle in particles:
            out.add(at)
            at -= 1
    return out


def _likened(
    key: Sequence[Token], denied: set[int], window: set[int], answer: Sequence[Token]
) -> set[int]:
    """Return the answer clauses that liken the point's subject to what the point denies."""
    names = {key[i].key for i in denied}
    return {
        a.clause
        for a in answer
        if a.particle in _LIKE and a.key in names and not a.negated and a.clause in window
    }
