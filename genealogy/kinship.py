"""Names of relationships in English, Russian and Kazakh.

A relationship arrives as a path of people from the speaker ``a`` to ``b`` (see
:func:`genealogy.graph.relationship`), each reached from the one before as a ``parent``,
``child`` or ``spouse``. The name says what ``b`` is to ``a``.

The three languages do not translate into each other. English counts cousins and removals;
Russian has двоюродный/троюродный degrees, внучатый племянник and a rich set of in-law words
(тесть, свёкор, шурин, деверь, золовка, свояк). Kazakh kinship depends on the speaker's sex
(қарындас is a man's younger sister, сіңлі a woman's), on relative age (аға and іні, әпке and
сіңлі, жеңге and келін, жезде and күйеу бала, қайын аға and балдыз) and on the side of the
family (нағашы — the mother's kin, жиен — a daughter's or sister's child, бөле — children of two
sisters, немере — of two brothers). Where there is no single word the Kazakh name is a
possessive chain ("әкесінің ағасы", "father's elder brother"), built with vowel harmony, as the
Russian one is a genitive chain ("жена двоюродного брата").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MALE, FEMALE = "M", "F"


@dataclass(frozen=True)
class Kin:
    sex: str = "U"
    birth: int | None = None  # a sortable birth date (JDN) when known and visible


def _older(x: Kin, y: Kin) -> bool | None:
    """Whether ``x`` is older than ``y``; None when unknown."""
    if x.birth is None or y.birth is None or x.birth == y.birth:
        return None
    return x.birth < y.birth


def _pick(sex: str, male: str, female: str, neutral: str) -> str:
    return male if sex == MALE else female if sex == FEMALE else neutral


# -- English -----------------------------------------------------------------------------------

_ORDINALS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]


def _ordinal(n: int) -> str:
    if n < len(_ORDINALS):
        return _ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _greats(n: int) -> str:
    if n <= 0:
        return ""
    if n <= 2:
        return "great-" * n
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} great-"


def _times(n: int) -> str:
    return {1: "once", 2: "twice", 3: "thrice"}.get(n, f"{n} times")


def _blood_en(u: int, d: int, b: Kin, half: bool) -> str:
    s = b.sex
    pre = "half-" if half else ""
    if u == 0 and d == 0:
        return "self"
    if d == 0:
        base = [
            "",
            _pick(s, "father", "mother", "parent"),
            _pick(s, "grandfather", "grandmother", "grandparent"),
        ]
        if u <= 2:
            return base[u]
        return _greats(u - 2) + base[2]
    if u == 0:
        base = [
            "",
            _pick(s, "son", "daughter", "child"),
            _pick(s, "grandson", "granddaughter", "grandchild"),
        ]
        if d <= 2:
            return base[d]
        return _greats(d - 2) + base[2]
    if u == 1 and d == 1:
        return pre + _pick(s, "brother", "sister", "sibling")
    if d == 1:
        return pre + _greats(u - 2) + _pick(s, "uncle", "aunt", "uncle or aunt")
    if u == 1:
        return pre + _greats(d - 2) + _pick(s, "nephew", "niece", "nephew or niece")
    degree, removed = min(u, d) - 1, abs(u - d)
    name = f"{_ordinal(degree)} cousin"
    if removed:
        name += f" {_times(removed)} removed"
    return ("half " if half else "") + name


# -- Russian -----------------------------------------------------------------------------------

_RU_DEGREES = {
    2: "двоюродн",
    3: "троюродн",
    4: "четвероюродн",
    5: "пятиюродн",
    6: "шестиюродн",
    7: "семиюродн",
    8: "восьмиюродн",
    9: "девятиюродн",
    10: "десятиюродн",
}


def _ru_degree(n: int, sex: str) -> str:
    if n <= 1:
        return ""
    stem = _RU_DEGREES.get(n, f"{n}-юродн")
    return stem + ("ая " if sex == FEMALE else "ый ")


def _blood_ru(u: int, d: int, a: Kin, b: Kin, half: bool, apex: Kin | None) -> str:
    s = b.sex
    if u == 0 and d == 0:
        return "сам(а)"
    if d == 0:
        if u == 1:
            return _pick(s, "отец", "мать", "родитель")
        return "пра" * (u - 2) + _pick(s, "дедушка", "бабушка", "дедушка или бабушка")
    if u == 0:
        if d == 1:
            return _pick(s, "сын", "дочь", "ребёнок")
        return "пра" * (d - 2) + _pick(s, "внук", "внучка", "внук или внучка")
    if u == 1 and d == 1:
        word = _pick(s, "брат", "сестра", "брат или сестра")
        if half:
            side = apex.sex if apex is not None else "U"
            adjective = {MALE: "единокровн", FEMALE: "единоутробн"}.get(side, "неполнородн")
            return adjective + ("ая " if s == FEMALE else "ый ") + word
        return word
    m, diff = min(u, d), abs(u - d)
    if u == d:
        return _ru_degree(m, s) + _pick(s, "брат", "сестра", "брат или сестра")
    if u > d:
        if diff == 1:
            return _ru_degree(m, s) + _pick(s, "дядя", "тётя", "дядя или тётя")
        word = "пра" * (diff - 2) + _pick(s, "дедушка", "бабушка", "дедушка или бабушка")
        return _ru_degree(m + 1, s) + word
    if diff == 1:
        return _ru_degree(m, s) + _pick(s, "племянник", "племянница", "племянник или племянница")
    word = "пра" * (diff - 2) + _pick(
        s, "внучатый племянник", "внучатая племянница", "внучатый племянник или племянница"
    )
    return _ru_degree(m, s) + word


_RU_GENITIVE = {
    "мать": "матери",
    "дочь": "дочери",
    "отец": "отца",
    "тесть": "тестя",
    "свёкор": "свёкра",
    "деверь": "деверя",
    "зять": "зятя",
    "пасынок": "пасынка",
    "свекровь": "свекрови",
    "ребёнок": "ребёнка",
    "сам(а)": "себя",
    "или": "или",
    "родитель": "родителя",
}


def _ru_genitive_word(word: str) -> str:
    if word in _RU_GENITIVE:
        return _RU_GENITIVE[word]
    if word.startswith("пра") and word[3:] and _ru_genitive_word(word[3:]) != word[3:] + "а":
        return "пра" + _ru_genitive_word(word[3:])
    for ending, replacement in (("ый", "ого"), ("ий", "его"), ("ой", "ого"), ("ая", "ой")):
        if word.endswith(ending):
            return word[: -len(ending)] + replacement
    if word.endswith("а"):
        return word[:-1] + ("и" if word[-2:-1] in "кгхжшчщ" else "ы")
    if word.endswith("я"):
        return word[:-1] + "и"
    if word.endswith("ь"):
        return word[:-1] + "я"
    if word.endswith("ец"):
        return word[:-2] + "ца"
    return word + "а"


def _ru_genitive(phrase: str) -> str:
    return " ".join(_ru_genitive_word(w) for w in phrase.split())


# -- Kazakh ------------------------------------------------------------------------------------

_KK_BACK = set("аоұыя")
_KK_FRONT = set("әөүіеэи")
_KK_VOWELS = set("аоұыяәөүіеэиюё")
_KK_CHAIN = re.compile(r"(?:ның|нің) ")


def _kk_front(word: str) -> bool:
    for letter in reversed(word.lower()):
        if letter in _KK_BACK:
            return False
        if letter in _KK_FRONT:
            return True
    return False


def _kk_possessive(phrase: str) -> str:
    """The third-person possessive: ата → атасы, іні → інісі, әйел → әйелі, күйеу → күйеуі."""
    if _KK_CHAIN.search(phrase):
        return phrase  # a chain already ends in a possessive
    head, _, last = phrase.rpartition(" ")
    front = _kk_front(last)
    if last[-1].lower() in _KK_VOWELS:
        last += "сі" if front else "сы"
    else:
        last += "і" if front else "ы"
    return f"{head} {last}".strip()


def _kk_genitive(phrase: str) -> str:
    """Possessive then genitive: әке → әкесінің, аға → ағасының, күйеу бала → күйеу баласының."""
    possessed = _kk_possessive(phrase)
    return possessed + ("нің" if _kk_front(possessed.rpartition(" ")[2]) else "ның")


def _kk_chain(first: str, rest: str) -> str:
    return f"{_kk_genitive(first)} {_kk_possessive(rest)}"


def _kk_sibling(speaker: Kin, b: Kin) -> str:
    older = _older(b, speaker)
    if older is None:
        return "бауыр"
    if b.sex == MALE:
        return "аға" if older else "іні"
    if b.sex == FEMALE:
        if older:
            return "әпке"
        return "қарындас" if speaker.sex == MALE else "сіңлі"
    return "бауыр"


_KK_DESCENDANTS = {3: "шөбере", 4: "шөпшек", 5: "немене", 6: "туажат", 7: "жүрежат"}


def _blood_kk(up: list[Kin], down: list[Kin]) -> str:
    """What ``down[-1]`` is to ``up[0]``; ``up`` = [a, …, common], ``down`` = [common, …, b]."""
    u, d = len(up) - 1, len(down) - 1
    a, b = up[0], down[-1]
    s = b.sex
    if u == 0 and d == 0:
        return "өзі"
    maternal = u >= 1 and up[1].sex == FEMALE
    if d == 0:
        if u == 1:
            return _pick(s, "әке", "шеше", "ата-ана")
        if u == 2:
            prefix = "нағашы " if maternal else ""
            return prefix + _pick(s, "ата", "әже", "ата-әже")
        if all(p.sex == MALE for p in up[1:]) and u <= 4:
            return {3: "баба", 4: "арғы баба"}[u]
        return _kk_chain(_blood_kk(up[:-1], up[-2:-1]), _pick(s, "әке", "шеше", "ата-ана"))
    if u == 0:
        through_daughter = down[1].sex == FEMALE if d >= 2 else False
        if d == 1:
            return _pick(s, "ұл", "қыз", "бала")
        if d == 2:
            return "жиен" if through_daughter else "немере"
        if d == 3 and through_daughter:
            return "жиеншар"
        if not through_daughter and d in _KK_DESCENDANTS:
            return _KK_DESCENDANTS[d]
        return _kk_chain(_blood_kk(up, down[:-1]), _pick(s, "ұл", "қыз", "бала"))
    if u == 1 and d == 1:
        return _kk_sibling(a, b)
    if u == 2 and d == 1 and maternal and s == MALE:
        older = _older(b, a)
        return {True: "нағашы аға", False: "нағашы іні", None: "нағашы"}[older]
    if u == 1 and d == 2 and down[1].sex == FEMALE:
        return "жиен"  # a sister's child
    if u == 2 and d == 2:
        side_a, side_b = up[1].sex, down[1].sex
        if side_a == MALE and side_b == MALE:
            return "немере " + _kk_sibling(a, b)
        if side_a == FEMALE and side_b == FEMALE:
            return "бөле"
        if side_a == FEMALE and side_b == MALE:
            return "нағашы " + _kk_sibling(a, b)
        if side_a == MALE and side_b == FEMALE:
            return "жиен"  # a father's sister's child: we are their нағашы
    if u == 3 and d == 3 and all(p.sex == MALE for p in (*up[1:3], *down[1:3])):
        return "шөбере " + _kk_sibling(a, b)
    # No single word: name it through b's parent when b is of a younger generation
    # ("ағасының ұлы"), through a's parent otherwise ("әкесінің ағасы").
    if d > u:
        return _kk_chain(_blood_kk(up, down[:-1]), _pick(s, "ұл", "қыз", "бала"))
    first = _blood_kk(up[:2], up[1:2])
    return _kk_chain(first, _blood_kk(up[1:], down))


# -- blood names -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A blood segment: ``up`` = [x, …, common ancestor], ``down`` = [common ancestor, …, y]."""

    up: tuple[Kin, ...]
    down: tuple[Kin, ...]
    half: bool = False

    @property
    def u(self) -> int:
        return len(self.up) - 1

    @property
    def d(self) -> int:
        return len(self.down) - 1


