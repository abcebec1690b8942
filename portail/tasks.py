"""The portal's periodic jobs over every stage: each takes no instance, calls one function."""

from celery import shared_task

from portail import faits


@shared_task(name="portail.faits_recalculer", ignore_result=True)
def faits_recalculer() -> int:
    """Every five minutes: the facts of the whole programme, where a race left one stale."""
    return faits.faits_recalculer()
