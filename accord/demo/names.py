"""Names the demo data is made of: companies, authorities, job titles, departments, tags."""

from __future__ import annotations

import random

from accord.parties.choices import BuyingRole, Industry

from .places import City

OUR_COMPANY = "Nordlicht Technik GmbH"

# The most common German surnames, Zipf-like: the first ones appear most (search has real hits).
GERMAN_SURNAMES = (
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Schubert",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Schuster",
    "Simon",
    "Ludwig",
    "Böhm",
    "Winter",
    "Kraus",
    "Martin",
    "Schumacher",
    "Krämer",
    "Vogt",
    "Stein",
    "Jäger",
    "Otto",
    "Sommer",
    "Groß",
    "Seidel",
    "Heinrich",
    "Brandt",
    "Haas",
    "Schreiber",
    "Graf",
    "Schulte",
    "Dietrich",
    "Ziegler",
    "Kuhn",
    "Kühn",
    "Pohl",
    "Engel",
    "Horn",
    "Busch",
    "Bergmann",
    "Thomas",
    "Voigt",
    "Sauer",
    "Arnold",
    "Wolff",
    "Pfeiffer",
    "Rößler",
    "Großmann",
    "Weißbach",
    "Gärtner",
    "Öztürk",
    "Yılmaz",
    "Nowak",
)
SURNAME_WEIGHTS = tuple(1.0 / (i + 8) for i in range(len(GERMAN_SURNAMES)))

FOREIGN_SURNAMES = {
    "GB": ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Clarke"),
    "US": ("Miller", "Johnson", "Anderson", "Harris", "Carter", "Mitchell", "Parker", "Turner"),
    "FR": ("Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Rousseau", "Fournier", "Mercier"),
    "NL": ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "van Dijk", "de Boer", "Mulder"),
    "SE": ("Andersson", "Johansson", "Lindqvist", "Karlsson", "Nilsson", "Bergström", "Åberg"),
    "DK": ("Nielsen", "Jensen", "Hansen", "Pedersen", "Sørensen", "Rasmussen"),
    "NO": ("Hansen", "Johansen", "Olsen", "Larsen", "Haugen", "Bakken"),
    "PL": ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Zieliński"),
    "CZ": ("Novák", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý"),
    "IT": ("Rossi", "Bianchi", "Ferrari", "Colombo", "Ricci", "Marino", "Greco"),
    "ES": ("García", "Fernández", "López", "Martínez", "Sánchez", "Romero"),
    "BE": ("Peeters", "Janssens", "Maes", "Dubois", "Lambert", "Claes"),
    "AT": ("Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner", "Moser", "Hofer"),
    "CH": ("Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Brunner", "Baumann"),
}

# (industry, German sector words, English sector words)
SECTORS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        Industry.MANUFACTURING,
        (
            "Maschinenbau",
            "Präzisionstechnik",
            "Anlagenbau",
            "Metallbau",
            "Antriebstechnik",
            "Werkzeugbau",
            "Kunststofftechnik",
        ),
        ("Engineering", "Precision Parts", "Machinery", "Tooling", "Industrial Systems"),
    ),
    (
        Industry.AUTOMOTIVE,
        ("Fahrzeugteile", "Automotive", "Karosseriebau", "Fahrzeugtechnik"),
        ("Automotive", "Vehicle Components", "Motor Parts"),
    ),
    (
        Industry.CHEMICALS,
        ("Chemie", "Lacke und Farben", "Spezialchemie", "Klebstoffe"),
        ("Chemicals", "Coatings", "Polymers"),
    ),
    (
        Industry.ENERGY,
        ("Energie", "Solartechnik", "Windkraft", "Energiedienste"),
        ("Energy", "Power", "Renewables", "Solar"),
    ),
    (
        Industry.CONSTRUCTION,
        ("Bau", "Hochbau", "Tiefbau", "Haustechnik", "Gebäudetechnik"),
        ("Construction", "Building Services", "Contractors"),
    ),
    (
        Industry.LOGISTICS,
        ("Logistik", "Spedition", "Transporte", "Lagerlogistik"),
        ("Freight", "Logistics", "Shipping", "Transport"),
    ),
    (
        Industry.RETAIL,
        ("Handel", "Großhandel", "Fachhandel", "Handelshaus"),
        ("Trading", "Wholesale", "Retail"),
    ),
    (
        Industry.FINANCE,
        ("Versicherungen", "Finanzdienste", "Leasing"),
        ("Finance", "Insurance", "Capital"),
    ),
    (
        Industry.HEALTHCARE,
        ("Medizintechnik", "Klinikbedarf", "Labortechnik"),
        ("Medical", "Healthcare", "Life Sciences"),
    ),
    (
        Industry.IT,
        ("Software", "IT-Systemhaus", "Datentechnik", "Informatik"),
        ("Software", "Systems", "Digital", "Analytics"),
    ),
    (
        Industry.TELECOM,
        ("Telekommunikation", "Netzwerktechnik", "Kommunikationstechnik"),
        ("Telecom", "Networks", "Communications"),
    ),
    (
        Industry.SERVICES,
        ("Unternehmensberatung", "Ingenieurbüro", "Personaldienste", "Facility Services"),
        ("Consulting", "Advisory", "Services"),
    ),
    (
        Industry.FOOD,
        ("Lebensmittel", "Feinkost", "Backwaren", "Agrarhandel"),
        ("Foods", "Agri", "Nutrition"),
    ),
)
SECTOR_WEIGHTS = (18, 8, 5, 6, 7, 8, 7, 4, 5, 9, 3, 8, 4)

