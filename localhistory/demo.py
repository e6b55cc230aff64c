"""Demo content for a fresh site: the home page in Kazakh, Russian and English.

Every function here is idempotent, so `make run` can call `load_demo` on every start.
"""

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import HomePage

HOME_CONTENT = {
    "kk": {
        "title": "Тамыр: отбасы және өлке тарихы",
        "slug": "home",
        "intro": "Шежіре, мұрағат құжаттары және өлкетану жинақтары бір жерде. "
        "Ата-бабаңызды, туған жеріңізді және оның тарихын іздеңіз.",
    },
    "ru": {
        "title": "Тамыр: семейная и краеведческая история",
        "slug": "home",
        "intro": "Родословные, архивные документы и краеведческие коллекции в одном месте. "
        "Ищите предков, родные места и их историю.",
    },
    "en": {
        "title": "Tamyr: family and local history",
        "slug": "home",
        "intro": "Family trees, archival records and local-history collections in one place. "
        "Find your ancestors, their places and their stories.",
    },
}


def ensure_locales() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES
    }


@transaction.atomic
def ensure_home_pages() -> HomePage:
    """Make a HomePage the default site's root, with a translation in every language."""
    locales = ensure_locales()
    default_code = settings.LANGUAGE_CODE
    root = Page.get_first_root_node()
    if root is None:
        # Wagtail's migrations create the tree root; a flushed database (transactional tests,
        # `manage.py flush`) no longer has it.
        root = Page.add_root(title="Root", slug="root", locale=locales[default_code])
    home = HomePage.objects.filter(locale=locales[default_code]).first()
    if home is None:
        # Wagtail's placeholder "Welcome" page (a plain Page) is replaced, never a page someone
        # wrote; deleting it also deletes the placeholder site that points at it.
        for placeholder in root.get_children().filter(slug="home"):
            if placeholder.specific_class is Page:
                placeholder.delete()
        content = HOME_CONTENT[default_code]
        home = HomePage(
            title=content["title"],
            slug=content["slug"],
            intro=content["intro"],
            locale=locales[default_code],
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Tamyr"
        )
    for code, content in HOME_CONTENT.items():
        if code == default_code or home.has_translation(locales[code]):
            continue
        translation = home.copy_for_translation(locales[code])
        translation = translation.specific
        translation.title = content["title"]
        translation.intro = content["intro"]
        translation.save_revision().publish()
    return home


def load_demo() -> dict[str, int]:
    """The CMS part of the demo: home pages (the command adds the demo tree)."""
    home = ensure_home_pages()
    return {"home_pages": HomePage.objects.filter(translation_key=home.translation_key).count()}


# -- demo collections, places, communities and an exhibition ------------------------------------

DEMO_TREE = "demo"

SECTIONS = {
    # model name: slug, {language: (title, intro)}
    "CollectionIndexPage": (
        "collections",
        {
            "kk": (
                "Жинақтар",
                "Кітапхананың өлкетану қорлары: фотосуреттер, құжаттар, карталар және естеліктер.",
            ),
            "ru": (
                "Коллекции",
                "Краеведческие фонды библиотеки: фотографии, документы, карты и воспоминания.",
            ),
            "en": (
                "Collections",
                "The library's local-history fonds: photographs, documents, "
                "maps and recorded memories.",
            ),
        },
    ),
    "ExhibitionIndexPage": (
        "exhibitions",
        {
            "kk": ("Көрмелер", "Кітапханашылар құрастырған виртуалды көрмелер."),
            "ru": ("Выставки", "Виртуальные выставки, подготовленные библиотекарями."),
            "en": ("Exhibitions", "Virtual exhibitions curated by the librarians."),
        },
    ),
    "PlaceIndexPage": (
        "places",
        {
            "kk": ("Елді мекендер", "Қалалар мен ауылдар, олардың атаулары мен тарихы."),
            "ru": ("Места", "Города и сёла, их названия и история."),
            "en": ("Places", "Towns and villages, their names and their history."),
        },
    ),
    "CommunityIndexPage": (
        "communities",
        {
            "kk": ("Қауымдастықтар", "Өңірде тұратын халықтардың тарихы."),
            "ru": ("Общины", "История народов, живущих в регионе."),
            "en": ("Communities", "The history of the peoples who live in the region."),
        },
    ),
    "StoryIndexPage": (
        "articles",
        {
            "kk": ("Зерттеулер", "Өлкетанушылардың зерттеу мақалалары."),
            "ru": ("Исследования", "Исследовательские статьи краеведов."),
            "en": ("Research", "Research articles by local historians."),
        },
    ),
}

ALMATY_NAMES = [
    # (start, end, kk, ru, latn, note by language)
    (
        1854,
        1921,
        "Верный",
        "Верный",
        "Vernyi",
        {
            "kk": "1854 жылы Іле сыртындағы бекініс ретінде негізделді.",
            "ru": "Основан в 1854 году как Заилийское укрепление.",
            "en": "Founded in 1854 as the Trans-Ili fortification.",
        },
    ),
    (
        1921,
        1993,
        "Алма-Ата",
        "Алма-Ата",
        "Alma-Ata",
        {
            "kk": "Қазақша мәтіндерде Алматы деп те жазылған.",
            "ru": "В казахских текстах писалось и «Алматы».",
            "en": "Kazakh texts also wrote Almaty.",
        },
    ),
    (1993, None, "Алматы", "Алматы", "Almaty", {"kk": "", "ru": "", "en": ""}),
]

