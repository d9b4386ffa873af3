"""The demo school: a realistic, made-up Dutch primary school with a school year of data.

``build_demo(session)`` fills an empty database with "OBS De Regenboog" (groep 1/2 to 8,
about 200 pupils, 10 teachers, a director, an admin and a board user) and four smaller
sibling schools under the same board, so that every screen has something to show.
``demo_accounts(session)`` lists the accounts to try on the sign-in page.

Everything is made up and deterministic for a seed. Some pupils are deliberately in
need of attention (no active goal, quiet, stuck, overdue target, self/teacher gap, no
talk for weeks, overdue agreement) so that the teacher's signals have something to show.

Speed: argon2 is slow by design, so each distinct secret is hashed once and the hash
string is reused; rows are added per table in bulk and flushed per phase.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlmodel import Session, func, select

from .auth import PICTURES, hash_password, hash_pupil_secret, picture_secret, pin_secret
from .class_codes import ALPHABET
from .models import (
    SCAN_BLOCKS,
    Agreement,
    Board,
    CheckIn,
    CheckInKind,
    CoachingTalk,
    Feedback,
    Goal,
    GoalStatus,
    GoalTemplate,
    Group,
    ImplementationScan,
    LeadScope,
    Membership,
    Person,
    Role,
    ScanEntry,
    School,
    SecretKind,
    SuccessCriterion,
    TalkPreparation,
    TalkStatus,
    TalkStructure,
)
from .school_setup import confirm_only_schools, refuse_if_school_exists

DEMO_PASSWORD = "regie-demo-2026"
DEMO_PICTURES = (0, 4, 8)  # 🐶 🐻 🐢
DEMO_PIN = "1234"
MAIN_SCHOOL = "OBS De Regenboog"
BOARD_NAME = "Stichting Samen Leren"

# Attention patterns a teacher's signals should find (see DESIGN.md, "Signals").
ATTENTION = (
    "no_goal",  # no active goal
    "quiet",  # no check-in for weeks
    "stuck",  # several check-ins without a rising level
    "overdue",  # target date of the active goal has passed
    "gap",  # self-assessment and teacher observation 2+ apart
    "no_talk",  # no coaching talk for many weeks
    "overdue_agreement",  # an agreement past its due date, not done
)


# --- public results -------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    school_id: int  # the main demo school
    board_id: int
    school_ids: tuple[int, ...]  # main school first, then the siblings
    today: date
    school_year: str
    rows: dict[str, int] = field(default_factory=dict)  # table name -> rows added


@dataclass(frozen=True)
class DemoAccount:
    """One account to try. Staff: ``login`` is the e-mail, ``secret`` the password.
    Pupils: ``login`` is the class code, ``secret`` the name to tap plus the code."""

    role: str  # pupil / teacher / leader / admin / board
    label: str  # Dutch description, e.g. "Leerkracht groep 5/6"
    label_key: str  # translation key for the description, params in label_params
    label_params: dict
    name: str  # the person's name (pupils: as on the class tablet tile)
    login: str
    secret: str
    person_id: int
    email: str | None = None
    password: str | None = None
    class_code: str | None = None
    group_id: int | None = None
    secret_kind: str | None = None  # picture / pin (pupils)
    sign_in_secret: str | None = None  # the value for auth.pupil_sign_in (pupils)


# --- made-up people -------------------------------------------------------------------


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    """Items of a long literal list, one space (or ``sep``) apart, tidied."""
    return tuple(" ".join(item.split()) for item in text.split(sep) if item.strip())


GIRLS = _words(
    """
    Emma Julia Mila Tess Sophie Zoë Sara Nora Yara Eva Liv Lotte Saar Noor Fenna Anna Evi
    Roos Lina Fleur Nina Maud Isa Hailey Olivia Lieke Jasmijn Femke Amira Fatima Aya Sofia
    Elif Hanna Kiki Merel Ilse Vera Puck Floor Esmee Lisa Ella Ivy Mare Romy Nova Suze
    """
)
BOYS = _words(
    """
    Noah Sem Liam Lucas Daan Finn Levi Luuk Mees James Milan Sam Noud Bram Jesse Thijs Jens
    Adam Mohammed Ayoub Yusuf Emir Daniël Ruben Tijn Gijs Julian Boaz Hugo Siem Olivier Teun
    Stijn Jurre Floris Mats Ilyas Otis Dex Vince Tobias Hamza Owen Joep Lars Koen Max Morris
    """
)
# "tussenvoegsel|family name", comma separated
FAMILIES = tuple(
    (t, f) if f else ("", t)
    for t, _bar, f in (
        part.partition("|")
        for part in _words(
            """
    de|Vries, Jansen, van den|Berg, van|Dijk, Bakker, Visser, Smit, Meijer, de|Boer, Mulder,
    de|Groot, Bos, Vos, Peters, Hendriks, van|Leeuwen, Dekker, Brouwer, de|Wit, Dijkstra,
    Smits, de|Graaf, van der|Meer, van der|Linden, Kok, Jacobs, de|Haan, Vermeulen, van
    den|Heuvel, van der|Veen, van den|Broek, de|Bruijn, de|Jong, Schouten, van|Beek,
    Willems, van|Vliet, van de|Ven, Hoekstra, Maas, Verhoeven, Koster, van|Dam, van der|Wal,
    Prins, Blom, Huisman, Yılmaz, El Amrani, Bouzid, Kaya, Nguyen, Öztürk, Postma,
    ter|Horst, Kuipers, van|Wijk, Timmermans, Groen, in 't|Veld, Sedney, Wouters, Şahin
    """,
            ",",
        )
    )
)
# Avatars: animals that are NOT among the picture-code pictures, so that a child's own
# animal on the tile is never mistaken for part of the secret.
AVATARS = tuple(
    a
    for a in _words(
        "🐭 🐹 🐨 🐯 🐮 🐷 🐵 🐔 🐧 🐦 🐤 🦆 🦉 🐴 🦄 🐝 🐛 🦋 🐌 🐞 🐍 🦎 🐙 🦑 🦀 🐠 🐟 🐬 🐳 🦈 🐊 🦓 🦒 🦔 🦘 🦥 🦦 🦩 🐘 🦛 🐿️ 🦜 🐺 🐗 🦭"
    )
    if a not in PICTURES
)

# --- content banks (child-like Dutch on purpose) ---------------------------------------

# band -> [(domain, template title, pupil's own title, why, first step, criteria)]
GOALS: dict[str, list[tuple[str, str, str, str, str, tuple[str, ...]]]] = {
    "kleuter": [
        (
            "rekenen",
            "Tellen tot 20",
            "Ik wil tellen tot 20",
            "Dan kan ik alle blokken tellen",
            "Tellen met de kralenketting",
            ("Ik kan tellen tot 10", "Ik kan tellen tot 20", "Ik kan terugtellen vanaf 10"),
        ),
        (
            "taal",
            "De letters van mijn naam",
            "Ik wil mijn naam schrijven",
            "Dan kan ik het op mijn tekening zetten",
            "Letters natekenen op het whiteboard",
            (
                "Ik ken de eerste letter van mijn naam",
                "Ik kan mijn naam naschrijven",
                "Ik kan mijn naam zelf schrijven",
            ),
        ),
        (
            "sociaal",
            "Wachten op je beurt",
            "Ik wil wachten tot ik aan de beurt ben",
            "Dan wordt niemand boos in de kring",
            "In de kring mijn vinger opsteken",
            ("Ik steek mijn vinger op", "Ik wacht tot juf mijn naam zegt"),
        ),
        (
            "wereldoriëntatie",
            "De seizoenen",
            "Ik wil weten wat de herfst doet",
            "Omdat de bladeren vallen",
            "Bladeren zoeken op het plein",
            ("Ik kan 3 dingen van de herfst noemen", "Ik kan de seizoenen op volgorde leggen"),
        ),
        (
            "lezen",
            "Rijmen",
            "Ik wil rijmen",
            "Rijmen is grappig",
            "Rijmwoorden zoeken met de rijmkaartjes",
            ("Ik hoor of twee woorden rijmen", "Ik kan zelf een rijmwoord bedenken"),
        ),
        (
            "sociaal",
            "Zelf opruimen",
            "Ik wil zelf mijn spullen opruimen",
            "Dan kan ik alles snel terugvinden",
            "Na het spelen de bak terugzetten",
            ("Ik ruim op als de muziek klinkt", "Ik weet waar alles hoort"),
        ),
    ],
    "onder": [
        (
            "lezen",
            "Vlot lezen op AVI M3",
            "Ik wil sneller lezen",
            "Dan kan ik zelf de strips lezen",
            "Elke dag een bladzijde hardop lezen met mijn maatje",
            (
                "Ik kan korte woorden in één keer lezen",
                "Ik kan een bladzijde lezen zonder te stoppen",
                "Ik kan vertellen waar het verhaal over ging",
            ),
        ),
        (
            "rekenen",
            "Sommen tot 20",
            "Ik wil de plussommen tot 20 snel kunnen",
            "Dan ben ik sneller klaar met mijn rekenblad",
            "Oefenen met de flitskaarten",
            (
                "Ik kan sommen tot 10 uit mijn hoofd",
                "Ik kan over het tiental heen rekenen",
                "Ik kan 20 sommen maken in 2 minuten",
            ),
        ),
        (
            "rekenen",
            "Klokkijken: hele en halve uren",
            "Ik wil klokkijken",
            "Dan weet ik wanneer het pauze is",
            "Met de oefenklok spelen",
            (
                "Ik kan de hele uren lezen",
                "Ik kan de halve uren lezen",
                "Ik kan zelf een tijd op de klok zetten",
            ),
        ),
        (
            "rekenen",
            "De tafels van 2, 5 en 10",
            "Ik wil de tafel van 5 kennen",
            "Mijn broer kent ze ook al",
            "De tafel opzeggen met de tafelrap",
            (
                "Ik kan de tafel van 2 opzeggen",
                "Ik kan de tafel van 5 opzeggen",
                "Ik ken de tafels door elkaar",
            ),
        ),
        (
            "taal",
            "Hoofdletters en punten",
            "Ik wil hoofdletters en punten goed zetten",
            "Dan kan juf mijn verhaal beter lezen",
            "Mijn zinnen nakijken met de checklist",
            (
                "Ik begin een zin met een hoofdletter",
                "Ik zet een punt aan het eind",
                "Ik kijk mijn eigen werk na",
            ),
        ),
        (
            "sociaal",
            "Hulp vragen",
            "Ik wil hulp vragen als ik vastzit",
            "Nu wacht ik soms heel lang",
            "Het vraagblokje op mijn tafel zetten",
            (
                "Ik probeer het eerst zelf",
                "Ik vraag eerst een maatje",
                "Ik gebruik het vraagblokje",
            ),
        ),
        (
            "wereldoriëntatie",
            "Van rups tot vlinder",
            "Ik wil weten hoe een vlinder groeit",
            "We hebben rupsen in de klas",
            "Een boek over vlinders lezen",
            ("Ik kan de stappen van rups tot vlinder noemen", "Ik kan het tekenen en vertellen"),
        ),
    ],
    "midden": [
        (
            "rekenen",
            "Tafels tot en met 10",
            "Ik wil alle tafels uit mijn hoofd kennen",
            "Dan gaat delen ook makkelijker",
            "Elke dag 5 minuten tafels oefenen op de tablet",
            (
                "Ik ken de tafels van 1 tot 5",
                "Ik ken de tafels van 6 tot 10",
                "Ik ken alle tafels door elkaar in 3 minuten",
            ),
        ),
        (
            "rekenen",
            "Breuken op de getallenlijn",
            "Ik wil breuken snappen",
            "Ik vind breuken nog moeilijk",
            "Breuken tekenen met taartjes",
            (
                "Ik kan een breuk tekenen",
                "Ik kan breuken op de getallenlijn zetten",
                "Ik kan uitleggen welke breuk groter is",
            ),
        ),
        (
            "rekenen",
            "Cijferend vermenigvuldigen",
            "Ik wil onder elkaar keersommen maken",
            "Dan kan ik grote sommen maken",
            "De stappenkaart gebruiken",
            (
                "Ik kan een som met 1 cijfer onder elkaar",
                "Ik kan een som met 2 cijfers",
                "Ik maak minder dan 2 fouten per rij",
            ),
        ),
        (
            "taal",
            "Werkwoorden met d en t",
            "Ik wil minder fouten maken met d en t",
            "Ik maak er nu veel fouten in",
            "Het ezelsbruggetje 't kofschip oefenen",
            (
                "Ik weet wanneer ik -t schrijf",
                "Ik gebruik het stappenplan",
                "Ik maak minder dan 3 fouten in een dictee",
            ),
        ),
        (
            "taal",
            "Een verhaal met begin, midden en eind",
            "Ik wil een spannend verhaal schrijven",
            "Ik wil later schrijver worden",
            "Eerst een verhaalplan maken",
            (
                "Mijn verhaal heeft een begin, midden en eind",
                "Ik gebruik leuke woorden",
                "Ik lees mijn verhaal voor aan de groep",
            ),
        ),
        (
            "lezen",
            "Een dik boek uitlezen",
            "Ik wil een boek van 100 bladzijden uitlezen",
            "Ik heb nog nooit een dik boek uit",
            "Elke dag 15 minuten lezen in de leeshoek",
            (
                "Ik lees elke dag 15 minuten",
                "Ik houd bij waar ik ben",
                "Ik kan vertellen hoe het boek afloopt",
            ),
        ),
        (
            "lezen",
            "De hoofdzaak vinden",
            "Ik wil snappen wat ik lees",
            "Bij begrijpend lezen weet ik vaak niet wat belangrijk is",
            "Belangrijke zinnen onderstrepen",
            ("Ik kan de kernzin vinden", "Ik kan in één zin zeggen waar de tekst over gaat"),
        ),
        (
            "wereldoriëntatie",
            "Werkstuk over de Romeinen",
            "Ik wil een werkstuk maken over de Romeinen",
            "Ik vind gladiatoren heel interessant",
            "Drie boeken halen in de bieb",
            (
                "Ik heb 3 onderzoeksvragen",
                "Ik zoek informatie in 2 bronnen",
                "Ik presenteer mijn werkstuk",
            ),
        ),
        (
            "wereldoriëntatie",
            "Provincies van Nederland",
            "Ik wil alle provincies kennen",
            "Dan weet ik waar opa woont",
            "De topo-app oefenen",
            ("Ik ken 6 provincies", "Ik ken alle 12 provincies", "Ik ken de hoofdsteden"),
        ),
        (
            "sociaal",
            "Zelf plannen",
            "Ik wil mijn weektaak zelf plannen",
            "Ik ben vaak niet op tijd klaar",
            "Op maandag mijn planbord invullen",
            (
                "Ik vul mijn planning in",
                "Ik kijk elke dag op mijn planning",
                "Ik heb op vrijdag alles af",
            ),
        ),
        (
            "sociaal",
            "Samenwerken",
            "Ik wil beter samenwerken in mijn groepje",
            "Soms doe ik alles alleen",
            "Taken verdelen met de taakkaartjes",
            ("Ik luister naar de ander", "Ik verdeel de taken eerlijk", "We maken samen iets af"),
        ),
    ],
    "boven": [
        (
            "rekenen",
            "Procenten",
            "Ik wil rekenen met procenten",
            "Dan weet ik of een aanbieding echt goedkoop is",
            "Uitleg in het filmpje bekijken",
            ("Ik weet wat 1% is", "Ik kan 25% en 50% uitrekenen", "Ik kan elke korting uitrekenen"),
        ),
        (
            "rekenen",
            "Breuken vermenigvuldigen en delen",
            "Ik wil breuken keer en delen doen",
            "Het komt op de eindtoets",
            "Met de breukenstrook oefenen",
            (
                "Ik kan een breuk keer een heel getal",
                "Ik kan breuken met elkaar vermenigvuldigen",
                "Ik kan uitleggen hoe delen door een breuk werkt",
            ),
        ),
        (
            "rekenen",
            "Oppervlakte en omtrek",
            "Ik wil omtrek en oppervlakte uitrekenen",
            "We gaan de moestuin opmeten",
            "Het lokaal opmeten met een meetlint",
            (
                "Ik weet het verschil tussen omtrek en oppervlakte",
                "Ik reken de oppervlakte van een rechthoek uit",
                "Ik reken met m² en cm²",
            ),
        ),
        (
            "taal",
            "Werkwoordspelling",
            "Ik wil werkwoorden foutloos spellen",
            "Ik twijfel altijd bij 'word' en 'wordt'",
            "Het werkwoordschema gebruiken",
            (
                "Ik spel de tegenwoordige tijd goed",
                "Ik spel de verleden tijd goed",
                "Ik spel voltooide deelwoorden goed",
            ),
        ),
        (
            "taal",
            "Een betoog schrijven",
            "Ik wil een betoog schrijven",
            "Ik wil dat de school een voetbalkooi krijgt",
            "Argumenten verzamelen in een schema",
            (
                "Ik geef mijn mening met 3 argumenten",
                "Ik gebruik signaalwoorden",
                "Mijn slot overtuigt de lezer",
            ),
        ),
        (
            "lezen",
            "Samenvatten",
            "Ik wil teksten samenvatten in mijn eigen woorden",
            "Dan kan ik beter leren voor topo en geschiedenis",
            "Per alinea één zin opschrijven",
            (
                "Ik vind de kern van elke alinea",
                "Mijn samenvatting is korter dan de helft",
                "Ik gebruik mijn eigen woorden",
            ),
        ),
        (
            "wereldoriëntatie",
            "Presentatie Tweede Wereldoorlog",
            "Ik wil een presentatie houden over de oorlog",
            "Mijn overgrootvader heeft het meegemaakt",
            "Opa interviewen",
            (
                "Ik heb een duidelijke opbouw",
                "Ik praat zonder van mijn blad te lezen",
                "Ik beantwoord vragen uit de groep",
            ),
        ),
        (
            "wereldoriëntatie",
            "Topografie van Europa",
            "Ik wil de landen van Europa kennen",
            "We gaan op vakantie naar Kroatië",
            "Elke dag 5 landen oefenen",
            ("Ik ken 15 landen", "Ik ken 30 landen en hoofdsteden"),
        ),
        (
            "sociaal",
            "Mijn mening geven",
            "Ik wil mijn mening geven zonder anderen te onderbreken",
            "In de kring praat ik vaak door anderen heen",
            "Tot drie tellen voor ik praat",
            (
                "Ik laat de ander uitpraten",
                "Ik reageer op wat de ander zei",
                "Ik geef mijn mening rustig",
            ),
        ),
        (
            "sociaal",
            "Huiswerk plannen",
            "Ik wil mijn huiswerk zelf plannen in mijn agenda",
            "Volgend jaar zit ik op de middelbare school",
            "Elke maandag mijn agenda invullen",
            (
                "Ik schrijf alles in mijn agenda",
                "Ik verdeel leren over meer dagen",
                "Ik ben nooit te laat met inleveren",
            ),
        ),
    ],
}

DID = (
    "ik heb geoefend met de kaartjes",
    "ik heb 3 bladzijden gelezen",
    "ik heb met {buddy} geoefend",
    "ik heb de uitleg nog een keer gevraagd",
    "ik heb het filmpje gekeken",
    "ik heb een oefentoets gemaakt op de tablet",
    "thuis ook geoefend met mama",
    "ik heb het in mijn schrift opgeschreven",
    "ik heb de stappenkaart gebruikt",
    "10 sommen gemaakt en er waren er 8 goed",
    "ik heb het hardop gezegd",
    "ik heb het aan {buddy} uitgelegd",
    "ik heb het eerst zelf geprobeerd",
    "ik ben begonnen maar nog niet af",
)
HELPED = (
    "de uitleg van {teacher}",
    "oefenen met mijn maatje",
    "het voorbeeld op het bord",
    "dat ik het hardop zei",
    "de stappenkaart",
    "een rustig plekje in de gang",
    "dat ik niet opgaf",
    "de koptelefoon",
    "dat {buddy} het nog een keer voordeed",
    "dat ik het in stukjes deed",
)
NEXT = (
    "morgen nog een keer oefenen",
    "ik ga het zonder hulp proberen",
    "ik ga het aan {buddy} uitleggen",
    "een moeilijkere opdracht kiezen",
    "vragen of {teacher} me overhoort",
    "doorgaan met het volgende stuk",
    "de fouten nog een keer maken",
    "laten zien aan {teacher}",
)
YOUNG_DID = ("ik heb geoefend", "met {buddy} gespeeld", "het is gelukt", "nog een keer gedaan")
OBSERVATIONS = (
    "Werkt geconcentreerd en gebruikt de stappenkaart zonder hulp.",
    "Heeft nog veel ondersteuning nodig bij de eerste stap.",
    "Kan het voordoen, maar nog niet uitleggen aan een ander.",
    "Legt het duidelijk uit aan een klasgenoot.",
    "Haakt af als het moeilijk wordt; kort instructiemoment helpt.",
    "Maakt dezelfde fout steeds opnieuw; samen de stappen nalopen.",
    "Mooie groei zichtbaar in het werk van deze week.",
)
FEEDBACK = (
    "Knap dat je elke dag hebt geoefend!",
    "Wat goed dat je om hulp vroeg. Wat ga je de volgende keer zelf proberen?",
    "Je hebt hier echt stappen gezet. Laat je het morgen aan mij zien?",
    "Ik zie dat je het al zonder hulp kunt. Zullen we een moeilijkere stap kiezen?",
    "Probeer eens uit te leggen hoe je het deed, dan weet je het zeker.",
    "Mooi opgeschreven wat je hebt gedaan!",
    "Ik mis nog een volgende stap. Wat ga je morgen doen?",
    "Je zegt niveau 4. Kun je het aan {buddy} uitleggen? Dan weten we het zeker.",
)
PROUD = (
    "Ik kan nu de tafel van 7!",
    "ik heb mijn boek uit",
    "dat ik zelf mijn planning maak",
    "dat ik hulp vroeg",
    "mijn verhaal was spannend",
    "ik durfde voor de klas te praten",
    "ik heb alles af gekregen",
    "dat ik {buddy} heb geholpen",
)
HELP_WANTED = (
    "met breuken",
    "als ik niet weet hoe ik moet beginnen",
    "met stil werken",
    "met plannen",
    "met lezen",
    "met samenwerken met {buddy}",
    "met de moeilijke woorden",
)
TOPICS = (
    "mijn nieuwe doel",
    "samenwerken",
    "mijn werkstuk",
    "dat ik snel afgeleid ben",
    "welk boek ik nu ga lezen",
    "de toets van volgende week",
)
PUPIL_AGREEMENTS = (
    "Ik oefen elke dag 10 minuten",
    "Ik vraag {buddy} om me te overhoren",
    "Ik lees elke avond 15 minuten",
    "Ik zet mijn doel op mijn planbord",
    "Ik vraag hulp als ik 5 minuten vastzit",
    "Ik laat op vrijdag mijn werk zien",
    "Ik schrijf na elke les één zin bij 'wat ging goed'",
    "Ik kies zelf een nieuw doel",
)
TEACHER_AGREEMENTS = (
    "Ik zoek een passend leesboek uit",
    "Ik maak een stappenkaart voor deze som",
    "Ik plan een instructiemoment aan de instructietafel",
    "Ik bel ouders om het doel te delen",
    "Ik overhoor op donderdag",
)
STAFF_GOALS = (
    (
        "Open vragen in coachgesprekken",
        "Ik stel in coachgesprekken meer open vragen en praat minder zelf",
        ("Ik stel minstens 3 open vragen per gesprek", "De leerling praat meer dan ik"),
    ),
    (
        "Feedback die vooruitkijkt",
        "Ik geef feedback die vooruitkijkt (feed forward)",
        ("Elke feedback eindigt met een volgende stap", "Leerlingen gebruiken mijn feedback"),
    ),
    (
        "Leerlingen formuleren zelf doelen",
        "Ik laat leerlingen zelf hun doelen formuleren",
        (
            "Meer dan de helft van de doelen is door leerlingen geschreven",
            "Doelen zijn concreet en haalbaar",
        ),
    ),
    (
        "Check-ins gebruiken voor instructie",
        "Ik gebruik de check-ins om mijn instructie te plannen",
        ("Ik bekijk de check-ins elke vrijdag", "Ik vorm instructiegroepjes op basis van niveaus"),
    ),
    (
        "Kindgesprekkencyclus",
        "Ik organiseer een kindgesprekkencyclus voor de hele groep",
        ("Elk kind heeft elke 6 weken een gesprek", "Kinderen bereiden hun gesprek zelf voor"),
    ),
    (
        "Differentiëren in de combinatiegroep",
        "Ik differentieer beter in mijn combinatiegroep",
        ("Ik werk met één instructiemoment per leerjaar", "Leerlingen kunnen zelfstandig verder"),
    ),
)
STAFF_REFLECTIONS = (
    (
        "Twee gesprekken opgenomen en teruggeluisterd.",
        "Het gesprekskaartje met vraagstarters.",
        "Volgende week de stilte na een vraag langer laten duren.",
    ),
    (
        "Bij alle check-ins van deze week feedback gegeven.",
        "Het format 'wat ging goed / wat is de volgende stap'.",
        "Kijken of leerlingen de feedback openen en gebruiken.",
    ),
    (
        "Met de groep doelen geformuleerd in kleine groepjes.",
        "Voorbeelddoelen van vorig jaar.",
        "De doelen op het planbord zichtbaar maken.",
    ),
    (
        "Vrijdag de check-ins doorgenomen met mijn duo.",
        "Het overzicht per leerling.",
        "Instructiegroepjes voor rekenen aanpassen.",
    ),
)
# What the teacher notes under "how is it going", by the pupil's story.
HOW_GOING = {
    "thriving": "Gaat goed vooruit; de check-ins laten een stijgende lijn zien.",
    "steady": "Werkt er rustig aan. Vertelt zelf wat al lukt en wat nog lastig is.",
    "stuck": "Blijft een beetje hangen. Samen gekeken wat lastig is.",
    "gap": "Schat zichzelf anders in dan wat ik zie; samen naar het werk gekeken.",
    "quiet": "Oefent wel, maar vergeet de check-ins in te vullen.",
    "overdue": "Het doel was groter dan gedacht; de streefdatum haalt het niet.",
    "no_goal": "Vindt het lastig om een nieuw doel te kiezen.",
    "overdue_agreement": "Goede start, maar de afspraken raken snel uit beeld.",
    "no_talk": "Werkt er rustig aan.",
}
WHERE_NEXT = (
    "Volgende stap: zonder hulp proberen en het daarna uitleggen aan een maatje.",
    "Het doel kleiner maken: eerst het eerste succescriterium.",
    "Elke dag even oefenen en het in de check-in vertellen.",
)
STAFF_FEEDBACK = (
    "Mooi om te zien hoe je dit aanpakt. Wat merk je bij de kinderen?",
    "Goede stap! Zullen we dit in het volgende gesprek met de bouw delen?",
    "Ik zag het terug tijdens mijn klassenbezoek. Wat is je volgende stap?",
)
SCAN_NEEDED = {
    "vision": "Visie op eigenaarschap samen met het team herijken en zichtbaar maken in de klas.",
    "expertise": "Scholing coachende gesprekstechnieken voor alle leerkrachten; intervisie per bouw.",
    "content": "Doelenmenu's per leerjaar afstemmen; goede voorbeelden delen.",
    "ict": "Genoeg tablets per groep en stabiel wifi in de middenbouw.",
    "leadership": "Bouwcoördinatoren meer ruimte geven om collega's te coachen.",
    "cooperation": "Ouders betrekken bij de kindgesprekken; samenwerken met de bibliotheek.",
}

# --- the schools ------------------------------------------------------------------------

# (name, year levels, class code, teachers: (given, tussenvoegsel, family, title), pupils)
MAIN_GROUPS = (
    (
        "Groep 1/2a",
        "1,2",
        "RGBKGR2A",
        (("Sanne", "", "Bakker", "juf"), ("Fatima", "", "El Idrissi", "juf")),
        26,
    ),
    ("Groep 1/2b", "1,2", "RGBKGR2B", (("Ingrid", "de", "Boer", "juf"),), 25),
    ("Groep 3", "3", "RGBKGRP3", (("Lotte", "", "Vermeulen", "juf"),), 28),
    (
        "Groep 4",
        "4",
        "RGBKGRP4",
        (("Mark", "", "Jansen", "meester"), ("Esther", "van", "Dijk", "juf")),
        28,
    ),
    (
        "Groep 5/6",
        "5,6",
        "RGBKGR56",
        (("Joost", "van der", "Meer", "meester"), ("Aylin", "", "Kaya", "juf")),
        31,
    ),
    ("Groep 7", "7", "RGBKGRP7", (("Priya", "", "Ramdin", "juf"),), 30),
    ("Groep 8", "8", "RGBKGRP8", (("Ruud", "", "Hendriks", "meester"),), 30),
)
MAIN_DOMAIN = "regenboog.example"
DIRECTOR = ("Marieke", "de", "Vries")
ADMIN = ("Peter", "", "Smit")
BOARD_USER = ("Hans", "", "Mulder")
SENIOR_GROUP = "Groep 8"  # its teacher is the senior teacher leading the bovenbouw
DEMO_TEACHER_GROUP = "Groep 5/6"  # teacher account shown on the sign-in page
DEMO_PUPIL_GROUPS = ("Groep 3", "Groep 5/6")  # picture group and PIN group

SIBLINGS = (
    {
        "name": "Daltonschool De Vlinder",
        "brin": "31QV",
        "concept": "dalton",
        "denomination": "protestants-christelijk",
        "special": False,
        "trend": "growth",
        "domain": "vlinder.example",
        "settings": {"talk_due_weeks": 4},
        "activity": 1.2,
        "director": ("Wendy", "", "Kuipers"),
        "groups": (
            ("Groep 1/2", "1,2", "WNDRGRP2", ("Anouk", "", "Postma", "juf"), 16),
            ("Groep 4/5", "4,5", "WNDRGR45", ("Bas", "ter", "Horst", "meester"), 17),
            ("Groep 7/8", "7,8", "WNDRGR78", ("Marloes", "", "Groen", "juf"), 15),
        ),
    },
    {
        "name": "Montessorischool Het Kompas",
        "brin": "27KM",
        "concept": "montessori",
        "denomination": "algemeen bijzonder",
        "special": False,
        "trend": "stable",
        "domain": "kompas.example",
        "settings": {},
        "activity": 1.0,
        "director": ("Erik", "van", "Wijk"),
        "groups": (
            ("Onderbouw", "1,2", "KMPSGRP2", ("Naima", "", "Bouzid", "juf"), 18),
            ("Middenbouw", "3,4,5", "KMPSG345", ("Thomas", "", "Wouters", "meester"), 20),
            ("Bovenbouw", "6,7,8", "KMPSG678", ("Ellen", "", "Timmermans", "juf"), 19),
        ),
    },
    {
        "name": "Jenaplanschool De Wereldboom",
        "brin": "14JW",
        "concept": "jenaplan",
        "denomination": "openbaar",
        "special": False,
        "trend": "shrink",
        "domain": "wereldboom.example",
        "settings": {"quiet_days": 10},
        "activity": 0.8,
        "director": ("Karin", "in 't", "Veld"),
        "groups": (
            ("Stamgroep De Egels", "1,2", "WRDXGRP2", ("Mirjam", "", "Koster", "juf"), 14),
            ("Stamgroep De Vossen", "3,4,5", "WRDXG345", ("Daan", "", "Prins", "meester"), 15),
            ("Stamgroep De Uilen", "6,7,8", "WRDXG678", ("Sevda", "", "Şahin", "juf"), 14),
        ),
    },
    {
        "name": "SBO De Brug",
        "brin": "08SB",
        "concept": "regular",
        "denomination": "openbaar",
        "special": True,
        "trend": "stable",
        "domain": "debrug.example",
        "settings": {"stuck_checkins": 4, "talk_due_weeks": 4},
        "activity": 0.6,
        "director": ("Ronald", "", "Blom"),
        "groups": (
            ("Groep Noord", "3,4", "BRGXGR34", ("Jolanda", "", "Huisman", "juf"), 12),
            ("Groep Oost", "5,6", "BRGXGR56", ("Stefan", "", "Maas", "meester"), 13),
            ("Groep West", "7,8", "BRGXGR78", ("Carla", "", "Sedney", "juf"), 12),
        ),
    },
)

# Vier in balans: (current, desired) per block, per school profile.
SCAN_PROFILES = {
    "regular": {
        "vision": (2, 4),
        "expertise": (2, 3),
        "content": (2, 3),
        "ict": (3, 3),
        "leadership": (2, 4),
        "cooperation": (2, 3),
    },
    "dalton": {
        "vision": (3, 4),
        "expertise": (3, 4),
        "content": (3, 3),
        "ict": (2, 3),
        "leadership": (3, 4),
        "cooperation": (3, 4),
    },
    "montessori": {
        "vision": (4, 4),
        "expertise": (3, 4),
        "content": (2, 3),
        "ict": (2, 3),
        "leadership": (3, 3),
        "cooperation": (2, 3),
    },
    "jenaplan": {
        "vision": (3, 4),
        "expertise": (2, 3),
        "content": (2, 3),
        "ict": (1, 3),
        "leadership": (2, 3),
        "cooperation": (3, 4),
    },
    "special": {
        "vision": (2, 3),
        "expertise": (3, 4),
        "content": (1, 3),
        "ict": (2, 2),
        "leadership": (2, 3),
        "cooperation": (2, 3),
    },
}


# --- dates ----------------------------------------------------------------------------


def school_year_start(today: date) -> date:
    """1 September of the running school year (before September: the year before)."""
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def school_year_label(today: date) -> str:
    start = school_year_start(today)
    return f"{start.year}-{start.year + 1}"


def _is_holiday(d: date) -> bool:
    week = d.isocalendar().week
    if week == 43 or week == 8:  # herfstvakantie, voorjaarsvakantie (roughly)
        return True
    if (d.month, d.day) >= (12, 21) or (d.month, d.day) <= (1, 3):  # kerstvakantie
        return True
    if (4, 27) <= (d.month, d.day) <= (5, 5):  # meivakantie
        return True
    return (7, 18) <= (d.month, d.day) <= (8, 31)  # zomervakantie


MIN_SCHOOL_DAYS = 45  # early in the school year the story reaches back into the last one


def _school_days(today: date) -> list[date]:
    """School days before today: from 1 September, but at least MIN_SCHOOL_DAYS of them."""
    start = school_year_start(today)
    days: list[date] = []
    d = today - timedelta(days=1)
    while d >= start or len(days) < MIN_SCHOOL_DAYS:
        # Holidays are left out, except in the last three weeks: a demo built during a
        # holiday still looks like a school in full swing.
        recent = (today - d).days <= 21
        if d.weekday() < 5 and (recent or not _is_holiday(d)):
            days.append(d)
        d -= timedelta(days=1)
    days.reverse()
    return days


def _at(d: date, rng: random.Random, start_hour: int = 7, end_hour: int = 13) -> datetime:
    """A moment during the school day (UTC; 08:30-15:00 in Amsterdam is 06:30-14:00)."""
    minutes = rng.randint(start_hour * 60 + 30, end_hour * 60 + 30)
    return datetime.combine(d, time(minutes // 60, minutes % 60), tzinfo=UTC)


# --- builder ----------------------------------------------------------------------------


@dataclass
class _Pupil:
    person: Person
    group: Group
    year: int
    band: str
    profile: str
    ownership: float  # how much this child writes and reflects
    teachers: list[_Staff]
    buddy: str = "mijn maatje"  # a classmate to practise with, for the reflections
    showcase: bool = False  # the pupil offered on the sign-in page: a rich, healthy story
    activity: float = 1.0  # the school's pace: sibling schools check in less often


@dataclass
class _Staff:
    person: Person
    title: str  # juf / meester
    email: str

    @property
    def addressed(self) -> str:
        return f"{self.title} {self.person.given_name}"


def _band(year: int) -> str:
    if year <= 2:
        return "kleuter"
    if year <= 4:
        return "onder"
    if year <= 6:
        return "midden"
    return "boven"


def _email(given: str, tussen: str, family: str, domain: str) -> str:
    local = f"{given}.{tussen}{family}".lower()
    table = str.maketrans({" ": "", "'": "", "ë": "e", "ş": "s", "ı": "i", "ö": "o", "ü": "u"})
    return f"{local.translate(table)}@{domain}"


def _field_defaults(model: type) -> dict:
    """The model's own defaults for the columns a Core insert must name."""
    out = {}
    for name, info in model.model_fields.items():
        if name == "id":
            continue
        if info.default_factory is not None:
            out[name] = info.default_factory()
        elif not info.is_required():
            out[name] = info.default
    return out


