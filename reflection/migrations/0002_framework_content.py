"""The three frameworks of DESIGN.md §9, in the project's own words, in nl, fr and en.

Sources are paraphrased, never quoted; each framework names its source in `source`.
"""

from django.db import migrations

VRAC_SOURCE = (
    "After the analysis framework of 'It takes a village to raise a child' (VRAC), final report of the "
    "Interreg 2 Seas project VRAC, Karel de Grote University of Applied Sciences (KdG), 2022 "
    "(Nols, De Visscher & Vorsselmans). Definitions and prompts rewritten by the Village project."
)
WRAPAROUND_SOURCE = (
    "After the ten principles of wraparound care as described in the VRAC final report (KdG, 2022) and by "
    "the National Wraparound Initiative. Wording by the Village project."
)
HOMEWORK_SOURCE = (
    "After the closing practice test questions of the practice description on homework and study support "
    "by EXPOO and HOGENT (process 2020-2021). Wording by the Village project."
)

CHALLENGES = {
    "a": ("Gedeelde visie", "Vision partagée", "Shared vision"),
    "b": ("Geïntegreerd aanbod", "Offre intégrée", "Integrated offer"),
    "c": ("Participatie en co-creatie", "Participation et co-création", "Participation and co-creation"),
}
PHASES = {
    "1": ("Initiatief nemen", "Prendre l'initiative", "Taking initiative"),
    "2": ("Interactie aangaan", "Engager l'interaction", "Initiating interaction"),
    "3": ("Integratie bevorderen", "Favoriser l'intégration", "Promoting integration"),
}

