"""What interactions and follow-ups say, in German and English, by kind of relationship.

A topic has what a conversation is about (subjects), what we write, what they write and what a
protocol of a call, meeting or visit notes. An email or letter is a greeting, two or three sentences
of the writer's side and a closing; a call, meeting, visit or note is a short protocol. A reply keeps
the thread's topic and subject ("AW: …"). Placeholders in braces are filled per interaction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

Lines = tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    subjects: tuple[Lines, Lines]  # (German, English)
    ours: tuple[Lines, Lines]
    theirs: tuple[Lines, Lines]
    notes: tuple[Lines, Lines]


def topic(subjects, ours, theirs, notes) -> Topic:
    """Each argument: (German lines, English lines)."""
    return Topic(*((tuple(de), tuple(en)) for de, en in (subjects, ours, theirs, notes)))


CLIENT = (
    topic(
        (
            ["Angebot {offer} – {product}", "Ihr Angebot {offer}", "Nachfrage zum Angebot {offer}"],
            ["Quotation {offer} – {product}", "Your quotation {offer}", "Quotation {offer}"],
        ),
        (
            [
                "anbei erhalten Sie unser Angebot {offer} für {product}.",
                "Die Lieferzeit beträgt derzeit etwa {weeks} Wochen ab Auftragseingang.",
                "Gegenüber dem Vorjahr konnten wir den Preis um {pct} % senken.",
                "Das Angebot ist bis zum {date} gültig.",
                "Gern stellen wir Ihnen die Lösung auch in einer Online-Vorführung vor.",
            ],
            [
                "please find attached our quotation {offer} for {product}.",
                "Current lead time is about {weeks} weeks from order.",
                "We were able to reduce the price by {pct} % compared with last year.",
                "The quotation is valid until {date}.",
                "We would be happy to show the solution in an online demo.",
            ],
        ),
        (
            [
                "vielen Dank für Ihr Angebot {offer}.",
                "Der Preis liegt leider deutlich über unserem Budget.",
                "Können Sie uns bis Freitag eine überarbeitete Fassung schicken?",
                "Unsere Technik hat noch Fragen zur Integration in die bestehende Linie.",
                "Die Entscheidung fällt in der Einkaufsrunde Ende des Monats.",
            ],
            [
                "thank you for quotation {offer}.",
                "Unfortunately the price is well above our budget.",
                "Could you send us a revised version by Friday?",
                "Our engineers still have questions about integration into the existing line.",
            ],
        ),
        (
            [
                "Kunde vergleicht mit einem Angebot von {competitor}.",
                "Preis ist das Hauptthema, Technik ist überzeugt.",
                "Entscheidung im Einkaufsgremium Ende des Monats.",
                "Wir schicken bis {date} eine überarbeitete Fassung.",
            ],
            [
                "Client is comparing with a quote from {competitor}.",
                "Price is the main issue; engineering is convinced.",
                "We send a revised version by {date}.",
            ],
        ),
    ),
    topic(
        (
            ["Bestellung {order}", "Auftragsbestätigung {order}", "Liefertermin Auftrag {order}"],
            [
                "Purchase order {order}",
                "Order confirmation {order}",
                "Delivery date for order {order}",
            ],
        ),
        (
            [
                "vielen Dank für Ihre Bestellung {order}.",
                "Wir bestätigen die Lieferung in KW {week}.",
                "Die Anlage wird vormontiert angeliefert; bitte planen Sie einen Stapler ein.",
                "Die Rechnung folgt separat per E-Mail.",
            ],
            [
                "thank you for your order {order}.",
                "We confirm delivery in calendar week {week}.",
                "The invoice will follow separately by email.",
            ],
        ),
        (
            [
                "anbei unsere Bestellung {order} über {qty} Stück.",
                "Bitte bestätigen Sie uns den Liefertermin.",
                "Die Lieferadresse ist diesmal unser Werk in {city}.",
                "Wir benötigen die Ware spätestens in KW {week}.",
            ],
            [
                "please find attached our purchase order {order} for {qty} units.",
                "Please confirm the delivery date.",
                "We need the goods by week {week} at the latest.",
            ],
        ),
        (
            [
                "Liefertermin KW {week} abgestimmt.",
                "Anlieferung über Rampe 3, Stapler vorhanden.",
                "Kunde sehr zufrieden mit der Abwicklung.",
            ],
            ["Delivery agreed for week {week}.", "Client very satisfied with order handling."],
        ),
    ),
    topic(
        (
            [
                "Reklamation Lieferung {order}",
                "Störung an {product}",
                "Dringend: Ausfall Linie {line}",
            ],
            [
                "Complaint about delivery {order}",
                "Fault on {product}",
                "Urgent: line {line} is down",
            ],
        ),
        (
            [
                "es tut uns leid, dass es zu Problemen gekommen ist.",
                "Unser Servicetechniker ist morgen früh bei Ihnen.",
                "Als Entgegenkommen übernehmen wir die Kosten für den Einsatz.",
                "Wir haben die Ursache gefunden: ein fehlerhaftes Relais aus einer Charge.",
            ],
            [
                "we are sorry for the trouble.",
                "Our service technician will be with you tomorrow morning.",
                "As a goodwill gesture we will cover the cost of the visit.",
            ],
        ),
        (
            [
                "leider ist die Lieferung {order} erneut verspätet eingetroffen.",
                "Seit gestern steht Linie {line}; die Steuerung meldet Fehler E-{code}.",
                "Wir sind mit der Reaktionszeit Ihres Service nicht zufrieden.",
                "Das ist bereits die dritte Störung in diesem Quartal.",
                "Wir erwarten bis Freitag einen Vorschlag zur Kulanz.",
            ],
            [
                "unfortunately delivery {order} arrived late again.",
                "Line {line} has been down since yesterday; the controller shows error E-{code}.",
                "We are not satisfied with your service response time.",
                "This is already the third fault this quarter.",
            ],
        ),
        (
            [
                "Kunde verärgert, Linie {line} stand zwei Schichten.",
                "Techniker vor Ort, Relais getauscht, Anlage läuft wieder.",
                "Kulanz für den Einsatz zugesagt.",
                "Risiko: Kunde erwähnt {competitor} als Alternative.",
            ],
            [
                "Client upset, line {line} was down for two shifts.",
                "Technician on site, relay replaced, line running again.",
                "Risk: client mentioned {competitor} as an alternative.",
            ],
        ),
    ),
    topic(
        (
            ["Quartalsgespräch Q{quarter}", "Jahresgespräch {year}", "Projekt {project}"],
            ["Quarterly review Q{quarter}", "Annual review {year}", "Project {project}"],
        ),
        (
            [
                "vielen Dank für das offene Gespräch.",
                "Anbei wie besprochen die Präsentation und die Auswertung der Stillstandszeiten.",
                "Für die zweite Linie schicken wir Ihnen bis {date} ein Konzept.",
            ],
            [
                "thank you for the open conversation.",
                "As discussed, attached are the slides and the downtime analysis.",
                "We will send a concept for the second line by {date}.",
            ],
        ),
        (
            [
                "danke für den Termin, die Zusammenarbeit läuft aus unserer Sicht sehr gut.",
                "Wir planen im nächsten Jahr eine Erweiterung um eine zweite Linie.",
                "Bitte schicken Sie uns die Unterlagen auch an unseren technischen Leiter.",
            ],
            [
                "thanks for the meeting; from our side the cooperation is going very well.",
                "We are planning a second line next year.",
            ],
        ),
        (
            [
                "Zusammenarbeit im letzten Quartal insgesamt sehr positiv.",
                "Kunde plant eine Erweiterung um eine zweite Linie im nächsten Jahr.",
                "Budget für {year} ist freigegeben, Entscheidung im Einkaufsgremium.",
                "{competitor} war ebenfalls zur Präsentation eingeladen.",
                "Verfügbarkeit der Anlagen: {uptime} %.",
                "Nächster Schritt: Werksbesichtigung mit der Technik.",
            ],
            [
                "Cooperation last quarter very positive overall.",
                "Client plans a second line next year.",
                "Budget for {year} approved; purchasing board decides.",
                "{competitor} was invited to present as well.",
                "Equipment availability: {uptime} %.",
            ],
        ),
    ),
    topic(
        (
            ["Wartung {product}", "Terminabstimmung Wartung", "Schulung Bedienpersonal"],
            ["Maintenance of {product}", "Scheduling maintenance", "Operator training"],
        ),
        (
            [
                "die jährliche Wartung von {product} steht an.",
                "Wir schlagen den {date} vor; die Anlage steht dafür etwa vier Stunden.",
                "Die Schulung findet in Ihrem Werk statt, höchstens acht Teilnehmende.",
            ],
            [
                "the annual maintenance of {product} is due.",
                "We suggest {date}; the machine will be down for about four hours.",
            ],
        ),
        (
            [
                "der Termin am {date} passt uns.",
                "Bitte verschieben Sie die Wartung in die Betriebsferien.",
                "Können Sie zusätzlich zwei neue Kollegen schulen?",
            ],
            ["{date} works for us.", "Please move the maintenance to our summer shutdown."],
        ),
        (
            [
                "Wartung durchgeführt, keine Mängel.",
                "Verschleißteile an {product} bald fällig, Angebot folgt.",
                "Schulung mit sechs Teilnehmenden, sehr gutes Feedback.",
            ],
            [
                "Maintenance done, no defects.",
                "Training with six participants, very good feedback.",
            ],
        ),
    ),
)

PROSPECT = (
    topic(
        (
            ["Kennenlernen {our}", "Ihre Anfrage auf der Messe", "Vorstellung {product}"],
            ["Introducing {our}", "Your enquiry at the trade fair", "Introducing {product}"],
        ),
        (
            [
                "vielen Dank für das nette Gespräch auf der Messe.",
                "Wie besprochen sende ich Ihnen unsere Unterlagen zu {product}.",
                "Viele Unternehmen Ihrer Branche setzen die Lösung bereits ein.",
                "Hätten Sie in den nächsten Wochen Zeit für einen kurzen Termin?",
            ],
            [
                "thank you for the pleasant conversation at the trade fair.",
                "As discussed, I am sending you our documents on {product}.",
                "Would you have time for a short call in the coming weeks?",
            ],
        ),
        (
            [
                "danke für die Unterlagen.",
                "Aktuell haben wir keinen Bedarf, melden Sie sich gern im nächsten Quartal.",
                "Wir würden uns die Lösung gern einmal vor Ort ansehen.",
            ],
            [
                "thanks for the documents.",
                "We have no need at the moment; get back to us next quarter.",
            ],
        ),
        (
            [
                "Bedarf noch unklar, Entscheidung frühestens im nächsten Jahr.",
                "Ansprechpartner ist skeptisch wegen der ERP-Integration.",
                "Vorführung kam gut an, vor allem die Auswertung der Stillstandszeiten.",
                "Technik wünscht eine Testinstallation über vier Wochen.",
            ],
            [
                "Need still unclear; decision next year at the earliest.",
                "The demo went well, especially the downtime analysis.",
            ],
        ),
    ),
)

SUPPLIER = (
    topic(
        (
            [
                "Preisanpassung {material}",
                "Preisverhandlung {material} {year}",
                "Rahmenvertrag {material}",
            ],
            [
                "Price adjustment {material}",
                "Price negotiation {material} {year}",
                "Framework agreement {material}",
            ],
        ),
        (
            [
                "wir bitten um ein verbessertes Angebot bis Monatsende.",
                "Eine Preiserhöhung von {pct} % können wir nicht akzeptieren.",
                "Bei einer Abnahme von {qty} Stück erwarten wir einen Staffelrabatt.",
                "Für die Verlängerung des Rahmenvertrags brauchen wir Ihre Konditionen bis {date}.",
            ],
            [
                "please send an improved offer by the end of the month.",
                "We cannot accept a price increase of {pct} %.",
                "For {qty} units we expect a volume discount.",
            ],
        ),
        (
            [
                "wir müssen die Preise für {material} zum {date} um {pct} % anpassen.",
                "Grund sind gestiegene Energie- und Rohstoffkosten.",
                "Bei einer Abnahmemenge von {qty} Stück wäre ein Staffelrabatt möglich.",
                "Die Laufzeit des Rahmenvertrags beträgt 24 Monate.",
            ],
            [
                "we have to adjust prices for {material} by {pct} % as of {date}.",
                "The reason is higher energy and raw material costs.",
                "A volume discount is possible from {qty} units.",
            ],
        ),
        (
            [
                "Lieferant fordert {pct} % mehr, Angebot von zwei Alternativen eingeholt.",
                "Einigung auf gestaffelte Erhöhung ab {date}.",
                "Rahmenvertrag um 24 Monate verlängert.",
            ],
            [
                "Supplier asks for {pct} % more; two alternative quotes requested.",
                "Framework agreement extended by 24 months.",
            ],
        ),
    ),
    topic(
        (
            ["Liefertermin Bestellung {po}", "Lieferverzug {po}", "Versandavis {po}"],
            ["Delivery date PO {po}", "Delayed delivery PO {po}", "Shipping notice PO {po}"],
        ),
        (
            [
                "wir benötigen die Teile zur Bestellung {po} spätestens am {date}.",
                "Bitte bestätigen Sie uns den Liefertermin verbindlich.",
                "Eine Teillieferung hilft uns bereits.",
            ],
            [
                "we need the parts for PO {po} by {date} at the latest.",
                "Please confirm the delivery date.",
            ],
        ),
        (
            [
                "die Lieferung zur Bestellung {po} verschiebt sich leider um zwei Wochen.",
                "Die Ware hat heute unser Lager verlassen, die Sendungsnummer folgt.",
                "Teillieferung ist möglich, die Restmenge folgt in KW {week}.",
            ],
            [
                "unfortunately delivery for PO {po} is delayed by two weeks.",
                "The goods left our warehouse today; tracking number to follow.",
            ],
        ),
        (
            [
                "Lieferverzug wegen Engpass beim Vormaterial.",
                "Teillieferung vereinbart, Rest in KW {week}.",
                "Liefertreue im Quartal bei {uptime} %.",
            ],
            [
                "Delay due to a shortage of raw material.",
                "On-time delivery this quarter: {uptime} %.",
            ],
        ),
    ),
    topic(
        (
            ["Lieferantenaudit {year}", "Qualitätsabweichung {material}", "8D-Report {code}"],
            ["Supplier audit {year}", "Quality deviation {material}", "8D report {code}"],
        ),
        (
            [
                "beim Wareneingang wurden Maßabweichungen bei {material} festgestellt.",
                "Bitte senden Sie uns bis Freitag einen 8D-Report.",
                "Die Reklamationsquote liegt derzeit bei {ppm} ppm.",
            ],
            [
                "incoming inspection found dimensional deviations on {material}.",
                "Please send an 8D report by Friday.",
            ],
        ),
        (
            [
                "anbei der 8D-Report zur Abweichung.",
                "Die Ursache war ein verschlissenes Werkzeug, es ist inzwischen getauscht.",
                "Wir sortieren den Bestand auf unsere Kosten.",
            ],
            ["please find attached the 8D report.", "The cause was a worn tool, now replaced."],
        ),
        (
            [
                "Audit insgesamt zufriedenstellend, zwei Nebenabweichungen.",
                "Maßnahmenplan bis {date} vereinbart.",
                "Reklamationsquote {ppm} ppm, Ziel unter 500 ppm.",
            ],
            ["Audit satisfactory overall, two minor findings.", "Reject rate {ppm} ppm."],
        ),
    ),
)

PARTNER = (
    topic(
        (
            [
                "Gemeinsamer Messeauftritt {year}",
                "Partner-Webinar",
                "Gemeinsames Angebot für {city}",
            ],
            ["Joint trade fair presence {year}", "Partner webinar", "Joint proposal for {city}"],
        ),
        (
            [
                "für den gemeinsamen Messestand schlagen wir vor, die Kosten zu teilen.",
                "Wir würden die Ausschreibung gern gemeinsam beantworten.",
                "Die Leads aus der Kampagne verteilen wir nach Region.",
            ],
            [
                "we suggest sharing the cost of the joint booth.",
                "We would like to answer the tender together.",
            ],
        ),
        (
            [
                "das Webinar hatte {qty} Anmeldungen, die Aufzeichnung folgt.",
                "Gern sind wir beim gemeinsamen Angebot dabei.",
                "Unser Vertrieb hat drei neue Kontakte für Sie.",
            ],
            [
                "the webinar had {qty} registrations; the recording will follow.",
                "Happy to join the joint proposal.",
            ],
        ),
        (
            [
                "Aufgabenteilung für das gemeinsame Angebot abgestimmt.",
                "Partner bringt die Installation, wir die Steuerung.",
                "Nächstes Treffen zur Messeplanung im {month}.",
            ],
            [
                "Split of work for the joint proposal agreed.",
                "Next meeting on trade fair planning in {month}.",
            ],
        ),
    ),
)

AUTHORITY = (
    topic(
        (
            [
                "Bauantrag Erweiterung Halle {line}",
                "Genehmigung Emissionsschutz",
                "Stellungnahme Bebauungsplan {plan}",
            ],
            [
                "Building permit for hall {line}",
                "Emission control permit",
                "Comment on zoning plan {plan}",
            ],
        ),
        (
            [
                "anbei reichen wir die fehlenden Unterlagen zum Brandschutz nach.",
                "Das Lärmgutachten folgt bis zum {date}.",
                "Zum Bebauungsplan {plan} nehmen wir wie folgt Stellung.",
                "Wir bitten um einen Gesprächstermin mit dem Bauamt.",
            ],
            [
                "please find attached the missing fire protection documents.",
                "We will submit the noise report by {date}.",
            ],
        ),
        (
            [
                "zum Bauantrag für die Erweiterung der Halle {line} fehlen noch Unterlagen.",
                "Die Frist zur Stellungnahme zum Bebauungsplan {plan} endet am {date}.",
                "Die Anwohner haben Bedenken wegen des Lieferverkehrs geäußert.",
            ],
            [
                "documents are still missing for the building permit for hall {line}.",
                "The deadline for comments on zoning plan {plan} is {date}.",
            ],
        ),
        (
            [
                "Bauamt sieht keine grundsätzlichen Bedenken.",
                "Lärmschutz ist der kritische Punkt, Gutachten nötig.",
                "Zusage: Verkehrskonzept bis {date} überarbeiten.",
            ],
            [
                "Building authority has no fundamental objections.",
                "Noise protection is the critical point.",
            ],
        ),
    ),
    topic(
        (
            [
                "Bürgerinformationsabend {city}",
                "Förderprogramm Klimaschutz",
                "Ausbildungsmesse {year}",
            ],
            [
                "Public information evening {city}",
                "Climate funding programme",
                "Apprenticeship fair {year}",
            ],
        ),
        (
            [
                "vielen Dank für die Einladung zum Informationsabend.",
                "Gern beteiligen wir uns an der Ausbildungsmesse mit einem Stand.",
                "Wir interessieren uns für das Förderprogramm zur Photovoltaik.",
            ],
            [
                "thank you for the invitation to the information evening.",
                "We are interested in the photovoltaic funding programme.",
            ],
        ),
        (
            [
                "wir laden Sie herzlich zum Bürgerinformationsabend ein.",
                "Das Förderprogramm deckt bis zu {pct} % der Investition.",
                "Anträge sind bis zum {date} einzureichen.",
            ],
            [
                "you are cordially invited to the public information evening.",
                "The programme covers up to {pct} % of the investment.",
            ],
        ),
        (
            [
                "Rund {qty} Bürgerinnen und Bürger anwesend.",
                "Stimmung überwiegend positiv, Kritik am Verkehrskonzept.",
                "Bürgermeisterin unterstützt die Erweiterung ausdrücklich.",
            ],
            [
                "About {qty} residents attended.",
                "Mood mostly positive; traffic concept criticised.",
            ],
        ),
    ),
)

COMPETITOR = (
    topic(
        (
            ["Wettbewerber bei {client} gesichtet", "Preisinfo {org}", "Neues Produkt von {org}"],
            ["Competitor seen at {client}", "Pricing intel {org}", "New product from {org}"],
        ),
        ([], []),
        ([], []),
        (
            [
                "{org} war bei {client} zur Präsentation.",
                "Laut Einkauf unterbietet {org} unser Angebot um etwa {pct} %.",
                "{org} hat auf der Messe eine neue Steuerung vorgestellt.",
                "Lieferzeiten von {org} sind derzeit deutlich länger als unsere.",
            ],
            [
                "{org} presented at {client}.",
                "According to purchasing, {org} undercuts our price by about {pct} %.",
                "{org} launched a new controller at the trade fair.",
            ],
        ),
    ),
)

INTERNAL = (
    topic(
        (
            ["Abstimmung Vertrieb/Service", "Monatsreport {month}", "Kapazitätsplanung Q{quarter}"],
            ["Sales/service alignment", "Monthly report {month}", "Capacity planning Q{quarter}"],
        ),
        (
            [
                "anbei der Monatsreport, Umsatz leicht über Plan.",
                "Bitte meldet neue Aufträge früher an den Service.",
            ],
            ["attached the monthly report, revenue slightly above plan."],
        ),
        (
            [
                "die Ersatzteilverfügbarkeit für {product} ist kritisch.",
                "Für Q{quarter} sind Überstunden eingeplant.",
            ],
            ["spare parts availability for {product} is critical."],
        ),
        (
            [
                "Auslastung {uptime} %, Überstunden für Q{quarter} eingeplant.",
                "Service braucht frühere Info über neue Aufträge.",
                "Ersatzteile für {product} nachbestellen.",
            ],
            ["Utilisation {uptime} %, overtime planned for Q{quarter}."],
        ),
    ),
)

TOPICS = {
    "client": CLIENT,
    "prospect": PROSPECT,
    "supplier": SUPPLIER,
    "service_provider": SUPPLIER,
    "partner": PARTNER,
    "authority": AUTHORITY,
    "competitor": COMPETITOR,
    "internal": INTERNAL,
}

PRODUCTS = (
    "Förderanlage FX-200",
    "Steuerung NX-7",
    "Retrofit-Kit R3",
    "Prüfstand PS-40",
    "Wartungsvertrag Premium",
    "Ersatzteilpaket S",
    "Sensorik-Modul SM-12",
)
MATERIALS = (
    "Edelstahlbleche",
    "Hydrauliköl",
    "Elektronikbaugruppen",
    "Kugellager",
    "Verpackungsmaterial",
    "Aluminiumprofile",
    "Kabelsätze",
    "Schaltschränke",
)
PLANS = (
    "Nr. 47 „Am Mühlbach“",
    "Nr. 12 „Gewerbegebiet Süd“",
    "Nr. 88 „Östlich der Bahn“",
    "Nr. 5 „Große Wiese“",
)
PROJECTS = ("Linie 4", "Digitalisierung Instandhaltung", "Werk Süd", "Retrofit", "Phoenix")
MONTHS = (
    (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
)
KIND_SUBJECT = {
    "call": ("Telefonat: {}", "Call: {}"),
    "meeting": ("Besprechung: {}", "Meeting: {}"),
    "visit": ("Besuch in {city}: {}", "Visit in {city}: {}"),
    "note": ("Notiz: {}", "Note: {}"),
}
HEADINGS = {
    "call": ("Telefonnotiz", "Call notes"),
    "meeting": ("Besprechungsprotokoll", "Meeting minutes"),
    "visit": ("Besuchsbericht", "Visit report"),
    "note": ("Notiz", "Note"),
}
FOLLOW_UPS = {
    "de": (
        "Angebot nachfassen",
        "Rückruf bei {contact}",
        "Protokoll versenden",
        "Termin für Jahresgespräch vereinbaren",
        "Reklamation klären",
        "Preisliste aktualisieren",
        "Unterlagen für {org} zusammenstellen",
        "Referenzbesuch organisieren",
        "Wartungstermin bestätigen",
        "Stellungnahme abgeben",
    ),
    "en": (
        "Chase quotation",
        "Call back {contact}",
        "Send minutes",
        "Schedule annual review",
        "Resolve complaint",
        "Send revised price list",
        "Prepare documents for {org}",
    ),
}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class Writer:
    """Fills subjects and bodies for one interaction at a time from a seeded random source."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def context(
        self,
        *,
        when,
        org_name: str,
        client_name: str,
        competitor: str,
        city: str,
        contact: str,
        me: str,
        language: str,
    ) -> dict[str, object]:
        rng = self.rng
        year = when.year
        de = language == "de"
        return {
            "offer": f"A-{year}-{rng.randint(100, 9999):04d}",
            "order": f"{rng.randint(4500000, 4599999)}",
            "po": f"B{year % 100}-{rng.randint(1000, 9999)}",
            "product": rng.choice(PRODUCTS),
            "material": rng.choice(MATERIALS),
            "plan": rng.choice(PLANS),
            "project": rng.choice(PROJECTS),
            "weeks": rng.randint(3, 16),
            "week": rng.randint(1, 52),
            "pct": rng.choice((3, 4, 5, 7, 8, 10, 12, 15)),
            "qty": rng.choice((25, 40, 60, 120, 250, 500, 1000)),
            "ppm": rng.randint(50, 2500),
            "uptime": rng.randint(82, 99),
            "code": rng.randint(100, 999),
            "line": rng.randint(1, 9),
            "quarter": (when.month - 1) // 3 + 1,
            "month": MONTHS[0 if de else 1][when.month - 1],
            "year": year,
            "date": f"{rng.randint(1, 28):02d}.{when.month:02d}.{year}"
            if de
            else f"{rng.randint(1, 28)} {MONTHS[1][when.month - 1][:3]} {year}",
            "org": org_name,
            "client": client_name,
            "competitor": competitor,
            "city": city,
            "contact": contact,
            "me": me,
            "our": "Nordlicht Technik",
        }

    def subject(self, topic: Topic, language: str, kind: str, ctx: dict) -> str:
        i = 0 if language == "de" else 1
        about = self.rng.choice(topic.subjects[i]).format_map(ctx)
        if kind in ("email", "letter") or not topic.ours[i]:  # notes on competitors: as they are
            return about
        return KIND_SUBJECT[kind][i].format(about, **ctx)

    def body(
        self,
        topic: Topic,
        language: str,
        kind: str,
        direction: str,
        ctx: dict,
        *,
        greeting: str,
        signature: str,
    ) -> str:
        """`greeting` opens a letter ("Sehr geehrte Frau Müller,"), `signature` closes it."""
        rng = self.rng
        i = 0 if language == "de" else 1
        de = i == 0
        if kind in ("email", "letter"):
            lines = (topic.theirs if direction == "inbound" else topic.ours)[i] or topic.notes[i]
            count = min(len(lines), rng.randint(2, 3))
            order = sorted(rng.sample(range(len(lines)), k=count))  # in the order they are written
            picked = [lines[n].format_map(ctx) for n in order]
            # German letters continue the salutation in lower case; every later sentence upper.
            sentences = [picked[0] if de else _cap(picked[0])] + [_cap(t) for t in picked[1:]]
            closing = "Mit freundlichen Grüßen" if de else "Kind regards"
            opening = greeting or ("Sehr geehrte Damen und Herren," if de else "Dear Sir or Madam,")
            return "\n\n".join([opening, " ".join(sentences), f"{closing}\n{signature}"])
        lines = topic.notes[i]
        order = sorted(rng.sample(range(len(lines)), k=min(len(lines), rng.randint(2, 4))))
        bullets = "\n".join(f"- {_cap(lines[n].format_map(ctx))}" for n in order)
        return f"{HEADINGS[kind][i]}:\n{bullets}"

    def follow_up_title(self, language: str, ctx: dict) -> str:
        return self.rng.choice(FOLLOW_UPS[language]).format_map(ctx)
