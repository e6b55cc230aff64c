"""Synthetic GEDCOM 5.5.1 files for benchmarks: `python bench/generate_gedcom.py --people 100000
--seed 1 --output PATH` writes a UTF-8 file of about 40 MB (about 400 bytes a person, all
included) that looks like a tree from this region, the same bytes for the same seed.

The people live in clans of a few hundred: founder couples born 1780-1870, then generation after
generation (each child 20-40 years younger than both parents), children marrying into other
families of the clan or to in-laws from outside, some of whom bring their own parents. A clan is
Kazakh, Russian, Koryo-saram or Volga German, with in-laws sometimes from another group, names
written as each group wrote them in its time (Kazakh -ұлы/-қызы before the 1920s, Soviet
-ов/-ова with a Russian-style patronymic after, a Russified second NAME; Russian -ович/-овна),
places named as they were named that year (Верный, Алма-Ата, Алматы), and Koreans and Germans
moved by the 1937 and 1941 deportations.

Clans are written as soon as they are made, so memory stays flat however many people are asked
for (`--people 1000000` writes about 400 MB). Output goes through one large buffer.

The file also carries what an importer must cope with: dates in many forms (ABT, BEF, AFT,
BET … AND, EST, CAL, `@#DJULIAN@` before 1918, a few as `12.03.1890` or `Abt 1890`), several
NAMEs with GIVN, SURN and `_MARNM`, adopted children (`PEDI adopted`), RESI, CENS and `EVEN` with
`TYPE Deportation`, archival SOUR and REPO records cited with `PAGE л. 45 об.`, NOTE records and
inline notes long enough to need CONC and CONT, `_UID` custom tags and OBJE links.
"""

from __future__ import annotations

import argparse
import functools
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

# The year the synthetic tree "was exported": people born after it are not made, and nobody
# dies after it.
PRESENT = 2024
PEOPLE_PER_CLAN = 300
MAX_LINE = 240  # 5.5.1 allows 255 characters a line; text longer than this goes into CONC

# --- names -----------------------------------------------------------------------------------


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