# code: (definition nl/fr/en, [prompt nl/fr/en, ...])
VRAC_BLOCKS = {
    "a1": (
        (
            "We hebben een brede kijk op schoolse vertraging en vroegtijdig schoolverlaten uitgewerkt, "
            "brengen die naar buiten en leggen ze naast de kijk van andere partners.",
            "Nous avons formulé un regard large sur le retard scolaire et le décrochage, nous le faisons "
            "connaître et nous le confrontons à celui des autres partenaires.",
            "We have worked out a broad view of school delay and early school leaving, we make it known "
            "and we hold it up against the views of other partners.",
        ),
        [
            (
                "Staat onze kijk op de ontwikkeling van kinderen ergens op papier, en kent elke partner hem?",
                "Notre regard sur le développement des enfants est-il écrit quelque part, et chaque "
                "partenaire le connaît-il ?",
                "Is our view of children's development written down somewhere, and does every partner "
                "know it?",
            ),
            (
                "Met welke partners hebben we onze visies vergeleken, en wat zijn de verschillen?",
                "Avec quels partenaires avons-nous comparé nos visions, et quelles sont les différences ?",
                "Which partners have we compared our views with, and where do they differ?",
            ),
            (
                "Dragen directie en collega's binnen elke organisatie deze kijk mee?",
                "La direction et les collègues de chaque organisation partagent-ils ce regard ?",
                "Do management and colleagues inside each organisation share this view?",
            ),
        ],
    ),
    "a2": (
        (
            "We zoeken op verschillende manieren naar een gedeelde visie: met gedeelde hulpmiddelen, "
            "vorming en formele en informele uitwisseling.",
            "Nous cherchons une vision commune par plusieurs chemins : des outils partagés, des "
            "formations et des échanges formels et informels.",
            "We look for a shared vision in several ways: shared tools, training, and formal and "
            "informal exchange.",
        ),
        [
            (
                "Welke gedeelde hulpmiddelen of woorden gebruiken partners uit verschillende sectoren echt?",
                "Quels outils ou mots communs les partenaires de secteurs différents utilisent-ils "
                "vraiment ?",
                "Which shared tools or words do partners from different sectors really use?",
            ),
            (
                "Hoeveel gezamenlijke vormingen of uitwisselingen waren er, en welke sectoren waren erbij?",
                "Combien de formations ou d'échanges communs ont eu lieu, et quels secteurs y étaient ?",
                "How many joint trainings or exchanges took place, and which sectors took part?",
            ),
        ],
    ),
    "a3": (
        (
            "Samen kiezen we voor een holistische kijk op leren en spreken we een gedeeld kader af voor "
            "geïntegreerde ondersteuning, dat ruimte laat voor discussie.",
            "Ensemble, nous choisissons une approche globale de l'apprentissage et nous convenons d'un "
            "cadre commun pour un soutien intégré, qui laisse place au débat.",
            "Together we choose a whole-child approach to learning and agree on a common framework for "
            "integrated support that leaves room for debate.",
        ),
        [
            (
                "Hebben alle partners een gedeeld kader formeel onderschreven?",
                "Tous les partenaires ont-ils formellement adopté un cadre commun ?",
                "Have all partners formally endorsed a common framework?",
            ),
            (
                "Welke mogelijke partners voelen zich buitengesloten door dat kader?",
                "Quels partenaires potentiels se sentent exclus par ce cadre ?",
                "Which potential partners feel left out by that framework?",
            ),
            (
                "Is het kader verankerd in beleid, bijvoorbeeld in een beleidsplan of subsidievoorwaarden?",
                "Le cadre est-il ancré dans une politique, par exemple un plan ou des conditions de "
                "subvention ?",
                "Is the framework anchored in policy, for instance a policy plan or grant conditions?",
            ),
        ],
    ),
    "b1": (
        (
            "We ondersteunen scholen, kinderen en gezinnen met extra leertijd buiten de klas en zorgen "
            "voor één vast aanspreekpunt voor vragen over welzijn.",
            "Nous soutenons écoles, enfants et familles par du temps d'apprentissage en dehors de la "
            "classe et nous offrons un point de contact unique pour les questions de bien-être.",
            "We support schools, children and families with extra learning time outside the classroom "
            "and offer one familiar point of contact for wellbeing questions.",
        ),
        [
            (
                "Is er een vast, bereikbaar aanspreekpunt met een naam en een gezicht?",
                "Existe-t-il un point de contact fixe et joignable, avec un nom et un visage ?",
                "Is there a steady, reachable point of contact with a name and a face?",
            ),
            (
                "Welke aanbiedingen voor extra leertijd zijn gratis en drempelarm?",
                "Quelles offres de temps d'apprentissage prolongé sont gratuites et faciles d'accès ?",
                "Which extended learning offers are free and easy to get into?",
            ),
            (
                "Hoe lang wacht een gezin tot het eerste contact?",
                "Combien de temps une famille attend-elle avant un premier contact ?",
                "How long does a family wait for a first contact?",
            ),
        ],
    ),
    "b2": (
        (
            "We bouwen een netwerk: we organiseren ontmoetingen, vorming en uitwisseling en werken "
            "concreet samen rond kinderen en gezinnen.",
            "Nous construisons un réseau : rencontres, formations et échanges, et une collaboration "
            "concrète autour des enfants et des familles.",
            "We build a network: meetings, training and exchanges, and hands-on cooperation around "
            "children and families.",
        ),
        [
            (
                "Nemen partners concrete taken van elkaar over, of wisselen ze alleen tips uit?",
                "Les partenaires reprennent-ils des tâches concrètes les uns des autres, ou échangent-ils "
                "seulement des conseils ?",
                "Do partners take concrete tasks off each other's hands, or only swap tips?",
            ),
            (
                "Leidt een doorverwijzing tot samenwerking, of is het een afgifte?",
                "Une orientation mène-t-elle à une collaboration, ou est-ce un simple dépôt ?",
                "Does a referral lead to working together, or is it a hand-off and goodbye?",
            ),
        ],
    ),
    "b3": (
        (
            "We stemmen partners op elkaar af tot één samenhangende aanpak en bouwen "
            "eerstelijnswelzijnsteams uit.",
            "Nous accordons les partenaires entre eux vers une approche cohérente et nous mettons en "
            "place des équipes de bien-être de première ligne.",
            "We line partners up into one coherent approach and set up frontline wellbeing teams.",
        ),
        [
            (
                "Welke soorten barrières houden ons nu tegen, en wie werkt aan elk ervan?",
                "Quels types d'obstacles nous freinent aujourd'hui, et qui s'occupe de chacun ?",
                "Which kinds of barrier hold us back now, and who is working on each?",
            ),
            (
                "Kunnen kinderen, ouders en professionals rechtstreeks bij een eerstelijnsteam terecht?",
                "Enfants, parents et professionnels peuvent-ils s'adresser directement à une équipe de "
                "première ligne ?",
                "Can children, parents and professionals go straight to a frontline team?",
            ),
            (
                "Welke informatie vloeit terug naar de eigen werking van de partners?",
                "Quelles informations reviennent vers le travail propre de chaque partenaire ?",
                "What information flows back into each partner's own work?",
            ),
        ],
    ),
    "c1": (
        (
            "We verlagen drempels zodat kinderen en gezinnen bestaande en nieuwe diensten bereiken, en we "
            "geven hen inspraak in wat we aanbieden.",
            "Nous abaissons les seuils pour que les enfants et les familles accèdent aux services "
            "existants et nouveaux, et nous leur donnons voix au chapitre sur notre offre.",
            "We lower thresholds so children and families reach existing and new services, and we give "
            "them a say in what we offer.",
        ),
        [
            (
                "Hebben kinderen en ouders deze periode activiteiten mee gekozen of vormgegeven? Hoe?",
                "Les enfants et les parents ont-ils choisi ou conçu des activités pendant cette période ? "
                "Comment ?",
                "Did children and parents help choose or shape activities this period? How?",
            ),
            (
                "Keuren gezinnen hun eigen plan goed, en passen we het aan na hun evaluatie?",
                "Les familles approuvent-elles leur propre plan, et l'adaptons-nous après leur "
                "évaluation ?",
                "Do families approve their own plan, and do we change it after they review it?",
            ),
        ],
    ),
    "c2": (
        (
            "We moedigen partners aan om participatief te werken en helpen kinderen en ouders om hun "
            "mening te laten horen.",
            "Nous encourageons les partenaires à travailler de manière participative et nous aidons "
            "enfants et parents à faire entendre leur avis.",
            "We encourage partners to work in a participatory way and help children and parents make "
            "their views heard.",
        ),
        [
            (
                "Welke partners, vooral scholen, werken nu participatiever dankzij het netwerk?",
                "Quels partenaires, surtout les écoles, travaillent de manière plus participative grâce "
                "au réseau ?",
                "Which partners, schools above all, now work in a more participatory way thanks to the "
                "network?",
            ),
            (
                "Zijn kinderen of ouders voorbereid op een gesprek met school of beleid?",
                "Des enfants ou des parents ont-ils été préparés à dialoguer avec l'école ou les "
                "décideurs ?",
                "Were children or parents prepared for a conversation with the school or policymakers?",
            ),
            (
                "Kregen ze uitleg als hun ideeën niet haalbaar bleken?",
                "Ont-ils reçu une explication quand leurs idées n'ont pas pu être réalisées ?",
                "Did they get an explanation when their ideas could not be carried out?",
            ),
        ],
    ),
    "c3": (
        (
            "Kinderen en gezinnen denken structureel mee, zodat het vanzelf spreekt dat zij het aanbod "
            "mee vormgeven.",
            "Les enfants et les familles participent de façon structurelle, si bien qu'il va de soi "
            "qu'ils co-construisent l'offre.",
            "Children and families take part as a matter of structure, so it goes without saying that "
            "they help shape the offer.",
        ),
        [
            (
                "Is er een vaste adviesgroep van jongeren of ouders die een antwoord krijgt op haar advies?",
                "Existe-t-il un groupe consultatif permanent de jeunes ou de parents qui reçoit une "
                "réponse à ses avis ?",
                "Is there a standing youth or parent advisory group whose advice gets an answer?",
            ),
            (
                "Maken we zichtbaar hoe kinderen en ouders meedenken, en vertellen we dat aan het netwerk?",
                "Rendons-nous visible la manière dont enfants et parents participent, et le faisons-nous "
                "savoir au réseau ?",
                "Do we make visible how children and parents take part, and tell the network about it?",
            ),
        ],
    ),
}

