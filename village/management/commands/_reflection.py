"""The demo network's reflection: two closed VRAC rounds a term apart, an open Wraparound round,
action points and structural signals. Driven through reflection.actions, like a coordinator would."""

from __future__ import annotations

import datetime
import random

from partners.models import Membership, Organisation, Role
from reflection import actions
from reflection.models import ActionPoint, Framework, Item, Level, Round, Signal

SIGNALS = [
    (
        "Gezinnen zonder digitale toegang kunnen de online inschrijving voor de zomerschool niet invullen.",
        "Inschrijvingen zomerschool",
        Signal.BarrierType.WITHIN_ORGANISATION,
        "taken_up",
    ),
    (
        "Het schooltoelagedossier vraagt documenten die gezinnen met een tijdelijke verblijfsstatus niet hebben.",
        "Aanvraag schooltoelage",
        Signal.BarrierType.LEGAL,
        "new",
    ),
    (
        "Wachtlijsten bij de jeugdhulp worden niet gedeeld, zodat brugfiguren niet weten waar plaats is.",
        "Doorverwijzing naar jeugdhulp",
        Signal.BarrierType.WITHIN_SECTOR,
        "resolved",
    ),
    (
        "Scholen en OCMW hanteren andere regels voor de terugbetaling van schoolkosten.",
        "Schoolkosten en OCMW",
        Signal.BarrierType.BETWEEN_SECTORS,
        "taken_up",
    ),
]

ACTION_POINTS = [
    "Een gedeeld overzicht van wachttijden bij partners, elke maand bijgewerkt.",
    "Ouders uitnodigen voor een klankbordgroep over de werking van de brugfiguren.",
    "Een gezamenlijke visietekst voorleggen aan alle schooldirecties.",
]


def build_reflection(seed: int, coordinator, now: datetime.datetime) -> None:
    rng = random.Random(f"{seed}/reflection")
    members = list(
        Membership.objects.active()
        .filter(role__in=[Role.BRIDGE_FIGURE, Role.PARTNER_WORKER, Role.SCHOOL_COORDINATOR])
        .select_related("user", "organisation")
        .order_by("pk")
    )
    participants = rng.sample(members, min(8, len(members)))
    vrac = Framework.objects.get(code="vrac")
    items = list(Item.objects.filter(framework=vrac).order_by("pk"))
    ranks = [Level.NOT_YET, Level.FIRST_STEPS, Level.GROWING, Level.EMBEDDED]

    previous = None
    for index, (title, months_ago) in enumerate([("VRAC-analyse najaar", 9), ("VRAC-analyse voorjaar", 3)]):
        round_ = actions.open_round(framework=vrac, title=title, participants=participants, by=coordinator)
        for membership in participants:
            answers = {}
            for item in items:
                base = min(3, max(0, rng.choice([0, 1, 1, 2, 2, 3]) + index))
                level = Level.DONT_KNOW if rng.random() < 0.08 else ranks[base]
                answers[item.pk] = {
                    "level": level,
                    "evidence": "Besproken op het netwerkoverleg." if rng.random() < 0.5 else "",
                    "next_step": "",
                }
            actions.save_answers(round_=round_, by=membership.user, answers=answers)
        if previous is None:
            owners = list(Organisation.objects.filter(memberships__in=participants).distinct().order_by("pk"))
            for description in ACTION_POINTS:
                actions.add_action_point(
                    round_=round_,
                    description=description,
                    owner=rng.choice(owners),
                    due_on=(now - datetime.timedelta(days=30 * (months_ago - 4))).date(),
                    item=rng.choice(items),
                    by=coordinator,
                )
        actions.close_round(round_=round_, by=coordinator)
        opened = now - datetime.timedelta(days=30 * months_ago)
        Round.objects.filter(pk=round_.pk).update(
            opened_at=opened, closed_at=opened + datetime.timedelta(days=21)
        )
        previous = round_
    for number, point in enumerate(ActionPoint.objects.filter(round__framework=vrac).order_by("pk")):
        if number == 0:
            actions.follow_up_action_point(
                action_point=point, status=ActionPoint.Status.DONE, follow_up="Staat online.", by=coordinator
            )

    wraparound = Framework.objects.get(code="wraparound")
    actions.open_round(
        framework=wraparound,
        title="Wraparound-principes, eerstelijnsteam",
        participants=participants[:5],
        by=coordinator,
    )

    takers = list(Organisation.objects.exclude(kind="school").order_by("pk")[:6])
    for what, where, barrier_type, status in SIGNALS:
        logger = rng.choice(participants).user
        signal = actions.log_signal(what=what, where=where, barrier_type=barrier_type, by=logger)
        if status != "new":
            actions.assign_signal(signal=signal, organisation=rng.choice(takers), by=coordinator)
        if status == "resolved":
            actions.follow_up_signal(
                signal=signal,
                status=Signal.Status.RESOLVED,
                follow_up="Maandelijks overzicht afgesproken.",
                by=coordinator,
            )
