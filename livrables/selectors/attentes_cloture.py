"""What the clôture expects (« à traiter »): the pilot closes an atelier in its restitution
once its five livrables are validated and its restitution held."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from ateliers.models import PILOTER, Phase
from ateliers.selectors import Attente, q_permission
from ateliers.selectors.restitution import ateliers_restitution_tenue
from comptes.models import AnyUser
from livrables.models import Livrable, TypeLivrable

LIBELLE = "Clôturer l'atelier"


def ateliers_aux_cinq_livrables_valides() -> QuerySet[Livrable, dict[str, Any]]:
    """The ids of the ateliers whose five livrables are validated."""
    return (
        Livrable.objects.valides()
        .order_by()
        .values("atelier_id")
        .annotate(valides=Count("type", distinct=True))
        .filter(valides=len(TypeLivrable))
        .values("atelier_id")
    )


def attentes_cloture(user: AnyUser) -> list[Attente]:
    """The clôture, for the pilot, of the ateliers ready for it."""
    q_piloter = q_permission(user, PILOTER)
    if q_piloter is None:
        return []
    return [
        Attente(
            libelle=LIBELLE,
            q=Q(phase=Phase.RESTITUTION)
            & q_piloter
            & Q(pk__in=ateliers_aux_cinq_livrables_valides())
            & Q(pk__in=ateliers_restitution_tenue()),
            ancre="cloture",
            phases=frozenset([Phase.RESTITUTION]),
        )
    ]