ALMATY_PARENTS = [
    (
        1854,
        1867,
        {"kk": "Семей облысы", "ru": "Семипалатинская область", "en": "Semipalatinsk Oblast"},
    ),
    (1867, 1918, {"kk": "Жетісу облысы", "ru": "Семиреченская область", "en": "Semirechye Oblast"}),
    (1918, 1924, {"kk": "Түркістан АКСР", "ru": "Туркестанская АССР", "en": "Turkestan ASSR"}),
    (1924, 1936, {"kk": "Қазақ АКСР", "ru": "Казакская АССР", "en": "Kazak ASSR"}),
    (1936, 1991, {"kk": "Қазақ КСР", "ru": "Казахская ССР", "en": "Kazakh SSR"}),
    (
        1991,
        None,
        {
            "kk": "Қазақстан Республикасы",
            "ru": "Республика Казахстан",
            "en": "Republic of Kazakhstan",
        },
    ),
]

ALMATY = {
    "kk": {
        "title": "Алматы",
        "intro": "Іле Алатауының етегіндегі қала: бекіністен астанаға дейін.",
        "history": "<p>1854 жылы Алматы өзенінің бойында Іле сыртындағы бекініс салынды. "
        "1867 жылдан Верный қаласы Жетісу облысының орталығы болды. 1921 жылы қала Алма-Ата "
        "деп аталды, 1929–1997 жылдары Қазақстанның астанасы болды.</p>",
    },
    "ru": {
        "title": "Алматы",
        "intro": "Город у подножия Заилийского Алатау: от укрепления до столицы.",
        "history": "<p>В 1854 году на реке Малая Алматинка было заложено Заилийское "
        "укрепление. С 1867 года город Верный был центром Семиреченской области. В 1921 году "
        "город переименован в Алма-Ату, в 1929–1997 годах он был столицей Казахстана.</p>",
    },
    "en": {
        "title": "Almaty",
        "intro": "The city at the foot of the Trans-Ili Alatau: from a fort to a capital.",
        "history": "<p>In 1854 a fort was built on the Almatinka river. From 1867 the town of "
        "Verny was the centre of Semirechye Oblast. In 1921 it was renamed Alma-Ata, and from "
        "1929 to 1997 it was the capital of Kazakhstan.</p>",
    },
}

TARAZ_NAMES = [
    (1856, 1936, "Әулиеата", "Аулие-Ата", "Auliye-Ata", {}),
    (1936, 1938, "Мирзоян", "Мирзоян", "Mirzoyan", {}),
    (1938, 1993, "Жамбыл", "Джамбул", "Dzhambul", {}),
    (1993, 1997, "Жамбыл", "Жамбыл", "Zhambyl", {}),
    (1997, None, "Тараз", "Тараз", "Taraz", {}),
]

TARAZ = {
    "kk": {
        "title": "Тараз",
        "intro": "Талас өзеніндегі көне қала, бес рет атауын өзгерткен.",
        "history": "<p>Ежелгі Тараздың орнындағы Әулиеата бекінісі 1856 жылы салынды.</p>",
    },
    "ru": {
        "title": "Тараз",
        "intro": "Древний город на реке Талас, пять раз менявший имя.",
        "history": "<p>Укрепление Аулие-Ата на месте древнего Тараза построено в 1856 году.</p>",
    },
    "en": {
        "title": "Taraz",
        "intro": "An ancient city on the Talas river that changed its name five times.",
        "history": "<p>The Auliye-Ata fort was built on the site of ancient Taraz in 1856.</p>",
    },
}

