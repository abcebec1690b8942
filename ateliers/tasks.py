"""The ateliers' periodic jobs."""

from celery import shared_task

from ateliers.services import alertes


@shared_task(name="ateliers.alertes_lever", ignore_result=True)
def alertes_lever() -> tuple[int, int]:
    """Run by beat every night: raise the alerts whose cause appeared, clear the others."""
    return alertes.alertes_lever()