LEGAL_FORMS = {
    "DE": (
        ("GmbH", 60),
        ("GmbH & Co. KG", 18),
        ("AG", 8),
        ("KG", 6),
        ("e. K.", 3),
        ("SE", 1),
        ("OHG", 2),
        ("UG (haftungsbeschränkt)", 2),
    ),
    "AT": (("GmbH", 70), ("AG", 15), ("KG", 10), ("OG", 5)),
    "CH": (("AG", 60), ("GmbH", 30), ("SA", 10)),
    "GB": (("Ltd", 70), ("plc", 10), ("LLP", 5), ("Limited", 15)),
    "US": (("Inc.", 60), ("LLC", 30), ("Corp.", 10)),
    "FR": (("SAS", 50), ("SARL", 30), ("SA", 20)),
    "NL": (("B.V.", 85), ("N.V.", 15)),
    "SE": (("AB", 100),),
    "DK": (("A/S", 70), ("ApS", 30)),
    "NO": (("AS", 90), ("ASA", 10)),
    "PL": (("Sp. z o.o.", 85), ("S.A.", 15)),
    "CZ": (("s.r.o.", 85), ("a.s.", 15)),
    "IT": (("S.r.l.", 70), ("S.p.A.", 30)),
    "ES": (("S.L.", 70), ("S.A.", 30)),
    "BE": (("NV", 50), ("BV", 30), ("SA", 20)),
}

# Brand-like first words for international company names ("Nordic Freight AB").
BRAND_WORDS = {
    "SE": ("Nordic", "Svea", "Göta", "Norrland", "Vasa", "Kungsholm"),
    "DK": ("Dansk", "Øresund", "Jylland", "Nordsø"),
    "NO": ("Fjord", "Norsk", "Bergen", "Viking"),
    "GB": ("Albion", "Thames", "Pennine", "Britannia", "Cotswold", "Northern"),
    "US": ("Liberty", "Pioneer", "Great Lakes", "Atlantic", "Summit", "Keystone"),
    "FR": ("Alpine", "Atlantique", "Lumière", "Rhône"),
    "NL": ("Holland", "Delta", "Oranje", "Rijn"),
    "CH": ("Helvetia", "Alpen", "Rigi", "Jura"),
    "AT": ("Alpen", "Donau", "Tiroler", "Steirische"),
    "PL": ("Polska", "Wisła", "Bałtyk"),
    "CZ": ("Bohemia", "Morava", "Vltava"),
    "IT": ("Italia", "Lombarda", "Adriatica"),
    "ES": ("Ibérica", "Hispania", "Levante"),
    "BE": ("Benelux", "Brabant", "Flandria"),
    "DE": ("Nordlicht", "Südwest", "Rhein", "Hanse", "Spree", "Elbe", "Alpen", "Ostsee"),
}

INTERNAL_UNITS = (
    "Werk Fulda",
    "Zentraleinkauf",
    "Service & Wartung",
    "Vertrieb International",
    "Forschung & Entwicklung",
    "IT-Services",
    "Personal",
    "Finanzen & Controlling",
    "Qualitätsmanagement",
    "Logistikzentrum Würzburg",
)


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def surname(rng: random.Random, country: str) -> str:
    if country == "DE" or country not in FOREIGN_SURNAMES:
        return rng.choices(GERMAN_SURNAMES, weights=SURNAME_WEIGHTS)[0]
    return rng.choice(FOREIGN_SURNAMES[country])