KORYO_SARAM = {
    "kk": {
        "title": "Корей қауымы (корё-сарам)",
        "intro": "1937 жылы Қиыр Шығыстан Қазақстанға күштеп көшірілген кәрістер.",
        "history": "<p>1937 жылдың күзінде Ресейдің Қиыр Шығысынан 170 мыңнан астам кәріс "
        "Орта Азия мен Қазақстанға жер аударылды. Олар Ұштөбе, Қызылорда және Алматы "
        "маңына орналастырылды.</p>",
        "languages": "корё-мар, орыс тілі, қазақ тілі",
        "events": [
            (
                "21 тамыз 1937",
                1937,
                "Жер аудару туралы қаулы",
                "КСРО ХКК мен БКП(б) ОК-нің № 1428-326сс қаулысы.",
                "",
                "",
            ),
            (
                "1937 жылдың қыркүйегі – қазаны",
                1937,
                "Қиыр Шығыстан жер аудару",
                "Эшелондар Қазақстан мен Өзбекстанға жөнелтілді.",
                "Приморье, Қиыр Шығыс",
                "Ұштөбе, Қазақ КСР",
            ),
            (
                "1 сәуір 1993",
                1993,
                "Ақталу",
                "Ресей Федерациясының кәрістерді ақтау туралы қаулысы.",
                "",
                "",
            ),
        ],
    },
    "ru": {
        "title": "Корё-сарам",
        "intro": "Корейцы, в 1937 году насильственно переселённые с Дальнего Востока в Казахстан.",
        "history": "<p>Осенью 1937 года более 170 тысяч корейцев были депортированы с Дальнего "
        "Востока России в Среднюю Азию и Казахстан. Их расселили в Уштобе, Кзыл-Орде и под "
        "Алма-Атой.</p>",
        "languages": "корё-мар, русский, казахский",
        "events": [
            (
                "21 августа 1937",
                1937,
                "Постановление о выселении",
                "Постановление СНК СССР и ЦК ВКП(б) № 1428-326сс.",
                "",
                "",
            ),
            (
                "сентябрь – октябрь 1937",
                1937,
                "Депортация с Дальнего Востока",
                "Эшелоны ушли в Казахстан и Узбекистан.",
                "Приморье, Дальний Восток",
                "Уштобе, Казахская ССР",
            ),
            (
                "1 апреля 1993",
                1993,
                "Реабилитация",
                "Постановление Верховного Совета РФ о реабилитации российских корейцев.",
                "",
                "",
            ),
        ],
    },
    "en": {
        "title": "Koryo-saram",
        "intro": "Koreans forcibly moved from the Russian Far East to Kazakhstan in 1937.",
        "history": "<p>In the autumn of 1937 more than 170,000 Koreans were deported from the "
        "Russian Far East to Central Asia and Kazakhstan, and settled around Ushtobe, "
        "Kyzylorda and Alma-Ata.</p>",
        "languages": "Koryo-mar, Russian, Kazakh",
        "events": [
            (
                "21 August 1937",
                1937,
                "Deportation decree",
                "Decree No. 1428-326ss of the "
                "Council of People's Commissars and the Central Committee.",
                "",
                "",
            ),
            (
                "September – October 1937",
                1937,
                "Deportation from the Far East",
                "Trains left for Kazakhstan and Uzbekistan.",
                "Primorye, Russian Far East",
                "Ushtobe, Kazakh SSR",
            ),
            (
                "1 April 1993",
                1993,
                "Rehabilitation",
                "Resolution of the Supreme Soviet of "
                "Russia on the rehabilitation of Russian Koreans.",
                "",
                "",
            ),
        ],
    },
}
KORYO_SURNAMES = "Ким\nПак\nЛи\nЦой\nТен\nХан\nЮгай\nШин\nKim\nPak\nTsoi"

VOLGA_GERMANS = {
    "kk": {
        "title": "Еділ бойы немістері",
        "intro": "1941 жылы Еділ бойынан Қазақстанға жер аударылған немістер.",
        "history": "<p>1941 жылғы 28 тамыздағы жарлықпен Еділ бойы немістерінің АКСР-і "
        "таратылып, тұрғындары Сібір мен Қазақстанға жер аударылды.</p>",
        "languages": "неміс тілі, орыс тілі",
        "events": [
            (
                "28 тамыз 1941",
                1941,
                "Жер аудару туралы жарлық",
                "",
                "Еділ бойы немістерінің АКСР-і",
                "Қазақ КСР",
            ),
        ],
    },
    "ru": {
        "title": "Поволжские немцы",
        "intro": "Немцы, в 1941 году депортированные из Поволжья в Казахстан.",
        "history": "<p>Указом от 28 августа 1941 года АССР немцев Поволжья была ликвидирована, "
        "её жители выселены в Сибирь и Казахстан.</p>",
        "languages": "немецкий, русский",
        "events": [
            (
                "28 августа 1941",
                1941,
                "Указ о переселении",
                "",
                "АССР немцев Поволжья",
                "Казахская ССР",
            ),
        ],
    },
    "en": {
        "title": "Volga Germans",
        "intro": "Germans deported from the Volga region to Kazakhstan in 1941.",
        "history": "<p>By the decree of 28 August 1941 the Volga German ASSR was dissolved and "
        "its people were deported to Siberia and Kazakhstan.</p>",
        "languages": "German, Russian",
        "events": [
            ("28 August 1941", 1941, "Deportation decree", "", "Volga German ASSR", "Kazakh SSR"),
        ],
    },
}
VOLGA_GERMAN_PEOPLE = ["I98", "I99", "I100"]

SUBJECTS = [
    ("Депортация", "Депортация", "Deportation"),
    ("Қала тарихы", "История города", "Urban history"),
    ("Корейлер", "Корейцы", "Koreans"),
    ("Немістер", "Немцы", "Germans"),
    ("Карталар", "Карты", "Maps"),
]

