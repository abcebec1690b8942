"""The atelier's periodic jobs: each takes no instance, calls one service."""

from celery import shared_task

from ateliers.services.session_contenu import participants_purger


@shared_task(name="ateliers.participants_purger")
def purger_participants() -> int:
    """Nightly, with the accounts' purge: the persons invited to sessions long ended."""
    return participants_purger()
