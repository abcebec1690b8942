"""What several writes on a candidature share: e-mail links, the locked row, the checks that
`par` writes the note and that a piece may still be written, the withdrawal of files no longer
used."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied

from ateliers.models import Atelier
from ateliers.services import (
    ActionImpossible,
)
from candidatures.models import (
    Candidature,
)
from candidatures.rules import porteur_de_la_candidature
from candidatures.selectors import (
    fichiers_des_versions,
)
from comptes.liens import lien_absolu as _lien_vers
from comptes.models import Utilisateur
from documents.models import FichierDepose
from documents.services import fichier_retirer


def _lien(atelier: Atelier) -> str:
    return _lien_vers("portail:atelier", atelier.pk)


def _candidature_verrouillee(candidature: Candidature) -> Candidature:
    return Candidature.objects.select_related("atelier").select_for_update().get(pk=candidature.pk)


def _refuser_si_non_redacteur(candidature: Candidature, par: Utilisateur, message: str) -> None:
    """Refuse `par` unless they carry the atelier: the role half of
    `candidatures.rediger_candidature`; its other half, the candidature still open, is
    _refuser_si_non_modifiable's, which says to the porteurs why it is closed."""
    if not porteur_de_la_candidature(par, candidature):
        raise PermissionDenied(message)


def _refuser_si_non_modifiable(candidature: Candidature, cle: str) -> None:
    """Refuse a write on the part (slug) or letter (type) `cle` the candidature keeps closed."""
    if candidature.piece_modifiable(cle):
        return
    if candidature.statut == Candidature.Statut.COMPLEMENTS_DEMANDES:
        raise ActionImpossible(
            "Seules les pièces demandées en complément par la DGALN sont modifiables."
        )
    raise ActionImpossible(
        f"La candidature est « {candidature.get_statut_display()} » : elle n'est plus modifiable."
    )


def _retirer(candidature: Candidature, fichiers: Iterable[FichierDepose | None]) -> None:
    """Take out of use the files a part or a letter no longer points at, except those a
    deposited version names: they stay what DGALN received."""
    a_retirer = [f for f in fichiers if f is not None]
    if not a_retirer:
        return
    deposes = fichiers_des_versions([candidature.pk])
    for fichier in a_retirer:
        if fichier.pk not in deposes:
            fichier_retirer(fichier=fichier)