# (slug, title, drawing, Dublin Core fields, subjects, places, communities, people)
ITEMS = [
    (
        "verny-street-1900",
        "Верный қаласының көшесі",
        "photo",
        {
            "creator": "Белгісіз фотограф",
            "description": "<p>Бір қабатты ағаш үйлер мен терек қатары бар көше.</p>",
            "publisher": "Ұлттық кітапхана, өлкетану бөлімі",
            "contributor": "Тамыр жобасы (цифрлау)",
            "date": "шамамен 1900",
            "dc_type": "StillImage",
            "format": "желатин-күміс басылым, 13×18 см; цифрлық көшірме image/png",
            "identifier": "ӨК-Ф-0001",
            "source": "Кітапхананың фотосуреттер альбомы, 1-парақ",
            "language": "zxx",
            "relation": "ӨК-К-0002 (қала жоспары)",
            "coverage": "Верный, 1900 жж.",
            "rights": "Қоғамдық игілік",
            "shelf_mark": "ӨК-Ф/1",
        },
        ["Қала тарихы"],
        ["almaty"],
        [],
        [],
    ),
    (
        "verny-plan-1913",
        "Верный қаласының жоспары, 1913",
        "map",
        {
            "creator": "Жетісу облыстық басқармасы",
            "description": "<p>Қаланың көшелері мен өзендері көрсетілген қолжазба жоспар.</p>",
            "publisher": "Жетісу облыстық басқармасы",
            "contributor": "Тамыр жобасы (цифрлау)",
            "date": "1913",
            "dc_type": "Image",
            "format": "қағаз, тушь, 40×55 см; цифрлық көшірме image/png",
            "identifier": "ӨК-К-0002",
            "source": "ЦГА РК, ф. 44, оп. 1, д. 120",
            "language": "ru",
            "relation": "ӨК-Ф-0001",
            "coverage": "Верный, 1913",
            "rights": "Қоғамдық игілік",
            "shelf_mark": "ӨК-К/2",
        },
        ["Қала тарихы", "Карталар"],
        ["almaty"],
        [],
        [],
    ),
    (
        "special-settler-card-1941",
        "Арнайы қоныстанушының есеп карточкасы, 1941",
        "document",
        {
            "creator": "Джамбул облысы ІІХК арнайы комендатурасы",
            "description": "<p>Еділ бойынан жер аударылған отбасының есеп карточкасы.</p>",
            "publisher": "",
            "contributor": "Циммерман отбасы (сыйға тартты)",
            "date": "1941-12",
            "dc_type": "Text",
            "format": "бланк, 1 парақ; цифрлық көшірме image/png",
            "identifier": "ӨК-Қ-0003",
            "source": "Отбасылық мұрағат",
            "language": "ru",
            "relation": "Демо шежіре: I98",
            "coverage": "Джамбул, 1941",
            "rights": "Отбасының рұқсатымен жарияланды",
            "shelf_mark": "ӨК-Қ/3",
        },
        ["Депортация", "Немістер"],
        ["taraz"],
        ["volga-germans"],
        ["I98", "I100"],
    ),
    (
        "memory-autumn-1937",
        "Естелік: 1937 жылғы күз",
        "memory",
        {
            "creator": "Ли Мария Николаевна (әңгімелеуші)",
            "description": "<p>Қиыр Шығыстан Ұштөбеге жол туралы естелік.</p>",
            "publisher": "Ұлттық кітапхана, өлкетану бөлімі",
            "contributor": "Өлкетану бөлімінің қызметкері (сұхбат алған)",
            "date": "1989",
            "dc_type": "Sound",
            "format": "магнитофон таспасы, 45 мин; транскрипция text/plain",
            "identifier": "ӨК-Е-0004",
            "source": "Ауызша тарих жинағы",
            "language": "ru, ko",
            "relation": "",
            "coverage": "Приморье – Ұштөбе, 1937",
            "rights": "Әңгімелеушінің рұқсатымен",
            "shelf_mark": "ӨК-Е/4",
        },
        ["Депортация", "Корейлер"],
        ["almaty"],
        ["koryo-saram"],
        [],
    ),
]

MEMORY_TRANSCRIPT = (
    "Бізге жинануға үш күн берді. Вагондарда бір ай жүрдік. Ұштөбеге қазан айында жеттік, "
    "алғашқы қысты жер үйлерде өткіздік.\n"
    "Нам дали три дня на сборы. Ехали в вагонах месяц. В Уштобе прибыли в октябре, первую "
    "зиму прожили в землянках."
)

EXHIBITION = {
    "kk": {
        "title": "Жер аударылғандар: Жетісу мен Жамбылдағы тағдырлар",
        "intro": "Қиыр Шығыстан және Еділ бойынан жер аударылған отбасылардың тарихы "
        "құжаттар, фотосуреттер мен шежірелер арқылы.",
        "curator": "Өлкетану бөлімі",
    },
    "ru": {
        "title": "Переселённые: судьбы в Семиречье и Джамбуле",
        "intro": "История семей, депортированных с Дальнего Востока и из Поволжья, в "
        "документах, фотографиях и родословных.",
        "curator": "Отдел краеведения",
    },
    "en": {
        "title": "The deported: lives in Semirechye and Dzhambul",
        "intro": "Families deported from the Far East and the Volga region, told through "
        "documents, photographs and family trees.",
        "curator": "Local-history department",
    },
}

