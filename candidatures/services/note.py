"""Saving a part of the note d'opportunité: its fields, its blocks' rows, its files."""

import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from candidatures.models import (
    PARTIE_DU_MODELE,
    Candidature,
    PartieNote,
)
from candidatures.selectors import (
    fichiers_de_la_candidature,
)
from candidatures.services._commun import (
    _refuser_si_non_modifiable,
    _refuser_si_non_redacteur,
    _retirer,
)
from comptes.models import Utilisateur
from documents.models import FichierDepose
from documents.services import fichier_deposer
from documents.verification import Verification, verifier


def _deposer(
    fichier: UploadedFile, usage: str, candidature: Candidature, par: Utilisateur
) -> tuple[FichierDepose, Verification]:
    """Store an upload for the candidature, whose readers are the file's readers; the form
    usually checked it already (FichierField), else it is checked here."""
    verification = getattr(fichier, "verification", None)
    if not isinstance(verification, Verification) or verification.usage != usage:
        verification = verifier(fichier, usage=usage)
        # Kept on the upload, where FichierField puts it: fichier_deposer checks it only once.
        fichier.verification = verification  # type: ignore[attr-defined]
    depose = fichier_deposer(fichier=fichier, par=par, proprietaire=candidature, usage=usage)
    return depose, verification


def _attacher(
    partie: PartieNote, nom: str, valeur: object, candidature: Candidature, par: Utilisateur
) -> None:
    """A file field: an upload replaces the file, None withdraws it."""
    ancien = getattr(partie, nom)
    if valeur is None:
        partie.attacher_fichier(nom, None, None)
    elif isinstance(valeur, UploadedFile):
        depose, verification = _deposer(valeur, partie.FICHIERS[nom], candidature, par)
        partie.attacher_fichier(nom, depose, verification)
    else:
        raise TypeError(f"{nom} : un fichier téléversé ou None est attendu.")
    _retirer(candidature, [ancien])


def _lignes_avec_fichiers(
    partie: PartieNote,
    nom: str,
    lignes: list[dict[str, Any]],
    candidature: Candidature,
    par: Utilisateur,
) -> list[dict[str, Any]]:
    """The rows of a block, each upload deposited and replaced by its uuid; a uuid kept from
    an earlier save stays only if it is one of this candidature's files."""
    fichiers = fichiers_de_la_candidature(candidature.pk)
    gardes = {
        str(u)
        for u in fichiers.filter(
            uuid__in=[v for ligne in lignes for v in ligne.values() if _est_uuid(v)]
        ).values_list("uuid", flat=True)
    }
    resultat = []
    for ligne in lignes:
        ligne = dict(ligne)
        for cle, valeur in ligne.items():
            if isinstance(valeur, UploadedFile):
                depose, _ = _deposer(valeur, partie.FICHIERS[nom], candidature, par)
                ligne[cle] = str(depose.uuid)
            elif _est_uuid(valeur) and valeur not in gardes:
                ligne[cle] = ""
        resultat.append(ligne)
    apres = {v for ligne in resultat for v in ligne.values() if _est_uuid(v)}
    avant = {v for ligne in getattr(partie, nom) for v in ligne.values() if _est_uuid(v)}
    _retirer(candidature, fichiers.filter(uuid__in=avant - apres))
    return resultat


def _est_uuid(valeur: object) -> bool:
    try:
        return isinstance(valeur, str) and str(uuid.UUID(valeur)) == valeur
    except ValueError:
        return False


def _sauver_partie(partie: PartieNote, multiples: dict[str, Any]) -> None:
    """Save a part and its many-to-many values as ONE history record: left alone,
    simple_history would write one for the row and one more for each many-to-many change."""
    # simple_history's switches on the instance, unknown to the stubs (here and below).
    partie.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        if partie.pk is None:
            partie.save()
        for nom, valeurs in multiples.items():
            getattr(partie, nom).set(valeurs)
    finally:
        del partie.skip_history_when_saving  # type: ignore[attr-defined]
    partie.save()


class ConflitDeVersion(Exception):
    """Someone saved this part since the user loaded it; `actuelle` is what is saved now."""

    def __init__(self, actuelle: PartieNote) -> None:
        super().__init__("Cette partie a été modifiée entre-temps.")
        self.actuelle = actuelle


@transaction.atomic
def partie_enregistrer(
    *, partie: PartieNote, champs: dict[str, Any], version_lue: int, par: Utilisateur
) -> PartieNote:
    """Save a part of the note as a draft (complete or not) if nobody saved it since
    `version_lue`; otherwise raise ConflitDeVersion and change nothing. Its history keeps who
    changed what and when."""
    candidature = Candidature.objects.select_related("atelier").get(pk=partie.candidature_id)
    _refuser_si_non_redacteur(candidature, par, "Seuls les porteurs de l'atelier rédigent la note.")
    partie = type(partie)._default_manager.select_for_update().get(pk=partie.pk)
    _refuser_si_non_modifiable(candidature, PARTIE_DU_MODELE[type(partie)].slug)
    if partie.version != version_lue:
        raise ConflitDeVersion(partie)
    multiples = {}
    for nom, valeur in champs.items():
        if partie._meta.get_field(nom).many_to_many:
            multiples[nom] = valeur
        elif nom in partie.FICHIERS and isinstance(valeur, list):
            setattr(partie, nom, _lignes_avec_fichiers(partie, nom, valeur, candidature, par))
        elif nom in partie.FICHIERS:
            _attacher(partie, nom, valeur, candidature, par)
        else:
            setattr(partie, nom, valeur)
    partie.version += 1
    partie.modifie_le, partie.modifie_par = timezone.now(), par
    partie._history_user = par  # type: ignore[attr-defined]
    _sauver_partie(partie, multiples)
    return partie
