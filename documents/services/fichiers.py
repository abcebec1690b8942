"""Uploads: a file is checked by its content, stored under a random name and, when the
antivirus is on, kept from everyone until clamd has declared it clean."""

import hashlib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from documents import antivirus
from documents.models import FichierDepose
from documents.verification import Verification, nettoyer_nom, verifier

__all__ = ["analyses_en_attente_relancer", "fichier_analyser", "fichier_deposer"]


@transaction.atomic
def fichier_deposer(*, fichier, par, proprietaire, usage) -> FichierDepose:
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


def _mettre_en_analyse(fichier_id):
    # Imported here: the tasks module imports this one.
    from documents.tasks.fichiers import fichier_analyser_tache

    fichier_analyser_tache.delay(fichier_id=fichier_id)


@transaction.atomic
def fichier_analyser(*, fichier) -> FichierDepose:
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
        transaction.on_commit(lambda: stockage.delete(nom))
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
