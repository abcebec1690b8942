"""Uploads: a file is checked by its content, stored under a random name and, when the
antivirus is on, kept from everyone until clamd has declared it clean."""

import hashlib
import logging
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import File
from django.db import models, transaction
from django.utils import timezone

from config.celery import publier_sans_attendre
from documents import antivirus
from documents.models import DOSSIER_FICHIERS, AnnexeDocument, FichierDepose
from documents.references import fichiers_gardes
from documents.verification import Verification, nettoyer_nom, verifier

if TYPE_CHECKING:
    from comptes.models import Utilisateur

__all__ = [
    "analyses_en_attente_relancer",
    "fichier_analyser",
    "fichier_deposer",
    "fichier_retirer",
    "fichiers_retires_effacer",
]

logger = logging.getLogger(__name__)


@transaction.atomic
def fichier_deposer(
    *, fichier: File, par: "Utilisateur | None", proprietaire: models.Model, usage: str
) -> FichierDepose:
    """Store `fichier` for `proprietaire` once its content passed the checks for `usage`
    (ValidationError otherwise); with the antivirus on, it waits for a scan queued after commit."""
    verification = getattr(fichier, "verification", None)
    # FichierField already checked this very upload: checking twice would only double the cost.
    if not isinstance(verification, Verification) or verification.usage != usage:
        verification = verifier(fichier, usage=usage)
    empreinte = hashlib.sha256()
    for morceau in fichier.chunks():
        empreinte.update(morceau)
    depose = FichierDepose(
        nom_original=nettoyer_nom(fichier.name or ""),
        extension=verification.extension,
        taille=fichier.size,
        type_contenu=verification.type_contenu,
        sha256=empreinte.hexdigest(),
        depose_par=par,
        proprietaire=proprietaire,
    )
    antivirus_actif = bool(settings.DOCUMENTS_CLAMD)
    if antivirus_actif:
        depose.soumettre_a_l_analyse()
    depose.fichier.save(f"fichier{depose.extension}", fichier, save=False)
    try:
        depose.save()
    except Exception:
        depose.fichier.delete(save=False)
        raise
    if antivirus_actif:
        # robust: a broker outage must not turn a stored upload into an error page; the file
        # simply stays "en cours d'analyse".
        transaction.on_commit(partial(_mettre_en_analyse, depose.pk), robust=True)
    return depose


def _mettre_en_analyse(fichier_id: int) -> None:
    # Imported here: the tasks module imports this one.
    from documents.tasks.fichiers import fichier_analyser_tache

    publier_sans_attendre(fichier_analyser_tache, [{"fichier_id": fichier_id}])


@transaction.atomic
def fichier_analyser(*, fichier: FichierDepose) -> FichierDepose:
    """Give a waiting file clamd's verdict: a clean file becomes downloadable, an infected one
    is never served and its bytes are deleted once the verdict is saved."""
    fichier = FichierDepose.objects.select_for_update().get(pk=fichier.pk)
    if fichier.analyse != FichierDepose.Analyse.EN_COURS:
        return fichier
    with fichier.fichier.open("rb") as flux:
        verdict = antivirus.analyser(flux)
    if verdict.sain:
        fichier.declarer_sain()
    else:
        fichier.declarer_infecte(resultat=verdict.detail[:255])
        stockage, nom = fichier.fichier.storage, fichier.fichier.name
        fichier.fichier = ""
        if nom:  # the file was just read: it has a name
            transaction.on_commit(partial(stockage.delete, nom))
    fichier.save()
    return fichier


def analyses_en_attente_relancer() -> int:
    """Queue again the scans of files still waiting long after their upload (clamd or the
    broker was down past the task's retries); their count. A file scanned twice is harmless:
    the second scan finds it decided and stops."""
    depuis = timezone.now() - timedelta(hours=settings.DOCUMENTS_ANALYSE_RELANCE_HEURES)
    ids = list(
        FichierDepose.objects.filter(
            analyse=FichierDepose.Analyse.EN_COURS, depose_le__lt=depuis
        ).values_list("pk", flat=True)
    )
    for fichier_id in ids:
        transaction.on_commit(partial(_mettre_en_analyse, fichier_id), robust=True)
    return len(ids)


@transaction.atomic
def fichier_retirer(*, fichier: FichierDepose) -> FichierDepose:
    """Take a file out of use (its owner replaced or withdrew it): its download answers 404 at
    once, and the nightly clean-up erases its bytes after the grace period."""
    fichier = FichierDepose.objects.select_for_update().get(pk=fichier.pk)
    if fichier.retire_le is None:
        fichier.retirer()
        fichier.save(update_fields=["retire_le"])
    return fichier


def fichiers_retires_effacer() -> int:
    """Erase the bytes of the files withdrawn for longer than DOCUMENTS_FICHIERS_RETIRES_JOURS
    that nothing needs any more (no document embeds them, no app's gardien keeps them), then
    the stored bytes that no row names (an upload whose transaction was rolled back) older
    than that; their count. Rows stay: the journal and the courriers name them."""
    limite = timezone.now() - timedelta(days=settings.DOCUMENTS_FICHIERS_RETIRES_JOURS)
    candidats = FichierDepose.objects.a_effacer(limite).exclude(
        pk__in=AnnexeDocument.objects.values("fichier")
    )
    gardes = fichiers_gardes(candidats)
    nombre = 0
    for fichier_id in candidats.exclude(pk__in=gardes).values_list("pk", flat=True):
        with transaction.atomic():
            fichier = (
                FichierDepose.objects.select_for_update().a_effacer(limite).filter(pk=fichier_id)
            ).first()
            if fichier is None:
                continue
            stockage, nom = fichier.fichier.storage, fichier.fichier.name
            fichier.fichier = ""
            fichier.save(update_fields=["fichier"])
            transaction.on_commit(partial(stockage.delete, nom))
        nombre += 1
    return nombre + _orphelins_effacer(limite)


def _orphelins_effacer(limite: datetime) -> int:
    """Erase the files under `fichiers/` older than `limite` that no FichierDepose names."""
    stockage = FichierDepose._meta.get_field("fichier").storage
    racine = DOSSIER_FICHIERS
    if not stockage.exists(racine):
        return 0
    anciens = []
    for dossier in stockage.listdir(racine)[0]:
        for nom in stockage.listdir(f"{racine}/{dossier}")[1]:
            chemin = f"{racine}/{dossier}/{nom}"
            if stockage.get_modified_time(chemin) < limite:
                anciens.append(chemin)
    nommes = set(
        FichierDepose.objects.filter(fichier__in=anciens).values_list("fichier", flat=True)
    )
    orphelins = [chemin for chemin in anciens if chemin not in nommes]
    for chemin in orphelins:
        logger.warning("Fichier déposé sans ligne en base, effacé : %s", chemin)
        stockage.delete(chemin)
    return len(orphelins)