# (code, name nl/fr/en, definition nl/fr/en, [prompt nl/fr/en])
WRAPAROUND = [
    (
        "team",
        ("In teamverband", "En équipe", "Team-based"),
        (
            "Het gezin kiest zelf de mensen die samen met hen een team vormen rond hun vraag.",
            "La famille choisit elle-même les personnes qui forment une équipe autour de sa demande.",
            "The family chooses the people who form a team with them around their question.",
        ),
        [
            (
                "Wie koos de leden van het team: het gezin of wij?",
                "Qui a choisi les membres de l'équipe : la famille ou nous ?",
                "Who chose the team members: the family or us?",
            )
        ],
    ),
    (
        "voice_choice",
        (
            "Inspraak en keuze van gezin en jongere",
            "Voix et choix de la famille et du jeune",
            "Family and youth voice and choice",
        ),
        (
            "Kinderen, jongeren en ouders weten zelf wat ze nodig hebben en beslissen mee over elke stap.",
            "Enfants, jeunes et parents savent ce dont ils ont besoin et décident de chaque étape.",
            "Children, young people and parents know what they need and have a say in every step.",
        ),
        [
            (
                "Wanneer heeft een gezin voor het laatst een voorstel van ons veranderd?",
                "Quand une famille a-t-elle modifié pour la dernière fois une de nos propositions ?",
                "When did a family last change one of our proposals?",
            )
        ],
    ),
    (
        "natural_support",
        ("Natuurlijke steun", "Soutien naturel", "Natural support"),
        (
            "We zoeken mee naar de kracht van het eigen netwerk: familie, buren, vrienden, de buurt.",
            "Nous cherchons avec la famille la force de son propre réseau : proches, voisins, amis, "
            "quartier.",
            "We look with the family for the strength of their own circle: relatives, neighbours, "
            "friends, the neighbourhood.",
        ),
        [
            (
                "Zit er in de teams ook iemand uit het eigen netwerk van het gezin?",
                "Les équipes comptent-elles aussi quelqu'un du réseau propre de la famille ?",
                "Do the teams include anyone from the family's own circle?",
            )
        ],
    ),
    (
        "collaboration",
        ("Samenwerking", "Coopération", "Collaboration"),
        (
            "Teamleden nemen samen verantwoordelijkheid en werken aan één gedeeld plan.",
            "Les membres de l'équipe partagent la responsabilité et travaillent à un plan commun.",
            "Team members share responsibility and work towards one common plan.",
        ),
        [
            (
                "Is er per gezin één plan dat iedereen kent, of heeft elke dienst zijn eigen plan?",
                "Y a-t-il un plan unique par famille connu de tous, ou chaque service a-t-il le sien ?",
                "Is there one plan per family that everyone knows, or does each service keep its own?",
            )
        ],
    ),
    (
        "community",
        ("Gemeenschapsgericht", "Ancré dans la communauté", "Community-based"),
        (
            "Steun is dichtbij, vertrouwd en makkelijk te bereiken, in de eigen buurt van het gezin.",
            "Le soutien est proche, familier et facile d'accès, dans le quartier de la famille.",
            "Support is close by, familiar and easy to reach, in the family's own neighbourhood.",
        ),
        [
            (
                "Hoeveel van onze hulp gebeurt op plaatsen waar gezinnen toch al komen?",
                "Quelle part de notre aide a lieu là où les familles viennent déjà ?",
                "How much of our help happens where families already go?",
            )
        ],
    ),
    (
        "culture",
        ("Cultureel sensitief", "Sensible à la culture", "Culturally responsive"),
        (
            "We houden rekening met de taal, waarden, overtuigingen en gewoonten van elk gezin.",
            "Nous tenons compte de la langue, des valeurs, des convictions et des habitudes de chaque "
            "famille.",
            "We take account of each family's language, values, beliefs and customs.",
        ),
        [
            (
                "Kan elk gezin in een taal praten die het goed begrijpt, met een tolk als dat nodig is?",
                "Chaque famille peut-elle parler dans une langue qu'elle comprend bien, avec un "
                "interprète si nécessaire ?",
                "Can every family talk in a language they understand well, with an interpreter if needed?",
            )
        ],
    ),
    (
        "individualised",
        ("Op maat", "Sur mesure", "Individualised"),
        (
            "Steun is afgestemd op dit gezin en we blijven nagaan of ze nog past bij wat het nodig heeft.",
            "Le soutien est adapté à cette famille, et nous vérifions sans cesse qu'il répond encore à "
            "ses besoins.",
            "Support is tailored to this family, and we keep checking that it still fits their needs.",
        ),
        [
            (
                "Hoe vaak passen we een plan aan na een gesprek met het gezin?",
                "À quelle fréquence adaptons-nous un plan après un échange avec la famille ?",
                "How often do we adjust a plan after talking it over with the family?",
            )
        ],
    ),
    (
        "strengths",
        ("Vanuit sterktes", "Fondé sur les forces", "Strengths-based"),
        (
            "We vertrekken van wat goed gaat en van wat het kind en het gezin kunnen, en geloven in groei.",
            "Nous partons de ce qui va bien et de ce que l'enfant et la famille savent faire, et nous "
            "croyons en leur progression.",
            "We start from what goes well and what the child and family can do, and we believe in growth.",
        ),
        [
            (
                "Staan de sterktes van het gezin in het plan, in woorden die zij zelf zouden gebruiken?",
                "Les forces de la famille figurent-elles dans le plan, avec des mots qu'elle utiliserait "
                "elle-même ?",
                "Are the family's strengths in the plan, in words they would use themselves?",
            )
        ],
    ),
    (
        "persistence",
        ("Volhouden", "Persévérance", "Persistence"),
        (
            "We geven niet op, ook niet als het moeilijk wordt: we doen wat we zeggen en zeggen wat we doen.",
            "Nous n'abandonnons pas, même quand c'est difficile : nous faisons ce que nous disons et "
            "disons ce que nous faisons.",
            "We do not give up when things get hard: we do what we say and say what we do.",
        ),
        [
            (
                "Wat gebeurt er als een gezin een afspraak mist: haken we af of zoeken we hen op?",
                "Que se passe-t-il quand une famille manque un rendez-vous : lâchons-nous prise ou "
                "allons-nous vers elle ?",
                "What happens when a family misses an appointment: do we drop off or reach out?",
            )
        ],
    ),
    (
        "outcomes",
        ("Resultaatgericht", "Orienté résultats", "Outcome-focused"),
        (
            "We werken doelgericht aan wat het gezin wil bereiken en houden bij hoe het loopt.",
            "Nous travaillons avec un but vers ce que la famille veut atteindre et nous suivons où "
            "nous en sommes.",
            "We work purposefully towards what the family wants to achieve and keep track of progress.",
        ),
        [
            (
                "Weten we samen met het gezin wanneer het doel bereikt is?",
                "Savons-nous, avec la famille, quand l'objectif est atteint ?",
                "Do we know, together with the family, when the goal has been reached?",
            )
        ],
    ),
]

