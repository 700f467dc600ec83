"""Demo services: recurring maintenance schedules for about 60 client organizations (every 3, 6
or 12 months) with their past appointments done (outcome notes) and the coming ones planned,
about 20 trainings (half past with attendance, half upcoming, some full with a waitlist) and a
few visits and onboardings. Written with bulk inserts, like the rest of the demo; the upcoming
appointments of the schedules are those the daily generation job would create."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from accord.servicedesk.models import (
    ServiceAppointment,
    ServiceSchedule,
    Training,
    TrainingRegistration,
)
from accord.servicedesk.services.appointments import HORIZON_DAYS

from .db import insert_rows

if TYPE_CHECKING:
    from .generator import Generator

SCHEDULES = 60
TRAININGS = 20
VISITS = 40
PAST_MONTHS = 24

MAINTENANCE_TITLES = [
    "Wartung Kälteanlage",
    "Inspektion Wärmepumpe",
    "Wartung Lüftungsanlage (VDI 6022)",
    "Dichtheitsprüfung Kältekreislauf",
    "Filterwechsel und Funktionsprüfung",
]
OUTCOMES = [
    "Anlage geprüft, keine Mängel. Nächste Wartung wie geplant.",
    "Filter getauscht, Kältemittelfüllmenge geprüft, Protokoll an Betreiber.",
    "Verdichter zeigt erhöhte Laufgeräusche – Angebot für Austausch folgt.",
    "Dichtheitsprüfung bestanden, Logbuch aktualisiert.",
    "Regelung neu parametriert, Kunde eingewiesen.",
]
TRAININGS_SPEC = [
    ("F-Gase-Verordnung für Betreiber", "Schulung Kältemittel und F-Gase"),
    ("Bedienung Leitstand", "Einweisung Leitstand und Fernwartung"),
    ("Wärmepumpen im Bestand", "Schulung Wärmepumpen im Bestand"),
    ("Hygiene in RLT-Anlagen", "Hygieneschulung VDI 6022 Kategorie B"),
    ("Energiemonitoring", "Workshop Energiemonitoring"),
]
PLACES = ["Schulungszentrum Hamburg", "Werk des Kunden", "Online", "Niederlassung Hannover"]
RULES = [("FREQ=MONTHLY;INTERVAL=3", 3), ("FREQ=MONTHLY;INTERVAL=6", 6), ("FREQ=YEARLY", 12)]


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def create_services(gen: Generator) -> None:
    rng = gen.rng("services")
    clients = [p for p in gen.orgs if p.obj.is_client] or list(gen.orgs)
    if not clients:
        return
    staff_ids = [u.pk for u in gen.users.values() if u.role in ("member", "manager")]
    horizon = gen.now + dt.timedelta(days=HORIZON_DAYS)
    today = gen.today

    def contacts(plan, day: dt.date, k: int) -> list[int]:
        ordinal = day.toordinal()
        present = [c for c in plan.contacts if c[1] <= ordinal <= c[2]]
        picked = rng.sample(present, min(len(present), k))
        return list(dict.fromkeys(gen.people[c[0]].id for c in picked))

    # --- schedules and their appointments ------------------------------------------------------
    schedules: list[ServiceSchedule] = []
    pending: list[tuple[ServiceAppointment, list[int], list[int]]] = []
    schedule_people: list[tuple[int, int]] = []
    schedule_staff: list[tuple[int, int]] = []
    plans = rng.sample(clients, min(SCHEDULES, len(clients)))
    for plan in plans:
        rule, _months = rng.choice(RULES)
        first = _add_months(today, -rng.randint(6, PAST_MONTHS)) + dt.timedelta(
            days=rng.randint(0, 20)
        )
        hour = rng.choice([8, 9, 10, 13])
        duration = rng.choice([90, 120, 180, 240])
        schedule = ServiceSchedule(
            organization_id=plan.obj.pk,
            kind="maintenance",
            title=rng.choice(MAINTENANCE_TITLES),
            rule=rule,
            starts_at=_at(first, hour),
            duration_minutes=duration,
            location=f"{plan.obj.name}, {plan.city.name}" if plan.city else plan.obj.name,
            owner_id=plan.obj.owner_id,
            team_id=plan.obj.team_id,
            generated_until=horizon,
        )
        gen.stamp(schedule, _at(first, 7) - dt.timedelta(days=14), plan.obj.owner_id)
        schedules.append(schedule)
    gen.bulk(ServiceSchedule, schedules)
    for schedule, plan in zip(schedules, plans, strict=True):
        people = contacts(plan, today, rng.choice([1, 1, 2]))
        technician = rng.choice(staff_ids) if staff_ids else None
        schedule_people += [(schedule.pk, p) for p in people]
        if technician:
            schedule_staff.append((schedule.pk, technician))
        months = dict(RULES)[schedule.rule]
        first_local = timezone.localtime(schedule.starts_at)
        n = 0
        while True:
            day = _add_months(first_local.date(), months * n)
            start = _at(day, first_local.hour)
            n += 1
            if start > horizon:
                break
            past = start < gen.now
            appointment = ServiceAppointment(
                organization_id=schedule.organization_id,
                kind="maintenance",
                title=schedule.title,
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=schedule.duration_minutes),
                location=schedule.location,
                status="done" if past else rng.choice(["planned", "planned", "confirmed"]),
                outcome=rng.choice(OUTCOMES) if past else "",
                schedule_id=schedule.pk,
                occurrence_start=start,
                owner_id=schedule.owner_id,
                team_id=schedule.team_id,
            )
            gen.stamp(appointment, min(start, gen.now) - dt.timedelta(days=30), schedule.owner_id)
            pending.append((appointment, people, [technician] if technician else []))

    # --- visits and onboardings ----------------------------------------------------------------
    for _ in range(VISITS):
        plan = rng.choice(clients)
        day = today + dt.timedelta(days=rng.randint(-180, 60))
        start = _at(day, rng.choice([9, 10, 11, 14]))
        kind = rng.choice(["visit", "visit", "onboarding"])
        past = start < gen.now
        appointment = ServiceAppointment(
            organization_id=plan.obj.pk,
            kind=kind,
            title="Kundenbesuch Service" if kind == "visit" else "Onboarding neue Anlage",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=rng.choice([1, 2, 3])),
            location=plan.obj.name,
            status="done" if past else rng.choice(["requested", "planned", "confirmed"]),
            outcome="Gespräch mit Betriebsleitung, Wartungsvertrag angesprochen." if past else "",
            owner_id=plan.obj.owner_id,
            team_id=plan.obj.team_id,
        )
        gen.stamp(appointment, min(start, gen.now) - dt.timedelta(days=10), plan.obj.owner_id)
        pending.append(
            (appointment, contacts(plan, day, 1), [rng.choice(staff_ids)] if staff_ids else [])
        )

    # --- trainings ----------------------------------------------------------------------------
    training_rows: list[tuple[ServiceAppointment, dict]] = []
    for i in range(TRAININGS):
        plan = rng.choice(clients)
        topic, title = TRAININGS_SPEC[i % len(TRAININGS_SPEC)]
        offset = rng.randint(-200, -3) if i % 2 == 0 else rng.randint(7, 80)
        day = today + dt.timedelta(days=offset)
        start = _at(day, 9)
        past = offset < 0
        place = rng.choice(PLACES)
        appointment = ServiceAppointment(
            organization_id=plan.obj.pk,
            kind="training",
            title=title,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=rng.choice([4, 7])),
            location="" if place == "Online" else place,
            online_url="https://meet.accord.example/schulung" if place == "Online" else "",
            status="done" if past else "confirmed",
            owner_id=plan.obj.owner_id,
            team_id=plan.obj.team_id,
        )
        gen.stamp(appointment, start - dt.timedelta(days=45), plan.obj.owner_id)
        pending.append((appointment, [], [rng.choice(staff_ids)] if staff_ids else []))
        capacity = rng.choice([6, 8, 10, 12])
        training_rows.append(
            (
                appointment,
                {
                    "topic": topic,
                    "capacity": capacity,
                    "deadline": day - dt.timedelta(days=7),
                    "plan": plan,
                    "past": past,
                },
            )
        )

    appointments = [a for a, _p, _s in pending]
    gen.bulk(ServiceAppointment, appointments)
    people_rows: list[tuple[int, int]] = []
    staff_rows: list[tuple[int, int]] = []
    for appointment, people, staff in pending:
        people_rows += [(appointment.pk, p) for p in dict.fromkeys(people)]
        staff_rows += [(appointment.pk, u) for u in dict.fromkeys(staff)]
    insert_rows(ServiceAppointment.people.through, ["serviceappointment", "person"], people_rows)
    insert_rows(ServiceAppointment.staff.through, ["serviceappointment", "user"], staff_rows)
    insert_rows(ServiceSchedule.people.through, ["serviceschedule", "person"], schedule_people)
    insert_rows(ServiceSchedule.staff.through, ["serviceschedule", "user"], schedule_staff)

    trainings: list[Training] = []
    for appointment, spec in training_rows:
        training = Training(
            appointment_id=appointment.pk,
            topic=spec["topic"],
            capacity=spec["capacity"],
            registration_deadline=spec["deadline"],
        )
        gen.stamp(training, appointment.created_at, appointment.owner_id)
        trainings.append(training)
    gen.bulk(Training, trainings)

    registrations: list[TrainingRegistration] = []
    all_people = [p.id for p in gen.people]
    for training, (appointment, spec) in zip(trainings, training_rows, strict=True):
        own = contacts(spec["plan"], appointment.starts_at.date(), 4)
        wanted = spec["capacity"] + rng.choice([-3, -1, 0, 2])
        others = rng.sample(all_people, min(len(all_people), max(0, wanted - len(own))))
        chosen = list(dict.fromkeys(own + others))[: max(1, wanted)]
        for n, person_id in enumerate(chosen):
            seated = n < spec["capacity"]
            if spec["past"]:
                status = (
                    ("attended" if rng.random() < 0.85 else "no_show") if seated else "cancelled"
                )
            else:
                status = "registered" if seated else "waitlisted"
            when = appointment.starts_at - dt.timedelta(days=30 - n)
            registration = TrainingRegistration(
                training_id=training.pk,
                person_id=person_id,
                status=status,
                registered_at=min(when, gen.now),
            )
            gen.stamp(registration, min(when, gen.now), appointment.owner_id)
            registrations.append(registration)
    gen.bulk(TrainingRegistration, registrations)
    gen.count("service appointment links", len(people_rows) + len(staff_rows))
