"""What interactions and follow-ups say, in German and English, by kind of relationship.

Each topic has subjects and sentences; a body is a greeting, two to four sentences and a closing
(emails, letters) or a short protocol (calls, meetings, visits, notes). Placeholders in braces are
filled per interaction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    de_subjects: tuple[str, ...]
    en_subjects: tuple[str, ...]
    de_lines: tuple[str, ...]
    en_lines: tuple[str, ...]


def T(de_s, en_s, de_l, en_l) -> Topic:  # noqa: N802 - a terse constructor for the tables below
    return Topic(tuple(de_s), tuple(en_s), tuple(de_l), tuple(en_l))


CLIENT = (
    T(
        ["Angebot {offer} – {product}", "Ihr Angebot {offer}", "Nachfrage zum Angebot {offer}"],
        [
            "Quotation {offer} – {product}",
            "Your quotation {offer}",
            "Follow-up on quotation {offer}",
        ],
        [
            "anbei erhalten Sie unser Angebot {offer} für {product}.",
            "Die Lieferzeit beträgt aktuell etwa {weeks} Wochen ab Auftragseingang.",
            "Gegenüber dem Vorjahr konnten wir den Preis um {pct} % senken.",
            "Bitte prüfen Sie insbesondere die Position Inbetriebnahme vor Ort.",
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
    T(
        ["Bestellung {order}", "Auftragsbestätigung {order}", "Liefertermin Auftrag {order}"],
        ["Purchase order {order}", "Order confirmation {order}", "Delivery date for order {order}"],
        [
            "vielen Dank für Ihre Bestellung {order}.",
            "Wir bestätigen den Liefertermin in KW {week}.",
            "Die Anlage wird vormontiert angeliefert; bitte planen Sie einen Stapler ein.",
            "Die Rechnung folgt separat per E-Mail.",
            "Für Rückfragen zur Montage steht Ihnen unser Service jederzeit zur Verfügung.",
        ],
        [
            "thank you for your order {order}.",
            "We confirm delivery in calendar week {week}.",
            "The invoice will follow separately by email.",
            "Our service team is available for any questions about installation.",
        ],
    ),
    T(
        ["Reklamation Lieferung {order}", "Störung an {product}", "Dringend: Ausfall Linie {line}"],
        ["Complaint about delivery {order}", "Fault on {product}", "Urgent: line {line} is down"],
        [
            "leider ist die Lieferung {order} erneut verspätet eingetroffen.",
            "Seit gestern steht die Linie {line}; die Steuerung meldet Fehler E-{code}.",
            "Wir sind mit der Reaktionszeit Ihres Service nicht zufrieden.",
            "Bitte schicken Sie kurzfristig einen Techniker.",
            "Das ist bereits die dritte Störung in diesem Quartal.",
            "Wir erwarten bis Freitag einen Vorschlag zur Kulanz.",
        ],
        [
            "unfortunately delivery {order} arrived late again.",
            "Line {line} has been down since yesterday; the controller shows error E-{code}.",
            "We are not satisfied with your service response time.",
            "Please send a technician at short notice.",
            "This is already the third fault this quarter.",
        ],
    ),
    T(
        ["Quartalsgespräch Q{quarter}", "Jahresgespräch {year}", "Projektbesprechung {project}"],
        ["Quarterly review Q{quarter}", "Annual review {year}", "Project meeting {project}"],
        [
            "Wir haben die Zusammenarbeit im letzten Quartal besprochen – insgesamt sehr positiv.",
            "Der Kunde plant eine Erweiterung um eine zweite Linie im nächsten Jahr.",
            "Budget für {year} ist freigegeben, Entscheidung fällt im Einkaufsgremium.",
            "Wettbewerber {competitor} war ebenfalls zur Präsentation eingeladen.",
            "Nächster Termin: Werksbesichtigung mit der Technik.",
            "Die Verfügbarkeit der Anlagen lag bei {uptime} %.",
        ],
        [
            "We reviewed last quarter's cooperation – very positive overall.",
            "The client plans a second line next year.",
            "Budget for {year} is approved; the purchasing board decides.",
            "Competitor {competitor} was invited to present as well.",
            "Availability of the equipment was {uptime} %.",
        ],
    ),
    T(
        ["Wartung {product}", "Terminabstimmung Wartung", "Schulung Bedienpersonal"],
        ["Maintenance of {product}", "Scheduling maintenance", "Operator training"],
        [
            "die jährliche Wartung von {product} steht an.",
            "Wir schlagen den {date} vor; die Anlage muss dafür etwa vier Stunden stillstehen.",
            "Die Schulung für das Bedienpersonal findet in Ihrem Werk statt, max. acht Teilnehmende.",
            "Bitte bestätigen Sie uns den Termin kurz per Mail.",
        ],
        [
            "the annual maintenance of {product} is due.",
            "We suggest {date}; the machine will be down for about four hours.",
            "Operator training takes place at your plant, up to eight participants.",
            "Please confirm the date by email.",
        ],
    ),
    T(
        ["Rechnung {invoice}", "Zahlungserinnerung {invoice}"],
        ["Invoice {invoice}", "Payment reminder {invoice}"],
        [
            "anbei die Rechnung {invoice} über die erbrachten Leistungen.",
            "Laut unserer Buchhaltung ist die Rechnung {invoice} noch offen.",
            "Sollte sich die Zahlung überschnitten haben, betrachten Sie dieses Schreiben als gegenstandslos.",
        ],
        [
            "please find attached invoice {invoice}.",
            "According to our accounts, invoice {invoice} is still open.",
            "If payment has already been made, please disregard this message.",
        ],
    ),
)

PROSPECT = (
    T(
        ["Kennenlernen {our}", "Ihre Anfrage auf der Messe", "Vorstellung {product}"],
        ["Introducing {our}", "Your enquiry at the trade fair", "Introducing {product}"],
        [
            "vielen Dank für das nette Gespräch auf der Messe.",
            "Wie besprochen sende ich Ihnen unsere Unterlagen zu {product}.",
            "Viele Kunden aus Ihrer Branche setzen die Lösung bereits ein.",
            "Hätten Sie in den nächsten Wochen Zeit für einen kurzen Termin?",
            "Der Bedarf ist noch unklar, Entscheidung frühestens im nächsten Jahr.",
        ],
        [
            "thank you for the pleasant conversation at the trade fair.",
            "As discussed, I am sending you our documents on {product}.",
            "Many companies in your industry already use the solution.",
            "Would you have time for a short call in the coming weeks?",
        ],
    ),
    T(
        ["Vorführung {product}", "Testinstallation", "Referenzbesuch"],
        ["Demo of {product}", "Trial installation", "Reference visit"],
        [
            "Die Vorführung kam gut an, besonders die Auswertung der Stillstandszeiten.",
            "Die Technik möchte eine Testinstallation über vier Wochen.",
            "Der Einkauf hat nach Referenzen in der Region gefragt.",
            "Ansprechpartner ist skeptisch wegen der Integration in das bestehende ERP.",
        ],
        [
            "The demo went well, especially the downtime analysis.",
            "Engineering wants a four-week trial installation.",
            "Purchasing asked for references in the region.",
        ],
    ),
)

SUPPLIER = (
    T(
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
        [
            "wir müssen die Preise für {material} zum {date} um {pct} % anpassen.",
            "Grund sind gestiegene Energie- und Rohstoffkosten.",
            "Wir bitten um ein verbessertes Angebot bis Monatsende.",
            "Bei einer Abnahmemenge von {qty} Stück wäre ein Staffelrabatt möglich.",
            "Die Laufzeit des Rahmenvertrags beträgt 24 Monate.",
        ],
        [
            "we have to adjust prices for {material} by {pct} % as of {date}.",
            "The reason is higher energy and raw material costs.",
            "Please send an improved offer by the end of the month.",
            "A volume discount is possible from {qty} units.",
        ],
    ),
    T(
        ["Liefertermin Bestellung {po}", "Lieferverzug {po}", "Versandavis {po}"],
        ["Delivery date PO {po}", "Delayed delivery PO {po}", "Shipping notice PO {po}"],
        [
            "die Lieferung zur Bestellung {po} verschiebt sich leider um zwei Wochen.",
            "Die Ware hat heute unser Lager verlassen, Sendungsnummer folgt.",
            "Wir benötigen die Teile spätestens am {date} für die Montage.",
            "Teillieferung ist möglich, die Restmenge folgt in KW {week}.",
        ],
        [
            "unfortunately delivery for PO {po} is delayed by two weeks.",
            "The goods left our warehouse today; tracking number to follow.",
            "We need the parts by {date} at the latest.",
            "A partial delivery is possible, the rest follows in week {week}.",
        ],
    ),
    T(
        ["Lieferantenaudit {year}", "Qualitätsabweichung {material}", "8D-Report {code}"],
        ["Supplier audit {year}", "Quality deviation {material}", "8D report {code}"],
        [
            "Beim Wareneingang wurden Maßabweichungen bei {material} festgestellt.",
            "Bitte senden Sie uns bis Freitag einen 8D-Report.",
            "Das Audit verlief insgesamt zufriedenstellend, zwei Nebenabweichungen.",
            "Die Reklamationsquote liegt bei {ppm} ppm.",
        ],
        [
            "Incoming inspection found dimensional deviations on {material}.",
            "Please send an 8D report by Friday.",
            "The audit was satisfactory overall, two minor findings.",
            "The reject rate is {ppm} ppm.",
        ],
    ),
)

PARTNER = (
    T(
        ["Gemeinsamer Messeauftritt {year}", "Partner-Webinar", "Gemeinsames Angebot für {city}"],
        ["Joint trade fair presence {year}", "Partner webinar", "Joint proposal for {city}"],
        [
            "für den gemeinsamen Messestand teilen wir uns die Kosten hälftig.",
            "Das Webinar hatte {qty} Anmeldungen, Aufzeichnung folgt.",
            "Wir schlagen vor, die Ausschreibung gemeinsam zu beantworten.",
            "Die Leads aus der Kampagne verteilen wir nach Region.",
        ],
        [
            "we will split the cost of the joint booth equally.",
            "The webinar had {qty} registrations; the recording will follow.",
            "We suggest answering the tender together.",
            "Leads from the campaign will be split by region.",
        ],
    ),
)

AUTHORITY = (
    T(
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
        [
            "zum Bauantrag für die Erweiterung der Halle {line} fehlen noch Unterlagen zum Brandschutz.",
            "Wir reichen das Lärmgutachten bis zum {date} nach.",
            "Die Frist zur Stellungnahme zum Bebauungsplan {plan} endet am {date}.",
            "Die Anwohner haben Bedenken wegen des Lieferverkehrs geäußert.",
            "Wir bitten um einen Gesprächstermin mit dem Bauamt.",
        ],
        [
            "documents on fire protection are still missing for the building permit.",
            "We will submit the noise report by {date}.",
            "The deadline for comments on zoning plan {plan} is {date}.",
            "Residents have raised concerns about delivery traffic.",
        ],
    ),
    T(
        ["Bürgerinformationsabend {city}", "Förderprogramm Klimaschutz", "Ausbildungsmesse {year}"],
        [
            "Public information evening {city}",
            "Climate funding programme",
            "Apprenticeship fair {year}",
        ],
        [
            "Beim Informationsabend waren rund {qty} Bürgerinnen und Bürger anwesend.",
            "Die Stimmung war überwiegend positiv, Kritik gab es am Verkehrskonzept.",
            "Das Förderprogramm deckt bis zu {pct} % der Investition in die Photovoltaik.",
            "Wir haben zugesagt, das Verkehrskonzept bis zum {date} zu überarbeiten.",
        ],
        [
            "About {qty} residents attended the information evening.",
            "The mood was mostly positive; the traffic concept was criticised.",
            "The programme covers up to {pct} % of the photovoltaic investment.",
        ],
    ),
)

COMPETITOR = (
    T(
        ["Wettbewerber bei {client} gesichtet", "Preisinfo {org}", "Neues Produkt von {org}"],
        ["Competitor seen at {client}", "Pricing intel {org}", "New product from {org}"],
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
)

INTERNAL = (
    T(
        ["Abstimmung Vertrieb/Service", "Monatsreport {month}", "Kapazitätsplanung Q{quarter}"],
        ["Sales/service alignment", "Monthly report {month}", "Capacity planning Q{quarter}"],
        [
            "Die Auslastung liegt bei {uptime} %, für Q{quarter} sind Überstunden eingeplant.",
            "Ersatzteilverfügbarkeit für {product} ist kritisch.",
            "Der Service braucht frühere Info über neue Aufträge.",
            "Monatsreport anbei, Umsatz leicht über Plan.",
        ],
        [
            "Utilisation is at {uptime} %, overtime planned for Q{quarter}.",
            "Spare parts availability for {product} is critical.",
            "Monthly report attached, revenue slightly above plan.",
        ],
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
PROJECTS = ("Linie 4", "Digitalisierung Instandhaltung", "Werk Süd", "Retrofit 2025", "Phoenix")
MONTHS_DE = (
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
)
MONTHS_EN = (
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
)

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
        months = MONTHS_DE if language == "de" else MONTHS_EN
        return {
            "offer": f"A-{year}-{rng.randint(100, 9999):04d}",
            "order": f"{rng.randint(4500000, 4599999)}",
            "po": f"B{year % 100}-{rng.randint(1000, 9999)}",
            "invoice": f"R{year}{rng.randint(10000, 99999)}",
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
            "month": months[when.month - 1],
            "year": year,
            "date": (when.replace(day=1) if when.day > 28 else when).strftime(
                "%d.%m.%Y" if language == "de" else "%d %b %Y"
            ),
            "org": org_name,
            "client": client_name,
            "competitor": competitor,
            "city": city,
            "contact": contact,
            "me": me,
            "our": "Nordlicht Technik",
        }

    def subject(self, topic: Topic, language: str, ctx: dict) -> str:
        subjects = topic.de_subjects if language == "de" else topic.en_subjects
        return self.rng.choice(subjects).format_map(ctx)

    def body(
        self, topic: Topic, language: str, kind: str, direction: str, ctx: dict, salutation: str
    ) -> str:
        rng = self.rng
        lines = topic.de_lines if language == "de" else topic.en_lines
        picked = rng.sample(lines, k=min(len(lines), rng.randint(2, 4)))
        text = [line.format_map(ctx) for line in picked]
        de = language == "de"
        if kind in ("email", "letter"):
            if direction == "inbound":
                greeting = "Sehr geehrte Damen und Herren," if de else "Dear Sir or Madam,"
                sender = ctx["contact"] or ctx["org"]
            else:
                greeting = salutation or ("Guten Tag," if de else "Hello,")
                sender = ctx["me"]
            closing = "Mit freundlichen Grüßen" if de else "Kind regards"
            # German letters continue the salutation in lower case; every later sentence starts upper.
            sentences = [text[0] if de else _cap(text[0])] + [_cap(t) for t in text[1:]]
            return "\n\n".join([greeting, " ".join(sentences), f"{closing}\n{sender}"])
        heading = {
            "call": "Telefonnotiz" if de else "Call notes",
            "meeting": "Besprechungsprotokoll" if de else "Meeting minutes",
            "visit": "Besuchsbericht" if de else "Visit report",
            "note": "Notiz" if de else "Note",
        }[kind]
        bullets = "\n".join(f"- {_cap(line)}" for line in text)
        return f"{heading}:\n{bullets}"

    def follow_up_title(self, language: str, ctx: dict) -> str:
        return self.rng.choice(FOLLOW_UPS[language]).format_map(ctx)
