"""What the livrables expect of a user on each atelier (« à traiter »): the groupement
titulaire deposits a livrable whose date approaches and answers the corrections asked, the
pilot reviews what is deposited, a collectivité porteuse gives its avis on the version under
review, DGALN agrees to the deposited livret."""

import datetime
import functools
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from ateliers.faits import DefinitionFait, Fait, q_fait
from ateliers.models import PILOTER, Atelier, EtapePrevue, Phase
from ateliers.selectors import Attente, q_ateliers_avec, q_permission
from comptes.models import AnyUser, Role
from comptes.selectors import profil
from livrables.models import ETAPE_DU_TYPE, Avis, Livrable, TypeLivrable, VersionLivrable

S = Livrable.Statut
# From the cadrage to the restitution, as livrables.services.revue deposits them.
PHASES = frozenset(
    [Phase.CADRAGE, Phase.SESSION_1, Phase.SESSION_2, Phase.SESSION_3, Phase.RESTITUTION]
)
# How long before its planned date a livrable not yet deposited is « à traiter ».
HORIZON = datetime.timedelta(days=30)


def _ateliers(livrables: QuerySet[Livrable]) -> Q:
    # A correlated subquery, not a join: ORed with the other stages' filters, a join scans
    # every row.
    return q_ateliers_avec(livrables)


def _bientot_dus() -> Q:
    """The ateliers with a livrable due within the horizon (or late) and not deposited yet: one
    subquery on the calendar, each step matched to its livrable's type."""
    type_du_livrable = Case(
        *(When(nature=nature, then=Value(type)) for type, nature in ETAPE_DU_TYPE.items()),
        output_field=CharField(),
    )
    deposes = Livrable.objects.filter(
        atelier_id=OuterRef("atelier_id"), type=OuterRef("type_livrable")
    ).exclude(statut=S.ATTENDU)
    etapes = (
        EtapePrevue.objects.filter(
            nature__in=ETAPE_DU_TYPE.values(),
            date_prevue__lte=datetime.date.today() + HORIZON,
        )
        .annotate(type_livrable=type_du_livrable)
        .exclude(Exists(deposes))
    )
    return q_ateliers_avec(etapes)


def _sans_avis_de(collectivites: list[int]) -> Q:
    """The ateliers with a version under review on which none of `collectivites` gave its avis."""
    derniere = VersionLivrable.objects.filter(livrable=OuterRef(OuterRef("pk"))).order_by("-numero")
    donne = Avis.objects.filter(
        version__livrable=OuterRef("pk"),
        collectivite__in=collectivites,
        version__numero=Subquery(derniere.values("numero")[:1]),
    )
    return _ateliers(Livrable.objects.filter(statut=S.DEPOSE).exclude(Exists(donne)))


def _deposes_ou_renvoyes(filtre: dict[str, Any]) -> Q:
    return _ateliers(Livrable.objects.filter(**filtre))


def faits() -> list[DefinitionFait]:
    """The livrables' facts: one deposited (to review), one sent back for corrections, a
    livret deposited without DGALN's agreement yet."""
    return [
        DefinitionFait(
            fait, functools.partial(_deposes_ou_renvoyes, livrables), {Livrable: "atelier_id"}
        )
        for fait, livrables in (
            (Fait.LIVRABLE_DEPOSE, {"statut": S.DEPOSE}),
            (Fait.LIVRABLE_CORRECTIONS_DEMANDEES, {"statut": S.CORRECTIONS_DEMANDEES}),
            (
                Fait.LIVRET_SANS_ACCORD_DGALN,
                {"type": TypeLivrable.LIVRET, "statut": S.DEPOSE, "accord_dgaln_le__isnull": True},
            ),
        )
    ]


def attentes(user: AnyUser) -> list[Attente]:
    """The livrables' steps that wait on this user, with their rights on each atelier."""
    p = profil(user)
    resultat: list[Attente] = []
    groupements = p.ids(Role.GROUPEMENT)
    if groupements:
        titulaire = Q(groupement__in=groupements)
        resultat += [
            Attente(
                libelle="Déposer un livrable attendu",
                q=titulaire & _bientot_dus(),
                ancre="livrables",
                phases=PHASES,
            ),
            Attente(
                libelle="Déposer un livrable corrigé",
                q=titulaire & q_fait(Fait.LIVRABLE_CORRECTIONS_DEMANDEES),
                ancre="livrables",
                phases=PHASES,
            ),
        ]
    q_piloter = q_permission(user, PILOTER)
    if q_piloter is not None:
        resultat.append(
            Attente(
                libelle="Relire un livrable déposé",
                q=q_piloter & q_fait(Fait.LIVRABLE_DEPOSE),
                ancre="livrables",
                phases=PHASES,
            )
        )
    collectivites = p.ids(Role.COLLECTIVITE)
    if collectivites:
        portees = Atelier.collectivites.through.objects.filter(organisation_id__in=collectivites)
        resultat.append(
            Attente(
                libelle="Donner votre avis sur un livrable",
                q=q_ateliers_avec(portees) & _sans_avis_de(list(collectivites)),
                ancre="livrables",
                phases=PHASES,
            )
        )
    if p.est_dgaln:
        resultat.append(
            Attente(
                libelle="Donner l'accord de la DGALN sur un livret de capitalisation",
                q=q_fait(Fait.LIVRET_SANS_ACCORD_DGALN),
                ancre="livrables",
                phases=PHASES,
            )
        )
    return resultat