class _Builder:
    def __init__(self, session: Session, today: date, seed: int) -> None:
        self.s = session
        self.today = today
        self.rng = random.Random(seed)
        self.seed = seed
        self.days = _school_days(today)
        self.year_label = school_year_label(today)
        self.start_ts = datetime.combine(self.days[0], time(6, 0), tzinfo=UTC)
        self.rows: dict[str, int] = {}
        self.staff_hash = hash_password(DEMO_PASSWORD)
        self.secret_hash = {
            SecretKind.picture.value: hash_pupil_secret(picture_secret(DEMO_PICTURES)),
            SecretKind.pin.value: hash_pupil_secret(pin_secret(DEMO_PIN)),
        }
        self.pupil_number = 1000
        self.secret_enc: dict[str, str] = {}  # filled once the database has its key

    # -- helpers --

    def add(self, rows: list) -> None:
        if not rows:
            return
        self.s.add_all(rows)
        self.s.flush()
        name = type(rows[0]).__tablename__
        self.rows[name] = self.rows.get(name, 0) + len(rows)

    def encrypted_code(self, kind: str) -> str:
        """The demo code, encrypted so that teachers can print the demo's sign-in cards."""
        if kind not in self.secret_enc:
            from .pupil_codes import encrypted

            secret = picture_secret(DEMO_PICTURES) if kind == "picture" else pin_secret(DEMO_PIN)
            self.secret_enc[kind] = encrypted(self.s, secret)
        return self.secret_enc[kind]

    def insert(self, model: type, rows: list[dict], *, ids: bool = False) -> None:
        """Many rows of one table at once (Core executemany, no ORM objects: fast).

        With ``ids`` each dict gets its new ``id`` (in order, via RETURNING)."""
        if not rows:
            return
        self.s.flush()  # ORM rows they refer to go first
        table = model.__table__
        defaults = _field_defaults(model)
        params = [{**defaults, **row} for row in rows]
        if ids:
            stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            new_ids = self.s.execute(stmt, params).scalars().all()
            for row, new_id in zip(rows, new_ids, strict=True):
                row["id"] = new_id
        else:
            self.s.execute(insert(table), params)
        self.rows[table.name] = self.rows.get(table.name, 0) + len(rows)

    @staticmethod
    def fill(text: str, pupil: _Pupil | None) -> str:
        buddy = pupil.buddy if pupil else "een collega"
        teacher = pupil.teachers[0].addressed if pupil and pupil.teachers else "juf"
        return text.format(buddy=buddy, teacher=teacher)

    def staff(
        self, school: School, role: Role, name: tuple, domain: str, title: str = ""
    ) -> _Staff:
        given, tussen, family = name[:3]
        email = _email(given, tussen, family, domain)
        person = Person(
            school_id=school.id,
            role=role.value,
            given_name=given,
            tussenvoegsel=tussen,
            family_name=family,
            email=email,
            password_hash=self.staff_hash,
            created_at=self.start_ts,
        )
        return _Staff(
            person=person, title=title or ("juf" if given in GIRLS else "meester"), email=email
        )

    # -- schools, groups, people --

    def build(self) -> DemoSummary:
        board = Board(name=BOARD_NAME, created_at=self.start_ts)
        self.add([board])
        main = School(
            board_id=board.id,
            name=MAIN_SCHOOL,
            brin="19RB",
            concept="regular",
            denomination="openbaar",
            special_education=False,
            region_trend="growth",
            settings={},
            is_demo=True,
            created_at=self.start_ts,
        )
        siblings = [
            School(
                board_id=board.id,
                name=spec["name"],
                brin=spec["brin"],
                concept=spec["concept"],
                denomination=spec["denomination"],
                special_education=spec["special"],
                region_trend=spec["trend"],
                settings=dict(spec["settings"]),
                is_demo=True,
                created_at=self.start_ts,
            )
            for spec in SIBLINGS
        ]
        self.add([main, *siblings])
        confirm_only_schools(self.s, [main.id, *[s.id for s in siblings]])

        # Main school: groups, staff, pupils.
        groups = [
            Group(
                school_id=main.id,
                name=name,
                year_levels=years,
                school_year=self.year_label,
                class_code=code,
                pupil_secret_kind=self._secret_kind(years),
            )
            for name, years, code, _t, _n in MAIN_GROUPS
        ]
        sibling_groups = [
            [
                Group(
                    school_id=school.id,
                    name=g[0],
                    year_levels=g[1],
                    school_year=self.year_label,
                    class_code=g[2],
                    pupil_secret_kind=self._secret_kind(g[1]),
                )
                for g in spec["groups"]
            ]
            for school, spec in zip(siblings, SIBLINGS, strict=True)
        ]
        self.add(groups + [g for gs in sibling_groups for g in gs])

        teachers_by_group: dict[int, list[_Staff]] = {}
        staff: list[_Staff] = []
        for group, spec in zip(groups, MAIN_GROUPS, strict=True):
            members = [self.staff(main, Role.teacher, t, MAIN_DOMAIN, t[3]) for t in spec[3]]
            teachers_by_group[id(group)] = members
            staff += members
        director = self.staff(main, Role.leader, DIRECTOR, MAIN_DOMAIN)
        admin = self.staff(main, Role.admin, ADMIN, MAIN_DOMAIN)
        board_user = self.staff(main, Role.board, BOARD_USER, MAIN_DOMAIN)
        board_user.person.school_id = None
        board_user.person.board_id = board.id
        sib_directors: list[_Staff] = []
        for school, spec, gs in zip(siblings, SIBLINGS, sibling_groups, strict=True):
            sib_directors.append(self.staff(school, Role.leader, spec["director"], spec["domain"]))
            for group, g in zip(gs, spec["groups"], strict=True):
                teacher = self.staff(school, Role.teacher, g[3], spec["domain"], g[3][3])
                teachers_by_group[id(group)] = [teacher]
                staff.append(teacher)
        self.add([s.person for s in (*staff, director, admin, board_user, *sib_directors)])

        pupils: list[_Pupil] = []
        for group, spec in zip(groups, MAIN_GROUPS, strict=True):
            pupils += self.pupils(
                group, spec[4], teachers_by_group[id(group)], 1.0, all_patterns=True
            )
        for spec, gs in zip(SIBLINGS, sibling_groups, strict=True):
            for group, g in zip(gs, spec["groups"], strict=True):
                pupils += self.pupils(
                    group, g[4], teachers_by_group[id(group)], spec["activity"], all_patterns=False
                )
        self.add([p.person for p in pupils])

        since = date(school_year_start(self.today).year, 8, 1)
        memberships = [
            dict(person_id=s.person.id, group_id=g.id, role="teacher", start_date=since)
            for g in groups + [g for gs in sibling_groups for g in gs]
            for s in teachers_by_group[id(g)]
        ]
        memberships += [
            dict(
                person_id=p.person.id,
                group_id=p.group.id,
                role="pupil",
                start_date=since,
                year_level=p.year,
            )
            for p in pupils
        ]
        self.insert(Membership, memberships)
        senior = teachers_by_group[id(groups[[g[0] for g in MAIN_GROUPS].index(SENIOR_GROUP)])][0]
        self.add([LeadScope(person_id=senior.person.id, school_id=main.id, bouw="bovenbouw")])

        # Goal menus per group.
        templates: dict[int, list[GoalTemplate]] = {}
        all_templates: list[GoalTemplate] = []
        for group in groups + [g for gs in sibling_groups for g in gs]:
            band = _band(min(int(y) for y in group.year_levels.split(",")))
            bank = GOALS[band]
            picks = self.rng.sample(range(len(bank)), k=min(len(bank), self.rng.randint(4, 6)))
            author = teachers_by_group[id(group)][0]
            rows = [
                GoalTemplate(
                    group_id=group.id,
                    author_id=author.person.id,
                    title=bank[i][1],
                    domain=bank[i][0],
                    success_criteria=list(bank[i][5]),
                    created_at=_at(self.days[min(2, len(self.days) - 1)], self.rng),
                )
                for i in sorted(picks)
            ]
            templates[group.id] = rows
            all_templates += rows
        self.add(all_templates)

        self.learning(pupils, templates)
        main_pupils = [p for p in pupils if p.person.school_id == main.id]
        self.last_year(main, groups, teachers_by_group, main_pupils, since)
        school_staff: dict[int, tuple[_Staff, list[_Staff]]] = {
            main.id: (director, [s for s in staff if s.person.school_id == main.id])
        }
        for school, d in zip(siblings, sib_directors, strict=True):
            school_staff[school.id] = (d, [s for s in staff if s.person.school_id == school.id])
        self.staff_learning(school_staff)
        self.scans(main, director, siblings, sib_directors)
        self.s.commit()
        return DemoSummary(
            school_id=main.id,
            board_id=board.id,
            school_ids=(main.id, *[s.id for s in siblings]),
            today=self.today,
            school_year=self.year_label,
            rows=dict(sorted(self.rows.items())),
        )

    @staticmethod
    def _secret_kind(years: str) -> str:
        lowest = min(int(y) for y in years.split(","))
        return SecretKind.picture.value if lowest <= 3 else SecretKind.pin.value

    def pupils(
        self, group: Group, n: int, teachers: list[_Staff], activity: float, all_patterns: bool
    ) -> list[_Pupil]:
        rng = self.rng
        years = [int(y) for y in group.year_levels.split(",")]
        if all_patterns:
            profiles = list(ATTENTION)
            profiles += rng.sample(ATTENTION, k=2)
        else:
            profiles = rng.sample(ATTENTION, k=rng.randint(1, 3))
        profiles += [
            "thriving" if rng.random() < 0.35 * activity else "steady"
            for _ in range(n - len(profiles) - 1)
        ]
        rng.shuffle(profiles)
        # The demo pupil (first made, lowest id) shows a healthy, rich story.
        profiles.insert(0, "thriving")
        seen: set[str] = set()
        result = []
        for i in range(n):
            while True:
                given = rng.choice(GIRLS if rng.random() < 0.5 else BOYS)
                tussen, family = rng.choice(FAMILIES)
                if (given, family) not in seen:
                    seen.add((given, family))
                    break
            self.pupil_number += 1
            person = Person(
                school_id=group.school_id,
                role=Role.pupil.value,
                given_name=given,
                tussenvoegsel=tussen,
                family_name=family,
                external_id=str(self.pupil_number),
                secret_hash=self.secret_hash[group.pupil_secret_kind],
                secret_enc=self.encrypted_code(group.pupil_secret_kind),
                avatar=rng.choice(AVATARS),
                created_at=self.start_ts,
            )
            year = years[i * len(years) // n]
            ownership = min(1.0, max(0.05, rng.gauss(0.6, 0.2) * activity))
            if profiles[i] == "thriving":
                ownership = max(ownership, 0.75)
            pupil = _Pupil(person, group, year, _band(year), profiles[i], ownership, teachers)
            pupil.showcase = i == 0  # demo_accounts offers the first pupil of a group
            pupil.activity = activity
            result.append(pupil)
        for p in result:
            other = rng.choice(result)
            if other is not p:
                p.buddy = other.person.given_name
        return result

    # -- last school year (main school) --

    def last_year(
        self,
        school: School,
        groups: list[Group],
        teachers_by_group: dict[int, list[_Staff]],
        pupils: list[_Pupil],
        since: date,
    ) -> None:
        """Last year's groups (archived) with the same pupils one jaargroep lower, their
        memberships ending where this year's start, and a modest set of goals they reached
        then, so that a growth page shows an earlier year. Its own random stream: this
        year's story stays exactly as it was for a seed."""
        from .school_year import shifted_name

        rng = random.Random(self.seed * 7919 + 1)
        before = since.replace(year=since.year - 1)
        label = f"{before.year}-{since.year}"
        by_name = {g.name: g for g in groups}
        kleuter = [g for g in groups if g.year_levels == "1,2"]
        # last year's group (name -> years, teachers, kind) and each pupil's place in it
        old: dict[str, tuple[str, list[_Staff], str]] = {}
        placed: list[tuple[_Pupil, str, int]] = []
        for i, p in enumerate(pupils):
            if p.year == 1:
                continue  # new at school this year
            year = p.year - 1
            levels = [int(y) for y in p.group.year_levels.split(",")]
            if levels == [1, 2]:
                name, years = p.group.name, "1,2"
            elif year <= 2:
                name, years = kleuter[i % len(kleuter)].name, "1,2"
            else:
                lower = [y - 1 for y in levels]
                name, years = shifted_name(p.group.name, lower), ",".join(map(str, lower))
            same = by_name.get(name)
            teachers = teachers_by_group[id(same if same is not None else p.group)]
            old.setdefault(name, (years, teachers, self._secret_kind(years)))
            placed.append((p, name, year))
        old_groups = {
            name: Group(
                school_id=school.id,
                name=name,
                year_levels=years,
                school_year=label,
                class_code="RGBKWX" + ALPHABET[n // 29] + ALPHABET[n % 29],
                pupil_secret_kind=kind,
                active=False,
            )
            for n, (name, (years, _t, kind)) in enumerate(sorted(old.items()))
        }
        self.add(list(old_groups.values()))
        memberships = [
            dict(
                person_id=t.person.id,
                group_id=old_groups[name].id,
                role="teacher",
                start_date=before,
                end_date=since,
            )
            for name, (_y, teachers, _k) in sorted(old.items())
            for t in teachers
        ]
        memberships += [
            dict(
                person_id=p.person.id,
                group_id=old_groups[name].id,
                role="pupil",
                start_date=before,
                end_date=since,
                year_level=year,
            )
            for p, name, year in placed
        ]
        self.insert(Membership, memberships)

        # School days of last year for its goals: October to June, before this year's story.
        last_day = min(date(since.year, 6, 30), self.days[0] - timedelta(days=14))
        days = [
            before + timedelta(days=n)
            for n in range(60, (last_day - before).days)
            if (before + timedelta(days=n)).weekday() < 5
            and not _is_holiday(before + timedelta(days=n))
        ]
        if len(days) < 60:  # (a demo dated early in a school year that began oddly)
            return
        goals: list[dict] = []
        stories: list[tuple[_Pupil, dict, tuple[str, ...], list[tuple[int, int]]]] = []
        for p, _name, year in placed:
            band = _band(year)
            for k in range(2 if p.showcase or rng.random() < 0.4 else 1):
                domain, tpl_title, kid_title, why, step, criteria = rng.choice(GOALS[band])
                by_teacher = band == "kleuter" and rng.random() < 0.7
                half = len(days) // 2
                start = rng.randrange(k * half, (k + 1) * half - 25)
                achieved = rng.random() < 0.85
                n = rng.randint(2, 4)
                idx = sorted(rng.sample(range(start + 2, start + 25), n))
                created = _at(days[start], rng)
                done = _at(days[idx[-1]], rng) + timedelta(minutes=5) if achieved else None
                goals.append(
                    dict(
                        owner_id=p.person.id,
                        created_by_id=(p.teachers[0].person.id if by_teacher else p.person.id),
                        title=tpl_title if by_teacher else kid_title,
                        why=why,
                        first_step=step,
                        domain=domain,
                        status=GoalStatus.achieved.value if achieved else GoalStatus.dropped.value,
                        created_at=created,
                        updated_at=done or _at(days[idx[-1]], rng),
                        achieved_at=done,
                    )
                )
                if achieved:  # rising to "I can explain it" at the last check-in
                    levels = [1 + (3 * i) // (n - 1) for i in range(n)]
                else:
                    levels = [rng.choice((1, 2)) for _ in range(n)]
                stories.append((p, goals[-1], criteria, list(zip(idx, levels, strict=True))))
        self.insert(Goal, goals, ids=True)
        criteria_rows: list[dict] = []
        checkins: list[dict] = []
        for p, goal, criteria, points in stories:
            for pos, text in enumerate(criteria):
                criteria_rows.append(
                    dict(
                        goal_id=goal["id"], position=pos, text=text, achieved_at=goal["achieved_at"]
                    )
                )
            for di, level in points:
                reflect = p.band != "kleuter" and rng.random() < p.ownership
                checkins.append(
                    dict(
                        goal_id=goal["id"],
                        author_id=p.person.id,
                        kind=CheckInKind.self_assessment.value,
                        level=level,
                        did=self.fill(rng.choice(DID), p) if reflect else "",
                        created_at=_at(days[di], rng),
                    )
                )
        self.insert(SuccessCriterion, criteria_rows)
        self.insert(CheckIn, checkins)

    # -- goals, check-ins, feedback, talks --

    def _levels(self, n: int, shape: str) -> list[int]:
        rng = self.rng
        if n <= 0:
            return []
        if shape == "stall":
            lvl = rng.choice((1, 2, 2))
            return [lvl] * n
        if shape == "drop":
            start = rng.choice((3, 3, 2))
            out = []
            for i in range(n):
                out.append(max(1, start - (i * 2) // max(n, 1)))
            return out
        if shape == "achieved":
            start, end = rng.choice((1, 2)), 4
        else:  # "rise": healthy and still busy, ends at 2 or 3
            start, end = 1, rng.choice((2, 3, 3))
        if n == 1:
            return [start]
        # Rounding down: the top level is reached only at the last check-in, so the
        # latest check-ins always show the rise.
        return [start + ((end - start) * i) // (n - 1) for i in range(n)]

    def learning(self, pupils: list[_Pupil], templates: dict[int, list[GoalTemplate]]) -> None:
        rng = self.rng
        n_days = len(self.days)
        last = n_days - 1
        # (pupil, goal, check-in day indexes, their levels, criteria, status, is the last goal)
        plans: list[tuple[_Pupil, Goal, list[int], list[int], tuple[str, ...], str, bool]] = []
        goals: list[Goal] = []
        for p in pupils:
            day = rng.randint(2, 8)
            stories = []
            while True:
                end = day + rng.randint(18, 32)
                if end + 20 >= last:  # no room for another goal after this one
                    stories.append((day, last, True))
                    break
                stories.append((day, end, False))
                day = end + rng.randint(1, 4)
            for start, end, final in stories:
                if final and p.profile == "overdue":
                    start = min(start, max(0, last - 25))  # old enough to be overdue
                if final:
                    status = GoalStatus.active.value
                else:
                    status = rng.choices(
                        [
                            GoalStatus.achieved.value,
                            GoalStatus.dropped.value,
                            GoalStatus.paused.value,
                        ],
                        weights=(8, 1, 1),
                    )[0]
                shape = (
                    "achieved"
                    if status == GoalStatus.achieved.value
                    else rng.choice(("rise", "stall", "drop", "rise"))
                )
                profile = p.profile
                if final:
                    shape = {"stuck": "stall", "gap": "rise"}.get(profile, "rise")
                    if profile == "steady" and rng.random() < 0.05:
                        shape = "drop"
                if final and profile == "no_goal":
                    # Finished the last goal and never chose a new one.
                    status = GoalStatus.achieved.value
                    shape = "achieved"
                    end = max(start + 5, last - rng.randint(12, 20))
                checkin_end = end
                if final and profile == "quiet":
                    checkin_end = max(start + 3, self._index_days_ago(rng.randint(19, 33)))
                # Check-ins every few school days; more for children who own their learning.
                gap_lo, gap_hi = (2, 5) if rng.random() < p.ownership else (4, 8)
                if p.activity < 1:  # a quieter school
                    gap_lo, gap_hi = gap_lo + 2, gap_hi + 3
                idx = []
                d = start + rng.randint(1, 3)
                while d <= checkin_end:
                    idx.append(d)
                    d += rng.randint(gap_lo, gap_hi)
                busy = final and status == GoalStatus.active.value and profile != "quiet"
                if busy and (not idx or idx[-1] < last - 4):
                    idx.append(last - rng.randint(0, 3))
                if busy and profile == "stuck" and len(idx) < 4:
                    # Enough check-ins to see that the level does not move.
                    idx = sorted(set(idx) | set(range(max(start, last - 8), last + 1, 2)))
                levels = self._levels(len(idx), shape)
                entry = self._choose_goal(p, templates.get(p.group.id, []))
                domain, title, why, step, criteria, template, by_teacher = entry
                creator = p.teachers[0].person if by_teacher and p.teachers else p.person
                created = _at(self.days[start], rng)
                target = None
                if rng.random() < 0.8 or (final and profile == "overdue"):
                    target = self.days[min(start + rng.randint(20, 30), last)] + timedelta(days=7)
                    if final and profile == "overdue":
                        target = self.today - timedelta(days=rng.randint(4, 20))
                    elif final and target < self.today:
                        target = self.today + timedelta(days=rng.randint(7, 30))
                goal = Goal(
                    owner_id=p.person.id,
                    created_by_id=creator.id,
                    template_id=template.id if template else None,
                    title=title,
                    why=why if not by_teacher or rng.random() < 0.5 else "",
                    first_step=step,
                    domain=domain,
                    target_date=target,
                    status=status,
                    created_at=created,
                    updated_at=created,
                )
                goals.append(goal)
                plans.append((p, goal, idx, levels, criteria, status, final))
        self.add(goals)

        criteria_rows: list[dict] = []
        checkins: list[dict] = []
        checkin_meta: list[tuple[_Pupil, dict]] = []
        for p, goal, idx, levels, criteria, status, final in plans:
            young = p.band == "kleuter"
            last_ts = goal.created_at
            last_next = ""
            for di, level in zip(idx, levels, strict=True):
                ts = _at(self.days[di], rng)
                reflect = rng.random() < (p.ownership * (0.25 if young else 0.9))
                did = helped = nxt = ""
                if reflect:
                    did = self.fill(rng.choice(YOUNG_DID if young else DID), p)
                    if not young:
                        helped = self.fill(rng.choice(HELPED), p) if rng.random() < 0.7 else ""
                        nxt = self.fill(rng.choice(NEXT), p) if rng.random() < 0.8 else ""
                c = dict(
                    goal_id=goal.id,
                    author_id=p.person.id,
                    kind=CheckInKind.self_assessment.value,
                    level=level,
                    did=did,
                    helped=helped,
                    next=nxt,
                    created_at=ts,
                )
                checkins.append(c)
                checkin_meta.append((p, c))
                last_ts = max(last_ts, ts)
                last_next = nxt or last_next
            # Teacher observations: now and then; always a gap for the "gap" pupils.
            obs_idx = [di for di in idx if rng.random() < 0.18]
            if final and p.profile == "gap" and idx:
                # Over- or underestimates: the observation is 2 levels off the latest self.
                self_level = levels[-1]
                obs_level = self_level - 2 if self_level >= 3 else self_level + 2
                obs_idx = [di for di in obs_idx if di < idx[-1]]
                checkins.append(
                    dict(
                        goal_id=goal.id,
                        author_id=p.teachers[0].person.id,
                        kind=CheckInKind.observation.value,
                        level=max(1, min(4, obs_level)),
                        did=rng.choice(OBSERVATIONS[1:3]),
                        created_at=_at(
                            self.days[min(idx[-1] + 1, len(self.days) - 1)], rng, 13, 14
                        ),
                    )
                )
            for di in obs_idx:
                pos = idx.index(di)
                # On the running goal the teacher agrees with the pupil's latest view, so
                # the only self/teacher gaps are the deliberate ones.
                jitter = 0 if final else rng.choice((-1, 0, 0, 0, 1))
                lvl = max(1, min(4, (levels[-1] if final else levels[pos]) + jitter))
                checkins.append(
                    dict(
                        goal_id=goal.id,
                        author_id=rng.choice(p.teachers).person.id,
                        kind=CheckInKind.observation.value,
                        level=lvl,
                        did=rng.choice(OBSERVATIONS),
                        created_at=_at(self.days[di], rng, 13, 14),
                    )
                )
            # Success criteria, ticked as the level rises.
            top = levels[-1] if levels else 1
            ticked = (
                len(criteria)
                if status == GoalStatus.achieved.value
                else ((len(criteria) * (top - 1)) // 3)
            )
            for pos, text in enumerate(criteria):
                done_at = None
                if pos < ticked and idx:
                    done_at = _at(
                        self.days[
                            idx[min(len(idx) - 1, (pos + 1) * len(idx) // (len(criteria) + 1))]
                        ],
                        rng,
                    )
                criteria_rows.append(
                    dict(goal_id=goal.id, position=pos, text=text, achieved_at=done_at)
                )
            goal.updated_at = last_ts
            goal.next_step = last_next
            if status == GoalStatus.achieved.value:
                goal.achieved_at = last_ts + timedelta(minutes=1)
                goal.updated_at = goal.achieved_at
            if rng.random() < 0.15:
                goal.version = 2  # edited once
        self.insert(CheckIn, checkins, ids=True)
        self.insert(SuccessCriterion, criteria_rows)

        # Feedback on some self check-ins; recent feedback is more often still unseen.
        feedback = []
        now_ts = datetime.combine(self.today, time(6, 0), tzinfo=UTC)
        latest = {p.person.id: c for p, c in checkin_meta}
        for p, c in checkin_meta:
            # The showcase pupil finds new feedback on their latest check-in.
            news = p.showcase and latest[p.person.id] is c
            if not p.teachers or (rng.random() > 0.22 and not news):
                continue
            at = c["created_at"] + timedelta(hours=rng.randint(2, 30))
            if at >= now_ts:
                at = now_ts - timedelta(minutes=rng.randint(30, 600))
            recent = (now_ts - at).days < 7
            seen = None
            if not news and rng.random() < (0.4 if recent else 0.85):
                seen = min(now_ts - timedelta(minutes=5), at + timedelta(hours=rng.randint(1, 48)))
            feedback.append(
                dict(
                    checkin_id=c["id"],
                    author_id=rng.choice(p.teachers).person.id,
                    text=self.fill(rng.choice(FEEDBACK), p),
                    created_at=at,
                    seen_at=seen,
                )
            )
        self.insert(Feedback, feedback)

        goals_of: dict[int, list[Goal]] = {}
        for _p, goal, *_ in plans:
            goals_of.setdefault(goal.owner_id, []).append(goal)
        self.pupil_talks(pupils, goals_of)

    def _choose_goal(self, p: _Pupil, menu: list[GoalTemplate]):
        rng = self.rng
        young = p.band == "kleuter"
        bank = GOALS[p.band]
        # Young children and quieter schools get more goals from the teacher.
        by_teacher = rng.random() < (0.8 if young else 0.25 * (1.2 - p.ownership) / p.activity)
        use_menu = menu and rng.random() < (0.8 if young else 0.35)
        if use_menu:
            t = rng.choice(menu)
            why = next((b[3] for b in bank if b[1] == t.title), "")
            step = next((b[4] for b in bank if b[1] == t.title), "")
            return t.domain, t.title, why, step, tuple(t.success_criteria), t, by_teacher
        domain, tpl_title, kid_title, why, step, criteria = rng.choice(bank)
        title = tpl_title if by_teacher else kid_title
        return domain, title, why, step, criteria, None, by_teacher

    def _recent_day(self, lo: int, hi: int) -> date:
        """A school day ``lo``-``hi`` calendar days ago (the nearest one if none is)."""
        fits = [d for d in self.days if lo <= (self.today - d).days <= hi]
        if fits:
            return self.rng.choice(fits)
        return min(self.days, key=lambda d: abs((self.today - d).days - lo))

    def _index_days_ago(self, days: int) -> int:
        cutoff = self.today - timedelta(days=days)
        i = len(self.days) - 1
        while i > 0 and self.days[i] > cutoff:
            i -= 1
        return i

    def pupil_talks(self, pupils: list[_Pupil], goals_of: dict[int, list[Goal]]) -> None:
        rng = self.rng
        talks: list[CoachingTalk] = []
        meta: list[tuple[_Pupil, CoachingTalk, Goal | None]] = []
        for p in pupils:
            if not p.teachers:
                continue
            young = p.band == "kleuter"
            # Walk back from today: the last talk 1-5 weeks ago (no_talk: 9+ weeks), then
            # one every 5-7 weeks.
            if p.profile == "no_talk":
                back = rng.randint(60, 90)
                d = self.days[self._index_days_ago(back)]
            else:  # within the last five weeks, holidays or not
                d = self._recent_day(5, 34)
                back = (self.today - d).days
            held_dates = []
            while d > self.days[3] and len(held_dates) < 6:
                held_dates.append(d)
                back += rng.randint(35, 49)
                d = self.days[self._index_days_ago(back)]
            if young and len(held_dates) > 1:
                held_dates = held_dates[:1]
            for d in reversed(held_dates):
                goal = self._goal_at(goals_of.get(p.person.id, []), d)
                talk = self._talk(p.teachers, p.person, d, goal, TalkStatus.held, young, p)
                talks.append(talk)
                meta.append((p, talk, goal))
            if p.showcase or (p.profile != "no_talk" and rng.random() < 0.25):
                planned_for = self.today + timedelta(days=rng.randint(1, 14))
                goal = self._goal_at(goals_of.get(p.person.id, []), self.days[-1])
                talk = self._talk(
                    p.teachers, p.person, planned_for, goal, TalkStatus.planned, young, p
                )
                talks.append(talk)
                meta.append((p, talk, goal))
        self.add(talks)
        self._talk_followups(meta)

    @staticmethod
    def _goal_at(goals: list[Goal], d: date) -> Goal | None:
        current = None
        for g in goals:
            if g.created_at.date() <= d:
                current = g
        return current

    def _talk(
        self,
        coaches: list[_Staff],
        coachee: Person,
        d: date,
        goal: Goal | None,
        status: TalkStatus,
        young: bool,
        p: _Pupil | None,
    ) -> CoachingTalk:
        rng = self.rng
        coach = rng.choice(coaches)
        upper = p is not None and p.band == "boven"
        structure = (
            TalkStructure.grow
            if (p is None or (upper and rng.random() < 0.4))
            else (TalkStructure.hattie)
        )
        goal_title = goal.title if goal else "een nieuw doel"
        # Agenda items as tracker.coaching.AgendaItem.as_dict() writes them.
        goal_item = {
            "text": goal_title,
            "source": f"goal:{goal.id}" if goal else "own",
            "kind": "goal" if goal else "no_goal",
        }
        if structure == TalkStructure.hattie:
            agenda = [
                {"section": "where_going", **goal_item},
                {
                    "section": "how_going",
                    "text": "Hoe gaat het met je check-ins?",
                    "source": "own",
                    "kind": "own",
                },
                {
                    "section": "where_next",
                    "text": "Wat is je volgende stap?",
                    "source": "own",
                    "kind": "own",
                },
            ]
        else:
            agenda = [
                {"section": "goal", **goal_item},
                {"section": "reality", "text": "Waar sta je nu?", "source": "own", "kind": "own"},
                {
                    "section": "options",
                    "text": "Wat zou je kunnen doen?",
                    "source": "own",
                    "kind": "own",
                },
                {"section": "will", "text": "Wat ga je doen?", "source": "own", "kind": "own"},
            ]
        talk = CoachingTalk(
            coach_id=coach.person.id,
            coachee_id=coachee.id,
            status=status.value,
            structure=structure.value,
            agenda=agenda,
            notes={},
            summary="",
        )
        if status == TalkStatus.planned:
            talk.planned_for = d
            talk.created_at = _at(self.days[-1], rng)
            return talk
        talk.planned_for = d
        talk.held_at = _at(d, rng, 8, 13)
        talk.created_at = talk.held_at - timedelta(days=rng.randint(3, 10))
        name = coachee.given_name
        if structure == TalkStructure.hattie:
            talk.notes = {
                "where_going": f"{name} werkt aan: {goal_title}.",
                "how_going": HOW_GOING.get(p.profile if p else "", HOW_GOING["steady"]),
                "where_next": (
                    "Een nieuw doel kiezen uit het doelenmenu."
                    if goal is not None and goal.status == GoalStatus.achieved.value
                    else rng.choice(WHERE_NEXT)
                ),
            }
            if young:
                talk.notes = {
                    "where_going": talk.notes["where_going"],
                    "how_going": "Vertelt trots wat al lukt.",
                    "where_next": "Nog een keer samen oefenen.",
                }
            talk.summary = f"Goed gesprek, {name}! Je werkt aan '{goal_title}'. " + rng.choice(
                (
                    "Je bent goed op weg.",
                    "Het is nog lastig, maar je geeft niet op.",
                    "Je kunt al veel meer dan in het begin.",
                )
            )
        else:
            talk.notes = {
                "goal": f"Doel: {goal_title}.",
                "reality": rng.choice(
                    (
                        "Ongeveer halverwege.",
                        "Net begonnen; nog zoekend.",
                        "Bijna klaar, de laatste stap is het lastigst.",
                    )
                ),
                "options": "Samen drie mogelijkheden bedacht; één gekozen.",
                "will": rng.choice(
                    (
                        "Elke dag een kort moment oefenen.",
                        "Hulp vragen bij een collega of maatje.",
                        "Volgende week laten zien wat gelukt is.",
                    )
                ),
            }
            talk.summary = f"We spraken over '{goal_title}'. Afspraken staan hieronder."
        return talk

    def _talk_followups(self, meta: list[tuple[_Pupil | None, CoachingTalk, Goal | None]]) -> None:
        """Agreements for held talks and the coachee's preparation."""
        rng = self.rng
        agreements: list[dict] = []
        preps: list[dict] = []
        last_held: dict[int, CoachingTalk] = {}
        for _p, talk, _g in meta:
            if talk.status == TalkStatus.held.value:
                prev = last_held.get(talk.coachee_id)
                if prev is None or talk.held_at > prev.held_at:
                    last_held[talk.coachee_id] = talk
        for p, talk, _g in meta:
            young = p is not None and p.band == "kleuter"
            owner_pupil = p is not None
            ownership = p.ownership if p else 0.8
            if talk.status == TalkStatus.held.value:
                n = 1 if young else rng.randint(1, 3)
                for i in range(n):
                    pupil_owned = i == 0 or rng.random() < 0.7
                    if pupil_owned:
                        text = (
                            self.fill(rng.choice(PUPIL_AGREEMENTS), p)
                            if p
                            else rng.choice(
                                (
                                    "Ik plan twee gesprekken per week in.",
                                    "Ik neem een gesprek op en luister het terug.",
                                    "Ik bespreek mijn aanpak in de bouwvergadering.",
                                )
                            )
                        )
                        owner = talk.coachee_id
                    else:
                        text = (
                            rng.choice(TEACHER_AGREEMENTS)
                            if owner_pupil
                            else ("Ik kom een les observeren.")
                        )
                        owner = talk.coach_id
                    held = talk.held_at.date()
                    due = held + timedelta(days=rng.randint(7, 21))
                    done = None
                    overdue_forced = (
                        p is not None
                        and p.profile == "overdue_agreement"
                        and i == 0
                        and last_held.get(talk.coachee_id) is talk
                    )
                    if overdue_forced:
                        due = min(due, self.today - timedelta(days=rng.randint(2, 10)))
                        due = max(due, held + timedelta(days=1))
                        if due >= self.today:  # talk too recent: move it back a little
                            due = self.today - timedelta(days=1)
                    elif due < self.today:
                        done_day = min(due, self.today - timedelta(days=1))
                        done = datetime.combine(done_day, time(12, rng.randint(0, 59)), tzinfo=UTC)
                    elif due >= self.today and rng.random() < 0.3:
                        done_day = max(held, self.today - timedelta(days=rng.randint(1, 5)))
                        done = datetime.combine(done_day, time(12, 0), tzinfo=UTC)
                    agreements.append(
                        dict(
                            talk_id=talk.id,
                            owner_id=owner,
                            text=text,
                            due=due,
                            done_at=done,
                            created_at=talk.held_at + timedelta(minutes=20),
                        )
                    )
            # The coachee's own preparation: for most talks of children who take the wheel.
            if young or rng.random() > ownership:
                continue
            if p is not None and p.showcase and talk.status == TalkStatus.planned.value:
                continue  # left for the visitor to try: "prepare my talk"
            when = talk.held_at.date() if talk.held_at else self.days[-1]
            prep_day = self.days[
                max(0, self._index_days_ago((self.today - when).days + rng.randint(1, 4)))
            ]
            created = _at(prep_day, rng)
            if talk.held_at and created > talk.held_at:
                created = talk.held_at - timedelta(hours=20)
            buddy_p = p if p else None
            preps.append(
                dict(
                    person_id=talk.coachee_id,
                    proud=self.fill(rng.choice(PROUD), buddy_p)
                    if buddy_p
                    else "De kinderen bereiden hun gesprekken nu zelf voor.",
                    help_wanted=self.fill(rng.choice(HELP_WANTED), buddy_p)
                    if buddy_p
                    else "Hoe ik stille kinderen meer aan het woord laat.",
                    topics=rng.choice(TOPICS) if buddy_p else "Mijn ontwikkeldoel",
                    created_at=created,
                    updated_at=created,
                    talk_id=talk.id,
                )
            )
        self.insert(Agreement, agreements)
        self.insert(TalkPreparation, preps)

    # -- staff development --

    def staff_learning(self, school_staff: dict[int, tuple[_Staff, list[_Staff]]]) -> None:
        rng = self.rng
        last = len(self.days) - 1
        goals: list[Goal] = []
        plan = []
        for director, teachers in school_staff.values():
            for i, t in enumerate([*teachers, director]):
                title_short, title, criteria = STAFF_GOALS[
                    (i + rng.randint(0, 5)) % len(STAFF_GOALS)
                ]
                start = rng.randint(3, 10)
                created = _at(self.days[start], rng)
                goal = Goal(
                    owner_id=t.person.id,
                    created_by_id=t.person.id,
                    title=title,
                    why="Uit mijn POP-gesprek met de directeur.",
                    first_step=title_short,
                    domain="professioneel",
                    status=GoalStatus.active.value,
                    target_date=date(school_year_start(self.today).year + 1, 6, 30),
                    created_at=created,
                    updated_at=created,
                )
                goals.append(goal)
                plan.append((t, director, goal, start, list(criteria)))
        self.add(goals)
        checkins: list[dict] = []
        criteria_rows: list[dict] = []
        talks: list[CoachingTalk] = []
        for_feedback: list[tuple[dict, _Staff]] = []
        for t, director, goal, start, criteria in plan:
            idx = list(range(start + rng.randint(3, 8), last + 1, rng.randint(8, 14)))
            levels = self._levels(len(idx), "rise")
            for di, level in zip(idx, levels, strict=True):
                did, helped, nxt = rng.choice(STAFF_REFLECTIONS)
                checkins.append(
                    dict(
                        goal_id=goal.id,
                        author_id=t.person.id,
                        level=level,
                        kind=CheckInKind.self_assessment.value,
                        did=did,
                        helped=helped,
                        next=nxt,
                        created_at=_at(self.days[di], rng, 13, 15),
                    )
                )
            if t is not director and idx:
                if rng.random() < 0.6:
                    for_feedback.append((checkins[-1], director))
                checkins.append(
                    dict(
                        goal_id=goal.id,
                        author_id=director.person.id,
                        level=levels[-1],
                        kind=CheckInKind.observation.value,
                        did="Klassenbezoek: duidelijke doelen op het bord, kinderen weten wat ze doen.",
                        created_at=_at(self.days[idx[-1]], rng, 13, 15),
                    )
                )
                goal.updated_at = checkins[-1]["created_at"]
            for pos, text in enumerate(criteria):
                achieved = (
                    _at(self.days[idx[-1]], rng) if idx and pos == 0 and levels[-1] >= 3 else None
                )
                criteria_rows.append(
                    dict(goal_id=goal.id, position=pos, text=text, achieved_at=achieved)
                )
            if t is not director:
                held_day = self._recent_day(10, 38)
                talks.append(
                    self._talk([director], t.person, held_day, goal, TalkStatus.held, False, None)
                )
                if rng.random() < 0.5:
                    talks.append(
                        self._talk(
                            [director],
                            t.person,
                            self.today + timedelta(days=rng.randint(3, 20)),
                            goal,
                            TalkStatus.planned,
                            False,
                            None,
                        )
                    )
        self.insert(CheckIn, checkins, ids=True)
        self.insert(SuccessCriterion, criteria_rows)
        self.insert(
            Feedback,
            [
                dict(
                    checkin_id=c["id"],
                    author_id=director.person.id,
                    text=rng.choice(STAFF_FEEDBACK),
                    created_at=c["created_at"] + timedelta(hours=2),
                    seen_at=(c["created_at"] + timedelta(hours=20) if rng.random() < 0.7 else None),
                )
                for c, director in for_feedback
            ],
        )
        self.add(talks)
        self._talk_followups([(None, talk, None) for talk in talks])

    def scans(
        self, main: School, director: _Staff, siblings: list[School], sib_directors: list[_Staff]
    ) -> None:
        rng = self.rng
        year_start = school_year_start(self.today)
        scans: list[tuple[ImplementationScan, dict, int]] = []
        first = ImplementationScan(
            school_id=main.id,
            author_id=director.person.id,
            taken_on=date(year_start.year, 2, 10),
            created_at=datetime(year_start.year, 2, 10, 15, tzinfo=UTC),
        )
        second_day = self.days[self._index_days_ago(rng.randint(14, 28))]
        second = ImplementationScan(
            school_id=main.id,
            author_id=director.person.id,
            taken_on=second_day,
            created_at=_at(second_day, rng, 13, 15),
        )
        scans += [(first, SCAN_PROFILES["regular"], 0), (second, SCAN_PROFILES["regular"], 1)]
        for school, d in zip(siblings, sib_directors, strict=True):
            day = self.days[self._index_days_ago(rng.randint(20, 45))]
            key = "special" if school.special_education else school.concept
            scans.append(
                (
                    ImplementationScan(
                        school_id=school.id,
                        author_id=d.person.id,
                        taken_on=day,
                        created_at=_at(day, rng, 13, 15),
                    ),
                    SCAN_PROFILES[key],
                    0,
                )
            )
        self.add([s for s, _p, _b in scans])
        entries = []
        for scan, profile, bump in scans:
            for block in SCAN_BLOCKS:
                current, desired = profile[block]
                if bump and current < desired and rng.random() < 0.7:
                    current += 1
                entries.append(
                    dict(
                        scan_id=scan.id,
                        block=block,
                        current_level=current,
                        desired_level=desired,
                        needed=SCAN_NEEDED[block],
                    )
                )
        self.insert(ScanEntry, entries)


# --- public API ---------------------------------------------------------------------------


def build_demo(session: Session, *, today: date | None = None, seed: int = 7) -> DemoSummary:
    """Fill an empty database with the demo board, school and sibling schools.

    Raises school_setup.SchoolAlreadyExists when any school exists. Deterministic for a
    (today, seed) pair. Commits.
    """
    from .models import utcnow

    today = today or utcnow().date()
    try:
        refuse_if_school_exists(session)
        return _Builder(session, today, seed).build()
    except Exception:
        session.rollback()
        raise


def _main_demo_school(session: Session) -> School | None:
    return session.exec(select(School).where(School.is_demo).order_by(School.id)).first()


def demo_accounts(session: Session) -> list[DemoAccount]:
    """The accounts to try in the demo; empty when the database holds no demo school."""
    school = _main_demo_school(session)
    if school is None:
        return []

    def staff_account(email: str, role: str, label: str, key: str, **params) -> DemoAccount | None:
        person = session.exec(
            select(Person).where(func.lower(Person.email) == email, Person.active)
        ).first()
        if person is None:
            return None
        return DemoAccount(
            role=role,
            label=label,
            label_key=key,
            label_params=params,
            name=person.full_name,
            login=email,
            secret=DEMO_PASSWORD,
            person_id=person.id,
            email=email,
            password=DEMO_PASSWORD,
        )

    def teacher_email(group_name: str, pos: int = 0) -> str:
        spec = next(g for g in MAIN_GROUPS if g[0] == group_name)
        given, tussen, family, _title = spec[3][pos]
        return _email(given, tussen, family, MAIN_DOMAIN)

    accounts: list[DemoAccount | None] = [
        staff_account(
            _email(*DIRECTOR, MAIN_DOMAIN), Role.leader.value, "Directeur", "demo.account_leader"
        ),
        staff_account(
            teacher_email(DEMO_TEACHER_GROUP),
            Role.teacher.value,
            f"Leerkracht {DEMO_TEACHER_GROUP.lower()}",
            "demo.account_teacher",
            group=DEMO_TEACHER_GROUP,
        ),
        staff_account(
            teacher_email(SENIOR_GROUP),
            Role.teacher.value,
            f"Bouwcoördinator bovenbouw, leerkracht {SENIOR_GROUP.lower()}",
            "demo.account_lead_teacher",
            group=SENIOR_GROUP,
            bouw="bovenbouw",
        ),
        staff_account(
            _email(*ADMIN, MAIN_DOMAIN), Role.admin.value, "Beheerder", "demo.account_admin"
        ),
        staff_account(
            _email(*BOARD_USER, MAIN_DOMAIN),
            Role.board.value,
            f"Bestuur {BOARD_NAME}",
            "demo.account_board",
            board=BOARD_NAME,
        ),
    ]
    for group_name in DEMO_PUPIL_GROUPS:
        accounts.append(_pupil_account(session, school, group_name))
    return [a for a in accounts if a is not None]


def _pupil_account(session: Session, school: School, group_name: str) -> DemoAccount | None:
    from .auth import class_by_code

    group = session.exec(
        select(Group)
        .where(Group.school_id == school.id, Group.name == group_name, Group.active)
        .order_by(Group.school_year, Group.id)  # this year's, also after a new year is set up
    ).first()
    if group is None:
        return None
    first_id = session.exec(
        select(func.min(Membership.person_id)).where(
            Membership.group_id == group.id, Membership.role == Role.pupil.value
        )
    ).first()
    if first_id is None:
        return None
    view = class_by_code(session, group.class_code)
    tile = next((t for t in view.pupils if t.id == first_id), None)
    if tile is None:
        return None
    if group.pupil_secret_kind == SecretKind.picture.value:
        code = " ".join(PICTURES[i] for i in DEMO_PICTURES)
        raw = picture_secret(DEMO_PICTURES)
    else:
        code = f"PIN {DEMO_PIN}"
        raw = pin_secret(DEMO_PIN)
    return DemoAccount(
        role=Role.pupil.value,
        label=f"Leerling {group.name.lower()}",
        label_key="demo.account_pupil",
        label_params={"group": group.name},
        name=tile.name,
        login=group.class_code,
        secret=f"{tile.name}: {code}",
        person_id=first_id,
        class_code=group.class_code,
        group_id=group.id,
        secret_kind=group.pupil_secret_kind,
        sign_in_secret=raw,
    )
