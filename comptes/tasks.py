"""E-mails sent outside the request, retried while the mail server cannot be reached."""

from smtplib import SMTPException

from celery import shared_task
from django.core.mail import send_mail

from comptes.validators import sur_une_ligne


@shared_task(autoretry_for=(SMTPException, OSError), max_retries=5, retry_backoff=True)
def envoyer_courriel(*, sujet: str, corps: str, destinataires: list[str]) -> None:
    """Send one plain-text e-mail from DEFAULT_FROM_EMAIL; retried with backoff on SMTP errors.
    The subject is put on one line, so that no stored title can make the message refused."""
    send_mail(sur_une_ligne(sujet), corps, None, destinataires, fail_silently=False)


@shared_task
def purger_donnees_personnelles() -> dict:
    """Apply the retention periods of the privacy notice; run every night by Celery beat."""
    from comptes.services import donnees_personnelles_purger

    return donnees_personnelles_purger()
