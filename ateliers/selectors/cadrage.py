"""Reads on the cadrage and its calendar."""

import operator
from functools import reduce

from django.db.models import Q

from ateliers.faits import DefinitionFait, Fait, q_fait
from ateliers.models import Atelier, Cadrage, EtapePrevue
from ateliers.selectors import Attente, q_ateliers_avec, q_permission
from comptes.models import AnyUser, Role
from comptes.selectors import profil


def cadrage_de_l_atelier(atelier: Atelier) -> Cadrage | None:
    """The atelier's cadrage (None before its marché is notified), pointing back at this very
    atelier object; read once per atelier object, however many parts of its page ask (Django
    keeps a one-to-one, found or not, on the object)."""
    try:
        return atelier.cadrage
    except Cadrage.DoesNotExist:
        return None


def etapes_prevues(atelier: Atelier) -> dict[str, EtapePrevue]:
    """The planned dates of the atelier's calendar, by step."""
    return {j.nature: j for j in EtapePrevue.objects.filter(atelier=atelier)}


def faits_cadrage() -> list[DefinitionFait]:
    """The cadrage's facts: its réunion still to record, with or without its compte-rendu."""
    a_tenir = Cadrage.objects.filter(statut=Cadrage.Statut.A_TENIR)
    return [
        DefinitionFait(
            Fait.CADRAGE_SANS_COMPTE_RENDU,
            lambda: q_ateliers_avec(a_tenir.filter(compte_rendu="")),
            {Cadrage: "atelier_id"},
        ),
        DefinitionFait(
            Fait.CADRAGE_ECRIT,
            lambda: q_ateliers_avec(a_tenir.exclude(compte_rendu="")),
            {Cadrage: "atelier_id"},
        ),
    ]


def attentes_cadrage(user: AnyUser) -> list[Attente]:
    """What the cadrage expects: its réunion recorded with its compte-rendu (the pilot and the
    groupement), then closed by the pilot."""
    from ateliers.models import PILOTER, Phase

    p = profil(user)
    sans_compte_rendu = q_fait(Fait.CADRAGE_SANS_COMPTE_RENDU)
    ecrit = q_fait(Fait.CADRAGE_ECRIT)
    phases = frozenset([Phase.CADRAGE])
    routes = [
        q
        for q in (
            q_permission(user, PILOTER),
            Q(groupement__in=p.ids(Role.GROUPEMENT)) if p.ids(Role.GROUPEMENT) else None,
        )
        if q is not None
    ]
    resultat = (
        [
            Attente(
                libelle="Enregistrer la réunion de cadrage et son compte-rendu",
                q=sans_compte_rendu & reduce(operator.or_, routes),
                ancre="accompagnement",
                phases=phases,
            )
        ]
        if routes
        else []
    )
    q_piloter = q_permission(user, PILOTER)
    if q_piloter is not None:
        resultat.append(
            Attente(
                libelle="Clore le cadrage",
                q=ecrit & q_piloter,
                ancre="accompagnement",
                phases=phases,
            )
        )
    return resultat
