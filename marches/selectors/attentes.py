"""What the marché subséquent expects of a user on each atelier (« à traiter »): the pilot
launches it, writes and publishes the CCTP, closes the analysis, attributes and notifies; the
panel writes the CCTP with them and marks the offers."""

from django.db.models import Q

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
                q=_ateliers_aux_marches(S.EN_PREPARATION) & q_piloter,
                ancre="marche",
                phases=MARCHE,
            ),
            Attente(
                libelle="Analyser les offres et attribuer le marché",
                q=_ateliers_aux_marches(S.EN_ANALYSE) & q_piloter,
                ancre="marche",
                phases=MARCHE,
            ),
            Attente(
                libelle="Notifier le marché à l'attributaire",
                q=_ateliers_aux_marches(S.ATTRIBUE) & q_piloter,
                ancre="marche",
                phases=MARCHE,
            ),
            Attente(
                libelle="Préparer une nouvelle consultation ou classer le marché sans suite",
                q=_ateliers_aux_marches(S.INFRUCTUEUX) & q_piloter,
                ancre="marche",
                phases=MARCHE,
            ),
        ]
    q_porter = q_permission(user, PORTER)
    if q_porter is not None and q_piloter is None:
        resultat += [
            Attente(
                libelle="Rédiger le CCTP avec le service pilote",
                q=_ateliers_aux_marches(S.EN_PREPARATION) & q_porter,
                ancre="marche",
                phases=MARCHE,
            ),
            # The panel's own marks; the pilot's expectation already says « analyser ».
            Attente(
                libelle="Noter les offres avec le jury",
                q=_ateliers_aux_marches(S.EN_ANALYSE) & q_porter,
                ancre="marche",
                phases=MARCHE,
            ),
        ]
    return [*resultat, *attentes_finances(user)]
