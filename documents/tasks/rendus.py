"""Celery tasks of the PDF pipeline: they take ids and call documents.services.rendus.

`document_rendre` runs on the "pdf" queue (CELERY_TASK_ROUTES). Its message is acknowledged
only once the render is over and goes back to the queue if its worker dies; a render that keeps
failing is retried a bounded number of times, then the document ends in ECHEC.
"""

from celery import shared_task
from celery.signals import task_postrun
from celery.utils.time import get_exponential_backoff_interval
from django.template import TemplateDoesNotExist, TemplateSyntaxError

from documents import services
from documents.rendu import collecter_et_geler

__all__ = ["collecter_apres_le_rendu", "document_rendre", "rendus_bloques_relancer"]

# No retry can fix these: the document goes to ECHEC at the first failure.
ERREURS_DEFINITIVES = (TemplateDoesNotExist, TemplateSyntaxError, services.RenduImpossible)


def _erreur(exc):
    return f"{type(exc).__name__} : {exc}"


@shared_task(
    bind=True,
    name="documents.document_rendre",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=150,
    max_retries=3,
    ignore_result=True,
)
def document_rendre(self, *, document_id):
    """Render one document, idempotently; retried `max_retries` times, then ECHEC."""
    try:
        services.document_rendre(document_id=document_id)
    except ERREURS_DEFINITIVES as exc:
        services.document_echouer(document_id=document_id, erreur=_erreur(exc))
        raise
    except Exception as exc:
        tentative = self.request.retries
        if tentative >= self.max_retries:
            services.document_echouer(document_id=document_id, erreur=_erreur(exc))
            raise
        if self.request.is_eager:
            # Without a broker, Celery's eager mode re-raises a retry instead of running it
            # (task_eager_propagates): the next attempt runs here, at once.
            return self.apply(
                kwargs={"document_id": document_id}, retries=tentative + 1, throw=True
            ).get()
        raise self.retry(
            exc=exc,
            countdown=get_exponential_backoff_interval(
                factor=5, retries=tentative, maximum=120, full_jitter=True
            ),
        ) from exc


@shared_task(name="documents.rendus_bloques_relancer", ignore_result=True)
def rendus_bloques_relancer():
    """Re-queue the renders whose worker was lost; run by beat every minute."""
    return services.rendus_bloques_relancer()


@task_postrun.connect
def collecter_apres_le_rendu(sender=None, **kwargs):
    """In a worker, between two renders: the collection paused during the render
    (documents.rendu.collecteur_en_pause), then the warm-up frozen after the first one. A render
    run in the web process (no broker) leaves the collector to its own schedule."""
    if sender is not None and sender.name == document_rendre.name and not sender.request.is_eager:
        collecter_et_geler()