EXHIBITION_TEXT = {
    "kk": {
        "para": "<h2>Жол</h2><p>1937 және 1941 жылдары эшелондар мыңдаған отбасыны "
        "Қазақстанның далаларына әкелді. Жергілікті тұрғындар оларға баспана мен нан берді.</p>",
        "image_alt": "Бір қабатты үйлер мен терек қатары бар көше",
        "image_caption": "Верный, шамамен 1900",
        "item_note": "Отбасы сақтаған жалғыз құжат.",
        "gallery": "Қор материалдарынан",
        "plan_alt": "Өзендер мен көшелер сызылған қала жоспары",
        "quote": "Бізге жинануға үш күн берді.",
        "quote_by": "Ли Мария Николаевна",
        "quote_source": "Ауызша тарих жинағы, 1989",
        "timeline": "Жер аударулар",
        "timeline_entries": [
            ("1937", "Кәрістер Қиыр Шығыстан жер аударылды", ""),
            ("1941", "Еділ бойы немістері жер аударылды", ""),
            ("1956", "Арнайы қоныс режимі алынды", ""),
        ],
        "map": "Алматы",
        "map_caption": "Іле Алатауының етегіндегі қала",
        "person_note": "Покровскіде туған, 1941 жылы Джамбулға жер аударылған.",
        "chart_caption": "Циммерман отбасының ұрпақтары",
    },
    "ru": {
        "para": "<h2>Дорога</h2><p>В 1937 и 1941 годах эшелоны привезли тысячи семей в степи "
        "Казахстана. Местные жители делились с ними кровом и хлебом.</p>",
        "image_alt": "Улица с одноэтажными домами и рядом тополей",
        "image_caption": "Верный, около 1900 года",
        "item_note": "Единственный документ, сохранившийся в семье.",
        "gallery": "Из фондов",
        "plan_alt": "План города с реками и улицами",
        "quote": "Нам дали три дня на сборы.",
        "quote_by": "Ли Мария Николаевна",
        "quote_source": "Собрание устной истории, 1989",
        "timeline": "Депортации",
        "timeline_entries": [
            ("1937", "Депортация корейцев с Дальнего Востока", ""),
            ("1941", "Депортация немцев Поволжья", ""),
            ("1956", "Снятие режима спецпоселения", ""),
        ],
        "map": "Алматы",
        "map_caption": "Город у подножия Заилийского Алатау",
        "person_note": "Родился в Покровске, в 1941 году выселен в Джамбул.",
        "chart_caption": "Потомки семьи Циммерман",
    },
    "en": {
        "para": "<h2>The journey</h2><p>In 1937 and 1941 trains brought thousands of families "
        "to the steppes of Kazakhstan. Local people shared shelter and bread with them.</p>",
        "image_alt": "A street of one-storey houses and a row of poplars",
        "image_caption": "Verny, about 1900",
        "item_note": "The only document the family kept.",
        "gallery": "From the collections",
        "plan_alt": "A town plan with rivers and streets",
        "quote": "We were given three days to pack.",
        "quote_by": "Maria Nikolaevna Li",
        "quote_source": "Oral history collection, 1989",
        "timeline": "Deportations",
        "timeline_entries": [
            ("1937", "Koreans deported from the Far East", ""),
            ("1941", "Volga Germans deported", ""),
            ("1956", "Special settlement regime lifted", ""),
        ],
        "map": "Almaty",
        "map_caption": "The city at the foot of the Trans-Ili Alatau",
        "person_note": "Born in Pokrovsk, deported to Dzhambul in 1941.",
        "chart_caption": "Descendants of the Zimmermann family",
    },
}

STORY = {
    "title": "Верныйдан Алматыға: қала атауларының тарихы",
    "author": "Өлкетану бөлімі",
    "intro": "Қала атауы үш рет өзгерді; әр атау өз дәуірінің құжаттарында сақталған.",
    "body": "<p>Бекініс 1854 жылы Іле сыртындағы бекініс деп аталды [1]. 1921 жылы қала "
    "Алма-Ата атауын алды [2], ал 1993 жылдан бастап ресми түрде Алматы деп аталады.</p>",
    "notes": [
        "<p>ЦГА РК, ф. 44, оп. 1, д. 120, л. 3.</p>",
        "<p>Түркістан АКСР ОАК-нің 1921 жылғы 5 ақпандағы қаулысы.</p>",
    ],
}


