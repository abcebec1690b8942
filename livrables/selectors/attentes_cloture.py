"""What the clôture expects (« à traiter »): the pilot closes an atelier in its restitution
once its five livrables are validated and its restitution held."""

from django.db.models import Count, Exists, OuterRef, Q

from ateliers.faits import DefinitionFait, Fait, q_fait
from ateliers.models import PILOTER, Phase
from ateliers.selectors import Attente, q_ateliers_avec, q_permission
from ateliers.selectors.restitution import restitutions_tenues
from comptes.models import AnyUser
from livrables.models import Livrable, TypeLivrable

LIBELLE = "Clôturer l'atelier"


def aux_cinq_livrables_valides() -> Q:
    """A filter on Atelier: those whose five livrables are validated (counted for each atelier
    PostgreSQL meets, not for every atelier of the programme)."""
    valides = (
        Livrable.objects.valides()
        .filter(atelier_id=OuterRef("pk"))
        .order_by()
        .values("atelier_id")
        .annotate(valides=Count("type", distinct=True))
        .filter(valides=len(TypeLivrable))
    )
    return Q(Exists(valides))


def faits_cloture() -> list[DefinitionFait]:
    """The clôture's fact: the atelier's five livrables validated (its restitution held is
    asked when read: its date passing is enough)."""
    return [
        DefinitionFait(
            Fait.CINQ_LIVRABLES_VALIDES, aux_cinq_livrables_valides, {Livrable: "atelier_id"}
        )
    ]


def attentes_cloture(user: AnyUser) -> list[Attente]:
    """The clôture, for the pilot, of the ateliers ready for it."""
    q_piloter = q_permission(user, PILOTER)
    if q_piloter is None:
        return []
    return [
        Attente(
            libelle=LIBELLE,
            q=q_piloter
            & q_fait(Fait.CINQ_LIVRABLES_VALIDES)
            & q_ateliers_avec(restitutions_tenues()),
            ancre="cloture",
            phases=frozenset([Phase.RESTITUTION]),
        )
    ]