CITY_ADJECTIVES = {
    "Berlin": "Berliner",
    "Hamburg": "Hamburger",
    "München": "Münchner",
    "Köln": "Kölner",
    "Stuttgart": "Stuttgarter",
    "Leipzig": "Leipziger",
    "Dortmund": "Dortmunder",
    "Essen": "Essener",
    "Bremen": "Bremer",
    "Dresden": "Dresdner",
    "Nürnberg": "Nürnberger",
    "Bielefeld": "Bielefelder",
    "Münster": "Münsteraner",
    "Würzburg": "Würzburger",
    "Regensburg": "Regensburger",
    "Fulda": "Fuldaer",
    "Göttingen": "Göttinger",
    "Lübeck": "Lübecker",
    "Kiel": "Kieler",
    "Rostock": "Rostocker",
    "Magdeburg": "Magdeburger",
    "Erfurt": "Erfurter",
    "Jena": "Jenaer",
    "Mainz": "Mainzer",
    "Kassel": "Kasseler",
    "Karlsruhe": "Karlsruher",
    "Mannheim": "Mannheimer",
    "Heidelberg": "Heidelberger",
    "Augsburg": "Augsburger",
    "Ulm": "Ulmer",
    "Osnabrück": "Osnabrücker",
    "Oldenburg": "Oldenburger",
    "Paderborn": "Paderborner",
    "Potsdam": "Potsdamer",
    "Chemnitz": "Chemnitzer",
    "Bamberg": "Bamberger",
    "Trier": "Trierer",
    "Koblenz": "Koblenzer",
    "Siegen": "Siegener",
    "Braunschweig": "Braunschweiger",
    "Konstanz": "Konstanzer",
    "Aschaffenburg": "Aschaffenburger",
    "Schweinfurt": "Schweinfurter",
    "Wien": "Wiener",
    "Graz": "Grazer",
    "Linz": "Linzer",
    "Salzburg": "Salzburger",
    "Innsbruck": "Innsbrucker",
    "Zürich": "Zürcher",
    "Basel": "Basler",
    "Bern": "Berner",
}


def company_name(
    rng: random.Random, country: str, city: City, industry: str | None = None
) -> tuple[str, str, str]:
    """(name, industry, name without legal form) in the country's style:
    ("Müller Maschinenbau GmbH", "manufacturing", "Müller Maschinenbau")."""
    if industry is None:
        index = rng.choices(range(len(SECTORS)), weights=SECTOR_WEIGHTS)[0]
    else:
        index = next(i for i, sector in enumerate(SECTORS) if sector[0] == industry)
    industry, de_words, en_words = SECTORS[index]
    german = country in ("DE", "AT", "CH")
    sector = rng.choice(de_words if german else en_words)
    form = weighted(rng, LEGAL_FORMS.get(country, (("Ltd", 1),)))
    pattern = rng.random()
    if pattern < 0.45:
        base = f"{surname(rng, country)} {sector}"
    elif pattern < 0.6:
        base = f"{surname(rng, country)} & {surname(rng, country)}"
        if german and rng.random() < 0.4:
            base = f"{surname(rng, country)} & Söhne"
    elif pattern < 0.8:
        base = f"{rng.choice(BRAND_WORDS.get(country, BRAND_WORDS['GB']))} {sector}"
    elif german and city.name in CITY_ADJECTIVES:
        base = f"{CITY_ADJECTIVES[city.name]} {sector}"
    else:
        base = f"{city.name} {sector}"
    return f"{base} {form}", industry, base


def authority_name(rng: random.Random, city: City) -> tuple[str, str, bool]:
    """(name, industry, is_also_a_client) for a German authority or public company."""
    if city.municipality:
        kind = (
            rng.choice(("Gemeinde", "Gemeinde", "Markt")) if city.region == "Bayern" else "Gemeinde"
        )
        return f"{kind} {city.name}", Industry.PUBLIC, False
    choice = rng.random()
    if choice < 0.3:
        return f"Stadt {city.name}", Industry.PUBLIC, False
    if choice < 0.5:
        return f"Stadtwerke {city.name}", Industry.ENERGY, True
    if choice < 0.62:
        return f"Landratsamt {city.name}", Industry.PUBLIC, False
    if choice < 0.72:
        return f"Industrie- und Handelskammer {city.name}", Industry.PUBLIC, False
    if choice < 0.82:
        return f"Wirtschaftsförderung {city.name} GmbH", Industry.PUBLIC, False
    if choice < 0.9:
        return f"Stadtentwicklungsgesellschaft {city.name} mbH", Industry.PUBLIC, False
    if choice < 0.95:
        return f"Bürgerverein {city.name}-Mitte e. V.", Industry.OTHER, False
    return f"Amt für Umwelt und Klimaschutz {city.name}", Industry.PUBLIC, False