def _font(size: int):
    from PIL import ImageFont

    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        str(settings.BASE_DIR / "site/static/fonts/noto-sans-cyrillic-400-normal.woff2"),
    ):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def draw_demo_image(kind: str, caption: str) -> bytes:
    """A simple drawing made here (no third-party material): a photo placeholder, a town plan,
    a record card, or a tape label."""
    import io
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(kind)  # noqa: S311 - a repeatable drawing, not security
    width, height = 1200, 800
    if kind == "photo":
        image = Image.new("RGB", (width, height), (196, 184, 160))
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, width, 330), fill=(222, 214, 196))
        draw.polygon([(0, 800), (520, 430), (680, 430), (1200, 800)], fill=(150, 136, 110))
        for i in range(6):
            x = 40 + i * 80
            draw.rectangle((x, 330 + i * 10, x + 70, 560 - i * 12), fill=(120, 100, 78))
            draw.rectangle((1100 - x, 330 + i * 10, 1170 - x, 560 - i * 12), fill=(120, 100, 78))
        for i in range(9):
            x = 560 + rng.randint(-30, 30)
            draw.ellipse(
                (x - 40 + i * 12, 120 + i * 28, x + 20 + i * 12, 220 + i * 28), fill=(88, 104, 70)
            )
    elif kind == "map":
        image = Image.new("RGB", (width, height), (242, 234, 214))
        draw = ImageDraw.Draw(image)
        draw.line([(120, 0), (200, 300), (160, 560), (260, 800)], fill=(90, 140, 190), width=14)
        draw.line([(900, 0), (860, 380), (960, 800)], fill=(90, 140, 190), width=10)
        for x in range(280, 840, 70):
            draw.line([(x, 120), (x, 700)], fill=(150, 120, 90), width=3)
        for y in range(120, 720, 60):
            draw.line([(280, y), (820, y)], fill=(150, 120, 90), width=3)
        draw.rectangle((490, 300, 610, 420), outline=(120, 40, 30), width=6)
        draw.text((520, 440), "N ↑", fill=(60, 50, 40), font=_font(30))
    elif kind == "document":
        image = Image.new("RGB", (width, height), (236, 228, 205))
        draw = ImageDraw.Draw(image)
        draw.rectangle((60, 60, 1140, 740), outline=(70, 60, 50), width=4)
        for y in range(200, 700, 55):
            draw.line([(100, y), (1100, y)], fill=(160, 150, 130), width=2)
            draw.line(
                [(120, y - 12), (120 + rng.randint(200, 900), y - 12)], fill=(40, 50, 110), width=3
            )
    else:
        image = Image.new("RGB", (width, height), (52, 58, 64))
        draw = ImageDraw.Draw(image)
        for cx in (380, 820):
            draw.ellipse((cx - 170, 230, cx + 170, 570), outline=(220, 220, 220), width=10)
            draw.ellipse((cx - 40, 360, cx + 40, 440), fill=(220, 220, 220))
        draw.rectangle((380, 560, 820, 600), fill=(140, 90, 60))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height - 70, width, height), fill=(255, 255, 255))
    draw.text((24, height - 58), caption, fill=(20, 20, 20), font=_font(34))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _demo_image(title: str, kind: str, caption: str):
    from django.core.files.images import ImageFile

    from .models import CustomImage

    image = CustomImage.objects.filter(title=title).first()
    if image is None:
        import io

        data = draw_demo_image(kind, caption)
        image = CustomImage(title=title, caption=caption, credit="Tamyr demo")
        image.file = ImageFile(io.BytesIO(data), name=f"demo-{kind}.png")
        image.save()
    return image


def _child(parent: Page, model, slug: str, **fields):
    """The child of ``parent`` with ``slug``, created and published if missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, locale=parent.locale, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _translate(page: Page, locale: Locale, update) -> Page:
    """The translation of ``page`` into ``locale``, created (with its parents) if missing;
    ``update(translation)`` fills in the translated fields before it is published."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translation = page.copy_for_translation(locale, copy_parents=True).specific
    update(translation)
    translation.save_revision().publish()
    return translation


def _section(home: HomePage, model_name: str, locales: dict[str, Locale]) -> Page:
    from . import models

    model = getattr(models, model_name)
    slug, texts = SECTIONS[model_name]
    title, intro = texts["kk"]
    page = _child(home, model, slug, title=title, intro=f"<p>{intro}</p>")
    for code in ("ru", "en"):

        def update(translation, code=code):
            translation.title, text = texts[code]
            translation.intro = f"<p>{text}</p>"

        _translate(page, locales[code], update)
    return page


def _place(
    index: Page,
    slug: str,
    content: dict,
    names: list,
    parents: list,
    lat: float,
    lon: float,
    other_names: str,
    locales: dict[str, Locale],
):
    from .models import PlacePage, PlacePageName, PlacePageParent

    def fill(page, code):
        page.title = content[code]["title"]
        page.intro = content[code]["intro"]
        page.history = content[code]["history"]
        page.names = [
            PlacePageName(
                start_year=start,
                end_year=end,
                name_kk=kk,
                name_ru=ru,
                name_latn=latn,
                note=notes.get(code, ""),
            )
            for start, end, kk, ru, latn, notes in names
        ]
        page.parent_places = [
            PlacePageParent(start_year=start, end_year=end, name=labels[code])
            for start, end, labels in parents
        ]

    page = index.get_children().filter(slug=slug).first()
    if page is None:
        page = PlacePage(
            slug=slug,
            locale=index.locale,
            latitude=lat,
            longitude=lon,
            zoom=11,
            other_names=other_names,
            title=content["kk"]["title"],
        )
        fill(page, "kk")
        index.add_child(instance=page)
        page.save_revision().publish()
    page = page.specific
    for code in ("ru", "en"):
        _translate(page, locales[code], lambda t, code=code: fill(t, code))
    return page


