"""Writes on accounts that are not a user's own action."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from comptes.models import Utilisateur

# The durations promised on the « Données personnelles » page.
CONSERVATION_COMPTE = timedelta(days=2 * 365)
CONSERVATION_JOURNAL_CONNEXIONS = timedelta(days=365)


# An erased account keeps its row, so the journal lines it wrote still point to it.
DOMAINE_COMPTE_EFFACE = "supprime.invalid"


@transaction.atomic
def donnees_personnelles_purger(*, maintenant=None):
    """Erase what the privacy notice says is kept no longer: old login traces and idle accounts.

    Accounts unused for two years are deleted; one that the journal or a deposited dossier
    names (who acted, who deposited) is emptied of the person instead, as the journal is never
    rewritten. Administrators are never erased automatically.
    """
    maintenant = maintenant or timezone.now()
    fin_blocage = maintenant - settings.AXES_COOLOFF_TIME
    limite_compte = maintenant - CONSERVATION_COMPTE
    comptes = (
        Utilisateur.objects.filter(is_staff=False)
        .filter(
            Q(last_login__lt=limite_compte)
            | Q(last_login__isnull=True, date_joined__lt=limite_compte)
        )
        .exclude(email__endswith=f"@{DOMAINE_COMPTE_EFFACE}")
    )
    supprimes = anonymises = 0
    for compte in comptes:
        try:
            with transaction.atomic():
                compte.delete()
            supprimes += 1
        except ProtectedError:
            _compte_effacer(compte)
            anonymises += 1
    return {
        "tentatives": AccessAttempt.objects.filter(attempt_time__lt=fin_blocage).delete()[0],
        "echecs": AccessFailureLog.objects.filter(attempt_time__lt=fin_blocage).delete()[0],
        "connexions": AccessLog.objects.filter(
            attempt_time__lt=maintenant - CONSERVATION_JOURNAL_CONNEXIONS
        ).delete()[0],
        "comptes": supprimes,
        "comptes_anonymises": anonymises,
    }


def _compte_effacer(compte):
    compte.email = f"compte-{compte.pk}@{DOMAINE_COMPTE_EFFACE}"
    compte.prenom, compte.nom, compte.telephone = "", "Compte supprimé", ""
    compte.is_active = False
    compte.set_unusable_password()
    compte.save()
    compte.adhesions.all().delete()


@transaction.atomic
def utilisateurs_desactiver(*, utilisateurs, par):
    """Close accounts without deleting them: they can no longer log in (an open session ends at
    its next request) and the journal and the dossiers keep their names. Never `par`'s own."""
    if not par.has_perm("comptes.change_utilisateur"):
        raise PermissionDenied("Seul un administrateur désactive un compte.")
    comptes = list(
        Utilisateur.objects.select_for_update()
        .filter(pk__in=[u.pk for u in utilisateurs], is_active=True)
        .exclude(pk=par.pk)
    )
    Utilisateur.objects.filter(pk__in=[c.pk for c in comptes]).update(is_active=False)
    return comptes