def blood_names(segment: Segment) -> dict[str, str]:
    a, b = segment.up[0], segment.down[-1]
    apex = segment.up[-1] if segment.half else None
    return {
        "en": _blood_en(segment.u, segment.d, b, segment.half),
        "ru": _blood_ru(segment.u, segment.d, a, b, segment.half, apex),
        "kk": _blood_kk(list(segment.up), list(segment.down)),
    }


def _spouse_names(b: Kin) -> dict[str, str]:
    return {
        "en": _pick(b.sex, "husband", "wife", "spouse"),
        "ru": _pick(b.sex, "муж", "жена", "супруг(а)"),
        "kk": _pick(b.sex, "күйеу", "әйел", "жұбай"),
    }


def _chain(units: list[dict[str, str]]) -> dict[str, str]:
    """Possessive chains: "brother's wife", "жена брата", "ағасының әйелі"."""
    if len(units) == 1:
        return units[0]
    en = "'s ".join(u["en"] for u in units)
    ru = " ".join([units[-1]["ru"], *(_ru_genitive(u["ru"]) for u in reversed(units[:-1]))])
    kk = " ".join([*(_kk_genitive(u["kk"]) for u in units[:-1]), _kk_possessive(units[-1]["kk"])])
    return {"en": en, "ru": ru, "kk": kk}


