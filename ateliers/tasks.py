"""The atelier's periodic jobs: each takes no instance, calls one service."""

from celery import shared_task

from ateliers.services import alertes
from ateliers.services.session_contenu import participants_purger


@shared_task(name="ateliers.alertes_lever", ignore_result=True)
def alertes_lever() -> tuple[int, int]:
    """Run by beat every night: raise the alerts whose cause appeared, clear the others."""
    return alertes.alertes_lever()


@shared_task(name="ateliers.participants_purger")
def purger_participants() -> int:
    """Nightly, with the accounts' purge: the persons invited to sessions long ended."""
    return participants_purger()
