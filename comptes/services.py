"""Writes on accounts that are not a user's own action."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from comptes.models import Utilisateur

# The durations promised on the « Données personnelles » page.
CONSERVATION_COMPTE = timedelta(days=2 * 365)
CONSERVATION_JOURNAL_CONNEXIONS = timedelta(days=365)


@transaction.atomic
def donnees_personnelles_purger(*, maintenant=None):
    """Erase what the privacy notice says is kept no longer: old login traces and idle accounts.

    Accounts unused for two years are deleted; the ateliers' journal keeps its entries, without
    the person (the organisation stays). Administrators are never deleted automatically.
    """
    maintenant = maintenant or timezone.now()
    fin_blocage = maintenant - settings.AXES_COOLOFF_TIME
    limite_compte = maintenant - CONSERVATION_COMPTE
    comptes = Utilisateur.objects.filter(is_staff=False).filter(
        Q(last_login__lt=limite_compte) | Q(last_login__isnull=True, date_joined__lt=limite_compte)
    )
    return {
        "tentatives": AccessAttempt.objects.filter(attempt_time__lt=fin_blocage).delete()[0],
        "echecs": AccessFailureLog.objects.filter(attempt_time__lt=fin_blocage).delete()[0],
        "connexions": AccessLog.objects.filter(
            attempt_time__lt=maintenant - CONSERVATION_JOURNAL_CONNEXIONS
        ).delete()[0],
        "comptes": comptes.delete()[1].get("comptes.Utilisateur", 0),
    }