HOMEWORK = [
    (
        "effect",
        ("Beoogd effect", "Effet visé", "Intended effect"),
        (
            "We weten welk effect we willen bereiken met onze vorm van ondersteuning, en letten op vragen "
            "die daarbij uit beeld raken.",
            "Nous savons quel effet nous visons avec notre forme de soutien, et nous restons attentifs "
            "aux questions qui sortent alors du champ.",
            "We know which effect we aim for with our kind of support, and watch for the questions that "
            "drop out of sight along the way.",
        ),
        [
            (
                "Wat willen we dat er voor een kind verandert door onze ondersteuning?",
                "Que voulons-nous voir changer pour un enfant grâce à notre soutien ?",
                "What do we want to change for a child because of our support?",
            ),
            (
                "Welke vragen van gezinnen passen niet in ons aanbod, en wat doen we ermee?",
                "Quelles demandes des familles ne rentrent pas dans notre offre, et qu'en faisons-nous ?",
                "Which questions from families do not fit our offer, and what do we do with them?",
            ),
        ],
    ),
    (
        "network_map",
        ("Lokale netwerkkaart", "Carte du réseau local", "Local network map"),
        (
            "We brengen in kaart wie in de buurt wat doet, waarom en hoe, en waar we kunnen samenwerken.",
            "Nous cartographions qui fait quoi dans le quartier, pourquoi et comment, et où nous pouvons "
            "coopérer.",
            "We map who does what locally, why and how, and where we could work together.",
        ),
        [
            (
                "Welke partners ontbreken nog op onze kaart?",
                "Quels partenaires manquent encore sur notre carte ?",
                "Which partners are still missing from our map?",
            ),
            (
                "Spreken onderwijs en welzijn hier een taal die ze allebei verstaan?",
                "L'enseignement et l'aide sociale parlent-ils ici une langue que tous deux comprennent ?",
                "Do education and welfare speak a language here that both understand?",
            ),
        ],
    ),
    (
        "criteria",
        ("Criteria en uitsluiting", "Critères et exclusion", "Criteria and who is left out"),
        (
            "Onze toelatingscriteria passen bij ons doel; we weten wie we (bewust of niet) uitsluiten en "
            "waar die kinderen terechtkomen.",
            "Nos critères d'accès correspondent à notre but ; nous savons qui nous excluons, "
            "volontairement ou non, et où ces enfants aboutissent.",
            "Our entry criteria fit our aim; we know whom we leave out, on purpose or not, and where "
            "those children end up.",
        ),
        [
            (
                "Wie valt buiten onze criteria, en waar kan die persoon wel terecht?",
                "Qui ne répond pas à nos critères, et où cette personne peut-elle s'adresser ?",
                "Who falls outside our criteria, and where can they go instead?",
            ),
            (
                "Brengen we het ter sprake wanneer kinderen tussen de mazen vallen?",
                "Signalons-nous les cas où des enfants passent entre les mailles du filet ?",
                "Do we raise it when children slip through the net?",
            ),
        ],
    ),
    (
        "triangle",
        (
            "Driehoek ouder, school, initiatief",
            "Triangle parent, école, initiative",
            "Parent, school and initiative triangle",
        ),
        (
            "We weten hoe sterk en hoe wederkerig de banden zijn tussen ouders, school en ons initiatief, "
            "en of ze echt ten goede komen aan kinderen.",
            "Nous savons à quel point les liens entre parents, école et notre initiative sont solides "
            "et réciproques, et s'ils profitent vraiment aux enfants.",
            "We know how strong and how two-way the links between parents, school and our initiative "
            "are, and whether they really benefit children.",
        ),
        [
            (
                "Welke band is sterk en welke zwak: ouder–school, ouder–initiatief, initiatief–school?",
                "Quel lien est fort, lequel est faible : parent–école, parent–initiative, "
                "initiative–école ?",
                "Which link is strong and which is weak: parent–school, parent–initiative, "
                "initiative–school?",
            ),
            (
                "Delen we verantwoordelijkheid, of schuiven we ze naar elkaar door?",
                "Partageons-nous les responsabilités, ou nous les renvoyons-nous ?",
                "Do we share responsibility, or pass it on to each other?",
            ),
            (
                "Houden we rekening met ongelijkheid die niet bij het gezin ligt maar in het systeem?",
                "Tenons-nous compte des inégalités qui viennent du système et non de la famille ?",
                "Do we take account of inequality that lies in the system rather than in the family?",
            ),
        ],
    ),
    (
        "vision",
        ("Onze visie", "Notre vision", "Our vision"),
        (
            "We zijn ons bewust van de visie die onze werking uitdraagt op gezinnen in kwetsbare situaties, "
            "ouderbetrokkenheid en de rol van de school.",
            "Nous sommes conscients de la vision que porte notre pratique sur les familles en situation "
            "de vulnérabilité, l'implication des parents et le rôle de l'école.",
            "We are aware of the view our practice conveys of families in vulnerable situations, parental "
            "involvement and the role of the school.",
        ),
        [
            (
                "Wat zeggen onze gewoonten, onuitgesproken, over hoe we naar gezinnen kijken?",
                "Que disent nos habitudes, sans le formuler, sur notre regard envers les familles ?",
                "What do our habits say, without words, about how we see families?",
            ),
            (
                "Waar leggen we de nadruk bij het vormen van begeleiders en vrijwilligers?",
                "Sur quoi mettons-nous l'accent dans la formation des accompagnateurs et bénévoles ?",
                "What do we stress when we train workers and volunteers?",
            ),
        ],
    ),
]


