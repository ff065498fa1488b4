"""`python manage.py seed_demo [--families N] [--jobs J]`: the demo network of DESIGN.md §12.

Builds an invented Flemish town, Scheldeveld: schools, partner organisations, a municipality, two
bridge teams, a catalogue of offers, the five demo logins and their colleagues, and N families with
consents, referrals in every status, school requests, school notices and contact moments. (No
reflection round yet: the reflection app has no models.)

Rules the demo follows rather than bypasses: consents are recorded and withdrawn through
`families.actions`, referrals move only through `referrals.lifecycle`, so events and school notices
are the ones the application itself writes. Afterwards, the lifecycle's "now" stamps are moved back
into the school year with `update()`, keeping every sequence in order; the history ends yesterday.
Consent records are append-only, so withdrawals (and the anonymisation they cause) keep the moment
the command ran. Notices older than the last working day are marked as delivered.

Deterministic: the network comes from `random.Random(seed)` and each chunk of families from its
own generator, so runs on the same day build the same world, with one job or several.

Idempotent: the municipality ("Gemeente Scheldeveld") is written last and marks a complete demo
network; when it exists, the command changes nothing, whatever --families says, and prints the
logins. To build another size, start from an empty database. With one job (the default up to 1000
families, and always on SQLite) everything is one transaction. Bigger demos on PostgreSQL are
written by parallel workers that commit chunk by chunk; a run interrupted then is detected on the
next run, which asks for an empty database.
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import random
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.db.models import Count
from django.utils import timezone, translation

from families.actions import record_consent, withdraw_consent
from families.models import (
    Child,
    Consent,
    ConsentScope,
    ContactMoment,
    Family,
    Guardian,
    end_of_school_year,
    twelfth_birthday,
)
from partners.models import Coverage, Membership, NeedDomain, Offer, Organisation, Role
from referrals.lifecycle import (
    accept_referral,
    add_working_days,
    close_referral,
    decline_referral,
    put_on_waiting_list,
    record_contact,
    record_follow_up,
    send_referral,
    start_support,
    withdraw_referral,
)
from referrals.models import Referral, ReferralEvent, SchoolNotice, SchoolRequest, Status
from referrals.notices import EVENT_FOR_STATUS
from village.models import User

from ._reflection import build_reflection

TOWN = "Scheldeveld"
MUNICIPALITY = "Gemeente Scheldeveld"
DEFAULT_PASSWORD = "village-demo"
DEFAULT_SEED = 9295
CHUNK = 200  # families planned and written together (one transaction each when in parallel)
PARALLEL_FROM = 1000  # more families than this: parallel jobs by default on PostgreSQL

Kind = Organisation.Kind
Level = Organisation.SchoolLevel

# --------------------------------------------------------------------------- the town

POSTCODES = [("9295", 60), ("9296", 25), ("9297", 15)]  # Scheldeveld, Oudeveld, Meerhoek (invented)
STREETS = [
    "Kerkstraat",
    "Dorpsstraat",
    "Stationsstraat",
    "Molenstraat",
    "Schoolstraat",
    "Scheldekaai",
    "Veerstraat",
    "Lindenlaan",
    "Kouterweg",
    "Marktplein",
    "Gemeenteplein",
    "Beukenlaan",
    "Meersstraat",
    "Vlasstraat",
    "Dijkstraat",
    "Pastorijstraat",
    "Brugstraat",
    "Heirweg",
    "Weverstraat",
    "Sint-Amandusstraat",
]

BRIDGE_TEAMS = [
    ("main", "Brugfiguren Scheldeveld", "Gemeenteplein 1", "9295"),
    ("south", "Brugfiguren Oudeveld-Meerhoek", "Veerstraat 12", "9296"),
]

# key, name, level, official number, street, postcode, bridge team covering it
# fmt: off
SCHOOLS = [
    ("regenboog", "Basisschool De Regenboog", Level.NURSERY_PRIMARY, "128451", "Schoolstraat 14", "9295", "main"),
    ("sint-jozef", "Vrije Basisschool Sint-Jozef", Level.NURSERY_PRIMARY, "128469", "Kerkstraat 40", "9295", "main"),
    ("wilgen", "GO! Basisschool De Wilgen", Level.PRIMARY, "128477", "Lindenlaan 3", "9295", "main"),
    ("klaverblad", "Gemeentelijke Basisschool Het Klaverblad", Level.NURSERY_PRIMARY, "128485", "Kouterweg 21", "9295", "main"),
    ("atheneum", "GO! Atheneum Scheldeveld", Level.SECONDARY, "128493", "Stationsstraat 88", "9295", "main"),
    ("vti", "VTI Scheldeveld", Level.SECONDARY, "128501", "Dijkstraat 5", "9295", "main"),
    ("vlinderboom", "Basisschool De Vlinderboom", Level.NURSERY_PRIMARY, "128519", "Meersstraat 2", "9296", "south"),
    ("sint-amandus", "Sint-Amandusinstituut", Level.SECONDARY, "128527", "Sint-Amandusstraat 60", "9297", "south"),
]
# fmt: on
DEMO_SCHOOL = "regenboog"

# key, name, kind, street, postcode
PARTNERS = [
    ("clb-vrij", "Vrij CLB Scheldeveld", Kind.CLB, "Brugstraat 7", "9295"),
    ("clb-go", "GO! CLB Schelde-Leie", Kind.CLB, "Stationsstraat 90", "9295"),
    ("caw", "CAW Scheldeveld", Kind.WELFARE, "Marktplein 9", "9295"),
    ("jac", "JAC Scheldeveld (jongerenonthaal)", Kind.WELFARE, "Marktplein 11", "9295"),
    ("cgg", "CGG De Meander", Kind.WELFARE, "Heirweg 102", "9295"),
    ("wissel", "Gezinsbegeleiding De Wissel", Kind.WELFARE, "Weverstraat 18", "9296"),
    ("sleutel", "Huiswerkklas De Sleutel", Kind.LEISURE_LEARNING, "Schoolstraat 30", "9295"),
    ("leerhuis", "Leerhuis Scheldeveld", Kind.LEISURE_LEARNING, "Vlasstraat 4", "9295"),
    ("kaai", "Jeugdhuis De Kaai", Kind.LEISURE_LEARNING, "Scheldekaai 1", "9295"),
    ("boomgaard", "Speelpleinwerking Den Boomgaard", Kind.LEISURE_LEARNING, "Molenstraat 77", "9296"),
    ("vuurvogels", "Jeugdwerking De Vuurvogels", Kind.LEISURE_LEARNING, "Beukenlaan 8", "9295"),
    ("vrijetijd", "Vrijetijdspunt Scheldeveld", Kind.LEISURE_LEARNING, "Gemeenteplein 3", "9295"),
    ("ocmw", "Sociaal Huis Scheldeveld (OCMW)", Kind.PUBLIC_SOCIAL_SERVICE, "Gemeenteplein 5", "9295"),
    ("woonwinkel", "Woonwinkel Scheldeveld", Kind.PUBLIC_SOCIAL_SERVICE, "Gemeenteplein 5", "9295"),
    ("hvhk", "Huis van het Kind Scheldeveld", Kind.HUIS_VAN_HET_KIND, "Pastorijstraat 2", "9295"),
    ("opvoedingspunt", "Opvoedingspunt Oudeveld", Kind.HUIS_VAN_HET_KIND, "Veerstraat 14", "9296"),
    ("kruidenier", "Sociale Kruidenier De Mand", Kind.OTHER, "Dorpsstraat 61", "9295"),
    ("bib", "Bibliotheek Scheldeveld – Digipunt", Kind.OTHER, "Marktplein 1", "9295"),
    ("taalpunt", "Taalpunt Scheldeveld", Kind.OTHER, "Brugstraat 19", "9295"),
    ("schoolgerief", "Vzw Schoolgerief voor Iedereen", Kind.OTHER, "Dorpsstraat 12", "9297"),
    ("klankkast", "Therapiepraktijk De Klankkast", Kind.OTHER, "Lindenlaan 45", "9295"),
]
DEMO_PARTNER = "caw"

# (e-mail, full name, organisation key, role); bridge figures also list the schools they cover.
DEMO_LOGINS = [
    ("bridge@demo.village", "Sofie Verhaeghe", "main", Role.BRIDGE_FIGURE),
    ("partner@demo.village", "Nadia El Khattabi", DEMO_PARTNER, Role.PARTNER_WORKER),
    ("school@demo.village", "Griet Van Damme", DEMO_SCHOOL, Role.SCHOOL_COORDINATOR),
    ("coordinator@demo.village", "Koen Claeys", "municipality", Role.NETWORK_COORDINATOR),
    ("admin@demo.village", "Beheer Village", None, None),
]
BRIDGE_FIGURES = [  # team, full name (the first is the demo login), schools covered
    ("main", "Sofie Verhaeghe", ["regenboog", "klaverblad", "atheneum"]),
    ("main", "Lotte Vandenberghe", ["sint-jozef", "wilgen"]),
    ("main", "Youssef Benali", ["vti", "atheneum"]),
    ("main", "Hanne Coppens", ["regenboog", "sint-jozef"]),
    ("south", "Els Van Acker", ["vlinderboom"]),
    ("south", "Jonas De Backer", ["sint-amandus", "vlinderboom"]),
]
PARTNER_WORKERS = [  # organisation, full name (the demo partner first)
    ("caw", "Nadia El Khattabi"),
    ("caw", "Bart Vermeersch"),
    ("clb-vrij", "Katrien Maes"),
    ("clb-go", "Wim Desmet"),
    ("jac", "Ines Goossens"),
    ("cgg", "Dirk Lemmens"),
    ("wissel", "Sarah Wuyts"),
    ("sleutel", "Fatma Yildiz"),
    ("sleutel", "Robbe Hoste"),
    ("leerhuis", "Pieter Claes"),
    ("kaai", "Jens Martens"),
    ("boomgaard", "Laura Peeters"),
    ("vuurvogels", "Mo Haddou"),
    ("vrijetijd", "Evi Jacobs"),
    ("ocmw", "Marc Verbeke"),
    ("ocmw", "Ann Dewitte"),
    ("woonwinkel", "Tine Lauwers"),
    ("hvhk", "Charlotte De Wilde"),
    ("opvoedingspunt", "Saar Michiels"),
    ("kruidenier", "Hilde Stevens"),
    ("bib", "Kevin Mertens"),
    ("taalpunt", "Olga Nowak"),
    ("schoolgerief", "Rita Vandamme"),
    ("klankkast", "Eline Dierickx"),
]
SCHOOL_COORDINATORS = [  # school, full name (the demo school coordinator first)
    ("regenboog", "Griet Van Damme"),
    ("regenboog", "Jan Pauwels"),
    ("sint-jozef", "Marleen Verstraeten"),
    ("wilgen", "Joris Van Hecke"),
    ("klaverblad", "Nathalie Dhondt"),
    ("atheneum", "Stefaan Baert"),
    ("vti", "Annelies Roels"),
    ("vlinderboom", "Liesbeth Cools"),
    ("sint-amandus", "Filip Segers"),
]
NETWORK_COORDINATORS = [("municipality", "Koen Claeys"), ("municipality", "Leen De Meyer")]

# --------------------------------------------------------------------------- the catalogue

# fmt: off
# organisation, name, kind, need domains, age min, age max, languages, cost, wait days, capacity, where/when
OFFERS = [
    ("caw", "Onthaal en kortdurende hulp", "wellbeing", ["money_rights", "housing", "parenting", "health_wellbeing", "other"], None, None, "nl, fr, en, ar", "free", 7, "open", "Marktplein 9, ma–vr 9–12 u., do ook 14–19 u."),
    ("caw", "Budgetbegeleiding", "rights", ["money_rights"], None, None, "nl, fr, en", "free", 30, "waiting_list", "Marktplein 9, op afspraak"),
    ("caw", "Woonbegeleiding", "wellbeing", ["housing"], None, None, "nl, en", "free", 45, "limited", "Bij het gezin thuis"),
    ("caw", "Gezinsondersteuning aan huis", "parenting", ["parenting", "behaviour", "health_wellbeing"], 0, 18, "nl, fr, ar", "free", 21, "limited", "Bij het gezin thuis, wekelijks"),
    ("jac", "Jongerenonthaal", "wellbeing", ["health_wellbeing", "behaviour", "attendance"], 12, 25, "nl, en", "free", 5, "open", "Marktplein 11, wo 13–18 u., vr 14–17 u."),
    ("jac", "Traject Terug naar School", "wellbeing", ["attendance", "behaviour"], 12, 18, "nl", "free", 14, "limited", "Op school en in het JAC"),
    ("cgg", "Begeleiding kinderen en jongeren", "health", ["health_wellbeing", "behaviour"], 3, 17, "nl, fr, en", "social_rate", 90, "waiting_list", "Heirweg 102, op afspraak"),
    ("cgg", "Oudergroep Sterke Ouders", "parenting", ["parenting"], None, None, "nl", "free", 14, "open", "Heirweg 102, dinsdagavond"),
    ("wissel", "Intensieve gezinsbegeleiding", "parenting", ["parenting", "behaviour", "housing"], 0, 18, "nl, fr", "free", 60, "waiting_list", "Bij het gezin thuis"),
    ("sleutel", "Huiswerkklas lagere school", "homework_club", ["learning_homework", "language"], 6, 12, "nl", "free", 10, "limited", "Schoolstraat 30, ma–do 15.30–17 u."),
    ("sleutel", "Studiebegeleiding secundair", "homework_club", ["learning_homework"], 12, 18, "nl", "contribution", 14, "open", "Schoolstraat 30, ma en do 17–19 u."),
    ("leerhuis", "Huiswerkbegeleiding aan huis", "homework_club", ["learning_homework", "digital"], 8, 15, "nl, fr", "social_rate", 30, "waiting_list", "Bij het gezin thuis, 1 keer per week"),
    ("leerhuis", "Zomerschool Taalbad", "summer_school", ["language", "learning_homework"], 6, 14, "nl", "free", 0, "open", "Basisschool De Wilgen, tweede helft van augustus"),
    ("kaai", "Open jeugdhuiswerking", "leisure", ["leisure", "behaviour"], 14, 25, "nl, en", "free", 0, "open", "Scheldekaai 1, wo, vr en za"),
    ("kaai", "Meidenwerking", "leisure", ["leisure", "health_wellbeing"], 12, 18, "nl", "free", 0, "open", "Scheldekaai 1, donderdagavond"),
    ("boomgaard", "Speelplein in de vakanties", "leisure", ["leisure"], 3, 14, "nl", "social_rate", 0, "limited", "Molenstraat 77, schoolvakanties 9–17 u."),
    ("vuurvogels", "Buurtsport op het pleintje", "leisure", ["leisure", "behaviour"], 8, 16, "nl", "free", 0, "open", "Pleintje Beukenlaan, woensdagnamiddag"),
    ("vuurvogels", "Jeugdwerk op zaterdag", "leisure", ["leisure"], 6, 12, "nl", "contribution", 7, "open", "Beukenlaan 8, zaterdag 14–17 u."),
    ("vrijetijd", "UiTPAS met kansentarief", "rights", ["leisure", "money_rights"], None, None, "nl, fr, en", "free", 3, "open", "Gemeenteplein 3, loket"),
    ("vrijetijd", "Vakantieaanbod met kansentarief", "leisure", ["leisure"], 3, 17, "nl", "social_rate", 7, "limited", "Verschillende locaties"),
    ("ocmw", "Sociale dienst: leefloon en aanvullende steun", "rights", ["money_rights"], None, None, "nl, fr, en", "free", 10, "open", "Gemeenteplein 5, op afspraak"),
    ("ocmw", "Schuldbemiddeling", "rights", ["money_rights"], None, None, "nl, fr", "free", 40, "waiting_list", "Gemeenteplein 5, op afspraak"),
    ("ocmw", "Tussenkomst in schoolkosten", "material_support", ["school_costs"], 2, 18, "nl, fr, en", "free", 10, "open", "Gemeenteplein 5"),
    ("ocmw", "Energie- en waterloket", "rights", ["housing", "money_rights"], None, None, "nl, fr", "free", 7, "open", "Gemeenteplein 5, dinsdagvoormiddag"),
    ("woonwinkel", "Huren, sociale woning en premies", "rights", ["housing"], None, None, "nl, fr, en", "free", 5, "open", "Gemeenteplein 5, ma en wo"),
    ("hvhk", "Spreekuur opvoedingsondersteuning", "parenting", ["parenting"], 0, 12, "nl, fr, en", "free", 7, "open", "Pastorijstraat 2, woensdag"),
    ("hvhk", "Babbelbox: ontmoeting voor ouders", "parenting", ["parenting", "language"], None, None, "nl", "free", 0, "open", "Pastorijstraat 2, vrijdagvoormiddag"),
    ("hvhk", "Speel-o-theek", "leisure", ["leisure", "parenting"], 0, 10, "nl", "contribution", 0, "open", "Pastorijstraat 2, zaterdag"),
    ("opvoedingspunt", "Gesprekken over opvoeden", "parenting", ["parenting", "behaviour"], 0, 18, "nl, fr", "free", 10, "open", "Veerstraat 14, op afspraak"),
    ("opvoedingspunt", "Praatgroep ouders van tieners", "parenting", ["parenting", "behaviour"], 10, 18, "nl", "free", 21, "limited", "Veerstraat 14, maandelijks"),
    ("kruidenier", "Sociale kruidenier", "material_support", ["money_rights", "other"], None, None, "nl, fr, ar", "contribution", 7, "open", "Dorpsstraat 61, di, do en za"),
    ("kruidenier", "Kledingbank voor kinderen", "material_support", ["school_costs"], 0, 16, "nl", "free", 0, "open", "Dorpsstraat 61, zaterdag"),
    ("bib", "Digipunt: hulp met Smartschool en e-loket", "other", ["digital"], None, None, "nl, en", "free", 0, "open", "Marktplein 1, dinsdag en vrijdag"),
    ("bib", "Laptops voor leerlingen", "material_support", ["digital", "school_costs"], 10, 18, "nl", "free", 20, "waiting_list", "Marktplein 1"),
    ("taalpunt", "Nederlands oefenen voor ouders", "language", ["language"], None, None, "nl", "free", 14, "open", "Brugstraat 19, ma en do 9–11 u."),
    ("taalpunt", "Taalkamp voor nieuwkomers", "summer_school", ["language"], 6, 14, "nl", "free", 0, "limited", "Jeugdhuis De Kaai, juli"),
    ("schoolgerief", "Boekentas-actie", "material_support", ["school_costs"], 3, 18, "nl", "free", 0, "open", "Dorpsstraat 12, eind augustus"),
    ("schoolgerief", "Tussenkomst schooluitstappen", "material_support", ["school_costs", "leisure"], 3, 18, "nl", "free", 10, "open", "Via de brugfiguur"),
    ("klankkast", "Logopedie met sociaal tarief", "health", ["learning_homework", "language", "health_wellbeing"], 3, 14, "nl, fr", "social_rate", 60, "waiting_list", "Lindenlaan 45, op afspraak"),
    ("clb-vrij", "Onthaal leerlingenbegeleiding", "wellbeing", ["attendance", "learning_homework", "health_wellbeing", "behaviour"], 3, 18, "nl, fr, en", "free", 5, "open", "Brugstraat 7 en op school"),
    ("clb-vrij", "Spijbelpreventie", "wellbeing", ["attendance"], 6, 18, "nl", "free", 7, "open", "Op school"),
    ("clb-go", "Kortdurende psychosociale begeleiding", "wellbeing", ["behaviour", "health_wellbeing"], 3, 18, "nl, en", "free", 14, "limited", "Stationsstraat 90 en op school"),
]
# fmt: on

# --------------------------------------------------------------------------- the people
# Communities living in the town: surnames, children's names (girls, boys), adults' names
# (women, men), languages spoken at home, chance an interpreter is needed, weight.
# fmt: off
COMMUNITIES = [
    (
        ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet", "Dubois", "Vermeulen", "Van de Velde", "De Clercq", "Hermans", "Aerts", "Verhaegen", "Martens", "De Vos", "Bogaert", "Lambrecht", "Verbeke", "Van Hoecke", "Smet"],
        ["Emma", "Louise", "Marie", "Elise", "Fien", "Nina", "Lore", "Febe", "Julie", "Noor", "Amber", "Lina", "Ella", "Mila", "Olivia", "Jana"],
        ["Lucas", "Arthur", "Louis", "Noah", "Jules", "Finn", "Mats", "Lars", "Wout", "Seppe", "Vic", "Warre", "Stan", "Kobe", "Milan", "Tuur"],
        ["Sofie", "Katrien", "Ellen", "Inge", "Sarah", "Leen", "Nathalie", "Evelien", "Tine", "Veerle", "Joke", "Kim"],
        ["Kristof", "Bart", "Tom", "Pieter", "Jeroen", "Steven", "Dieter", "Sven", "Wim", "Geert", "Kevin", "Jan"],
        ["nl"],
        0.0,
        40,
    ),
    (
        ["El Amrani", "Benali", "Bouzid", "El Idrissi", "Azzouzi", "Ait Ouali", "El Ouardi", "Haddouchi", "Tahiri", "Boukhari"],
        ["Yasmine", "Salma", "Aya", "Imane", "Nour", "Malak", "Hiba", "Ines"],
        ["Adam", "Amir", "Rayan", "Ilias", "Yassin", "Bilal", "Zakaria", "Ayoub"],
        ["Fatima", "Khadija", "Naima", "Samira", "Hanane", "Latifa"],
        ["Mohamed", "Ahmed", "Rachid", "Mustafa", "Karim", "Abdel"],
        ["nl, ar", "ar, fr", "nl, ber", "ber, ar"],
        0.15,
        15,
    ),
    (
        ["Yılmaz", "Demir", "Kaya", "Şahin", "Çelik", "Aydın", "Öztürk"],
        ["Elif", "Zeynep", "Ecrin", "Defne", "Azra"],
        ["Emir", "Yusuf", "Eymen", "Mert", "Kerem"],
        ["Ayşe", "Fatma", "Emine", "Hatice"],
        ["Mehmet", "Hasan", "Murat", "Ali"],
        ["nl, tr", "tr"],
        0.25,
        7,
    ),
    (
        ["Nowak", "Wójcik", "Mazur", "Krawczyk", "Zając"],
        ["Zuzanna", "Julia", "Maja", "Hanna"],
        ["Jakub", "Antoni", "Szymon", "Filip"],
        ["Agnieszka", "Katarzyna", "Magdalena"],
        ["Piotr", "Tomasz", "Paweł"],
        ["pl", "pl, nl", "pl, en"],
        0.4,
        5,
    ),
    (
        ["Popescu", "Ionescu", "Stan", "Dumitru", "Lungu"],
        ["Ioana", "Maria", "Elena", "Bianca"],
        ["Andrei", "Mihai", "Darius", "Luca"],
        ["Gabriela", "Mariana", "Florina"],
        ["Florin", "Ionuț", "Marius"],
        ["ro", "ro, nl"],
        0.4,
        5,
    ),
    (
        ["Horváth", "Lakatoš", "Baláž", "Kováč", "Gaži"],
        ["Nikola", "Vanesa", "Simona", "Dominika"],
        ["Dávid", "Patrik", "Samuel", "Marek"],
        ["Monika", "Renáta", "Silvia"],
        ["Jozef", "Ladislav", "Milan"],
        ["sk, rom", "rom, sk, nl"],
        0.5,
        4,
    ),
    (
        ["Haidari", "Rahimi", "Ahmadi", "Sultani", "Noori"],
        ["Sana", "Zahra", "Parisa", "Mina"],
        ["Mahdi", "Ali", "Yasin", "Omid"],
        ["Habiba", "Fariba", "Shirin"],
        ["Ahmad", "Mahmood", "Jawad"],
        ["fa", "ps", "fa, nl"],
        0.6,
        5,
    ),
    (
        ["Al Hassan", "Al Khalil", "Haddad", "Khatib", "Darwish"],
        ["Lama", "Rahaf", "Jana", "Sham"],
        ["Omar", "Hamza", "Karam", "Tim"],
        ["Rania", "Mariam", "Hala"],
        ["Khaled", "Samer", "Bassel"],
        ["ar", "ar, nl", "ar, ku"],
        0.5,
        5,
    ),
    (
        ["Mbuyi", "Kabongo", "Tshibanda", "Mukendi", "Ilunga"],
        ["Grâce", "Divine", "Merveille", "Gloire"],
        ["Exaucé", "Joël", "Kevin", "Christian"],
        ["Chantal", "Béatrice", "Nadine"],
        ["Patrick", "Jean-Pierre", "Serge"],
        ["fr, ln", "fr, nl", "fr"],
        0.1,
        5,
    ),
    (
        ["Shevchenko", "Bondarenko", "Kovalenko", "Tkachenko", "Melnyk"],
        ["Sofiia", "Anastasiia", "Polina", "Daryna"],
        ["Maksym", "Artem", "Dmytro", "Bohdan"],
        ["Olena", "Iryna", "Oksana"],
        ["Oleksandr", "Andrii", "Serhii"],
        ["uk", "uk, ru", "uk, en"],
        0.5,
        5,
    ),
    (
        ["Tesfamariam", "Gebremedhin", "Kidane", "Habte"],
        ["Eden", "Selam", "Saba"],
        ["Yonas", "Natnael", "Filmon"],
        ["Abeba", "Tsega", "Hiwet"],
        ["Tesfay", "Yohannes", "Dawit"],
        ["ti", "ti, en"],
        0.6,
        4,
    ),
]
# fmt: on

# --------------------------------------------------------------------------- what families ask
# Need domain, weight, and questions in the family's words. "{kind}": "mijn zoon" / "mijn dochter";
# a question without it is about the whole family.
QUESTIONS = {
    "learning_homework": (
        18,
        [
            "Ik kan {kind} niet helpen met het huiswerk, ik lees zelf niet goed Nederlands.",
            "{Kind} moet dit jaar misschien blijven zitten. We willen dat iemand helpt met leren.",
            "Thuis is er geen rustige plek om huiswerk te maken, we wonen met zes in een klein appartement.",
            "{Kind} zit elke avond uren aan de taken en huilt dan. Ik weet niet hoe ik moet helpen.",
        ],
    ),
    "money_rights": (
        14,
        [
            "Ik krijg brieven van het Groeipakket en begrijp niet wat ik moet doen.",
            "Sinds mijn man weg is, lukt het niet meer met de rekeningen. Ik wil hulp met mijn papieren.",
            "We hebben een achterstand bij de energieleverancier en ze dreigen met een budgetmeter.",
            "Hebben wij recht op een schooltoeslag? Niemand heeft het ons uitgelegd.",
            "Mijn werk stopt volgende maand en ik weet niet waar ik moet aankloppen.",
        ],
    ),
    "school_costs": (
        12,
        [
            "De schoolrekening van {kind} is al twee keer niet betaald. We willen betalen, maar in stukjes.",
            "{Kind} gaat niet mee op zeeklassen omdat het te duur is. Kan iemand helpen?",
            "We hebben geen geld voor de boeken en de rekenmachine van het middelbaar.",
            "{Kind} heeft geen turnkledij en geen goede boekentas meer.",
        ],
    ),
    "parenting": (
        10,
        [
            "Ik krijg {kind} 's avonds niet in bed. Er is elke dag ruzie.",
            "Sinds de scheiding luistert {kind} niet meer naar mij.",
            "Ik wil graag met andere ouders praten over opvoeden, ik sta er alleen voor.",
        ],
    ),
    "health_wellbeing": (
        10,
        [
            "{Kind} heeft elke ochtend buikpijn en wil niet naar school.",
            "{Kind} is heel stil geworden en slaapt slecht sinds we verhuisd zijn.",
            "Ik ben zelf erg moe en somber, en dat merken de kinderen.",
        ],
    ),
    "leisure": (
        10,
        [
            "{Kind} wil graag voetballen, maar het lidgeld is te duur.",
            "In de vakantie zit {kind} de hele dag binnen. Is er iets dat niet veel kost?",
            "{Kind} zou graag naar de jeugdbeweging gaan, maar we kennen daar niemand.",
        ],
    ),
    "housing": (
        6,
        [
            "Ons appartement is te klein en vochtig, de kinderen zijn vaak ziek.",
            "We moeten over twee maanden uit ons huis en vinden niets dat we kunnen betalen.",
            "De verwarming werkt al weken niet en de huisbaas reageert niet.",
        ],
    ),
    "language": (
        6,
        [
            "{Kind} spreekt thuis geen Nederlands en heeft het moeilijk in de klas.",
            "Ik wil zelf Nederlands leren om met de juf te kunnen praten.",
            "We zijn pas in België en {kind} begrijpt nog weinig op school.",
        ],
    ),
    "digital": (
        5,
        [
            "We hebben alleen mijn gsm. {Kind} kan de taken op Smartschool niet maken.",
            "Ik krijg de berichten van school niet, ik weet niet hoe Smartschool werkt.",
            "Onze laptop is kapot en {kind} heeft er een nodig voor school.",
        ],
    ),
    "attendance": (
        4,
        [
            "{Kind} wil 's morgens niet vertrekken naar school en blijft vaak thuis.",
            "De school zegt dat {kind} te veel afwezig is. We weten niet wat we moeten doen.",
        ],
    ),
    "behaviour": (
        4,
        [
            "Op school zeggen ze dat {kind} vaak vecht. Thuis is dat niet zo.",
            "{Kind} wordt gepest en wordt daar heel boos van.",
        ],
    ),
    "other": (
        1,
        ["We zoeken iemand die mee kan gaan naar de dokter, omdat ik de taal niet goed spreek."],
    ),
}
FAMILY_LEVEL_DOMAINS = {"money_rights": 0.85, "housing": 0.9, "language": 0.3, "parenting": 0.3, "other": 0.8}
RELATED_DOMAINS = {
    "learning_homework": ["language", "digital"],
    "money_rights": ["school_costs", "housing"],
    "school_costs": ["money_rights"],
    "parenting": ["behaviour", "health_wellbeing"],
    "health_wellbeing": ["behaviour", "attendance"],
    "leisure": ["money_rights"],
    "housing": ["money_rights"],
    "language": ["learning_homework"],
    "digital": ["school_costs"],
    "attendance": ["health_wellbeing", "behaviour"],
    "behaviour": ["parenting"],
}

SCHOOL_REQUEST_REASONS = [
    "Komt vaak te laat en heeft geen boterhammen mee. Graag contact met de ouders.",
    "De factuur van de zeeklassen staat nog open; de ouders vroegen zelf om hulp.",
    "Is de laatste weken stil en teruggetrokken. Mama wil graag eens praten.",
    "Veel afwezig op maandag. Kan de brugfiguur contact opnemen?",
    "Ouders spreken weinig Nederlands en begrijpen de brieven van school niet.",
    "Heeft thuis geen computer voor de taken op Smartschool.",
    "Papa vroeg aan de poort of er hulp is voor het huiswerk.",
    "Valt in slaap in de klas. Graag een gesprek met het gezin.",
]
ACCEPT_NOTES = [
    "Afspraak gepland met mama op dinsdag.",
    "We bellen het gezin deze week op.",
    "Welkom; de begeleider neemt contact op.",
    "",
]
WAIT_NOTES = [
    "Er is een wachtlijst van enkele weken.",
    "We houden een plaats vrij vanaf de volgende reeks.",
    "",
]
INTERIM_SUPPORT = [
    "De brugfiguur belt het gezin elke week.",
    "Tijdelijk huiswerkhulp via de naschoolse opvang.",
    "Het gezin kan intussen op het open spreekuur terecht.",
    "",
]
CONTACT_NOTES = [
    "Eerste gesprek aan huis, met tolk.",
    "Kennismaking op school samen met de brugfiguur.",
    "Telefonisch contact; afspraak op kantoor.",
    "Eerste gesprek gehad.",
]
START_NOTES = ["Wekelijkse begeleiding gestart.", "Eerste sessie gehad.", "Het gezin komt op dinsdag.", ""]
CLOSE_NOTES = {
    "resolved": "De vraag is opgelost; het gezin weet ons te vinden.",
    "partly_resolved": "Een deel is opgelost; de rest loopt via de brugfiguur.",
    "not_resolved": "We konden niet helpen met deze vraag.",
    "family_stopped": "Het gezin wilde niet verder.",
    "referred_on": "Doorverwezen naar een gespecialiseerde dienst.",
    "no_longer_needed": "Niet meer nodig: de situatie is veranderd.",
    "unreachable": "Drie keer gebeld en een brief gestuurd, geen antwoord.",
}
DECLINE_NOTES = {
    "outside_target": "Onze werking is er voor jongeren vanaf 12 jaar.",
    "no_capacity": "Onze groepen zitten vol tot na de krokusvakantie.",
    "better_elsewhere": "Deze vraag past beter bij een ander aanbod; zie het voorstel.",
    "already_supported": "Het gezin krijgt al begeleiding van een collega.",
    "incomplete": "Wat verwacht het gezin precies van ons? Graag even bellen.",
    "other": "We kunnen het gezin niet bereiken op het opgegeven nummer.",
}
WITHDRAW_NOTES = [
    "Het gezin verhuist naar een andere gemeente.",
    "De vraag is intussen opgelost via school.",
    "Mama wil eerst zelf contact opnemen.",
    "Het gezin ziet het nu niet meer zitten.",
]
FAMILY_MOMENT_NOTES = [
    "Intakegesprek; toestemming besproken en opgenomen.",
    "Mama gebeld over de afspraak.",
    "Samen het formulier voor de schooltoeslag ingevuld.",
    "Papa aangesproken aan de schoolpoort; het gaat beter thuis.",
    "Gesprek met de juf en mama over het huiswerk.",
    "Brief van de mutualiteit samen gelezen.",
    "Kort contact, geen nieuwe vragen.",
    "Meegegaan naar het eerste gesprek.",
    "Nagevraagd of de begeleiding gestart is.",
]
ANONYMOUS_MOMENT_NOTES = [
    "Ouder met vraag over de schoolfactuur; uitleg over afbetalen gegeven.",
    "Ouderkoffie: uitleg over Smartschool.",
    "Vraag over vrijetijdsaanbod in de vakantie.",
    "Kort gesprek aan de poort, geen verdere actie.",
    "Info over het Groeipakket gegeven.",
    "Ouder wil eerst nadenken; weet waar het spreekuur is.",
    "Vraag over huiswerkklas; folder meegegeven.",
]
PLACES = {
    "school_gate": "schoolpoort",
    "office_hour": "spreekuur op school",
    "home_visit": "thuis",
    "phone": "",
    "accompanied": "",
    "parent_teacher": "oudercontact",
    "group": "ouderkoffie",
}

SCENARIO_WEIGHTS = {
    "draft": 5,
    "sent_fresh": 5,
    "sent_reminder": 3,
    "sent_stale": 2,
    "accepted": 7,
    "declined": 10,
    "waiting": 8,
    "contact_made": 10,
    "in_progress": 18,
    "closed": 25,
    "withdrawn": 7,
}
# Every status (and a stale referral) occurs even in the smallest demo: the first families get these.
GUARANTEED_SCENARIOS = [
    "in_progress",
    "closed",
    "waiting",
    "accepted",
    "contact_made",
    "declined",
    "withdrawn",
    "sent_stale",
    "draft",
    "sent_fresh",
]
GUARANTEED_FAMILIES = 5
# The status each lifecycle step leads to (for dating the school notices it wrote).
STATUS_AFTER = {
    "accept": Status.ACCEPTED,
    "put_on_waiting_list": Status.WAITING,
    "record_contact": Status.CONTACT_MADE,
    "start": Status.IN_PROGRESS,
    "close": Status.CLOSED,
    "withdraw": Status.WITHDRAWN,
}


def weighted(rng: random.Random, options: dict | list):
    """Pick a key of {option: weight} (or an item of [(option, weight)])."""
    items = list(options.items()) if isinstance(options, dict) else list(options)
    return rng.choices([o for o, _w in items], weights=[w for _o, w in items])[0]


def ascii_slug(text: str) -> str:
    text = text.replace("ı", "i").replace("ł", "l")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum())


# --------------------------------------------------------------------------- plans


@dataclass
class ChildPlan:
    first_name: str
    last_name: str
    girl: bool
    birth_year: int
    birth_date: datetime.date | None
    school: Organisation | None
    grade: str
    obj: Child | None = None


@dataclass
class RequestPlan:
    school: Organisation
    child: ChildPlan | None
    first_name: str
    last_name: str
    grade: str
    status: str
    created_at: datetime.datetime
    picked_up_at: datetime.datetime | None = None
    picked_up_by: User | None = None
    handled_at: datetime.datetime | None = None
    obj: SchoolRequest | None = None


@dataclass
class ReferralPlan:
    scenario: str
    child: ChildPlan | None
    domains: list
    offer: Offer | None
    organisation: Organisation
    question: str
    source: str
    warmth: int
    created_by: User
    worker: User
    steps: list = field(default_factory=list)  # [(action, working day index)], "create" first
    created_at: datetime.datetime | None = None
    times: list = field(default_factory=list)  # [(action, datetime, kwargs)] after "create"
    follow_up: tuple | None = None  # (result, datetime)
    school_request: RequestPlan | None = None
    obj: Referral | None = None


@dataclass
class FamilyPlan:
    index: int
    team: Organisation
    bridge_figure: User
    community: tuple
    last_name: str
    postcode: str
    languages: str
    interpreter: bool
    channel: str
    guardians: list
    children: list
    known_before: bool  # the file was opened in an earlier school year
    referrals: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    opened_at: datetime.datetime | None = None
    opened_index: int = 0
    guardian_objs: list = field(default_factory=list)
    obj: Family | None = None
    last_activity: datetime.datetime | None = None

    def touch(self, at: datetime.datetime) -> None:
        if self.last_activity is None or at > self.last_activity:
            self.last_activity = at


# --------------------------------------------------------------------------- the calendar


class Calendar:
    """The working days of the school year up to yesterday, and office hours within them.

    The history ends yesterday, so that the whole day builds the same world (today's hour would
    otherwise change what happened "today")."""

    def __init__(self, rng: random.Random, now: datetime.datetime):
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        self.year_start = datetime.date(end_of_school_year(self.today).year - 1, 9, 1)
        yesterday = self.today - datetime.timedelta(days=1)
        # Early in September the school year is too short for a believable history: start earlier.
        day = min(self.year_start, yesterday - datetime.timedelta(days=70))
        days = []
        while day <= yesterday:
            if day.weekday() < 5:
                days.append(day)
            day += datetime.timedelta(days=1)
        self.days = days
        self.last = len(days) - 1

    def moment(self, index: int, after: datetime.datetime | None = None) -> datetime.datetime:
        """A time during office hours on working day `index`, strictly after `after`."""
        day = self.days[min(max(index, 0), self.last)]
        minute = self.rng.randint(8 * 60 + 15, 17 * 60 + 30)
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60)))
        if after is not None and at <= after:
            at = after + datetime.timedelta(minutes=self.rng.randint(5, 40))
        limit = self.now - datetime.timedelta(minutes=1)
        if at > limit:  # only a long chain of same-day steps could get here: keep it in the past
            at = max(limit, after + datetime.timedelta(seconds=1)) if after is not None else limit
        return at

    def long_ago(self, days: int) -> datetime.datetime:
        """A working day about `days` days before today (before the school year)."""
        day = self.today - datetime.timedelta(days=days)
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        minute = self.rng.randint(9 * 60, 16 * 60)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60)))

    def index_of(self, day: datetime.date) -> int:
        for i in range(self.last, -1, -1):
            if self.days[i] <= day:
                return i
        return 0

    def place(self, gaps: list[int], end_from: int, end_to: int | None = None) -> list[int]:
        """Day indexes for a chain of steps `gaps` working days apart, the last one between
        `end_from` and `end_to` (default: the last day); squeezed when the year is too short."""
        end_to = self.last if end_to is None else max(0, min(end_to, self.last))
        end_from = min(max(end_from, 0), end_to)
        total = sum(gaps)
        end = self.rng.randint(max(end_from, min(total, end_to)), end_to)
        if total > end:
            gaps = [g * end // total for g in gaps]
        start = end - sum(gaps)
        indexes, current = [], start
        for gap in gaps:
            current += gap
            indexes.append(current)
        return [start, *indexes]


# --------------------------------------------------------------------------- the builder


class DemoNetwork:
    """Plans and writes the demo world. The network and catalogue come from `random.Random(seed)`;
    each chunk of families from its own generator, so the world is the same whether the chunks
    are written one after the other or by parallel workers."""

    def __init__(self, *, seed: int, password: str, families: int):
        self.seed = seed
        self.families = families
        self.rng = random.Random(seed)
        self.password = password
        self.now = timezone.now()
        self.calendar = Calendar(self.rng, self.now)
        self.today = self.calendar.today
        self.domains = {d.code: d for d in NeedDomain.objects.order_by("order", "code")}
        self.existing_references = set(Family.objects.values_list("reference", flat=True))
        self.withdrawal_candidates: list = []  # (kind, consent, family plan)

    def _use_rng(self, name: str) -> None:
        self.rng = self.calendar.rng = random.Random(f"{self.seed}/{name}")

    # ----------------------------------------------------------------- network

    def build_network(self) -> None:
        self.orgs: dict[str, Organisation] = {}
        for key, name, address, postcode in BRIDGE_TEAMS:
            self.orgs[key] = self._organisation(name, Kind.BRIDGE_TEAM, address, postcode)
        self.school_team: dict[str, str] = {}
        for key, name, level, number, address, postcode, team in SCHOOLS:
            self.orgs[key] = self._organisation(
                name, Kind.SCHOOL, address, postcode, school_number=number, school_level=level
            )
            self.school_team[key] = team
        for key, name, kind, address, postcode in PARTNERS:
            self.orgs[key] = self._organisation(name, kind, address, postcode)
        self.schools = [self.orgs[s[0]] for s in SCHOOLS]
        self.school_key = {self.orgs[s[0]].pk: s[0] for s in SCHOOLS}

        hashed = make_password(self.password)  # one hash for everybody: hashing costs a second
        demo_emails = {name: email for email, name, _org, _role in DEMO_LOGINS}
        self.users_by_name: dict[str, User] = {}

        def person(full_name: str, email: str | None = None, **flags) -> User:
            email = email or demo_emails.get(full_name)
            if email is None:
                first, *rest = full_name.split(" ")
                email = f"{ascii_slug(first)}.{ascii_slug(''.join(rest))}@demo.village"
            user, _created = User.objects.update_or_create(
                email=email, defaults={"full_name": full_name, "language": "nl", "is_active": True, **flags}
            )
            user.password = hashed
            user.save(update_fields=["password"])
            self.users_by_name[full_name] = user
            return user

        def member(user: User, org_key: str, role: str) -> Membership:
            membership, _ = Membership.objects.get_or_create(
                user=user, organisation=self.orgs[org_key], role=role
            )
            return membership

        self.bridge_figures: dict[str, list[User]] = defaultdict(list)
        self.covering: dict[str, list[User]] = defaultdict(list)  # school key -> bridge figures
        for team, name, schools in BRIDGE_FIGURES:
            user = person(name)
            membership = member(user, team, Role.BRIDGE_FIGURE)
            self.bridge_figures[team].append(user)
            for school in schools:
                Coverage.objects.get_or_create(school=self.orgs[school], bridge_figure=membership)
                self.covering[school].append(user)
        self.workers: dict[str, list[User]] = defaultdict(list)
        for org, name in PARTNER_WORKERS:
            user = person(name)
            member(user, org, Role.PARTNER_WORKER)
            self.workers[org].append(user)
        self.coordinators: dict[str, list[User]] = defaultdict(list)
        for school, name in SCHOOL_COORDINATORS:
            user = person(name)
            member(user, school, Role.SCHOOL_COORDINATOR)
            self.coordinators[school].append(user)
        person("Beheer Village", "admin@demo.village", is_staff=True, is_superuser=True)
        self._person, self._member = person, member
        self.team_key = {self.orgs[key].pk: key for key, *_rest in BRIDGE_TEAMS}
        self.org_key = {org.pk: key for key, org in self.orgs.items()}
        self.team_schools: dict[int, set[int]] = {
            self.orgs[team].pk: {
                self.orgs[school].pk for school, figures in self.covering.items() if set(figures) & set(users)
            }
            for team, users in self.bridge_figures.items()
        }
        self.demo_bridge = self.users_by_name[BRIDGE_FIGURES[0][1]]
        self.demo_partner = self.users_by_name[PARTNER_WORKERS[0][1]]

    def finish_network(self) -> None:
        """The municipality and its network coordinators, written last: the municipality is the
        marker of a complete demo network."""
        self._use_rng("municipality")
        self.orgs["municipality"] = self._organisation(
            MUNICIPALITY, Kind.MUNICIPALITY, "Gemeenteplein 1", "9295"
        )
        for org, name in NETWORK_COORDINATORS:
            self._member(self._person(name), org, Role.NETWORK_COORDINATOR)
        coordinator = User.objects.get(email="coordinator@demo.village")
        build_reflection(self.seed, coordinator, self.now)

    def _organisation(self, name, kind, address, postcode, **extra) -> Organisation:
        slug = ascii_slug(name)[:24]
        return Organisation.objects.create(
            name=name,
            kind=kind,
            address=address,
            postcode=postcode,
            phone=f"09 3{self.rng.randint(10, 99)} {self.rng.randint(10, 99)} {self.rng.randint(10, 99)}",
            email=f"info@{slug}.{TOWN.lower()}.example",
            website=f"https://{slug}.{TOWN.lower()}.example",
            **extra,
        )

    def build_catalogue(self) -> None:
        self.offers: list[Offer] = []
        self.offers_by_domain: dict[str, list[Offer]] = defaultdict(list)
        for org_key, name, kind, domains, age_min, age_max, languages, cost, wait, capacity, where in OFFERS:
            organisation = self.orgs[org_key]
            contact = self.workers[org_key][0]
            roll = self.rng.random()
            if roll < 0.03:
                verified = None
            elif roll < 0.2:  # stale: not verified in the last 12 months
                verified = self.today - datetime.timedelta(days=self.rng.randint(380, 900))
            else:
                verified = self.today - datetime.timedelta(days=self.rng.randint(3, 350))
            offer = Offer.objects.create(
                organisation=organisation,
                name=name,
                description=f"{name} van {organisation.name} voor gezinnen in {TOWN}.",
                kind=kind,
                age_min=age_min,
                age_max=age_max,
                languages=languages,
                cost=cost,
                cost_note="Sociaal tarief via de brugfiguur of het Sociaal Huis."
                if cost == "social_rate"
                else "",
                locations_times=where,
                how_to_refer="Warme doorverwijzing via Village, met toestemming van het gezin.",
                how_families_get_in="Op afspraak; bellen of langskomen kan ook.",
                contact_name=contact.full_name,
                contact_phone=organisation.phone,
                contact_email=organisation.email,
                typical_wait_days=wait,
                capacity=capacity,
                verified_at=verified,
            )
            offer.need_domains.set([self.domains[code] for code in domains])
            self.offers.append(offer)
            for code in domains:
                self.offers_by_domain[code].append(offer)

    # ----------------------------------------------------------------- planning a family

    def _reference(self, index: int) -> str:
        """F-XXXXXX from the family's number: an odd multiplier modulo 32**6 is a bijection, so
        chunks written in parallel never draw the same reference."""
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        number = (index * 0x2545F491 + self.seed * 7919) % 32**6
        while True:
            reference = "F-" + "".join(alphabet[(number >> (5 * i)) & 31] for i in range(6))
            if reference not in self.existing_references:  # a family that was there before
                self.existing_references.add(reference)
                return reference
            number = self.rng.randrange(32**6)

    def _grade(self, birth_year: int) -> tuple[str, str]:
        """(level, grade) in this school year for a child born in `birth_year`."""
        years = self.calendar.year_start.year - birth_year
        if years <= 5:
            return "nursery", f"{max(years, 3) - 2}e kleuterklas"
        if years <= 11:
            return "primary", f"{years - 5}e leerjaar"
        return "secondary", f"{min(years, 17) - 11}e middelbaar"

    def _school_for(self, level: str, team: str, prefer: str | None = None) -> Organisation | None:
        if prefer:
            return self.orgs[prefer]
        fits = {
            "nursery": {Level.NURSERY_PRIMARY, Level.NURSERY},
            "primary": {Level.NURSERY_PRIMARY, Level.PRIMARY},
            "secondary": {Level.SECONDARY},
        }[level]
        candidates = [s for s in self.schools if s.school_level in fits]
        if self.rng.random() < 0.03:
            return None  # a school outside the network
        own = [s for s in candidates if self.school_team[self.school_key[s.pk]] == team]
        pool = own if own and self.rng.random() < 0.88 else candidates
        weights = [3 if self.school_key[s.pk] == DEMO_SCHOOL else 1 for s in pool]
        return self.rng.choices(pool, weights=weights)[0]

    def plan_family(self, index: int) -> FamilyPlan:
        rng = self.rng
        guaranteed = index < GUARANTEED_FAMILIES
        team = "main" if guaranteed or index % 10 not in (3, 7, 9) else "south"
        figures = self.bridge_figures[team]
        bridge_figure = self.demo_bridge if guaranteed else rng.choice(figures)
        community = COMMUNITIES[0] if index == 0 else weighted(rng, [(c, c[7]) for c in COMMUNITIES])
        surnames, girls, boys, women, men, languages, interpreter, _w = community
        last_name = rng.choice(surnames)
        postcode = "9295" if team == "main" and rng.random() < 0.8 else weighted(rng, POSTCODES)
        guardians = []
        single = rng.random() < 0.4
        first_relationship = weighted(rng, {"moeder": 80, "vader": 12, "grootmoeder": 4, "pleegmoeder": 4})
        first_is_woman = first_relationship != "vader"
        guardians.append((rng.choice(women if first_is_woman else men), last_name, first_relationship))
        if not single:
            second_relationship = "vader" if first_is_woman else "moeder"
            if rng.random() < 0.15:
                second_relationship = "stiefvader" if first_is_woman else "stiefmoeder"
            second_last = last_name if rng.random() < 0.6 else rng.choice(surnames)
            guardians.append((rng.choice(men if first_is_woman else women), second_last, second_relationship))

        children = []
        count = 1 if guaranteed and index > 0 else weighted(rng, {1: 40, 2: 40, 3: 20})
        age = 8 if guaranteed else rng.randint(3, 17)
        for number in range(count):
            if number:
                age = age + rng.choice([-4, -3, -2, 2, 3, 4])
                if not 3 <= age <= 17:
                    age = rng.randint(3, 17)
            born = self.today - datetime.timedelta(days=365 * age + rng.randint(0, 364))
            birth_date = born if rng.random() < 0.4 else None
            level, grade = self._grade(born.year)
            prefer = DEMO_SCHOOL if guaranteed and number == 0 else None
            school = self._school_for(level, team, prefer)
            girl = rng.random() < 0.5
            children.append(
                ChildPlan(
                    first_name=rng.choice(girls if girl else boys),
                    last_name=last_name,
                    girl=girl,
                    birth_year=born.year,
                    birth_date=birth_date,
                    school=school,
                    grade=grade if school else "",
                )
            )
        plan = FamilyPlan(
            index=index,
            team=self.orgs[team],
            bridge_figure=bridge_figure,
            community=community,
            last_name=last_name,
            postcode=postcode,
            languages=rng.choice(languages),
            interpreter=rng.random() < interpreter,
            channel=weighted(
                rng, {"phone": 30, "whatsapp": 35, "home_visit": 15, "letter": 5, "at_school": 15}
            ),
            guardians=guardians,
            children=children,
            known_before=not guaranteed and rng.random() < 0.08,
        )
        if guaranteed:
            scenarios = GUARANTEED_SCENARIOS[index :: min(GUARANTEED_FAMILIES, self.families)]
        else:
            scenarios = [
                weighted(rng, SCENARIO_WEIGHTS) for _ in range(weighted(rng, {0: 42, 1: 40, 2: 14, 3: 4}))
            ]
        for number, scenario in enumerate(scenarios):
            plan.referrals.append(
                self._plan_referral(plan, scenario, force_child=guaranteed, first=number == 0)
            )
        self._schedule_family(plan)
        return plan

    def _child_age(self, child: ChildPlan) -> int:
        return self.today.year - child.birth_year

    def _plan_referral(
        self, family: FamilyPlan, scenario: str, *, force_child: bool, first: bool
    ) -> ReferralPlan:
        rng = self.rng
        demo_partner = self.orgs[DEMO_PARTNER]
        code = weighted(rng, {code: weight for code, (weight, _q) in QUESTIONS.items()})
        if family.index == 0 and first:
            code = "parenting"  # the demo partner has an ongoing case from the demo school
        family_level = not force_child and rng.random() < FAMILY_LEVEL_DOMAINS.get(code, 0.0)
        child = None if family_level else (family.children[0] if force_child else rng.choice(family.children))
        age = self._child_age(child) if child else None
        candidates = (
            [
                o
                for o in self.offers_by_domain.get(code, [])
                if age is None or ((o.age_min or 0) <= age <= (o.age_max if o.age_max is not None else 99))
            ]
            or self.offers_by_domain.get(code, [])
            or self.offers
        )
        if family.index == 0 and first:
            candidates = [o for o in candidates if o.organisation_id == demo_partner.pk] or candidates
        weights = [3 if o.organisation_id == demo_partner.pk else 1 for o in candidates]
        offer = rng.choices(candidates, weights=weights)[0]
        organisation = offer.organisation
        if rng.random() < 0.12:
            offer = None  # referred to the organisation, not to one of its offers
        domains = [code]
        related = [c for c in RELATED_DOMAINS.get(code, []) if c in self.domains]
        if related and rng.random() < 0.3:
            domains.append(rng.choice(related))
        questions = QUESTIONS[code][1]
        if child is None:
            questions = [q for q in questions if "{kind}" not in q.lower()] or questions
        text = rng.choice(questions)
        kind = "mijn dochter" if child and child.girl else "mijn zoon"
        text = text.replace("{kind}", kind).replace("{Kind}", kind.capitalize())
        org_key = self.org_key[organisation.pk]
        workers = self.workers[org_key]
        worker = self.demo_partner if org_key == DEMO_PARTNER and rng.random() < 0.7 else rng.choice(workers)
        source = weighted(rng, {"family": 40, "school": 20, "clb": 8, "bridge_figure": 27, "other": 5})
        if force_child and first and scenario == "in_progress":
            source = "school"
        team_figures = self.bridge_figures[self.team_key[family.team.pk]]
        created_by = family.bridge_figure if rng.random() < 0.85 else rng.choice(team_figures)
        return ReferralPlan(
            scenario=scenario,
            child=child,
            domains=[self.domains[c] for c in domains],
            offer=offer,
            organisation=organisation,
            question=text,
            source=source,
            warmth=weighted(rng, {1: 15, 2: 40, 3: 30, 4: 15}),
            created_by=created_by,
            worker=worker,
        )

    def _steps(
        self, plan: ReferralPlan, wait_days: int
    ) -> tuple[list[tuple[str, int]], tuple[int, int | None]]:
        """The lifecycle steps of a scenario with their gaps in working days, and where the last
        one may fall (from, to) in day indexes."""
        rng, last = self.rng, self.calendar.last
        n = settings.VILLAGE_RESPONSE_WORKING_DAYS
        send = ("send", rng.choice([0, 0, 1, 1, 2, 3]))
        answer = rng.choice([0, 1, 1, 2, 2, 3, 4, 5, 6, 7])
        contact_after_wait = max(5, min(40, wait_days * 5 // 7))
        scenario = plan.scenario
        if scenario == "draft":
            return [], ((last - 12, last) if rng.random() < 0.8 else (0, last))
        if scenario == "sent_fresh":
            return [send], (last - (n - 2), last)
        if scenario == "sent_reminder":
            return [send], (last - (2 * n - 1), last - n)
        if scenario == "sent_stale":
            return [send], (last - (2 * n + 35), last - (2 * n + 1))
        if scenario == "accepted":
            return [send, ("accept", answer)], (last - 12, last)
        if scenario == "declined":
            return [send, ("decline", answer)], (0, last)
        if scenario == "waiting":
            return [send, ("accept", answer), ("put_on_waiting_list", rng.randint(0, 2))], (last - 50, last)
        waited = rng.random() < 0.25
        up_to_contact = [send, ("accept", answer)]
        if waited:
            up_to_contact += [
                ("put_on_waiting_list", rng.randint(0, 2)),
                ("record_contact", contact_after_wait),
            ]
        else:
            up_to_contact.append(("record_contact", rng.randint(1, 8)))
        if scenario == "contact_made":
            return up_to_contact, (last - 25, last)
        if scenario == "in_progress":
            return [*up_to_contact, ("start", rng.randint(0, 8))], (last - 60, last)
        if scenario == "closed":
            if rng.random() < 0.2:  # ended before any contact
                early = [send, ("accept", answer)]
                if rng.random() < 0.3:
                    early.append(("put_on_waiting_list", rng.randint(0, 2)))
                return [*early, ("close", rng.randint(3, 15))], (0, last)
            return [*up_to_contact, ("start", rng.randint(0, 8)), ("close", rng.randint(10, 45))], (0, last)
        # withdrawn, from one of the open states
        before = weighted(rng, {0: 25, 1: 35, 2: 25, 3: 15})
        chain = [send, ("accept", answer), ("put_on_waiting_list", rng.randint(0, 2))][:before]
        return [*chain, ("withdraw", rng.randint(1, 10))], (0, last)

    def _schedule_family(self, family: FamilyPlan) -> None:
        """Day indexes, then times, for the family's referrals, consents, requests and moments."""
        rng, cal = self.rng, self.calendar
        for plan in family.referrals:
            wait_days = (plan.offer.typical_wait_days if plan.offer else None) or 20
            steps, (end_from, end_to) = self._steps(plan, wait_days)
            indexes = cal.place([gap for _a, gap in steps], end_from, end_to)
            plan.steps = [("create", indexes[0])] + [
                (a, i) for (a, _g), i in zip(steps, indexes[1:], strict=True)
            ]
        first_step = min((p.steps[0][1] for p in family.referrals), default=None)
        if family.known_before:
            family.opened_at = cal.long_ago(rng.randint(400, 700))
            opened_index = 0
        else:
            if first_step is None:
                opened_index = rng.randint(0, cal.last)
            else:
                opened_index = max(0, first_step - rng.randint(0, 12))
            family.opened_at = cal.moment(opened_index)
        family.opened_index = opened_index
        family.touch(family.opened_at)
        for plan in family.referrals:
            at = cal.moment(plan.steps[0][1], after=family.opened_at + datetime.timedelta(minutes=30))
            plan.created_at = at
            for action, index in plan.steps[1:]:
                at = cal.moment(index, after=at)
                plan.times.append((action, at, self._action_kwargs(plan, action)))
            family.touch(at)
            # After first contact, the bridge figure asks "was this what you expected?".
            contact = next(
                (
                    (i, t)
                    for (a, i), (_a, t, _k) in zip(plan.steps[1:], plan.times, strict=True)
                    if a == "record_contact"
                ),
                None,
            )
            if contact is not None:
                contact_index, contact_at = contact
                follow_index = contact_index + rng.randint(5, 15)
                if rng.random() < 0.55 and follow_index <= cal.last:
                    result = weighted(rng, {"yes": 50, "partly": 25, "no": 12, "wrong_place": 13})
                    plan.follow_up = (result, cal.moment(follow_index, after=contact_at))
                elif family.index < GUARANTEED_FAMILIES:  # the smallest demo shows one too
                    plan.follow_up = ("partly", cal.moment(contact_index, after=contact_at))
                if plan.follow_up:
                    family.touch(plan.follow_up[1])
                    self._fix_close_outcome(plan, plan.follow_up[0])
        self._plan_school_requests(family)

    def _fix_close_outcome(self, plan: ReferralPlan, result: str) -> None:
        if result != "wrong_place":
            return
        for number, (action, at, kwargs) in enumerate(plan.times):
            if action == "close":
                kwargs = {
                    **kwargs,
                    "outcome": self.rng.choice(["not_resolved", "referred_on", "family_stopped"]),
                }
                kwargs["note"] = CLOSE_NOTES[kwargs["outcome"]]
                plan.times[number] = (action, at, kwargs)

    def _action_kwargs(self, plan: ReferralPlan, action: str) -> dict:
        rng = self.rng
        if action == "accept":
            return {"note": rng.choice(ACCEPT_NOTES)}
        if action == "decline":
            reason = weighted(
                rng,
                {
                    "outside_target": 15,
                    "no_capacity": 30,
                    "better_elsewhere": 20,
                    "already_supported": 15,
                    "incomplete": 10,
                    "other": 10,
                },
            )
            suggested = None
            if reason == "better_elsewhere":
                code = plan.domains[0].code
                others = [o for o in self.offers_by_domain[code] if o.organisation_id != plan.organisation.pk]
                suggested = rng.choice(others) if others else None
            return {"reason": reason, "note": DECLINE_NOTES[reason], "suggested_offer": suggested}
        if action == "put_on_waiting_list":
            wait = (plan.offer.typical_wait_days if plan.offer else None) or 30
            return {
                "expected_start_days": wait + rng.randint(-5, 20),
                "interim_support": rng.choice(INTERIM_SUPPORT),
                "note": rng.choice(WAIT_NOTES),
            }
        if action == "record_contact":
            return {"note": rng.choice(CONTACT_NOTES)}
        if action == "start":
            return {"note": rng.choice(START_NOTES)}
        if action == "close":
            if any(a == "record_contact" for a, _i in plan.steps):
                outcome = weighted(
                    rng,
                    {
                        "resolved": 35,
                        "partly_resolved": 25,
                        "not_resolved": 10,
                        "family_stopped": 10,
                        "referred_on": 8,
                    },
                )
            else:
                outcome = weighted(rng, {"unreachable": 60, "no_longer_needed": 40})
            return {"outcome": outcome, "note": CLOSE_NOTES[outcome]}
        if action == "withdraw":
            return {"note": rng.choice(WITHDRAW_NOTES)}
        return {}

    def _plan_school_requests(self, family: FamilyPlan) -> None:
        """A school asked about a pupil: linked to the referral that answered it, or on its own."""
        rng, cal = self.rng, self.calendar
        guaranteed = family.index < GUARANTEED_FAMILIES
        for plan in family.referrals:
            child = plan.child
            if plan.source != "school" or child is None or child.school is None:
                continue
            if child.school.pk not in self.team_schools[family.team.pk]:
                continue
            # The school asked, the bridge figure picked it up, met the family, then referred.
            anchor = plan.created_at if family.known_before else min(family.opened_at, plan.created_at)
            created = cal.moment(cal.index_of(timezone.localdate(anchor)) - rng.randint(1, 4))
            if created >= anchor:
                created = anchor - datetime.timedelta(hours=rng.randint(2, 30))
            picked = created + max(datetime.timedelta(minutes=5), (anchor - created) * rng.uniform(0.2, 0.8))
            picked = picked.replace(second=0, microsecond=0)
            handled = plan.times[0][1] if plan.times else None
            plan.school_request = self._request(family, child, created, picked, handled)
        with_school = [
            c for c in family.children if c.school and c.school.pk in self.team_schools[family.team.pk]
        ]
        if not with_school:
            return
        forced = {0: "handled", 1: "picked_up"}.get(family.index) if guaranteed else None
        roll = rng.random()
        status = forced or ("handled" if roll < 0.05 else "picked_up" if roll < 0.09 else None)
        if status is None:
            return
        child = with_school[0]
        created = family.opened_at - datetime.timedelta(hours=rng.randint(2, 60))
        picked = created + datetime.timedelta(hours=rng.randint(1, 30))
        handled = None
        if status == "handled":
            handled = cal.moment(
                min(cal.last, cal.index_of(timezone.localdate(picked)) + rng.randint(2, 12)), after=picked
            )
        self._request(family, child, created, picked, handled)

    def _request(self, family, child, created, picked, handled) -> RequestPlan:
        team_figures = self.bridge_figures[self.team_key[family.team.pk]]
        pickers = [f for f in self.covering[self.school_key[child.school.pk]] if f in team_figures]
        request = RequestPlan(
            school=child.school,
            child=child,
            first_name=child.first_name,
            last_name=child.last_name,
            grade=child.grade or "onbekend",
            status="handled" if handled else "picked_up",
            created_at=created,
            picked_up_at=picked,
            picked_up_by=family.bridge_figure
            if family.bridge_figure in pickers or not pickers
            else self.rng.choice(pickers),
            handled_at=handled,
        )
        family.requests.append(request)
        return request

    # ----------------------------------------------------------------- writing families

    def write_families(self, plans: list[FamilyPlan]) -> None:
        rng = self.rng
        families = []
        for plan in plans:
            plan.obj = Family(
                reference=self._reference(plan.index),
                postcode=plan.postcode,
                languages=plan.languages,
                interpreter_needed=plan.interpreter,
                preferred_channel=plan.channel,
                holding_team=plan.team,
                primary_bridge_figure=plan.bridge_figure,
                created_by=plan.bridge_figure,
                created_at=plan.opened_at,
                last_activity_at=plan.opened_at,
            )
            families.append(plan.obj)
        Family.objects.bulk_create(families)
        guardians, children = [], []
        for plan in plans:
            plan.guardian_objs = []
            for first, last, relationship in plan.guardians:
                has_mail = rng.random() < 0.3
                guardian = Guardian(
                    family=plan.obj,
                    first_name=first,
                    last_name=last,
                    relationship=relationship,
                    phone=f"+32 4{rng.choice('789')}{rng.randint(0, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    email=f"{ascii_slug(first)}.{ascii_slug(last)}@example.org" if has_mail else "",
                )
                plan.guardian_objs.append(guardian)
                guardians.append(guardian)
            for child in plan.children:
                child.obj = Child(
                    family=plan.obj,
                    first_name=child.first_name,
                    last_name=child.last_name,
                    birth_year=child.birth_year,
                    birth_date=child.birth_date,
                    school=child.school,
                    grade=child.grade,
                    # what Child.save() computes; bulk_create does not call save()
                    turns_twelve_on=twelfth_birthday(child.birth_year, child.birth_date),
                )
                children.append(child.obj)
        Guardian.objects.bulk_create(guardians)
        Child.objects.bulk_create(children)

        for plan in plans:
            self._record_consents(plan)
        self._write_school_requests(plans)
        self._write_referrals(plans)
        self._write_contact_moments(plans)
        for plan in plans:
            plan.obj.last_activity_at = plan.last_activity
        Family.objects.bulk_update([p.obj for p in plans], ["last_activity_at"], batch_size=500)

    # consents ---------------------------------------------------------

    def _consent(
        self,
        plan: FamilyPlan,
        scope: str,
        recipient: Organisation,
        at: datetime.datetime,
        *,
        child=None,
        expires_on=None,
        renews=None,
    ) -> Consent:
        rng = self.rng
        young = child is not None and child.obj.is_young_person(self.today)
        by_young_person = young and self._child_age(child) >= 14 and rng.random() < 0.35
        if (
            expires_on is None
            and scope != ConsentScope.REGISTER
            and timezone.localdate(at) < self.calendar.year_start
        ):
            expires_on = end_of_school_year(self.today)  # a demo started before 1 September
        consent = record_consent(
            family=plan.obj,
            scope=scope,
            recipient=recipient,
            given_by=Consent.GivenBy.YOUNG_PERSON if by_young_person else Consent.GivenBy.GUARDIAN,
            guardian=None if by_young_person else plan.guardian_objs[0],
            child=child.obj if child else None,
            young_person_agreed=young,
            method=weighted(rng, {"verbal": 50, "paper": 30, "digital": 20}),
            recorded_by=plan.bridge_figure,
            given_at=at,
            expires_on=expires_on,
            renews=renews,
        )
        plan.touch(at)
        return consent

    def _record_consents(self, plan: FamilyPlan) -> None:
        rng, cal = self.rng, self.calendar
        opened = plan.opened_at
        guaranteed = plan.index < GUARANTEED_FAMILIES
        register = self._consent(plan, ConsentScope.REGISTER, plan.team, opened)
        self.withdrawal_candidates.append(("register", register, plan))
        at = opened + datetime.timedelta(minutes=5)
        for child in plan.children:
            if child.obj.is_young_person(self.today):  # 12+: the young person agrees for themselves
                self._consent(plan, ConsentScope.REGISTER, plan.team, at, child=child)
        for number, child in enumerate(plan.children):
            if child.school is None:
                continue
            if plan.known_before:
                old = self._consent(
                    plan,
                    ConsentScope.INFORM_SCHOOL,
                    child.school,
                    opened + datetime.timedelta(minutes=10),
                    child=child,
                    expires_on=min(
                        end_of_school_year(timezone.localdate(opened)),
                        self.today - datetime.timedelta(days=1),
                    ),
                )
                if rng.random() < 0.7:  # renewed early in this school year, before any referral
                    renewed_at = cal.moment(rng.randint(0, min(10, cal.last)))
                    if plan.referrals:
                        first = min(r.created_at for r in plan.referrals)
                        renewed_at = min(renewed_at, first - datetime.timedelta(hours=1))
                    consent = self._consent(
                        plan, ConsentScope.INFORM_SCHOOL, child.school, renewed_at, child=child, renews=old
                    )
                    self.withdrawal_candidates.append(("inform_school", consent, plan))
            elif (guaranteed and number == 0) or rng.random() < 0.5:
                consent = self._consent(plan, ConsentScope.INFORM_SCHOOL, child.school, at, child=child)
                self.withdrawal_candidates.append(("inform_school", consent, plan))
        if plan.known_before and rng.random() < 0.4:
            partner = self.orgs[rng.choice(PARTNERS)[0]]
            self._consent(
                plan,
                ConsentScope.REFER,
                partner,
                opened + datetime.timedelta(minutes=15),
                expires_on=min(
                    end_of_school_year(timezone.localdate(opened)), self.today - datetime.timedelta(days=1)
                ),
            )
        # `refer`: asked when the referral is prepared; a draft may still be waiting for it.
        given: set[tuple[int, int | None]] = set()
        for referral in sorted(plan.referrals, key=lambda r: r.created_at):
            if referral.scenario == "draft" and rng.random() < 0.5:
                continue
            at = max(
                opened + datetime.timedelta(minutes=10),
                referral.created_at - datetime.timedelta(minutes=rng.randint(5, 90)),
            )
            org = referral.organisation
            needed = [None]
            if referral.child and referral.child.obj.is_young_person(self.today):
                # A young person agrees for themselves; the parents share their details too when
                # the organisation will call them.
                needed = [referral.child, None] if rng.random() < 0.5 else [referral.child]
            for child in needed:
                key = (org.pk, child.obj.pk if child else None)
                if key in given:
                    continue
                given.add(key)
                consent = self._consent(plan, ConsentScope.REFER, org, at, child=child)
                if referral.scenario in ("closed", "declined") and child is None:
                    self.withdrawal_candidates.append(("refer", consent, plan))

    # school requests --------------------------------------------------

    def _write_school_requests(self, plans: list[FamilyPlan]) -> None:
        requests = []
        for plan in plans:
            for request in plan.requests:
                coordinators = self.coordinators[self.school_key[request.school.pk]]
                request.obj = SchoolRequest(
                    school=request.school,
                    created_by=coordinators[0] if self.rng.random() < 0.7 else self.rng.choice(coordinators),
                    pupil_first_name=request.first_name,
                    pupil_last_name=request.last_name,
                    grade=request.grade,
                    reason=self.rng.choice(SCHOOL_REQUEST_REASONS),
                    parents_know=weighted(self.rng, {"yes": 70, "no": 10, "not_sure": 20}),
                    status=request.status,
                    created_at=request.created_at,
                    picked_up_at=request.picked_up_at,
                    picked_up_by=request.picked_up_by,
                    handled_at=request.handled_at,
                    family=plan.obj,
                    child=request.child.obj if request.child else None,
                )
                requests.append(request.obj)
        SchoolRequest.objects.bulk_create(requests)

    def write_open_school_requests(self, count: int, *, first: bool = False) -> None:
        """Requests nobody picked up yet: recent, not linked to a family."""
        rng, cal = self.rng, self.calendar
        requests = []
        for number in range(count):
            school = self.orgs[DEMO_SCHOOL] if first and number == 0 else rng.choice(self.schools)
            community = weighted(rng, [(c, c[7]) for c in COMMUNITIES])
            girl = rng.random() < 0.5
            key = self.school_key[school.pk]
            level = "secondary" if school.school_level == Level.SECONDARY else "primary"
            grade = f"{rng.randint(1, 6)}e {'middelbaar' if level == 'secondary' else 'leerjaar'}"
            index = max(0, cal.last - (rng.randint(0, 6) if rng.random() < 0.85 else rng.randint(7, 20)))
            requests.append(
                SchoolRequest(
                    school=school,
                    created_by=rng.choice(self.coordinators[key]),
                    pupil_first_name=rng.choice(community[1] if girl else community[2]),
                    pupil_last_name=rng.choice(community[0]),
                    grade=grade,
                    reason=rng.choice(SCHOOL_REQUEST_REASONS),
                    parents_know=weighted(rng, {"yes": 60, "no": 15, "not_sure": 25}),
                    status=SchoolRequest.Status.OPEN,
                    created_at=cal.moment(index),
                )
            )
        SchoolRequest.objects.bulk_create(requests)

    # referrals --------------------------------------------------------

    def _write_referrals(self, plans: list[FamilyPlan]) -> None:
        referral_plans = [r for p in plans for r in p.referrals]
        drafts = []
        for family in plans:
            for plan in family.referrals:
                plan.obj = Referral(
                    family=family.obj,
                    child=plan.child.obj if plan.child else None,
                    question=plan.question,
                    referring_team=family.team,
                    created_by=plan.created_by,
                    receiving_organisation=plan.organisation,
                    offer=plan.offer,
                    receiving_contact=plan.worker.full_name if plan.warmth >= 2 else "",
                    source=plan.source,
                    school_request=plan.school_request.obj if plan.school_request else None,
                    warmth=plan.warmth,
                    created_at=plan.created_at,
                )
                drafts.append(plan.obj)
        Referral.objects.bulk_create(drafts)
        Through = Referral.need_domains.through
        Through.objects.bulk_create(
            [Through(referral_id=p.obj.pk, needdomain_id=d.pk) for p in referral_plans for d in p.domains]
        )
        re_referrals = []
        for plan in referral_plans:
            referral = plan.obj
            for action, at, kwargs in plan.times:
                self._act(referral, plan, action, at, kwargs)
            if plan.follow_up:
                result, at = plan.follow_up
                again = record_follow_up(referral, by=plan.created_by, result=result)
                plan.times.append(("follow_up", at, {}))
                if again is not None:
                    re_referrals.append((again, plan, at))
        self._backdate(referral_plans, re_referrals)

    def _act(
        self, referral: Referral, plan: ReferralPlan, action: str, at: datetime.datetime, kwargs: dict
    ) -> None:
        worker = plan.worker
        if action == "send":
            send_referral(referral, by=plan.created_by)
        elif action == "accept":
            accept_referral(referral, by=worker, **kwargs)
        elif action == "decline":
            decline_referral(referral, by=worker, **kwargs)
        elif action == "put_on_waiting_list":
            kwargs = dict(kwargs)
            days = kwargs.pop("expected_start_days")
            start = timezone.localdate(at) + datetime.timedelta(days=days)
            put_on_waiting_list(referral, by=worker, expected_start=start, **kwargs)
        elif action == "record_contact":
            # The lifecycle refuses a first contact before the (still current) sending date; the
            # real date is set with the other timestamps afterwards.
            record_contact(referral, by=worker, **kwargs)
        elif action == "start":
            start_support(referral, by=worker, **kwargs)
        elif action == "close":
            close_referral(referral, by=worker, **kwargs)
        elif action == "withdraw":
            withdraw_referral(referral, by=plan.created_by, **kwargs)
        else:  # pragma: no cover
            raise CommandError(f"Unknown step {action!r}")

    def _backdate(self, referral_plans, re_referrals) -> None:
        """Move the lifecycle's "now" stamps to the planned moments, in order."""
        n = settings.VILLAGE_RESPONSE_WORKING_DAYS
        stamps = {
            "send": "sent_at",
            "accept": "answered_at",
            "decline": "answered_at",
            "put_on_waiting_list": "waiting_since",
            "start": "started_at",
            "close": "closed_at",
            "withdraw": "withdrawn_at",
            "follow_up": "followed_up_at",
        }
        fields = ["created_at", "respond_by", "contact_made_on", *sorted(set(stamps.values()))]
        event_times: dict[int, list] = {}
        notice_times: dict[str, datetime.datetime] = {}
        for plan in referral_plans:
            referral = plan.obj
            referral.created_at = plan.created_at
            for action, at, _kwargs in plan.times:
                if action in stamps:
                    setattr(referral, stamps[action], at)
                if action == "send":
                    referral.respond_by = add_working_days(timezone.localdate(at), n)
                if action == "record_contact":
                    referral.contact_made_on = timezone.localdate(at)
            event_times[referral.pk] = [at for _a, at, _k in plan.times]
            for action, at, _kwargs in plan.times:
                event = EVENT_FOR_STATUS.get(STATUS_AFTER.get(action))
                if event is None:
                    continue
                notice_times.setdefault(f"referral:{referral.pk}:{event}", at)
                if plan.school_request:
                    key = f"school_request:{plan.school_request.obj.pk}:no_permission"
                    notice_times[key] = min(at, notice_times.get(key, at))
        # One bulk update per timestamp, over the referrals that have it: a CASE per row and field
        # for every referral would cost more than all the rest of the backdating.
        for name in fields:
            stamped = [p.obj for p in referral_plans if getattr(p.obj, name) is not None]
            if stamped:
                Referral.objects.bulk_update(stamped, [name], batch_size=1000)

        events = list(
            ReferralEvent.objects.filter(referral_id__in=event_times)
            .order_by("referral_id", "pk")
            .only("pk", "referral_id", "at")
        )
        position: Counter = Counter()
        for event in events:
            times = event_times[event.referral_id]
            event.at = times[position[event.referral_id]]
            position[event.referral_id] += 1
        ReferralEvent.objects.bulk_update(events, ["at"], batch_size=500)

        for again, plan, at in re_referrals:
            # "Not the right place": the bridge figure prepares the draft for another organisation.
            others = [
                o
                for d in plan.domains
                for o in self.offers_by_domain[d.code]
                if o.organisation_id != plan.organisation.pk
            ]
            offer = self.rng.choice(others) if others else None
            Referral.objects.filter(pk=again.pk).update(
                created_at=at + datetime.timedelta(minutes=10),
                receiving_organisation=offer.organisation if offer else plan.organisation,
                offer=offer,
            )

        # The notices these transitions wrote (their keys are unique per source and event).
        notices = list(SchoolNotice.objects.filter(key__in=notice_times).order_by("pk"))
        last_day = self.calendar.days[-1]
        for notice in notices:
            at = notice_times[notice.key]
            notice.created_at = notice.deliver_after = at
            delay = datetime.timedelta(minutes=self.rng.randint(1, 10))
            # Delivered when they were written, as the outbox would have; the last day's wait.
            if timezone.localdate(at) < last_day:
                notice.sent_at = at + delay
                notice.attempts = 1
        SchoolNotice.objects.bulk_update(
            notices, ["created_at", "deliver_after", "sent_at", "attempts"], batch_size=500
        )

    # contact moments --------------------------------------------------

    def _write_contact_moments(self, plans: list[FamilyPlan]) -> None:
        rng, cal = self.rng, self.calendar
        moments, topics = [], []
        domain_list = list(self.domains.values())

        def moment(team, figure, index, kind, school, family_plan, topic_codes, note, at=None):
            at = at or cal.moment(index, after=family_plan.opened_at if family_plan else None)
            day = timezone.localdate(at)
            follow_up = day + datetime.timedelta(days=rng.randint(3, 20)) if rng.random() < 0.25 else None
            obj = ContactMoment(
                team=team,
                bridge_figure=figure,
                happened_on=day,
                kind=kind,
                school=school,
                place=PLACES[kind] if kind != "accompanied" else "",
                family=family_plan.obj if family_plan else None,
                note=note,
                follow_up_on=follow_up,
                created_at=at,
            )
            moments.append(obj)
            topics.append(topic_codes)
            if family_plan:
                family_plan.touch(obj.created_at)

        linked = 0
        for plan in plans:
            team_key = self.team_key[plan.team.pk]
            covered = self.team_schools[plan.team.pk]
            school = next((c.school for c in plan.children if c.school and c.school.pk in covered), None)
            codes = [d.code for r in plan.referrals for d in r.domains] or [rng.choice(domain_list).code]
            start = 0 if plan.known_before else plan.opened_index
            intake = "home_visit" if rng.random() < 0.6 else "office_hour"
            moment(
                plan.team,
                plan.bridge_figure,
                start,
                intake,
                school if intake == "office_hour" else None,
                plan,
                codes[:2],
                FAMILY_MOMENT_NOTES[0],
                at=plan.opened_at,
            )
            linked += 1
            for _ in range(weighted(rng, {0: 10, 1: 30, 2: 30, 3: 20, 4: 10})):
                kind = weighted(
                    rng,
                    {
                        "school_gate": 30,
                        "office_hour": 20,
                        "home_visit": 15,
                        "phone": 25,
                        "parent_teacher": 5,
                        "group": 5,
                    },
                )
                at_school = kind in ("school_gate", "office_hour", "parent_teacher", "group")
                figure = (
                    plan.bridge_figure if rng.random() < 0.85 else rng.choice(self.bridge_figures[team_key])
                )
                moment(
                    plan.team,
                    figure,
                    rng.randint(start, cal.last),
                    kind,
                    school if at_school else None,
                    plan,
                    rng.sample(codes, k=min(len(codes), rng.randint(1, 2))),
                    rng.choice(FAMILY_MOMENT_NOTES[1:]),
                )
                linked += 1
            for referral in plan.referrals:
                contact = next((at for a, at, _k in referral.times if a == "record_contact"), None)
                if contact is not None and referral.warmth == 4:
                    moment(
                        plan.team,
                        referral.created_by,
                        cal.index_of(timezone.localdate(contact)),
                        "accompanied",
                        None,
                        plan,
                        [referral.domains[0].code],
                        "Meegegaan naar het eerste gesprek.",
                    )
                    linked += 1
        # About a third of all moments are anonymous: a question at the gate, a parents' café.
        figures = [(team, f) for team, fs in self.bridge_figures.items() for f in fs]
        for _ in range(max(1, linked // 2)):
            team_key, figure = rng.choice(figures)
            schools = [self.orgs[k] for k, fs in self.covering.items() if figure in fs]
            kind = weighted(
                rng, {"school_gate": 45, "office_hour": 20, "group": 15, "parent_teacher": 10, "phone": 10}
            )
            school = rng.choice(schools) if schools and kind != "phone" else None
            codes = [
                weighted(rng, {c: w for c, (w, _q) in QUESTIONS.items()}) for _ in range(rng.randint(1, 2))
            ]
            moment(
                self.orgs[team_key],
                figure,
                rng.randint(0, cal.last),
                kind,
                school,
                None,
                list(dict.fromkeys(codes)),
                rng.choice(ANONYMOUS_MOMENT_NOTES),
            )
        ContactMoment.objects.bulk_create(moments, batch_size=1000)
        Through = ContactMoment.topics.through
        Through.objects.bulk_create(
            [
                Through(contactmoment_id=m.pk, needdomain_id=self.domains[code].pk)
                for m, codes in zip(moments, topics, strict=True)
                for code in dict.fromkeys(codes)
            ],
            batch_size=2000,
        )

    # ----------------------------------------------------------------- withdrawals

    def withdraw_some(self) -> None:
        """A few families change their mind: some updates to schools and some sharing stop, and
        the last one or two families close their file (withdrawing `register` anonymises it)."""
        rng = self.rng
        by_kind = defaultdict(list)
        for kind, consent, plan in self.withdrawal_candidates:
            if plan.index >= GUARANTEED_FAMILIES:
                by_kind[kind].append((consent, plan))
        closing = {self.families - 1} if self.families < 100 else {self.families - 1, self.families - 2}
        closed_files = [(consent, plan) for consent, plan in by_kind["register"] if plan.index in closing]
        closed_ids = {plan.index for _c, plan in closed_files}
        reasons = {
            "inform_school": "De ouders willen niet langer dat de school op de hoogte blijft.",
            "refer": "De begeleiding is afgelopen; het gezin wil niets meer laten delen.",
            "register": "Het gezin wil geen dossier meer bij de brugfiguren.",
        }
        for kind, share in (("inform_school", 0.04), ("refer", 0.05)):
            for consent, plan in by_kind[kind]:
                if plan.index not in closed_ids and rng.random() < share:
                    withdraw_consent(consent=consent, by=plan.bridge_figure, reason=reasons[kind])
        for consent, plan in closed_files:
            withdraw_consent(consent=consent, by=plan.bridge_figure, reason=reasons["register"])

    # ----------------------------------------------------------------- all of it

    def chunks(self) -> list[tuple[int, int, int]]:
        return [
            (number, start, min(start + CHUNK, self.families))
            for number, start in enumerate(range(0, self.families, CHUNK))
        ]

    def write_chunk(self, number: int, start: int, end: int) -> int:
        """Families start..end-1 with everything about them, and this chunk's share of the open
        school requests and of the withdrawals."""
        self._use_rng(f"families/{number}")
        self.withdrawal_candidates = []
        plans = [self.plan_family(index) for index in range(start, end)]
        self.write_families(plans)
        self.write_open_school_requests(
            max(1 if number == 0 else 0, round((end - start) / 12)), first=number == 0
        )
        self.withdraw_some()
        return end - start


_network: DemoNetwork | None = None  # set before forking: the workers inherit it


def _write_chunk_in_worker(chunk: tuple[int, int, int]) -> int:
    try:
        with transaction.atomic():
            return _network.write_chunk(*chunk)
    finally:
        connections.close_all()  # a worker may be stopped at any time: leave no connection open


# --------------------------------------------------------------------------- the command


class Command(BaseCommand):
    help = (
        "Build the demo network (an invented Flemish town, Scheldeveld) with N families. Does "
        "nothing when the demo network already exists, whatever --families says: to build it with "
        "another size, start from an empty database. Password of every demo login: $DEMO_PASSWORD, "
        f"default {DEFAULT_PASSWORD!r}."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--families", type=int, default=120, help="number of families (default 120)")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help=(
                "worker processes writing families (PostgreSQL only). Default: 1 up to "
                f"{PARALLEL_FROM} families, else the number of CPUs (at most 4). With more than one "
                "job, families are committed chunk by chunk: an interrupted run must be started "
                "again on an empty database."
            ),
        )

    def handle(self, *args, families: int, seed: int, jobs: int | None, **options) -> None:
        if families < 1:
            raise CommandError("--families must be at least 1.")
        if not NeedDomain.objects.exists():
            raise CommandError("No need domains found: run `python manage.py migrate` first.")
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        if Organisation.objects.filter(name=MUNICIPALITY, kind=Kind.MUNICIPALITY).exists():
            count = Family.objects.filter(
                holding_team__kind=Kind.BRIDGE_TEAM, holding_team__name__in=[t[1] for t in BRIDGE_TEAMS]
            ).count()
            self.stdout.write(
                f"The demo network of {TOWN} already exists ({count} families); nothing was changed. "
                "To build it again, start from an empty database."
            )
            self._print_logins(password)
            return
        if Organisation.objects.filter(name=BRIDGE_TEAMS[0][1], kind=Kind.BRIDGE_TEAM).exists():
            raise CommandError(
                f"A demo network of {TOWN} was started but not finished (an interrupted parallel "
                "run?). Start again from an empty database."
            )
        jobs = self._jobs(jobs, families)
        started = time.monotonic()
        self.stdout.write(
            f"Building the demo network of {TOWN} with {families} families"
            + (f" ({jobs} parallel jobs)" if jobs > 1 else "")
            + " …"
        )
        network = DemoNetwork(seed=seed, password=password, families=families)
        if jobs == 1:
            # One transaction: an interrupted run leaves nothing behind.
            with transaction.atomic():
                network.build_network()
                network.build_catalogue()
                done = 0
                for chunk in network.chunks():
                    done += network.write_chunk(*chunk)
                    self._progress(done, families, started)
                network.finish_network()
        else:
            with transaction.atomic():
                network.build_network()
                network.build_catalogue()
            self._write_in_parallel(network, jobs, started)
            with transaction.atomic():
                network.finish_network()
        self.stdout.write(self.style.SUCCESS(f"Demo network built in {time.monotonic() - started:.1f} s."))
        self._print_summary()
        self._print_logins(password)

    def _jobs(self, requested: int | None, families: int) -> int:
        parallel_possible = (
            connection.vendor == "postgresql" and "fork" in multiprocessing.get_all_start_methods()
        )
        if requested is not None and requested > 1 and not parallel_possible:
            self.stderr.write("Parallel jobs need PostgreSQL (and fork); writing with one job.")
        if not parallel_possible:
            return 1
        if requested is not None:
            return max(1, requested)
        return 1 if families <= PARALLEL_FROM else max(1, min(4, os.cpu_count() or 1))

    def _write_in_parallel(self, network: DemoNetwork, jobs: int, started: float) -> None:
        global _network
        _network = network
        connections.close_all()  # the workers open their own connections
        done = 0
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for size in pool.imap_unordered(_write_chunk_in_worker, network.chunks()):
                    done += size
                    self._progress(done, network.families, started)
                pool.close()
                pool.join()
        finally:
            _network = None

    def _progress(self, done: int, families: int, started: float) -> None:
        if families > CHUNK:
            self.stdout.write(f"  {done}/{families} families ({time.monotonic() - started:.0f} s)")

    def _print_summary(self) -> None:
        models = [
            User,
            Organisation,
            Membership,
            Coverage,
            Offer,
            Family,
            Guardian,
            Child,
            Consent,
            Referral,
            ReferralEvent,
            SchoolRequest,
            SchoolNotice,
            ContactMoment,
        ]
        with translation.override("en"):
            for model in models:
                name = str(model._meta.verbose_name_plural).capitalize()
                self.stdout.write(f"  {name:<24} {model.objects.count():>8}")
        statuses = dict(Referral.objects.values_list("status").annotate(n=Count("pk")))
        self.stdout.write(
            "  Referrals by status:     " + ", ".join(f"{s} {statuses.get(s, 0)}" for s in Status.values)
        )
        requests = dict(SchoolRequest.objects.values_list("status").annotate(n=Count("pk")))
        self.stdout.write(
            "  School requests:         "
            + ", ".join(f"{s} {requests.get(s, 0)}" for s in SchoolRequest.Status.values)
        )
        anonymous = ContactMoment.objects.filter(family__isnull=True).count()
        self.stdout.write(f"  Anonymous contact moments: {anonymous}")

    def _print_logins(self, password: str) -> None:
        self.stdout.write(f"Demo logins (password: {password}):")
        with translation.override("en"):
            for email, _name, _org, role in DEMO_LOGINS:
                self.stdout.write(f"  {email:<26} {role.label if role else 'administrator'}")
