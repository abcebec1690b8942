"""E-mails delivered from the outbox, retried while the mail server cannot take them; the
nightly purge of personal data."""

from celery import shared_task
from django.core.mail import BadHeaderError

from comptes import services

# Seconds before each new attempt after a failure (1, 2, 4, 8 then 16 minutes, about half an
# hour in all); past the last one the e-mail is given up, in ECHEC, visible in the admin.
DELAIS_ENTRE_ESSAIS = (60, 120, 240, 480, 960)
# No wait can fix these: the e-mail is given up at the first failure.
ERREURS_DEFINITIVES = (BadHeaderError,)


@shared_task(
    bind=True,
    name="comptes.courriel_envoyer",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    max_retries=len(DELAIS_ENTRE_ESSAIS),
)
def courriel_envoyer(self, *, courriel_id):
    """Deliver one outbox e-mail, once however often it is queued; a failure is recorded on its
    row and retried after DELAIS_ENTRE_ESSAIS, then the e-mail ends in ECHEC."""
    try:
        services.courriel_envoyer(courriel_id=courriel_id)
    except Exception as exc:
        definitive = isinstance(exc, ERREURS_DEFINITIVES)
        dans = services.courriel_echouer(
            courriel_id=courriel_id,
            erreur=f"{type(exc).__name__} : {exc}",
            delais=() if definitive else DELAIS_ENTRE_ESSAIS,
        )
        # In-process (no broker) nothing can wait: the row stays pending, its error recorded.
        if dans is not None and not self.request.is_eager:
            raise self.retry(exc=exc, countdown=dans) from exc


@shared_task(name="comptes.courriels_relancer", ignore_result=True)
def courriels_relancer():
    """Run by beat every minute: pending e-mails whose queue message was lost are queued again."""
    return services.courriels_relancer()


@shared_task
def purger_donnees_personnelles() -> dict:
    """Apply the retention periods of the privacy notice; run every night by Celery beat."""
    return services.donnees_personnelles_purger()