def add_frameworks(apps, schema_editor):
    Framework = apps.get_model("reflection", "Framework")
    Item = apps.get_model("reflection", "Item")
    Prompt = apps.get_model("reflection", "Prompt")

    def add_items(framework, rows):
        for order, (code, group, name, definition, prompts) in enumerate(rows, start=1):
            item = Item.objects.create(
                framework=framework,
                code=code,
                order=order,
                group_nl=group[0],
                group_fr=group[1],
                group_en=group[2],
                name_nl=name[0],
                name_fr=name[1],
                name_en=name[2],
                definition_nl=definition[0],
                definition_fr=definition[1],
                definition_en=definition[2],
            )
            for prompt_order, text in enumerate(prompts, start=1):
                Prompt.objects.create(
                    item=item, order=prompt_order, text_nl=text[0], text_fr=text[1], text_en=text[2]
                )

    vrac = Framework.objects.create(
        code="vrac",
        order=1,
        name_nl="VRAC-analysekader: negen bouwstenen",
        name_fr="Cadre d'analyse VRAC : neuf piliers",
        name_en="VRAC analysis framework: nine building blocks",
        description_nl="Drie uitdagingen van een lokaal netwerk, elk in drie fasen. Integratie is een horizon, "
        "geen eindpunt: de fasen lopen niet in een rechte lijn.",
        description_fr="Trois défis d'un réseau local, chacun en trois phases. L'intégration est un horizon, "
        "pas un point d'arrivée : les phases ne se suivent pas en ligne droite.",
        description_en="Three challenges of a local network, each in three phases. Integration is a horizon, "
        "not a finish line: the phases do not follow a straight line.",
        source=VRAC_SOURCE,
    )
    rows = []
    for code, (definition, prompts) in VRAC_BLOCKS.items():
        challenge, phase = CHALLENGES[code[0]], PHASES[code[1]]
        name = tuple(f"{challenge[i]} × {phase[i]}" for i in range(3))
        rows.append((code, challenge, name, definition, prompts))
    add_items(vrac, rows)

    wraparound = Framework.objects.create(
        code="wraparound",
        order=2,
        name_nl="De tien principes van Wraparound Care",
        name_fr="Les dix principes du Wraparound Care",
        name_en="The ten principles of Wraparound Care",
        description_nl="Voor eerstelijnsteams: hoe werken we samen rond één gezin?",
        description_fr="Pour les équipes de première ligne : comment travaillons-nous ensemble autour "
        "d'une famille ?",
        description_en="For frontline teams: how do we work together around one family?",
        source=WRAPAROUND_SOURCE,
    )
    add_items(wraparound, [(code, ("", "", ""), name, d, p) for code, name, d, p in WRAPAROUND])

    homework = Framework.objects.create(
        code="homework_support",
        order=3,
        name_nl="Huiswerkbegeleiding: vragen om je werking aan te toetsen",
        name_fr="Soutien scolaire : questions pour examiner sa pratique",
        name_en="Homework support: questions to test your practice",
        description_nl="Voor initiatieven van huiswerk- en studieondersteuning en hun partners.",
        description_fr="Pour les initiatives de soutien aux devoirs et à l'étude, et leurs partenaires.",
        description_en="For homework and study support initiatives and their partners.",
        source=HOMEWORK_SOURCE,
    )
    add_items(homework, [(code, ("", "", ""), name, d, p) for code, name, d, p in HOMEWORK])


def remove_frameworks(apps, schema_editor):
    apps.get_model("reflection", "Framework").objects.filter(
        code__in=["vrac", "wraparound", "homework_support"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reflection", "0001_initial")]

    operations = [migrations.RunPython(add_frameworks, remove_frameworks)]
