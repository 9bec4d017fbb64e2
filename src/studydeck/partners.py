"""Who goes with whom: the partner each role word has in a point and in an answer.

Query는 디코더, Key·Value는 인코더: a point pairs role words of different groups. An
answer that pairs a word with another partner crosses the point; one that names one side
of the pairing only says half of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from studydeck.normalize import Token

__all__ = [
    "deck_members",
    "deck_pairing",
    "member_crossed",
    "operands_swapped",
    "pairing_crossed",
    "partners_crossed",
    "roles_short",
]

# an operation on two role words: Query와 Key를 내적
_OPERATIONS = frozenset(["dot-product"])


def roles_short(
    key: Sequence[Token], answer: Sequence[Token], roles: Mapping[str, frozenset[int]]
) -> bool:
    """Return True when the point pairs roles and the answer names one side of the pairing.

    Query는 디코더, Key·Value는 인코더: "the Query comes from the decoder" says half of
    who gives what; each role group of the point needs two of its words (or all it has).
    """
    if len([v for v in _partners(key, roles).values() if v]) < 2:
        return False
    said = {a.key for a in answer}
    groups: dict[int, set[str]] = {}
    for t in key:
        for g in roles.get(t.key, ()):
            groups.setdefault(g, set()).add(t.key)
    return any(len(ws & said) < min(2, len(ws)) for ws in groups.values())


def _partners(
    tokens: Sequence[Token], roles: Mapping[str, frozenset[int]]
) -> dict[str, tuple[str, int] | None]:
    """Pair each role word with the one role word of another group in its clause.

    A clause of bare role words (the Key of "Key, Value는 인코더에서") takes the
    partner of the next clause; a word paired two ways is ambiguous (None).
    """
    found: dict[str, set[str]] = {}
    where: dict[str, int] = {}
    clauses: dict[int, list[Token]] = {}
    for t in tokens:
        clauses.setdefault(t.clause, []).append(t)
    pending: list[Token] = []
    last: tuple[Token, str] | None = None  # the last word paired, and its partner
    for clause in clauses.values():
        rs = [t for t in clause if t.key in roles]
        if rs and len(rs) == len(clause) and len({roles[t.key] for t in rs}) == 1:
            pending += rs
            continue
        lone = bool(rs) and len({roles[t.key] for t in rs}) == 1
        for a in rs:
            others = {b.key for b in rs if not roles[b.key] & roles[a.key]}
            if len(others) != 1:
                continue
            (b,) = others
            last = (a, b)
            for w in (a, *(p for p in pending if roles[p.key] & roles[a.key])):
                found.setdefault(w.key, set()).add(b)
                found.setdefault(b, set()).add(w.key)
                where.setdefault(w.key, a.clause)
        if lone and pending and last and roles[last[0].key] & roles[rs[0].key]:
            # 디코더로 Q, K, V를 만든다: a list cut by commas goes on with the last pairing
            for w in (*pending, *rs):
                found.setdefault(w.key, set()).add(last[1])
                found.setdefault(last[1], set()).add(w.key)
                where.setdefault(w.key, w.clause)
        pending = []
    return {
        w: (next(iter(bs)), where.get(w, 0)) if len(bs) == 1 else None for w, bs in found.items()
    }


def partners_crossed(
    key: Sequence[Token], answer: Sequence[Token], roles: Mapping[str, frozenset[int]]
) -> list[int]:
    """Return the clause of each role word the answer pairs with another partner than the point.

    Query는 디코더, Key·Value는 인코더 → "keys come from the decoder": one crossing
    spoils its clause; two or more make an exchange.
    """
    want, got = _partners(key, roles), _partners(answer, roles)
    return [
        pair[1]
        for word, pair in got.items()
        if pair and (expected := want.get(word)) and pair[0] != expected[0]
    ]


def deck_pairing(
    points: Iterable[Sequence[Token]], roles: Mapping[str, frozenset[int]]
) -> dict[str, str]:
    """Return the partner each role word has wherever the deck's points pair it one way."""
    seen: dict[str, set[str]] = {}
    for tokens in points:
        for word, pair in _partners(tokens, roles).items():
            if pair:
                seen.setdefault(word, set()).add(pair[0])
    return {w: next(iter(bs)) for w, bs in seen.items() if len(bs) == 1}


