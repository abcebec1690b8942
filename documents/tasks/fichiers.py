"""Antivirus scans of uploaded files, run after the upload's commit."""

from celery import shared_task

from documents.models import FichierDepose
from documents.services.fichiers import (
    analyses_en_attente_relancer,
    fichier_analyser,
    fichiers_retires_effacer,
)

__all__ = [
    "analyses_en_attente_relancer_tache",
    "fichier_analyser_tache",
    "fichiers_retires_effacer_tache",
]


@shared_task(
    name="documents.fichier_analyser",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(ConnectionError,),
    max_retries=8,
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
)
def fichier_analyser_tache(fichier_id):
    """Scan one uploaded file; an unreachable clamd is retried eight times with growing delays
    (up to 30 minutes), then the file stays "en cours d'analyse" and is never served."""
    fichier = FichierDepose.objects.filter(pk=fichier_id).first()
    if fichier is not None:
        fichier_analyser(fichier=fichier)


@shared_task(name="documents.analyses_en_attente_relancer")
def analyses_en_attente_relancer_tache():
    """Run by Celery beat: scans left waiting are queued again."""
    return analyses_en_attente_relancer()


@shared_task(name="documents.fichiers_retires_effacer", ignore_result=True)
def fichiers_retires_effacer_tache():
    """Run by Celery beat every night: erase the bytes of files withdrawn past the grace period."""
    return fichiers_retires_effacer()
