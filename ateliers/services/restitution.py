"""The restitution's writes: recorded by the pilot and the groupement during the accompagnement;
its row is created by the first recording (ateliers/models/restitution.py says why)."""

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from ateliers.models import PHASES_ACCOMPAGNEMENT, Atelier, CodeRestitution, Restitution
from ateliers.services import (
    ActionImpossible,
    journal_ecrire,
    noms_des_champs,
    valeurs_appliquer,
)
from comptes.models import Utilisateur
from documents.models import FichierDepose
from documents.services import fichier_deposer, fichier_retirer
from documents.verification import Usage

MODIFIER = "ateliers.change_restitution"
CHAMPS = ("date", "lieu", "audience", "compte_rendu")


@transaction.atomic
def restitution_enregistrer(
    *,
    atelier: Atelier,
    par: Utilisateur,
    valeurs: dict,
    presentation: File | None = None,
) -> Restitution:
    """Record the restitution (date, lieu, public, presentation, compte-rendu), by the pilot or
    the groupement until the accompagnement ends; journalled with what changed."""
    if not par.has_perm(MODIFIER, Restitution(atelier=atelier)):
        raise PermissionDenied("Seuls le service pilote et le groupement titulaire la modifient.")
    atelier = Atelier.objects.select_for_update().get(pk=atelier.pk)
    if atelier.phase not in PHASES_ACCOMPAGNEMENT:
        raise ActionImpossible(
            f"L'atelier est à l'étape « {atelier.get_phase_display()} » : sa restitution ne se "
            "modifie plus."
        )
    restitution = Restitution.objects.select_for_update().filter(atelier=atelier).first()
    if restitution is None:
        restitution = Restitution(atelier=atelier)
    changes = valeurs_appliquer(objet=restitution, valeurs=valeurs, champs=CHAMPS)
    if not changes and presentation is None:
        return restitution
    restitution.modifie_le, restitution.modifie_par = timezone.now(), par
    restitution.save()
    if presentation is not None:
        if restitution.presentation_id:
            fichier_retirer(fichier=FichierDepose(pk=restitution.presentation_id))
        restitution.presentation = fichier_deposer(
            fichier=presentation, par=par, proprietaire=restitution, usage=Usage.PIECE_MARCHE
        )
        restitution.save(update_fields=["presentation"])
        changes.append("presentation")
    noms = ", ".join(noms_des_champs(restitution, changes))
    journal_ecrire(
        code=CodeRestitution.ENREGISTREE,
        objet=restitution,
        atelier=atelier,
        par=par,
        libelle="Restitution enregistrée",
        commentaire=f"Modifié : {noms}.",
    )
    return restitution