def _community(
    index: Page,
    slug: str,
    content: dict,
    surnames: str,
    people: list[str],
    places: list,
    locales: dict[str, Locale],
):
    from .models import CommunityEvent, CommunityPage, CommunityPersonLink

    def fill(page, code):
        texts = content[code]
        page.title = texts["title"]
        page.intro = texts["intro"]
        page.history = texts["history"]
        page.languages = texts["languages"]
        page.events = [
            CommunityEvent(
                date=date,
                year=year,
                title=title,
                description=description,
                from_place=origin,
                to_place=destination,
            )
            for date, year, title, description, origin, destination in texts["events"]
        ]
        page.places = [p.get_translation_or_none(page.locale) or p for p in places]

    page = index.get_children().filter(slug=slug).first()
    if page is None:
        page = CommunityPage(
            slug=slug, locale=index.locale, surnames=surnames, title=content["kk"]["title"]
        )
        fill(page, "kk")
        page.person_links = [
            CommunityPersonLink(tree_slug=DEMO_TREE, person_ref=ref) for ref in people
        ]
        index.add_child(instance=page)
        page.save_revision().publish()
    page = page.specific
    for code in ("ru", "en"):
        _translate(page, locales[code], lambda t, code=code: fill(t, code))
    return page


def _exhibition_body(code: str, images: dict, items: dict, almaty) -> list[tuple[str, dict]]:
    text = EXHIBITION_TEXT[code]
    place = almaty.get_translation_or_none(Locale.objects.get(language_code=code)) or almaty
    return [
        ("paragraph", text["para"]),
        (
            "image",
            {
                "image": images["photo"],
                "alt_text": text["image_alt"],
                "caption": text["image_caption"],
                "credit": "Tamyr demo",
            },
        ),
        ("item_card", {"item": items["special-settler-card-1941"], "note": text["item_note"]}),
        (
            "gallery",
            {
                "heading": text["gallery"],
                "images": [
                    {
                        "image": images["photo"],
                        "alt_text": text["image_alt"],
                        "caption": text["image_caption"],
                        "credit": "",
                    },
                    {
                        "image": images["map"],
                        "alt_text": text["plan_alt"],
                        "caption": "1913",
                        "credit": "",
                    },
                ],
            },
        ),
        (
            "quote",
            {
                "text": text["quote"],
                "attribution": text["quote_by"],
                "source": text["quote_source"],
            },
        ),
        (
            "timeline",
            {
                "heading": text["timeline"],
                "entries": [
                    {"date": date, "title": title, "description": description}
                    for date, title, description in text["timeline_entries"]
                ],
            },
        ),
        (
            "map",
            {
                "heading": text["map"],
                "latitude": 43.2383,
                "longitude": 76.9453,
                "zoom": 11,
                "caption": text["map_caption"],
                "place": place,
            },
        ),
        ("person_card", {"tree_slug": DEMO_TREE, "person_ref": "I98", "note": text["person_note"]}),
        (
            "chart",
            {
                "tree_slug": DEMO_TREE,
                "person_ref": "I98",
                "chart": "descendants",
                "caption": text["chart_caption"],
            },
        ),
    ]