# -- in-laws -----------------------------------------------------------------------------------


def _in_law(first: Segment | None, second: Segment | None, a: Kin, x: Kin, y: Kin, b: Kin):
    """Names with a single word for: a —blood→ x —spouse→ y —blood→ b (either blood part may
    be empty). None when there is none."""
    s = b.sex
    if first is None and second is not None:  # b is a blood relative of a's spouse y
        u, d = second.u, second.d
        if (u, d) == (1, 0):
            return {
                "en": _pick(s, "father-in-law", "mother-in-law", "parent-in-law"),
                "ru": (
                    _pick(s, "тесть", "тёща", "родитель жены")
                    if a.sex == MALE
                    else _pick(s, "свёкор", "свекровь", "родитель мужа")
                    if a.sex == FEMALE
                    else _pick(s, "отец супруга", "мать супруга", "родитель супруга")
                ),
                "kk": _pick(s, "қайын ата", "қайын ене", "қайын ата-ене"),
            }
        if (u, d) == (1, 1):
            older = _older(b, y)
            if a.sex == MALE:
                ru = _pick(s, "шурин", "свояченица", "брат или сестра жены")
                kk = {True: _pick(s, "қайын аға", "қайын апа", "қайын"), False: "балдыз"}.get(
                    older, "қайын"
                )
            else:
                ru = _pick(s, "деверь", "золовка", "брат или сестра мужа")
                kk = {
                    True: _pick(s, "қайын аға", "қайын апа", "қайын"),
                    False: _pick(s, "қайын іні", "қайын сіңлі", "қайын"),
                }.get(older, "қайын")
            return {
                "en": _pick(s, "brother-in-law", "sister-in-law", "sibling-in-law"),
                "ru": ru,
                "kk": kk,
            }
        if (u, d) == (0, 1):
            return {
                "en": _pick(s, "stepson", "stepdaughter", "stepchild"),
                "ru": _pick(s, "пасынок", "падчерица", "пасынок или падчерица"),
                "kk": _pick(s, "өгей ұл", "өгей қыз", "өгей бала"),
            }
        return None
    if second is None and first is not None:  # b is the spouse of a's blood relative x
        u, d = first.u, first.d
        if (u, d) == (1, 0):
            return {
                "en": _pick(s, "stepfather", "stepmother", "step-parent"),
                "ru": _pick(s, "отчим", "мачеха", "отчим или мачеха"),
                "kk": _pick(s, "өгей әке", "өгей шеше", "өгей ата-ана"),
            }
        if (u, d) == (0, 1):
            return {
                "en": _pick(s, "son-in-law", "daughter-in-law", "child-in-law"),
                "ru": _pick(
                    s, "зять", "невестка" if a.sex == FEMALE else "сноха", "зять или сноха"
                ),
                "kk": _pick(s, "күйеу бала", "келін", "күйеу бала немесе келін"),
            }
        if (u, d) == (1, 1):
            older = _older(x, a)
            kk = None
            if x.sex == MALE and s == FEMALE:
                kk = {True: "жеңге", False: "келін"}.get(older)
            elif x.sex == FEMALE and s == MALE:
                kk = {True: "жезде", False: "күйеу бала"}.get(older)
            return {
                "en": _pick(s, "brother-in-law", "sister-in-law", "sibling-in-law"),
                "ru": _pick(s, "зять", "невестка", "зять или невестка"),
                "kk": kk or _chain([blood_names(first), _spouse_names(b)])["kk"],
            }
        # Kazakh calls the wife of any elder kinsman жеңге, of a younger one келін; the husband
        # of an elder kinswoman жезде, of a younger one күйеу бала.
        ascending = u > d or (u == d and _older(x, a))
        descending = u < d or (u == d and _older(x, a) is False)
        if ascending or descending:
            names = _chain([blood_names(first), _spouse_names(b)])
            if x.sex == MALE and s == FEMALE:
                names["kk"] = "жеңге" if ascending else "келін"
            elif x.sex == FEMALE and s == MALE:
                names["kk"] = "жезде" if ascending else "күйеу бала"
            return names
        return None
    if (
        first is not None
        and second is not None
        and (first.u, first.d, second.u, second.d) == (0, 1, 1, 0)
    ):
        return {
            "en": _pick(s, "co-father-in-law", "co-mother-in-law", "co-parent-in-law"),
            "ru": _pick(s, "сват", "сватья", "сват или сватья"),
            "kk": _pick(s, "құда", "құдағи", "құда"),
        }
    return None


