"""The grader's glossary: term variants, opposite poles, roles, rivals, categories, stopwords."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from studydeck.errors import StudydeckError
from studydeck.normalize import Normalizer, Token
from studydeck.words import raw_words

GLOSSARY_FILE = "glossary.yml"
# a final consonant as it sounds at a syllable's end (ㅍ → ㅂ): 놉으면 is 높으면 spelled by ear
_SOUNDED_FINALS = {"ㅍ": "ㅂ", "ㅌ": "ㄷ", "ㅈ": "ㄷ", "ㅊ": "ㄷ", "ㅋ": "ㄱ", "ㄲ": "ㄱ"}
_FINALS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_KEYS = frozenset({"terms", "contrasts", "roles", "rivals", "categories", "stopwords", "weak"})


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: built once, cached
class Glossary:
    """Everything the grader knows about words; build it with ``load_glossary``.

    ``poles`` maps a word (canonical name or stem) to its ``(contrast, pole)`` pairs;
    ``roles`` maps a canonical name to the role groups it belongs to; ``rivals`` maps
    a canonical name to the groups of terms that stand in for each other (one in place
    of another is a substitution, not a paraphrase): the explicit ``rivals:`` groups
    plus one group per category. ``categories`` maps a canonical name to its categories.
    """

    normalizer: Normalizer
    poles: Mapping[str, tuple[tuple[str, str], ...]]
    roles: Mapping[str, frozenset[int]]
    weak: frozenset[str]
    rivals: Mapping[str, frozenset[int]] = field(default_factory=dict)
    sources: tuple[str, ...] = field(default=())
    categories: Mapping[str, frozenset[str]] = field(default_factory=dict)


def poles(t: Token, glossary: Glossary) -> tuple[tuple[str, str], ...]:
    """Return the (contrast, pole) pairs a word stands for: 높은 → (magnitude, high)."""
    return glossary.poles.get(t.key) or glossary.poles.get(t.stem) or ()


def rival(a: Token, b: Token, groups: Mapping[str, frozenset[int]]) -> bool:
    """Return True when two different words share a group (of roles or rival terms)."""
    return (
        a.key != b.key
        and a.key in groups
        and b.key in groups
        and bool(groups[a.key] & groups[b.key])
    )


def _stems(text: str) -> tuple[str, ...]:
    words, _ = raw_words(text)
    return tuple(w.stem for w in words)


def _words(value: Any, where: str, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise StudydeckError(
            f"{what} must be a list of words.", file=where, fix="Write it as [word, word, ...]."
        )
    return [str(v) for v in value]


def _read(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise StudydeckError(
            f"glossary is not valid YAML ({getattr(exc, 'problem', exc)}).",
            file=where,
            line=mark.line + 1 if mark else None,
            fix="Fix the YAML syntax.",
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not set(data) <= _KEYS:
        raise StudydeckError(
            "glossary must be a mapping with keys terms, contrasts, roles, rivals, categories,"
            " stopwords, weak.",
            file=where,
            fix="See src/studydeck/data/glossary.yml for the format.",
        )
    return data


def build_glossary(documents: Iterable[tuple[str, str]]) -> Glossary:
    """Build a glossary from YAML documents given as (text, where-it-came-from) pairs."""
    canon: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    poles: dict[str, set[tuple[str, str]]] = {}
    role_groups: list[list[str]] = []
    rival_groups: list[list[str]] = []
    category_groups: dict[str, list[str]] = {}
    stop: set[str] = set()
    weak: set[str] = set()
    sources: list[str] = []
    for text, where in documents:
        data = _read(text, where)
        sources.append(where)
        terms = data.get("terms") or {}
        if not isinstance(terms, dict):
            raise StudydeckError("terms must map a name to its variants.", file=where)
        loose: list[tuple[str, str]] = []  # (stem, name): weaker than any exact variant
        for name, variants in terms.items():
            name = str(name).lower()
            for variant in [name, *_words(variants, where, f"terms.{name}")]:
                stems = _stems(variant)
                if len(stems) == 1:
                    canon.setdefault(variant.lower(), name)
                    loose.append((stems[0], name))
                elif stems:
                    phrases.setdefault(stems, name)
                    if all("가" <= s[0] <= "힣" for s in stems):
                        canon.setdefault("".join(stems), name)
        for stem, name in loose:
            if len(stem) >= 2 or not ("가" <= stem[0] <= "힣"):  # 이해 → 이 would eat 이를
                canon.setdefault(stem, name)
        contrasts = data.get("contrasts") or {}
        for group, sides in contrasts.items():
            if not isinstance(sides, dict) or len(sides) != 2:
                raise StudydeckError(
                    f"contrasts.{group} must have exactly two poles.",
                    file=where,
                    fix="Write it as {high: [...], low: [...]}.",
                )
            for pole, words in sides.items():
                for word in _words(words, where, f"contrasts.{group}.{pole}"):
                    stems = _stems(word)
                    for form in {word.lower(), "".join(stems)}:
                        poles.setdefault(form, set()).add((str(group), str(pole)))
        for group in data.get("roles") or []:
            role_groups.append([str(w).lower() for w in _words(group, where, "roles")])
        for group in data.get("rivals") or []:
            rival_groups.append([str(w).lower() for w in _words(group, where, "rivals")])
        categories = data.get("categories") or {}
        if not isinstance(categories, dict):
            raise StudydeckError(
                "categories must map a category to its terms.",
                file=where,
                fix="Write it as {activation-function: [relu, sigmoid, ...]}.",
            )
        for cat, members in categories.items():
            words = [str(w).lower() for w in _words(members, where, f"categories.{cat}")]
            category_groups.setdefault(str(cat), []).extend(words)
        stop.update(
            s
            for w in _words(data.get("stopwords") or [], where, "stopwords")
            for s in {w.lower(), *_stems(w)}
        )
        weak.update(w.lower() for w in _words(data.get("weak") or [], where, "weak"))
    for form in [f for f in poles if len(f) == 1]:
        typo = _sounded(form)
        if typo and typo not in poles:
            poles[typo] = set(poles[form])
    roles = _group_index(role_groups)
    # a word that is a term is content, even if a stopword list names it
    stop -= set(canon.values())
    return Glossary(
        normalizer=Normalizer(canon, phrases, frozenset(stop)),
        poles={k: tuple(sorted(v)) for k, v in poles.items()},
        roles=roles,
        weak=frozenset(weak),
        rivals=_group_index([*rival_groups, *category_groups.values()]),
        sources=tuple(sources),
        categories={
            name: frozenset(c for c, ms in category_groups.items() if name in ms)
            for ms in category_groups.values()
            for name in ms
        },
    )


def _sounded(syllable: str) -> str:
    """Return a one-syllable word spelled as its final consonant sounds (높 → 놉), or ""."""
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172:
        return ""
    final = _SOUNDED_FINALS.get(_FINALS[code % 28])
    return chr(ord(syllable) - code % 28 + _FINALS.index(final)) if final else ""


def _group_index(groups: Sequence[Sequence[str]]) -> dict[str, frozenset[int]]:
    index: dict[str, set[int]] = {}
    for i, group in enumerate(groups):
        for name in group:
            index.setdefault(name, set()).add(i)
    return {name: frozenset(ids) for name, ids in index.items()}


@lru_cache(maxsize=1)
def shipped_glossary_text() -> str:
    """Return the YAML of the glossary shipped with studydeck."""
    return resources.files("studydeck").joinpath("data", GLOSSARY_FILE).read_text("utf-8")


@lru_cache(maxsize=16)
def _load(extra: tuple[tuple[str, str], ...]) -> Glossary:
    return build_glossary([(shipped_glossary_text(), "studydeck/data/glossary.yml"), *extra])


def load_glossary(notes_dirs: Sequence[Path] = ()) -> Glossary:
    """Load the shipped glossary plus ``glossary.yml`` from each notes folder that has one."""
    extra: list[tuple[str, str]] = []
    for d in notes_dirs:
        folder = d if d.is_dir() else d.parent
        path = folder / GLOSSARY_FILE
        if path.is_file():
            try:
                extra.append((path.read_text(encoding="utf-8"), str(path)))
            except (OSError, UnicodeDecodeError) as exc:
                raise StudydeckError(f"cannot read the glossary ({exc}).", file=str(path)) from None
    return _load(tuple(extra))
