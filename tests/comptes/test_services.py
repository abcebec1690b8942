from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone

from ateliers.models import CodeAtelier, Evenement
from ateliers.services import journal_ecrire
from comptes.models import Organisation, Utilisateur
from comptes.services import SirenRefuse, collectivite_par_siren, donnees_personnelles_purger
from comptes.tasks import purger_donnees_personnelles
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.territoires.factories import EPCIFactory

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


# The collectivité named by a SIREN (a note's porteurs, at the dépôt).


def test_un_siren_connu_donne_sa_collectivite_sans_la_renommer():
    existante = OrganisationFactory(nom="Communauté du Val", siren="200000101")
    trouvee = collectivite_par_siren(siren="200 000 101", nom="CC du Val (ancien nom)")
    assert trouvee == existante
    assert Organisation.objects.get(pk=existante.pk).nom == "Communauté du Val"


@pytest.mark.parametrize(
    ("siren", "type_attendu"),
    [
        ("200000202", Organisation.Type.EPCI),
        ("214700792", Organisation.Type.COMMUNE),
        ("250000303", Organisation.Type.AUTRE_COLLECTIVITE),
    ],
)
def test_un_siren_inconnu_cree_la_collectivite_nommee_et_typee(siren, type_attendu):
    epci = EPCIFactory(siren="200000202", nom="CC du Val de Garonne")
    creee = collectivite_par_siren(siren=siren, nom="  Nom dans la note ")
    assert (creee.siren, creee.nom, creee.type) == (siren, "Nom dans la note", type_attendu)
    assert creee.departement == (epci.departement if type_attendu == "epci" else None)
    assert collectivite_par_siren(siren=siren, nom="Autre nom") == creee


def test_une_collectivite_sans_siren_connue_de_l_appelant_recoit_le_sien():
    sans = OrganisationFactory(nom="Commune de Meilhan", siren="", type="commune")
    autre = OrganisationFactory(nom="Commune de Meilhan", siren="")
    assert (
        collectivite_par_siren(siren="214701634", nom="commune de meilhan", sans_siren=[sans])
        == sans
    )
    assert Organisation.objects.get(pk=sans.pk).siren == "214701634"
    assert Organisation.objects.get(pk=autre.pk).siren == ""


@pytest.mark.parametrize(
    ("siren", "message"),
    [
        ("12 34", "Le SIREN « 1234 » de « X » ne compte pas exactement 9 chiffres."),
        (
            "300000404",
            "Le SIREN 300000404, indiqué pour « X », est dans le portail celui de « EPF » "
            "(Opérateur de l'État), qui n'est pas une collectivité.",
        ),
    ],
)
def test_un_siren_qui_ne_peut_nommer_une_collectivite_est_refuse(siren, message):
    OrganisationFactory(operateur=True, nom="EPF", siren="300000404")
    nombre = Organisation.objects.count()
    with pytest.raises(SirenRefuse) as refus:
        collectivite_par_siren(siren=siren, nom="X")
    assert str(refus.value) == message
    assert Organisation.objects.count() == nombre