@transaction.atomic
def load_demo_collections() -> dict[str, int]:
    """Demo local-history content linked to the demo family tree (slug "demo"): section pages,
    Almaty and Taraz, the Koryo-saram and Volga German communities, a collection of four items
    with full Dublin Core records, an exhibition that uses every block, and a research article.
    Kazakh first, with Russian and English translations. Safe to run again: what exists is
    left as it is."""
    from .models import (
        Archive,
        CollectionPage,
        CommunityPage,
        ExhibitionPage,
        Footnote,
        ItemImage,
        ItemMediaFile,
        ItemPage,
        ItemPersonLink,
        PlacePage,
        StoryPage,
        SubjectHeading,
    )
    from .setup import ensure_librarian_roles

    home = ensure_home_pages()
    ensure_librarian_roles()
    locales = ensure_locales()

    library, _ = Archive.objects.get_or_create(
        name="Ұлттық кітапхана, өлкетану бөлімі",
        defaults={"abbreviation": "ҰК ӨБ", "city": "Алматы"},
    )
    Archive.objects.get_or_create(
        name="Қазақстан Республикасының Орталық мемлекеттік архиві",
        defaults={"abbreviation": "ЦГА РК", "city": "Алматы"},
    )
    subjects = {
        kk: SubjectHeading.objects.get_or_create(
            label_kk=kk, scheme="local", defaults={"label_ru": ru, "label_en": en}
        )[0]
        for kk, ru, en in SUBJECTS
    }

    sections = {name: _section(home, name, locales) for name in SECTIONS}

    almaty = _place(
        sections["PlaceIndexPage"],
        "almaty",
        ALMATY,
        ALMATY_NAMES,
        ALMATY_PARENTS,
        43.2383,
        76.9453,
        "Vernyi\nVerny\nAlma-Ata\nAlmaty\nВерное",
        locales,
    )
    taraz = _place(
        sections["PlaceIndexPage"],
        "taraz",
        TARAZ,
        TARAZ_NAMES,
        [],
        42.9,
        71.3667,
        "Аулие-Ата\nАулиеата\nДжамбул\nМирзоян",
        locales,
    )
    places = {"almaty": almaty, "taraz": taraz}
    communities = {
        "koryo-saram": _community(
            sections["CommunityIndexPage"],
            "koryo-saram",
            KORYO_SARAM,
            KORYO_SURNAMES,
            [],
            [almaty],
            locales,
        ),
        "volga-germans": _community(
            sections["CommunityIndexPage"],
            "volga-germans",
            VOLGA_GERMANS,
            "",
            VOLGA_GERMAN_PEOPLE,
            [taraz],
            locales,
        ),
    }

    collection = _child(
        sections["CollectionIndexPage"],
        CollectionPage,
        "local-history-fonds",
        title="Өлкетану қоры: Жетісу мен Жамбыл, 1880–1990",
        description="<p>Қала мен ауылдардың фотосуреттері, карталары, құжаттары және "
        "естеліктері.</p>",
        period="1880–1990",
        extent="4 сақтау бірлігі (демо)",
        rights="Әр бірлікте көрсетілген",
        shelf_mark="ӨК",
        archive=library,
    )
    if not collection.communities.exists():
        collection.communities = list(communities.values())
        collection.subjects = [subjects["Депортация"], subjects["Қала тарихы"]]
        collection.save_revision().publish()

    images, items = {}, {}
    for slug, title, kind, dc, subject_names, place_slugs, community_slugs, people in ITEMS:
        image = _demo_image(title, kind, dc["coverage"])
        images[kind] = image
        item = collection.get_children().filter(slug=slug).first()
        if item is None:
            item = ItemPage(slug=slug, title=title, locale=collection.locale, archive=library, **dc)
            item.images = [ItemImage(image=image, alt_text=title, caption=dc["coverage"])]
            item.subjects = [subjects[name] for name in subject_names]
            item.places = [places[name] for name in place_slugs]
            item.communities = [communities[name] for name in community_slugs]
            item.person_links = [
                ItemPersonLink(tree_slug=DEMO_TREE, person_ref=ref) for ref in people
            ]
            if kind == "memory":
                item.media_files = [
                    ItemMediaFile(
                        document=_demo_transcript(),
                        kind=ItemMediaFile.Kind.DOCUMENT,
                        title="Транскрипция",
                        transcript=MEMORY_TRANSCRIPT,
                    )
                ]
            collection.add_child(instance=item)
            item.save_revision().publish()
        items[slug] = item.specific

    exhibitions = sections["ExhibitionIndexPage"]
    exhibition = exhibitions.get_children().filter(slug="the-deported").first()
    if exhibition is None:
        texts = EXHIBITION["kk"]
        exhibition = ExhibitionPage(
            slug="the-deported",
            locale=exhibitions.locale,
            cover_image=images["map"],
            body=_exhibition_body("kk", images, items, almaty),
            **texts,
        )
        exhibition.places = [almaty, taraz]
        exhibition.communities = list(communities.values())
        exhibitions.add_child(instance=exhibition)
        exhibition.save_revision().publish()
    exhibition = exhibition.specific
    for code in ("ru", "en"):

        def update(translation, code=code):
            for field, value in EXHIBITION[code].items():
                setattr(translation, field, value)
            translation.body = _exhibition_body(code, images, items, almaty)
            locale = locales[code]
            translation.places = [p.get_translation_or_none(locale) or p for p in places.values()]
            translation.communities = [
                c.get_translation_or_none(locale) or c for c in communities.values()
            ]

        _translate(exhibition, locales[code], update)

    stories = sections["StoryIndexPage"]
    story = stories.get_children().filter(slug="verny-to-almaty").first()
    if story is None:
        story = StoryPage(
            slug="verny-to-almaty",
            locale=stories.locale,
            title=STORY["title"],
            author=STORY["author"],
            intro=STORY["intro"],
            body=STORY["body"],
        )
        story.footnotes = [Footnote(text=text) for text in STORY["notes"]]
        story.places = [almaty]
        stories.add_child(instance=story)
        story.save_revision().publish()

    return {
        "collections": CollectionPage.objects.count(),
        "items": ItemPage.objects.count(),
        "exhibitions": ExhibitionPage.objects.count(),
        "place_pages": PlacePage.objects.count(),
        "community_pages": CommunityPage.objects.count(),
        "articles": StoryPage.objects.count(),
    }


def _demo_transcript():
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    Document = get_document_model()
    title = "Естелік: 1937 жылғы күз — транскрипция"
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title)
        document.file.save(
            "demo-memory-1937.txt", ContentFile(MEMORY_TRANSCRIPT.encode()), save=False
        )
        document.save()
    return document
