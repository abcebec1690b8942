"""The marchés' periodic work: closing the rounds whose deadline has passed."""

from celery import shared_task

from marches.services.consultation import consultations_echues_clore

__all__ = ["consultations_echues_clore_tache"]


@shared_task(name="marches.consultations_echues_clore", ignore_result=True)
def consultations_echues_clore_tache():
    """Run by Celery beat every few minutes: each round past its deadline goes to analysis and
    its pilot is told; a round already closed is skipped."""
    return consultations_echues_clore()
