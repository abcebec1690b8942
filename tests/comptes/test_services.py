from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone

from ateliers.models import CodeAtelier, Evenement
from ateliers.services import journal_ecrire
from comptes.models import Utilisateur
from comptes.services import donnees_personnelles_purger
from comptes.tasks import purger_donnees_personnelles
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def _trace(model, quand, username="x", **extra):
    trace = model.objects.create(
        user_agent="test",
        ip_address="127.0.0.1",
        username=username,
        http_accept="*/*",
        path_info="/compte/connexion/",
        **extra,
    )
    model.objects.filter(pk=trace.pk).update(attempt_time=quand)


def test_la_purge_tient_les_durees_promises():
    maintenant = timezone.now()
    _trace(AccessAttempt, maintenant - timedelta(minutes=16), failures_since_start=2)
    _trace(AccessAttempt, maintenant - timedelta(minutes=5), username="y", failures_since_start=1)
    _trace(AccessFailureLog, maintenant - timedelta(minutes=16))
    _trace(AccessLog, maintenant - timedelta(days=366))
    _trace(AccessLog, maintenant - timedelta(days=200))
    ancien = UtilisateurFactory(last_login=maintenant - timedelta(days=731))
    jamais_venu = UtilisateurFactory(date_joined=maintenant - timedelta(days=800))
    actif = UtilisateurFactory(last_login=maintenant - timedelta(days=30))
    admin = UtilisateurFactory(is_staff=True, last_login=maintenant - timedelta(days=1000))
    a_agi = UtilisateurFactory(last_login=maintenant - timedelta(days=731), telephone="0601")
    atelier = AtelierFactory()
    journal_ecrire(
        code=CodeAtelier.OUVERT, objet=atelier, par=a_agi, libelle="Pré-candidature ouverte"
    )

    assert donnees_personnelles_purger(maintenant=maintenant) == {
        "tentatives": 1,
        "echecs": 1,
        "connexions": 1,
        "comptes": 2,
        "comptes_anonymises": 1,
    }
    assert set(Utilisateur.objects.all()) == {actif, admin, a_agi}
    assert not Utilisateur.objects.filter(pk__in=[ancien.pk, jamais_venu.pk]).exists()
    # The journal is never rewritten: its line keeps the account, emptied of the person.
    evenement = Evenement.objects.get()
    assert evenement.par == a_agi and evenement.libelle == "Pré-candidature ouverte"
    a_agi.refresh_from_db()
    assert str(a_agi) == "Compte supprimé" and a_agi.email == f"compte-{a_agi.pk}@supprime.invalid"
    assert (a_agi.prenom, a_agi.telephone, a_agi.is_active) == ("", "", False)
    assert not a_agi.has_usable_password() and not a_agi.adhesions.exists()
    assert AccessAttempt.objects.count() == 1 and AccessLog.objects.count() == 1
    assert donnees_personnelles_purger(maintenant=maintenant)["comptes_anonymises"] == 0


def test_la_tache_de_purge_est_planifiee_chaque_nuit(settings):
    planif = settings.CELERY_BEAT_SCHEDULE["purger-donnees-personnelles"]
    assert planif["task"] == purger_donnees_personnelles.name
    assert purger_donnees_personnelles.delay().get() == {
        "tentatives": 0,
        "echecs": 0,
        "connexions": 0,
        "comptes": 0,
        "comptes_anonymises": 0,
    }
