"""The signed letters: deposited or replaced, and their models asked for."""

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from ateliers.services import (
    journal_ecrire,
)
from candidatures.models import (
    Candidature,
    CodeCandidature,
    Courrier,
)
from candidatures.selectors import (
    courriers_actuels,
    donnees_courriers,
    gabarit_courrier,
    version_courrier,
)
from candidatures.services._commun import (
    _candidature_verrouillee,
    _refuser_si_non_modifiable,
    _refuser_si_non_redacteur,
    _retirer,
)
from comptes.models import Utilisateur
from documents.models import Document
from documents.services import document_demander, fichier_deposer
from documents.verification import Usage


@transaction.atomic
def courrier_deposer(
    *, candidature: Candidature, type_courrier: str, fichier: UploadedFile, par: Utilisateur
) -> Courrier:
    """Store a signed letter (a checked PDF) while the candidature is being drafted; the letter
    it replaces is kept, dated, its file no longer served unless a deposited version holds it,
    and the journal says which one was deposited or replaced."""
    _refuser_si_non_redacteur(
        candidature, par, "Seuls les porteurs de l'atelier déposent les courriers signés."
    )
    candidature = _candidature_verrouillee(candidature)
    type_courrier = Courrier.Type(type_courrier)
    _refuser_si_non_modifiable(candidature, type_courrier)
    precedent = courriers_actuels(candidature).get(type_courrier)
    depose = fichier_deposer(
        fichier=fichier, par=par, proprietaire=candidature, usage=Usage.COURRIER_SIGNE
    )
    maintenant = timezone.now()
    if precedent is not None:
        precedent.remplace_le = maintenant
        precedent.save(update_fields=["remplace_le"])
        _retirer(candidature, [precedent.fichier])
    courrier = Courrier.objects.create(
        candidature=candidature,
        type=type_courrier,
        fichier=depose,
        depose_le=maintenant,
        depose_par=par,
    )
    journal_ecrire(
        code=CodeCandidature.COURRIER_REMPLACE if precedent else CodeCandidature.COURRIER_DEPOSE,
        objet=courrier,
        atelier=candidature.atelier,
        par=par,
        libelle=f"{type_courrier.label} {'remplacée' if precedent else 'déposée'}",
        commentaire=f"Fichier « {depose.nom_original} »"
        + (f", à la place de « {precedent.fichier.nom_original} »" if precedent else ""),
    )
    return courrier


def courrier_demander_modele(
    *, candidature: Candidature, type_courrier: str, par: Utilisateur
) -> Document:
    """Ask for the model letter of this type, pre-filled from the note as it stands now;
    rendered once per state of the data it prints."""
    if not par.has_perm("candidatures.view_candidature", candidature):
        raise PermissionDenied("Vous ne pouvez pas voir cette candidature.")
    type_courrier = Courrier.Type(type_courrier)
    donnees = donnees_courriers(candidature)
    return document_demander(
        source=candidature,
        gabarit=gabarit_courrier(type_courrier),
        contexte="candidatures.pdf.contexte_courrier",
        titre=f"Modèle — {type_courrier.label} — {candidature.atelier.reference}",
        version=version_courrier(donnees),
        par=par,
    )