# Titles per buying role: (German male, German female, English).
ROLE_TITLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    BuyingRole.DECISION_MAKER: (
        ("Geschäftsführer", "Geschäftsführerin", "Managing Director"),
        ("Vorstand Technik", "Vorständin Technik", "Chief Operating Officer"),
        ("Werkleiter", "Werkleiterin", "Plant Director"),
        ("Bereichsleiter Produktion", "Bereichsleiterin Produktion", "VP Operations"),
    ),
    BuyingRole.ECONOMIC_BUYER: (
        ("Leiter Einkauf", "Leiterin Einkauf", "Head of Procurement"),
        ("Einkaufsleiter", "Einkaufsleiterin", "Purchasing Director"),
        ("Kaufmännischer Leiter", "Kaufmännische Leiterin", "Commercial Director"),
    ),
    BuyingRole.INFLUENCER: (
        ("Produktionsleiter", "Produktionsleiterin", "Production Manager"),
        ("Projektleiter", "Projektleiterin", "Project Manager"),
        ("Leiter Instandhaltung", "Leiterin Instandhaltung", "Maintenance Manager"),
        ("Qualitätsmanager", "Qualitätsmanagerin", "Quality Manager"),
    ),
    BuyingRole.TECHNICAL_EVALUATOR: (
        ("Technischer Leiter", "Technische Leiterin", "Technical Director"),
        ("Entwicklungsingenieur", "Entwicklungsingenieurin", "Development Engineer"),
        ("Leiter IT", "Leiterin IT", "Head of IT"),
        ("Konstrukteur", "Konstrukteurin", "Design Engineer"),
        ("Verfahrenstechniker", "Verfahrenstechnikerin", "Process Engineer"),
    ),
    BuyingRole.FINANCE: (
        ("Leiter Finanzen", "Leiterin Finanzen", "Finance Director"),
        ("Controller", "Controllerin", "Financial Controller"),
        ("Leiter Rechnungswesen", "Leiterin Rechnungswesen", "Head of Accounting"),
    ),
    BuyingRole.USER: (
        ("Schichtleiter", "Schichtleiterin", "Shift Supervisor"),
        ("Anwendungstechniker", "Anwendungstechnikerin", "Application Engineer"),
        ("Sachbearbeiter Disposition", "Sachbearbeiterin Disposition", "Planner"),
        ("Servicetechniker", "Servicetechnikerin", "Service Technician"),
        ("Meister Montage", "Meisterin Montage", "Assembly Lead"),
    ),
    BuyingRole.GATEKEEPER: (
        (
            "Assistent der Geschäftsführung",
            "Assistentin der Geschäftsführung",
            "Executive Assistant",
        ),
        ("Einkäufer", "Einkäuferin", "Buyer"),
        ("Strategischer Einkäufer", "Strategische Einkäuferin", "Category Buyer"),
    ),
}
# Champions and blockers are people in any of these roles who push for or against us.
ROLE_TITLES[BuyingRole.CHAMPION] = (
    ROLE_TITLES[BuyingRole.INFLUENCER] + ROLE_TITLES[BuyingRole.TECHNICAL_EVALUATOR]
)
ROLE_TITLES[BuyingRole.BLOCKER] = (
    ROLE_TITLES[BuyingRole.ECONOMIC_BUYER] + ROLE_TITLES[BuyingRole.TECHNICAL_EVALUATOR]
)
BUYING_ROLE_WEIGHTS = (
    (BuyingRole.DECISION_MAKER, 10),
    (BuyingRole.ECONOMIC_BUYER, 10),
    (BuyingRole.INFLUENCER, 15),
    (BuyingRole.TECHNICAL_EVALUATOR, 17),
    (BuyingRole.FINANCE, 8),
    (BuyingRole.USER, 25),
    (BuyingRole.GATEKEEPER, 7),
    (BuyingRole.CHAMPION, 5),
    (BuyingRole.BLOCKER, 3),
)
ROLE_DEPARTMENTS = {
    BuyingRole.DECISION_MAKER: ("Geschäftsführung", "Management"),
    BuyingRole.ECONOMIC_BUYER: ("Einkauf", "Procurement"),
    BuyingRole.INFLUENCER: ("Produktion", "Operations"),
    BuyingRole.TECHNICAL_EVALUATOR: ("Technik", "Engineering"),
    BuyingRole.FINANCE: ("Finanzen", "Finance"),
    BuyingRole.USER: ("Produktion", "Operations"),
    BuyingRole.GATEKEEPER: ("Einkauf", "Procurement"),
    BuyingRole.CHAMPION: ("Technik", "Engineering"),
    BuyingRole.BLOCKER: ("Einkauf", "Procurement"),
}

