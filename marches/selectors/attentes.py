"""What the marché subséquent expects of a user on each atelier (« à traiter »): the pilot
launches it, writes and publishes the CCTP, closes the analysis, attributes and notifies; the
panel writes the CCTP with them and marks the offers."""

import functools

from django.db.models import Q

from ateliers.faits import DefinitionFait, Fait, q_fait
from ateliers.models import PILOTER, PORTER, Phase
from ateliers.selectors import Attente, q_ateliers_avec, q_permission
from comptes.models import AnyUser
from marches.models import MarcheSubsequent
from marches.selectors.finances import attentes_finances

S = MarcheSubsequent.Statut
# A marché is prepared, analysed, attributed or found fruitless while its atelier is in the
# marché phase (its notification starts the cadrage, the atelier's abandon closes it), so that
# `a_faire` asks nothing about them of an atelier further on.
MARCHE = frozenset([Phase.MARCHE])


def _ateliers_aux_marches(*statuts: str) -> Q:
    # A correlated subquery, not a join: ORed with the other stages' filters, a join scans
    # every row.
    return q_ateliers_avec(MarcheSubsequent.objects.filter(statut__in=statuts))


def faits() -> list[DefinitionFait]:
    """The marché's facts: a marché in preparation, in analysis, attributed or fruitless."""
    return [
        DefinitionFait(
            fait, functools.partial(_ateliers_aux_marches, statut), {MarcheSubsequent: "atelier_id"}
        )
        for fait, statut in (
            (Fait.MARCHE_EN_PREPARATION, S.EN_PREPARATION),
            (Fait.MARCHE_EN_ANALYSE, S.EN_ANALYSE),
            (Fait.MARCHE_ATTRIBUE, S.ATTRIBUE),
            (Fait.MARCHE_INFRUCTUEUX, S.INFRUCTUEUX),
        )
    ]


def attentes(user: AnyUser) -> list[Attente]:
    """The steps of the marché that wait on this user, with their rights on each atelier."""
    resultat = []
    q_piloter = q_permission(user, PILOTER)
    if q_piloter is not None:
        resultat += [
            Attente(
                libelle="Lancer le marché subséquent",
                q=q_piloter,
                ancre="marche",
                phases=frozenset([Phase.ELIGIBLE]),
            ),
            Attente(
                libelle="Rédiger le CCTP et publier la consultation",
                q=q_fait(Fait.MARCHE_EN_PREPARATION) & q_piloter,
                ancre="marche",
                phases=MARCHE,
            ),
            Attente(
                libelle="Analyser les offres et attribuer le marché",
                q=q_fait(Fait.MARCHE_EN_ANALYSE) & q_piloter,
                ancre="marche",
                phases=MARCHE,
            ),
            Attente(
                libelle="Notifier le marché à l'attributaire",
                q=q_fait(Fait.MARCHE_ATTRIBUE) & q_piloter,
                ancre="marche",
                phases=MARCHE,
            ),
            Attente(
                libelle="Préparer une nouvelle consultation ou classer le marché sans suite",
                q=q_fait(Fait.MARCHE_INFRUCTUEUX) & q_piloter,
                ancre="marche",
                phases=MARCHE,
            ),
        ]
    q_porter = q_permission(user, PORTER)
    if q_porter is not None and q_piloter is None:
        resultat += [
            Attente(
                libelle="Rédiger le CCTP avec le service pilote",
                q=q_fait(Fait.MARCHE_EN_PREPARATION) & q_porter,
                ancre="marche",
                phases=MARCHE,
            ),
            # The panel's own marks; the pilot's expectation already says « analyser ».
            Attente(
                libelle="Noter les offres avec le jury",
                q=q_fait(Fait.MARCHE_EN_ANALYSE) & q_porter,
                ancre="marche",
                phases=MARCHE,
            ),
        ]
    return [*resultat, *attentes_finances(user)]