KAZAKH_MEN = words(
    "Әлихан Нұрсұлтан Қасым Ерлан Серік Болат Жақсылық Мұхтар Ахмет Абай Шоқан Сәкен Ілияс "
    "Бауыржан Дәулет Нұрлан Асқар Ғабит Мағжан Төлеген Жомарт Талғат Қанат Ербол Айдос Бекзат "
    "Дастан Темірлан Әбіш Омар Сұлтанбек Құрманғазы Жамбыл Ыбырай Шәкәрім Тұрар Ораз Райымбек "
    "Шаһмардан Арман Ержан Мирас Нұржан Бақыт Әділ Ғалым Мұрат Санжар Мыңбай Теңізбай"
)
KAZAKH_WOMEN = words(
    "Айгүл Әйгерім Гүлнар Сәуле Жанар Меруерт Динара Ақмарал Балжан Бибігүл Күләш Мәншүк Әлия "
    "Дариға Ләззат Гүлжан Назгүл Салтанат Ұлжан Зере Айша Мақпал Шолпан Жұлдыз Раушан Қарлығаш "
    "Ботагөз Әсем Аружан Інжу Маржан Зуһра Таңсұлу"
)
KAZAKH_SURNAMES = words(
    "Қасымов Сейфуллин Бөкейханов Әуезов Сәтбаев Құнанбаев Жұмабаев Байтұрсынов Нұрпейісов "
    "Тоқтаров Мұқанов Жансүгіров Әлімжанов Ыбыраев Дулатов Майлин Өтепов Ғабдуллин Оспанов "
    "Рысқұлов Иманов Тәтімов Шәкенов Бекмұханбетов"
)
# Russian patronymics of the Russian (and Russified) given names: (his, hers).
RUSSIAN_MEN = {
    "Иван": ("Иванович", "Ивановна"),
    "Пётр": ("Петрович", "Петровна"),
    "Николай": ("Николаевич", "Николаевна"),
    "Алексей": ("Алексеевич", "Алексеевна"),
    "Сергей": ("Сергеевич", "Сергеевна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Василий": ("Васильевич", "Васильевна"),
    "Фёдор": ("Фёдорович", "Фёдоровна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Андрей": ("Андреевич", "Андреевна"),
    "Александр": ("Александрович", "Александровна"),
    "Владимир": ("Владимирович", "Владимировна"),
    "Павел": ("Павлович", "Павловна"),
    "Григорий": ("Григорьевич", "Григорьевна"),
    "Степан": ("Степанович", "Степановна"),
    "Яков": ("Яковлевич", "Яковлевна"),
    "Виктор": ("Викторович", "Викторовна"),
    "Юрий": ("Юрьевич", "Юрьевна"),
    "Евгений": ("Евгеньевич", "Евгеньевна"),
    "Анатолий": ("Анатольевич", "Анатольевна"),
    "Олег": ("Олегович", "Олеговна"),
    "Борис": ("Борисович", "Борисовна"),
}
RUSSIAN_WOMEN = words(
    "Мария Анна Екатерина Ольга Татьяна Наталья Елена Ирина Светлана Людмила Галина Валентина "
    "Нина Зинаида Клавдия Антонина Евдокия Прасковья Надежда Любовь Вера Александра"
)
RUSSIAN_SURNAMES = words(
    "Иванов Петров Смирнов Кузнецов Попов Васильев Соколов Михайлов Новиков Фёдоров Морозов "
    "Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев "
    "Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Покровский Вознесенский"
)
KOREAN_OLD_MEN = ("Сен Хак", "Ман Сик", "Ен Гир", "Чан Ир", "Хак Сен", "Ден Хи", "Бон Чер")
KOREAN_OLD_WOMEN = ("Сун Ок", "Ен Сук", "Ок Сун", "Мен Ок", "Сун Хи", "Ен Хи")
KOREAN_SURNAMES = words("Ким Пак Цой Тен Хван Ли Шин Хан Югай Огай Когай Нам")
GERMAN_MEN = {
    "Иоганн": ("Иоганнович", "Иоганновна"),
    "Генрих": ("Генрихович", "Генриховна"),
    "Фридрих": ("Фридрихович", "Фридриховна"),
    "Якоб": ("Якобович", "Якобовна"),
    "Петер": ("Петерович", "Петеровна"),
    "Андреас": ("Андреевич", "Андреевна"),
    "Вальдемар": ("Вальдемарович", "Вальдемаровна"),
    "Эдуард": ("Эдуардович", "Эдуардовна"),
}
GERMAN_WOMEN = words("Мария Анна Екатерина Эмма Лидия Амалия Элизабет Ирма Эльвира Фрида")
GERMAN_SURNAMES = words(
    "Шмидт Мюллер Шнайдер Фишер Вебер Майер Вагнер Беккер Шульц Гофман Кох Рихтер Кляйн Вольф "
    "Шрёдер Нейман Циммерман Браун Гартман Ланге"
)

# Kazakh letters written as Russian ones in Soviet documents.
RUSSIFY = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")

# --- places ------------------------------------------------------------------------------------

# Country or republic by the year it applies from.
KAZAKHSTAN = ((0, "Российская империя"), (1920, "Казакская АССР"), (1936, "Казахская ССР"),
              (1991, "Казахстан"))  # fmt: skip
RUSSIA = ((0, "Российская империя"), (1922, "РСФСР"), (1991, "Россия"))
UKRAINE = ((0, "Российская империя"), (1922, "Украинская ССР"), (1991, "Украина"))


# How a clan's files write places: "Верный, Семиреченская область, Российская империя",
# "Алма-Ата, Казахская ССР" or "Акмолинск".
FULL, SHORT, TOWN_ONLY = 0, 1, 2


@dataclass(frozen=True, eq=False)
class Settlement:
    """A town with its names and its province's names over time (each from a year).

    Compared by identity, so that it hashes fast as a key of the place cache.
    """

    names: tuple[tuple[int, str], ...]
    regions: tuple[tuple[int, str], ...]
    countries: tuple[tuple[int, str], ...] = KAZAKHSTAN

    # Places repeat a lot; a bounded cache keeps formatting them off the hot path.
    @functools.lru_cache(maxsize=1 << 16)  # noqa: B019 - settlements live as long as the module
    def place(self, year: int, style: int, village: int = 0) -> str:
        """The place as written in `year`: a numbered aul of the province, or the town in one
        of the three ways files write it (FULL, SHORT or TOWN_ONLY)."""
        country = _as_of(self.countries, year)
        if village:
            parts = (f"аул № {village}", _as_of(self.regions, year), country)
        elif style == FULL:
            parts = (_as_of(self.names, year), _as_of(self.regions, year), country)
        elif style == SHORT:
            parts = (_as_of(self.names, year), country)
        else:
            return _as_of(self.names, year)
        return ", ".join(part for part in parts if part)


def _as_of(history: Sequence[tuple[int, str]], year: int) -> str:
    current = history[0][1]
    for since, name in history:
        if year >= since:
            current = name
    return current


def _town(names: str, regions: str, countries=KAZAKHSTAN) -> Settlement:
    """`"Верный|1921 Алма-Ата|1993 Алматы"`: a name, then `year name` for each renaming."""

    def history(text: str) -> tuple[tuple[int, str], ...]:
        entries = []
        for item in text.split("|"):
            year, _, name = item.partition(" ") if item[:1].isdigit() else ("0", "", item)
            entries.append((int(year), name))
        return tuple(entries)

    return Settlement(history(names), history(regions), countries)


KAZAKH_TOWNS = (
    _town("Верный|1921 Алма-Ата|1993 Алматы",
          "Семиреченская область|1928 Алма-Атинский округ|1932 Алма-Атинская область|1997 "),
    _town("Акмолинск|1961 Целиноград|1992 Акмола|1998 Астана|2019 Нур-Султан|2022 Астана",
          "Акмолинская область|1932 Карагандинская область|1939 Акмолинская область"
          "|1961 Целиноградская область|1992 Акмолинская область|1997 "),
    _town("Семипалатинск|2007 Семей", "Семипалатинская область|2022 Абайская область"),
    _town("Гурьев|1991 Атырау",
          "Уральская область|1938 Гурьевская область|1992 Атырауская область"),
    _town("Аулие-Ата|1936 Мирзоян|1938 Джамбул|1997 Тараз",
          "Сырдарьинская область|1932 Южно-Казахстанская область|1939 Джамбулская область"
          "|1993 Жамбылская область"),
    _town("Перовск|1925 Кзыл-Орда|1997 Кызылорда",
          "Сырдарьинская область|1938 Кзыл-Ординская область|1997 Кызылординская область"),
    _town("Усть-Каменогорск", "Семипалатинская область|1932 Восточно-Казахстанская область"),
    _town("Петропавловск", "Акмолинская область|1936 Северо-Казахстанская область"),
    _town("Кустанай|1997 Костанай", "Тургайская область|1936 Кустанайская область"
          "|1997 Костанайская область"),
    _town("Павлодар", "Семипалатинская область|1938 Павлодарская область"),
    _town("Уральск", "Уральская область|1932 Западно-Казахстанская область"),
    _town("Чимкент|1993 Шымкент", "Сырдарьинская область|1932 Южно-Казахстанская область"),
    _town("Караганда", "Акмолинская область|1932 Карагандинская область"),
    _town("Копал|1921 Талды-Курган|1993 Талдыкорган",
          "Семиреченская область|1944 Талды-Курганская область|1997 Алматинская область"),
    _town("Уштобе", "Семиреченская область|1944 Талды-Курганская область|1997 Алматинская область"),
    _town("Каркаралинск|1992 Каркаралы", "Семипалатинская область|1932 Карагандинская область"),
    _town("Атбасар", "Акмолинская область|1961 Целиноградская область|1992 Акмолинская область"),
    _town("Тургай", "Тургайская область|1970 Тургайская область|1997 Костанайская область"),
)  # fmt: skip
# Where the families of each group came from before they were in Kazakhstan.
RUSSIAN_ORIGINS = (
    _town("Саратов", "Саратовская губерния|1928 Саратовская область", RUSSIA),
    _town("Самара|1935 Куйбышев|1991 Самара", "Самарская губерния|1936 Куйбышевская область"
          "|1991 Самарская область", RUSSIA),
    _town("Тамбов", "Тамбовская губерния|1937 Тамбовская область", RUSSIA),
    _town("Омск", "Акмолинская область|1934 Омская область", RUSSIA),
    _town("Полтава", "Полтавская губерния|1937 Полтавская область", UKRAINE),
)  # fmt: skip
GERMAN_ORIGINS = (
    _town("Екатериненштадт|1915 Марксштадт|1942 Маркс",
          "Самарская губерния|1924 АССР Немцев Поволжья|1941 Саратовская область", RUSSIA),
    _town("Бальцер|1942 Красноармейск",
          "Саратовская губерния|1924 АССР Немцев Поволжья|1941 Саратовская область", RUSSIA),
    _town("Покровск|1931 Энгельс",
          "Самарская губерния|1924 АССР Немцев Поволжья|1941 Саратовская область", RUSSIA),
)  # fmt: skip
KOREAN_ORIGINS = (
    _town("Посьет", "Приморская область|1926 Дальневосточный край|1938 Приморский край", RUSSIA),
    _town("Владивосток", "Приморская область|1926 Дальневосточный край|1938 Приморский край",
          RUSSIA),
)  # fmt: skip


@dataclass(frozen=True)
class Group:
    """An ethnic group: its names, where it came from, and when it came to Kazakhstan."""

    name: str
    men: Sequence[str]
    women: Sequence[str]
    surnames: Sequence[str]
    origins: Sequence[Settlement]
    deportation: int | None = None  # the year the whole group was deported to Kazakhstan


KAZAKH = Group("kk", KAZAKH_MEN, KAZAKH_WOMEN, KAZAKH_SURNAMES, KAZAKH_TOWNS)
RUSSIAN = Group("ru", list(RUSSIAN_MEN), RUSSIAN_WOMEN, RUSSIAN_SURNAMES, RUSSIAN_ORIGINS)
KOREAN = Group("ko", list(RUSSIAN_MEN), RUSSIAN_WOMEN, KOREAN_SURNAMES, KOREAN_ORIGINS, 1937)
GERMAN = Group("de", list(GERMAN_MEN), GERMAN_WOMEN, GERMAN_SURNAMES, GERMAN_ORIGINS, 1941)
# Clans by group, as cumulative weights for one random draw.
GROUPS = ((0.55, KAZAKH), (0.80, RUSSIAN), (0.90, KOREAN), (1.0, GERMAN))

# --- sources -----------------------------------------------------------------------------------

REPOSITORIES = (
    ("Центральный государственный архив Республики Казахстан", "Алматы"),
    ("Государственный архив Алматинской области", "Алматы"),
    ("Государственный архив Акмолинской области", "Кокшетау"),
    ("Государственный архив Карагандинской области", "Караганда"),
    ("Государственный архив области Абай", "Семей"),
    ("Архив Президента Республики Казахстан", "Алматы"),
    ("Государственный архив Саратовской области", "Саратов"),
    ("Государственный архив Российской Федерации", "Москва"),
)
ARCHIVE_CODES = ("ЦГА РК", "ГААО", "ГААкО", "ГАКО", "ГАОА", "АП РК", "ГАСО", "ГАРФ")
SOURCE_TITLES = (
    "Метрическая книга {church} за {year} г.",
    "Посемейный список аула № {aul} {volost} волости, {year} г.",
    "Первая всеобщая перепись населения Российской империи 1897 г., {volost} волость",
    "Похозяйственная книга аульного совета № {aul}, {year}–{end} гг.",
    "Учётное дело спецпоселенца, {year} г.",
    "Книга записей актов гражданского состояния о рождении, {year} г.",
    "Всесоюзная перепись населения 1926 г., бланки по аулу № {aul}",
)
CHURCHES = ("Вознесенского собора г. Верного", "Никольской церкви г. Акмолинска",
            "Воскресенского собора г. Семипалатинска", "Покровской церкви ст. Каскеленской",
            "лютеранского прихода Марксштадта")  # fmt: skip
VOLOSTS = ("Каркаралинской", "Абралинской", "Кзыл-Тауской", "Баянаульской", "Аягузской")

NOTE_SENTENCES = (
    "Сведения записаны со слов внучки в 1987 году.",
    "В метрической книге фамилия записана с ошибкой, исправлено по посемейному списку.",
    "Семья откочевала в Китай в 1930 году и вернулась в 1934 году.",
    "Был призван в трудармию, работал на строительстве в Караганде.",
    "Выселены из Приморья эшелоном в сентябре 1937 года, прибыли на станцию Уштобе.",
    "Выселены из АССР Немцев Поволжья в сентябре 1941 года по указу от 28 августа.",
    "Реабилитирован посмертно в 1989 году.",
    "Шежіре рода записано по рассказам аксакалов, родословная восходит к седьмому колену.",
    "Дата рождения по паспорту отличается от даты в метрике на два года.",
    "Участник Великой Отечественной войны, награждён медалью «За отвагу».",
)

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
CENSUS_YEARS = (1897, 1926, 1939, 1959, 1970, 1979, 1989, 1999, 2009)

# --- the tree ----------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class Person:
    """Someone in the file, with what their INDI record needs."""

    number: int
    male: bool
    group: Group
    birth_year: int
    death_year: int | None
    given: str = ""
    patronymic: str = ""
    surname: str = ""
    married_surname: str = ""
    famc: int | None = None
    adopted: bool = False
    fams: list[int] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Family:
    """A couple and their children: one FAM record."""

    number: int
    husband: Person
    wife: Person
    children: list[Person] = field(default_factory=list)


@dataclass
class Counts:
    """What a run wrote."""

    individuals: int = 0
    families: int = 0
    sources: int = 0
    repositories: int = 0
    notes: int = 0
    media: int = 0
    bytes: int = 0


class Generator:
    """Writes one file: `run()` streams the header, then clan after clan, then the trailer."""

    def __init__(
        self,
        people: int,
        seed: int,
        out: BinaryIO,
        *,
        present: int = PRESENT,
        all_deceased: bool = False,
        romanized: float = 0.0,
    ) -> None:
        self.people = people
        self.present = present
        self.all_deceased = all_deceased
        self.romanized = romanized
        self.rng = random.Random(seed)
        # random() and int() arithmetic are several times faster than choice() and randint().
        self.random = self.rng.random
        self.out = out
        self.counts = Counts()
        self.source_count = max(20, people // 100)
        self.lines: list[str] = []

    def pick(self, items: Sequence):
        return items[int(self.random() * len(items))]

    def pick_group(self) -> Group:
        draw = self.random()
        return next(group for weight, group in GROUPS if draw < weight)

    def between(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def chance(self, probability: float) -> bool:
        return self.random() < probability

    def run(self) -> Counts:
        self.write_header()
        while self.counts.individuals < self.people:
            clan = Clan(self, min(PEOPLE_PER_CLAN, self.people - self.counts.individuals))
            clan.grow()
            self.write_clan(clan)
        self.lines.append("0 TRLR")
        self.flush()
        return self.counts

    def flush(self) -> None:
        data = ("\n".join(self.lines) + "\n").encode()
        self.lines.clear()
        self.out.write(data)
        self.counts.bytes += len(data)

    # writing

    def write_header(self) -> None:
        add = self.lines.append
        self.lines += [
            "0 HEAD",
            "1 SOUR TAMYR_BENCH",
            "2 VERS 1.0",
            "2 NAME Tamyr synthetic GEDCOM generator",
            "1 DEST ANY",
            "1 DATE 1 JAN 2025",
            "1 SUBM @U1@",
            "1 GEDC",
            "2 VERS 5.5.1",
            "2 FORM LINEAGE-LINKED",
            "1 CHAR UTF-8",
            "1 LANG Russian",
            "0 @U1@ SUBM",
            "1 NAME Тамыр, отдел краеведения",
        ]
        for number, (name, city) in enumerate(REPOSITORIES, 1):
            add(f"0 @R{number}@ REPO")
            add(f"1 NAME {name}")
            add("1 ADDR")
            add(f"2 CITY {city}")
        for number in range(1, self.source_count + 1):
            repository = self.between(1, len(REPOSITORIES))
            year = self.between(1860, 1960)
            title = self.pick(SOURCE_TITLES).format(
                church=self.pick(CHURCHES), year=year, end=year + 3,
                aul=self.between(1, 12), volost=self.pick(VOLOSTS),
            )  # fmt: skip
            fond, inventory, file = self.between(1, 1500), self.between(1, 12), self.between(1, 900)
            add(f"0 @S{number}@ SOUR")
            add(f"1 TITL {title}")
            add(f"1 PUBL {ARCHIVE_CODES[repository - 1]}, ф. {fond}, оп. {inventory}, д. {file}")
            add(f"1 REPO @R{repository}@")
            add(f"2 CALN ф. {fond}, оп. {inventory}, д. {file}")
        self.counts.repositories = len(REPOSITORIES)
        self.counts.sources = self.source_count
        self.flush()

    def write_clan(self, clan: Clan) -> None:
        for person in clan.people:
            self.write_person(person, clan)
        for family in clan.families:
            self.write_family(family, clan)
        for number, text in clan.notes:
            self.write_note(0, text, record=f"@N{number}@")
        for number, title in clan.media:
            self.lines += [
                f"0 @O{number}@ OBJE",
                f"1 FILE photos/{number:07d}.jpg",
                "2 FORM jpg",
                "3 TYPE photo",
                f"2 TITL {title}",
            ]
        self.flush()

    def write_person(self, person: Person, clan: Clan) -> None:
        add = self.lines.append
        random = self.random
        given = f"{person.given} {person.patronymic}" if person.patronymic else person.given
        add(f"0 @I{person.number}@ INDI")
        add(f"1 NAME {given} /{person.surname}/")
        if random() < 0.2:
            add(f"2 GIVN {given}")
            add(f"2 SURN {person.surname}")
        if person.married_surname:
            add(f"2 _MARNM {person.married_surname}")
        if self.romanized and random() < self.romanized:
            add(f"2 ROMN {_latin(given)} /{_latin(person.surname)}/")
            add("3 TYPE passport")
        if person.group is KAZAKH and 1900 <= person.birth_year < 1991 and random() < 0.25:
            add(f"1 NAME {russified(person)}")
            add("2 TYPE aka")
        add("1 SEX M" if person.male else "1 SEX F")
        add(f"1 _UID {self.rng.getrandbits(128):032X}")
        birth, death = person.birth_year, person.death_year
        self.write_event("BIRT", birth, clan.place(person, birth) if random() < 0.9 else "", 0.2)
        if death is not None:
            place = clan.place(person, death) if random() < 0.5 else ""
            self.write_event("DEAT", death, place, 0.15)
            if random() < 0.12:
                add("1 BURI")
                add(f"2 PLAC {clan.place(person, death)}")
        if random() < 0.05:
            start = birth + self.between(18, 40)
            if start < self.present:
                add("1 RESI")
                add(f"2 DATE FROM {start} TO {min(self.present, start + self.between(2, 20))}")
                add(f"2 PLAC {clan.place(person, start)}")
        if random() < 0.15:
            census = self.pick(CENSUS_YEARS)
            if birth < census and (death is None or death > census):
                add("1 CENS")
                add(f"2 DATE {census}")
                add(f"2 PLAC {clan.place(person, census)}")
                self.write_citation(2)
        deported = person.group.deportation
        if deported and birth < deported and (death is None or death > deported):
            add("1 EVEN")
            add("2 TYPE Deportation")
            add(f"2 DATE BET SEP {deported} AND DEC {deported}")
            add(f"2 PLAC {clan.at(clan.home, deported)}")
            if random() < 0.5:
                add(f"2 NOTE Выселены из: {clan.origin(person.group).place(deported, FULL)}")
        if random() < 0.02:
            self.write_note(1, self.note_text())
        if random() < 0.02:
            self.counts.notes += 1
            clan.notes.append((self.counts.notes, self.note_text()))
            add(f"1 NOTE @N{self.counts.notes}@")
        if random() < 0.03:
            self.counts.media += 1
            clan.media.append((self.counts.media, f"{person.surname} {person.given}, {birth + 20}"))
            add(f"1 OBJE @O{self.counts.media}@")
        if person.famc is not None:
            add(f"1 FAMC @F{person.famc}@")
            if person.adopted:
                add("2 PEDI adopted")
        for family in person.fams:
            add(f"1 FAMS @F{family}@")

    def write_family(self, family: Family, clan: Clan) -> None:
        add = self.lines.append
        add(f"0 @F{family.number}@ FAM")
        add(f"1 HUSB @I{family.husband.number}@")
        add(f"1 WIFE @I{family.wife.number}@")
        for child in family.children:
            add(f"1 CHIL @I{child.number}@")
        year = max(family.husband.birth_year, family.wife.birth_year) + self.between(18, 24)
        if family.children:
            year = min(year, min(child.birth_year for child in family.children) - 1)
        if year <= self.present:
            place = clan.place(family.husband, year) if self.random() < 0.8 else ""
            self.write_event("MARR", year, place, 0.2)

    def write_event(self, tag: str, year: int, place: str, cited: float) -> None:
        """An event with a date, its place if known, and a citation as often as `cited`."""
        add = self.lines.append
        add(f"1 {tag}")
        add(f"2 DATE {self.date(year)}")
        if place:
            add(f"2 PLAC {place}")
        if self.chance(cited):
            self.write_citation(2)

    def write_citation(self, level: int) -> None:
        sheet = self.between(1, 300)
        page = f"л. {sheet} об." if self.chance(0.4) else f"л. {sheet}"
        self.lines.append(f"{level} SOUR @S{self.between(1, self.source_count)}@")
        self.lines.append(f"{level + 1} PAGE {page}")

    def write_note(self, level: int, text: str, record: str = "") -> None:
        """A NOTE whose paragraphs go into CONT lines and long lines into CONC lines."""
        tag = f"{record} NOTE" if record else "NOTE"
        for index, paragraph in enumerate(text.split("\n")):
            chunks = split_for_conc(paragraph)
            head = f"{level} {tag} " if index == 0 else f"{level + 1} CONT "
            self.lines.append(head + chunks[0])
            self.lines += [f"{level + 1} CONC {chunk}" for chunk in chunks[1:]]

    def note_text(self) -> str:
        paragraphs = []
        for _ in range(self.between(1, 2)):
            paragraphs.append(
                " ".join(self.pick(NOTE_SENTENCES) for _ in range(self.between(3, 6)))
            )
        return "\n".join(paragraphs)

    def date(self, year: int) -> str:
        """A date in one of the forms found in real files, mostly exact."""
        draw = self.random()
        if draw < 0.58:
            text = f"{self.between(1, 28)} {self.pick(MONTHS)} {year}"
            # Metric books before the 1918 calendar reform counted in the Julian calendar.
            return f"@#DJULIAN@ {text}" if year < 1918 and self.chance(0.35) else text
        if draw < 0.64:
            return f"{self.pick(MONTHS)} {year}"
        if draw < 0.74:
            return str(year)
        if draw < 0.85:
            return f"ABT {year}"
        if draw < 0.88:
            return f"BEF {year + 1}"
        if draw < 0.91:
            return f"AFT {year - 1}"
        if draw < 0.95:
            return f"BET {year - self.between(1, 3)} AND {year + self.between(1, 3)}"
        if draw < 0.97:
            return f"EST {year}" if draw < 0.96 else f"CAL {year}"
        if draw < 0.99:
            return f"{self.between(1, 28):02d}.{self.between(1, 12):02d}.{year}"
        return f"Abt {year}"


class Clan:
    """A few hundred related people: founders, their descendants and the in-laws who married in.

    Nothing links one clan to another, so each is written and forgotten before the next.
    """

    def __init__(self, generator: Generator, capacity: int) -> None:
        self.generator = generator
        self.capacity = capacity
        self.group = generator.pick_group()
        self.home = generator.pick(KAZAKH_TOWNS)
        self.arrival = generator.between(1880, 1960)  # when Russian settlers came
        draw = generator.random()
        self.place_style = FULL if draw < 0.3 else SHORT if draw < 0.7 else TOWN_ONLY
        self.origins: dict[str, Settlement] = {}
        self.people: list[Person] = []
        self.families: list[Family] = []
        self.notes: list[tuple[int, str]] = []
        self.media: list[tuple[int, str]] = []

    @property
    def full(self) -> bool:
        return len(self.people) >= self.capacity

    def grow(self) -> None:
        g = self.generator
        couples = []
        founders_year = g.between(1780, 1870)
        for _ in range(min(3, self.capacity // 2)):
            husband = self.founder(True, founders_year + g.between(-5, 5), self.group)
            wife = self.founder(False, husband.birth_year + g.between(0, 8), self.group)
            couples.append(self.marry(husband, wife))
        if not couples:
            self.founder(g.chance(0.5), founders_year, self.group)
        while couples and not self.full:
            children = [(child, family) for family in couples for child in self.children(family)]
            couples = self.pair(children)

    def pair(self, children: list[tuple[Person, Family]]) -> list[Family]:
        """Marry the generation's children: into another family of the clan when someone of
        about the same age is free, otherwise (often) to an in-law from outside."""
        g = self.generator
        men = [(c, f) for c, f in children if c.male and adult(c, g.present)]
        women = [(c, f) for c, f in children if not c.male and adult(c, g.present)]
        couples = []
        for man, his_family in men:
            if self.full:
                return couples
            wife = None
            for index, (woman, her_family) in enumerate(women):
                if her_family is not his_family and abs(woman.birth_year - man.birth_year) < 9:
                    wife = women.pop(index)[0]
                    break
            if wife is None and g.chance(0.75):
                wife = self.in_law(False, man)
            if wife is not None:
                couples.append(self.marry(man, wife))
        for woman, _ in women:
            if self.full:
                break
            if g.chance(0.6):
                couples.append(self.marry(self.in_law(True, woman), woman))
        return couples

    def person(
        self, male: bool, birth_year: int, group: Group, *, grows_up: bool = False
    ) -> Person:
        g = self.generator
        g.counts.individuals += 1
        age = g.between(0, 15) if not grows_up and g.chance(0.08) else g.between(40, 96)
        death = birth_year + age if birth_year + age <= g.present else None
        if death is None and g.all_deceased:
            # Demo trees show only the dead: whoever outlives the file's date dies by 2023.
            death = max(birth_year + 1, min(birth_year + age, PRESENT - g.between(1, 10)))
        person = Person(g.counts.individuals, male, group, birth_year, death)
        self.people.append(person)
        return person

    def founder(self, male: bool, birth_year: int, group: Group) -> Person:
        """Someone whose parents are not in the file; founders and in-laws all grow up."""
        g = self.generator
        person = self.person(male, birth_year, group, grows_up=True)
        name(person, self.given(person), g.pick(group.men), g.pick(group.surnames))
        return person

    def marry(self, husband: Person, wife: Person) -> Family:
        g = self.generator
        g.counts.families += 1
        family = Family(g.counts.families, husband, wife)
        husband.fams.append(family.number)
        wife.fams.append(family.number)
        # From Soviet times on, most wives took the husband's surname.
        if wife.birth_year > 1905 and wife.surname != husband.surname and g.chance(0.5):
            wife.married_surname = feminine(husband.surname)
        self.families.append(family)
        return family

    def children(self, family: Family) -> list[Person]:
        g = self.generator
        husband, wife = family.husband, family.wife
        # Large families for parents born before 1940, two or three children after.
        large = max(husband.birth_year, wife.birth_year) < 1940
        count = g.between(1, 8) if large else g.between(0, 3)
        born = []
        for _ in range(count):
            year = self.birth_year_of_child(family)
            if self.full or year > g.present or (wife.death_year or g.present) < year:
                continue
            if husband.death_year is not None and husband.death_year + 1 < year:
                continue
            child = self.person(g.chance(0.5), year, husband.group)
            self.child_of(child, family)
            child.adopted = g.chance(0.02)
            born.append(child)
        return born

    def birth_year_of_child(self, family: Family) -> int:
        """A year 20 to 40 years after both parents were born."""
        parents = (family.husband.birth_year, family.wife.birth_year)
        earliest = max(parents) + 20
        return self.generator.between(earliest, max(earliest, min(parents) + 40))

    def child_of(self, child: Person, family: Family) -> None:
        child.famc = family.number
        family.children.append(child)
        father = family.husband
        # Since 1991 some Kazakh families write the -ұлы/-қызы form as the surname again.
        restored = child.birth_year > 1995 and self.generator.chance(0.3)
        name(child, self.given(child), father.given, father.surname, restored=restored)

    def in_law(self, male: bool, spouse: Person) -> Person:
        """A spouse from outside the clan, sometimes with parents and a sibling in the file."""
        g = self.generator
        group = spouse.group if g.chance(0.75) else g.pick_group()
        older = g.between(-2, 8)  # husbands are mostly a few years older than their wives
        year = min(spouse.birth_year - older if male else spouse.birth_year + older, g.present - 18)
        if len(self.people) + 4 > self.capacity or g.chance(0.5):
            return self.founder(male, year, group)
        father = self.founder(True, year - g.between(26, 38), group)
        mother = self.founder(False, father.birth_year + g.between(0, 5), group)
        parents = self.marry(father, mother)
        partner = self.person(male, year, group, grows_up=True)
        self.child_of(partner, parents)
        if g.chance(0.5):
            sibling = self.person(g.chance(0.5), self.birth_year_of_child(parents), group)
            self.child_of(sibling, parents)
        return partner

    def given(self, person: Person) -> str:
        g = self.generator
        group = person.group
        if group is KOREAN and person.birth_year < 1925:
            return g.pick(KOREAN_OLD_MEN if person.male else KOREAN_OLD_WOMEN)
        if group is GERMAN and person.birth_year > 1950 and g.chance(0.5):
            group = RUSSIAN  # the generation born in exile often had Russian names
        return g.pick(group.men if person.male else group.women)

    def origin(self, group: Group) -> Settlement:
        """Where a group's families of this clan lived before Kazakhstan."""
        if group.name not in self.origins:
            self.origins[group.name] = self.generator.pick(group.origins)
        return self.origins[group.name]

    def place(self, person: Person, year: int) -> str:
        """Where a person of the clan was in `year`: the group's old home before it came to
        Kazakhstan, then the clan's town or, for Kazakhs, one of its auls."""
        group = person.group
        arrival = group.deportation or self.arrival
        if group is not KAZAKH and year < arrival:
            return self.at(self.origin(group), year)
        g = self.generator
        village = g.between(1, 12) if group is KAZAKH and g.chance(0.2) else 0
        return self.home.place(year, self.place_style, village)

    def at(self, settlement: Settlement, year: int) -> str:
        return settlement.place(year, self.place_style)


def adult(person: Person, present: int) -> bool:
    """Lived past 18 and is not too young to be married by the file's date."""
    died = person.death_year
    return (died is None or died - person.birth_year > 18) and person.birth_year + 18 <= present


def name(
    person: Person, given: str, father: str, family_surname: str, *, restored: bool = False
) -> None:
    """Name a person as their group wrote names in their time."""
    person.given = given
    male = person.male
    if person.group is KAZAKH:
        # Before Soviet registration a Kazakh was "son/daughter of"; after, the father's
        # name (or an inherited surname) took a Russian ending and the patronymic stayed.
        of_father = father + ("ұлы" if male else "қызы")
        if person.birth_year < 1925 or restored:
            person.surname = of_father
        else:
            person.surname = feminine(soviet_surname(family_surname, father), male)
            person.patronymic = of_father
        return
    person.surname = feminine(family_surname, male)
    patronymics = GERMAN_MEN.get(father) or RUSSIAN_MEN.get(father)
    # Koreans born in the Russian Far East before the 1920s had Korean names, no patronymic.
    if patronymics and not (person.group is KOREAN and person.birth_year < 1925):
        person.patronymic = patronymics[0] if male else patronymics[1]


def soviet_surname(family_surname: str, father: str) -> str:
    """A Kazakh surname with a Russian ending: kept if the family has one, else the father's."""
    base = family_surname
    for ending in ("ова", "ева", "ина"):
        if base.endswith(ending):
            base = base[:-1]
    if base.endswith(("ов", "ев", "ин")):
        return base
    return father[:-1] + "ев" if father.endswith("й") else father + "ов"


def feminine(surname: str, male: bool = False) -> str:
    """The woman's form of a surname that has one (Иванов → Иванова, Покровский → Покровская)."""
    if male:
        return surname
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    return surname


def russified(person: Person) -> str:
    """The Russian form of a Kazakh name, as Soviet passports wrote it."""
    given = person.given.translate(RUSSIFY)
    patronymic = ""
    if person.patronymic:
        root = person.patronymic.removesuffix("ұлы").removesuffix("қызы").translate(RUSSIFY)
        if root.endswith("й"):
            root = root[:-1] + "ев"
        elif root.endswith(("ж", "ш", "щ", "ч", "ц")):
            root += "ев"
        else:
            root += "ов"
        patronymic = " " + root + ("ич" if person.male else "на")
    return f"{given}{patronymic} /{person.surname.translate(RUSSIFY)}/"


def split_for_conc(text: str) -> list[str]:
    """Cut text into pieces of at most MAX_LINE characters, never next to a space: a space at
    either end of a CONC line is lost by many readers."""
    chunks = []
    while len(text) > MAX_LINE:
        cut = MAX_LINE
        while cut > 1 and (text[cut - 1] == " " or text[cut] == " "):
            cut -= 1
        chunks.append(text[:cut])
        text = text[cut:]
    chunks.append(text)
    return chunks


def _latin(text: str) -> str:
    """A passport-style Latin spelling (the search's folding, capitalised word by word)."""
    from genealogy.names import search_key

    return " ".join(word.capitalize() for word in search_key(text).split())


def generate(
    people: int,
    seed: int,
    out: BinaryIO,
    *,
    present: int = PRESENT,
    all_deceased: bool = False,
    romanized: float = 0.0,
) -> Counts:
    """Write a file of `people` individuals to a binary stream; the same seed, the same bytes.

    `present` is the year the tree "was exported" (nobody is born after it); with
    `all_deceased` everyone has died, as in the demo tree the site shows to anyone;
    `romanized` is the share of names that get a Latin (ROMN) form, for the search benchmark.
    """
    return Generator(
        people, seed, out, present=present, all_deceased=all_deceased, romanized=romanized
    ).run()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000, help="individuals to write")
    parser.add_argument("--seed", type=int, default=1, help="the same seed writes the same file")
    parser.add_argument("--output", type=Path, required=True, help="the .ged file to write")
    parser.add_argument("--present", type=int, default=PRESENT, help="nobody is born after it")
    parser.add_argument("--all-deceased", action="store_true", help="everyone has died")
    parser.add_argument(
        "--romanized", type=float, default=0.0, help="share of names with a Latin ROMN form"
    )
    args = parser.parse_args(argv)
    if args.people < 1:
        parser.error("--people must be at least 1")
    started = time.perf_counter()
    with args.output.open("wb", buffering=1 << 20) as out:
        counts = generate(
            args.people,
            args.seed,
            out,
            present=args.present,
            all_deceased=args.all_deceased,
            romanized=args.romanized,
        )
    seconds = time.perf_counter() - started
    megabytes = counts.bytes / 1e6
    print(
        f"{args.output}: {counts.individuals} individuals, {counts.families} families, "
        f"{counts.sources} sources, {counts.repositories} repositories, {counts.notes} notes, "
        f"{counts.media} media; {megabytes:.1f} MB ({counts.bytes / counts.individuals:.0f} "
        f"bytes a person) in {seconds:.2f} s, {megabytes / seconds:.1f} MB/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