def _two_marriages(a: Kin, sa: Kin, mid: Segment, sb: Kin, b: Kin):
    """a —spouse→ sa —blood→ sb —spouse→ b: the spouse of a spouse's sibling."""
    if (mid.u, mid.d) != (1, 1):
        return None
    if a.sex == MALE and sa.sex == FEMALE and sb.sex == FEMALE and b.sex == MALE:
        return {"en": "brother-in-law", "ru": "свояк", "kk": "бажа"}
    if a.sex == FEMALE and sa.sex == MALE and sb.sex == MALE and b.sex == FEMALE:
        return {"en": "sister-in-law", "ru": "невестка", "kk": "абысын"}
    return None


# -- the whole path ----------------------------------------------------------------------------


def _segment(people: list[Kin], edges: list[str]) -> Segment:
    """A blood run: edges after the first are "parent"* then "child"*."""
    ups = sum(1 for e in edges[1:] if e == "parent")
    return Segment(tuple(people[: ups + 1]), tuple(people[ups:]))


def name_path(people: list[Kin], edges: list[str], *, half: bool = False) -> dict[str, str]:
    """The name of the relationship ``people[-1]`` has to ``people[0]``, in en, ru and kk.
    ``edges[i]`` says how ``people[i]`` is reached from ``people[i - 1]`` (``edges[0]`` is
    ignored); ``half`` marks a half-blood apex."""
    if len(people) == 1:
        return {"en": "self", "ru": "сам(а)", "kk": "өзі"}
    # Split into blood runs at each marriage.
    runs: list[tuple[list[Kin], list[str]]] = [([people[0]], [""])]
    for person, edge in zip(people[1:], edges[1:], strict=True):
        if edge == "spouse":
            runs.append(([person], [""]))
        else:
            runs[-1][0].append(person)
            runs[-1][1].append(edge)
    segments = [_segment(p, e) if len(p) > 1 else None for p, e in runs]
    blood_index = [i for i, s in enumerate(segments) if s is not None]
    if half and len(blood_index) == 1:
        seg = segments[blood_index[0]]
        segments[blood_index[0]] = Segment(seg.up, seg.down, True)
    a, b = people[0], people[-1]
    if len(runs) == 1:
        return blood_names(segments[0])
    if len(runs) == 2:
        x, y = runs[0][0][-1], runs[1][0][0]
        if segments[0] is None and segments[1] is None:
            return _spouse_names(b)
        special = _in_law(segments[0], segments[1], a, x, y, b)
        if special is not None:
            return special
    if len(runs) == 3 and segments[0] is None and segments[2] is None and segments[1]:
        special = _two_marriages(a, runs[1][0][0], segments[1], runs[1][0][-1], b)
        if special is not None:
            return special
    units: list[dict[str, str]] = []
    for i, (run_people, _edges) in enumerate(runs):
        if i > 0:
            units.append(_spouse_names(run_people[0]))
        if segments[i] is not None:
            units.append(blood_names(segments[i]))
    return _chain(units)