# People at authorities and associations: (male, female, department).
AUTHORITY_TITLES = (
    ("Bürgermeister", "Bürgermeisterin", "Bürgermeisteramt"),
    ("Amtsleiter Stadtplanung", "Amtsleiterin Stadtplanung", "Stadtplanungsamt"),
    ("Sachbearbeiter Bauordnung", "Sachbearbeiterin Bauordnung", "Bauordnungsamt"),
    ("Leiter Wirtschaftsförderung", "Leiterin Wirtschaftsförderung", "Wirtschaftsförderung"),
    ("Klimaschutzmanager", "Klimaschutzmanagerin", "Umweltamt"),
    ("Referent Stadtentwicklung", "Referentin Stadtentwicklung", "Stadtentwicklung"),
    ("Ortsvorsteher", "Ortsvorsteherin", "Ortsbeirat"),
    ("Vorsitzender", "Vorsitzende", "Vorstand"),
)
INTERNAL_TITLES = (
    ("Werkleiter", "Werkleiterin", "Werksleitung"),
    ("Leiter Zentraleinkauf", "Leiterin Zentraleinkauf", "Zentraleinkauf"),
    ("Servicetechniker", "Servicetechnikerin", "Service"),
    ("Vertriebsinnendienst", "Vertriebsinnendienst", "Vertrieb"),
    ("Teamleiter IT-Betrieb", "Teamleiterin IT-Betrieb", "IT"),
    ("Controller", "Controllerin", "Controlling"),
)
SUPPLIER_TITLES = (
    ("Key Account Manager", "Key Account Managerin", "Vertrieb", "Key Account Manager"),
    ("Vertriebsleiter", "Vertriebsleiterin", "Vertrieb", "Sales Director"),
    ("Innendienst", "Innendienst", "Vertrieb", "Inside Sales"),
    ("Anwendungsberater", "Anwendungsberaterin", "Technik", "Solutions Consultant"),
    ("Geschäftsführer", "Geschäftsführerin", "Geschäftsführung", "Managing Director"),
    ("Leiter Kundenservice", "Leiterin Kundenservice", "Service", "Head of Customer Service"),
    ("Partnermanager", "Partnermanagerin", "Vertrieb", "Partner Manager"),
)
BOARD_TITLES = (
    ("Beiratsmitglied", "Beiratsmitglied", "Advisory Board Member"),
    ("Aufsichtsrat", "Aufsichtsrätin", "Non-Executive Director"),
)

ORGANIZATION_TAGS = (
    "A-Kunde",
    "B-Kunde",
    "C-Kunde",
    "Key Account",
    "Rahmenvertrag",
    "Strategischer Lieferant",
    "ISO 9001",
    "Referenzkunde",
    "Messekontakt",
    "Bürgerbeteiligung",
    "Fördermittel",
    "Preferred Supplier",
    "Wartungsvertrag",
    "Ausschreibung",
    "Öffentlicher Auftraggeber",
)
PERSON_TAGS = ("Entscheider", "Newsletter", "Weihnachtskarte", "Messekontakt", "Alumni")

ORGANIZATION_NOTES = (
    "Zahlungsziel 30 Tage netto; Rechnungen nur per E-Mail an die Buchhaltung.",
    "Jahresgespräch findet traditionell im Oktober statt.",
    "Anlieferung nur werktags 7–14 Uhr, Rampe 3. Ansprechpartner im Lager vorher anrufen.",
    "Prefers English for all written communication.",
    "Rahmenvertrag läuft bis Ende des Jahres; Verlängerung rechtzeitig ansprechen.",
    "Hat 2023 den Wettbewerber gewechselt – Preis war ausschlaggebend.",
    "Werksbesichtigung nur mit Sicherheitseinweisung (Helm, Schuhe S3).",
    "Beschaffung über das Vergabeportal; Fristen strikt einhalten.",
)
