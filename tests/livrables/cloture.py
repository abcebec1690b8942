"""An atelier ready to be closed, for the clôture's tests: in its restitution, its five
livrables validated, its restitution held."""

import datetime

from django.utils import timezone

from ateliers.models import Atelier, Phase, Restitution
from livrables.models import Livrable, TypeLivrable
from livrables.services import livrable_ouvrir
from portail.faits import faits_recalculer


def en_restitution(atelier: Atelier) -> Atelier:
    Atelier.objects.filter(pk=atelier.pk).update(phase=Phase.RESTITUTION)
    return Atelier.objects.get(pk=atelier.pk)


def valider(atelier: Atelier, *types: str) -> None:
    for type in types or TypeLivrable.values:
        livrable = livrable_ouvrir(atelier=atelier, type=type)
        Livrable.objects.filter(pk=livrable.pk).update(
            statut=Livrable.Statut.VALIDE,
            valide_le=timezone.now(),
            accord_dgaln_le=timezone.now() if type == TypeLivrable.LIVRET else None,
        )
    faits_recalculer([atelier.pk])  # an update() sends no signal


def tenir_la_restitution(atelier: Atelier, *, compte_rendu="La feuille de route adoptée.") -> None:
    Restitution.objects.update_or_create(
        atelier=atelier,
        defaults={
            "date": timezone.now() - datetime.timedelta(days=2),
            "lieu": "Mairie",
            "compte_rendu": compte_rendu,
        },
    )


def pret_a_clore(atelier: Atelier) -> Atelier:
    atelier = en_restitution(atelier)
    valider(atelier)
    tenir_la_restitution(atelier)
    return atelier