def pairing_crossed(
    answer: Sequence[Token],
    pairing: Mapping[str, str],
    roles: Mapping[str, frozenset[int]],
    skip: frozenset[str],
) -> int | None:
    """Return the clause where the answer pairs a role word otherwise than the deck's notes.

    A decoder card's answer adding "its Query comes from the encoder" states a detail
    another card's notes pair the other way. Words in ``skip`` (the card's own pairings)
    are left to the card's points.
    """
    for word, pair in _partners(answer, roles).items():
        if pair and word not in skip and pairing.get(word, pair[0]) != pair[0]:
            return pair[1]
    return None


def operands_swapped(
    key: Sequence[Token], answer: Sequence[Token], roles: Mapping[str, frozenset[int]]
) -> set[int]:
    """Find an operation the answer applies to other role words than the point does.

    현재 Query와 각 단어의 Key 벡터의 내적, answered "Key와 Value를 내적": the operation is
    right, its operands are not. Each side's operands are the role words of one group in the
    operation's clause; the answer must name the point's operands somewhere.
    """
    wanted = [ops for ops, _ in _operands(key, roles)]
    if not wanted:
        return set()
    said = _operands(answer, roles)
    if any(ops >= want for want in wanted for ops, _ in said):
        return set()
    return {clause for ops, clause in said if any(ops & want for want in wanted)}


def _operands(
    tokens: Sequence[Token], roles: Mapping[str, frozenset[int]]
) -> list[tuple[frozenset[str], int]]:
    """Return, per operation, the role words of one group it takes (two or more).

    Korean names the operands before the operation (Key와 Value를 내적), English around it
    (the query dotted with each key); Q·K typed with a dot reaches into the clause before.
    """
    out: list[tuple[frozenset[str], int]] = []
    for op in tokens:
        if op.key not in _OPERATIONS:
            continue
        inside = [
            t.key
            for t in tokens
            if t.key in roles
            and (t.clause == op.clause or _bare_before(tokens, t.clause, op.clause, roles))
            and (t.index < op.index or not op.hangul)
        ]
        for group in {g for k in inside for g in roles[k]}:
            ops = frozenset(k for k in inside if group in roles[k])
            if len(ops) >= 2:
                out.append((ops, op.clause))
    return out


def _bare_before(
    tokens: Sequence[Token], clause: int, at: int, roles: Mapping[str, frozenset[int]]
) -> bool:
    """Return True for the clause just before ``at`` made of role words only (the Q of Q·K)."""
    return clause == at - 1 and all(t.key in roles for t in tokens if t.clause == clause)


def deck_members(
    points: Iterable[Sequence[Token]], categories: Mapping[str, frozenset[str]]
) -> dict[str, frozenset[str]]:
    """Return, per category named as a term (활성화 함수), the members the deck says with it."""
    out: dict[str, set[str]] = {}
    for tokens in points:
        for clause in {t.clause for t in tokens}:
            keys = {t.key for t in tokens if t.clause == clause}
            for name in {k for k in keys if any(k in cs for cs in categories.values())}:
                out.setdefault(name, set()).update(k for k in keys if name in categories.get(k, ()))
    return {name: frozenset(ms) for name, ms in out.items() if ms}


def member_crossed(
    answer: Sequence[Token],
    members: Mapping[str, frozenset[str]],
    categories: Mapping[str, frozenset[str]],
) -> int | None:
    """Return the clause that gives a category another member than the deck's notes give it.

    활성화 함수는 ReLU (another card), answered "활성화함수만 softmax씀": the activation
    function the notes name is not the one the answer claims.
    """
    for a in answer:
        if a.negated or a.key not in members:
            continue
        for m in answer:
            if (
                m.clause == a.clause
                and not m.negated
                and a.key in categories.get(m.key, ())
                and m.key not in members[a.key]
            ):
                return a.clause
    return None
