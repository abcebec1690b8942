"""The facts kept on each atelier (ateliers/faits.py, portail/faits.py): one definition for each
bit; the bits follow every save and delete of the objects they read, through the services as
through a factory; a stale copy of the atelier never writes them back; what bypassed the
signals (an update()) is repaired by the recalculation after `migrate` and by beat's."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from ateliers.faits import Fait, q_fait
from ateliers.models import Atelier
from marches.models import Jalon, MarcheSubsequent, Tranche
from marches.services import TrancheSaisie, execution_ouvrir, paiement_enregistrer
from portail import tasks
from portail.faits import DEFINITIONS, SOURCES, faits_recalculer
from tests.candidatures.factories import CandidatureFactory
from tests.comptes.factories import UtilisateurFactory
from tests.marches.factories import MarcheFactory
from tests.marques import sur_postgres

pytestmark = pytest.mark.django_db

S = MarcheSubsequent.Statut


def stockes(atelier):
    return Fait(Atelier.objects.get(pk=atelier.pk).faits)


def vrais(atelier):
    """What each definition says of the atelier, asked of its objects now."""
    resultat = Fait(0)
    for d in DEFINITIONS:
        if Atelier.objects.filter(d.filtre(), pk=atelier.pk).exists():
            resultat |= d.fait
    return resultat


def test_chaque_fait_a_une_definition_et_une_seule():
    definis = [d.fait for d in DEFINITIONS]
    assert sorted(definis) == sorted(Fait)
    assert all(d.sources for d in DEFINITIONS)
    assert SOURCES[Tranche] == ("execution.marche.atelier_id", Fait.TRANCHE_EXIGIBLE)


def test_les_faits_suivent_les_services_de_l_execution_financiere():
    marche = MarcheFactory(statut=S.NOTIFIE, notifie_le=datetime.date(2026, 3, 2))
    atelier = marche.atelier
    assert stockes(atelier) == vrais(atelier) == Fait.MARCHE_NOTIFIE_SANS_EXECUTION
    pilote = UtilisateurFactory(organisations=[atelier.service_pilote])
    execution = execution_ouvrir(
        marche=marche,
        par=pilote,
        tranches=[
            TrancheSaisie("Avance", Jalon.AVANCE, Decimal(30)),
            TrancheSaisie("Fin", Jalon.LIVRABLES_FINAUX, Decimal(70)),
        ],
        montant_ht=Decimal("95000.00"),
        montant_tva=Decimal("19000.00"),
        montant_ttc=Decimal("114000.00"),
        numero_ej="2101234567",
        duree_mois=12,
    )
    # The execution open (its own save), its advance due (the tranche's save).
    assert stockes(atelier) == vrais(atelier) == Fait.TRANCHE_EXIGIBLE
    avance = Tranche.objects.get(execution=execution, jalon=Jalon.AVANCE)
    paiement_enregistrer(
        tranche=avance,
        par=pilote,
        date_service_fait=datetime.date(2026, 3, 10),
        date_mandatement=datetime.date(2026, 3, 10),
        montant=avance.montant,
    )
    assert stockes(atelier) == vrais(atelier) == Fait(0)


def test_un_objet_supprime_retire_son_fait_et_laisse_ceux_des_autres_etapes():
    marche = MarcheFactory(statut=S.EN_PREPARATION)
    atelier = marche.atelier
    CandidatureFactory(atelier=atelier, deposee=True)
    assert stockes(atelier) == Fait.MARCHE_EN_PREPARATION | Fait.CANDIDATURE_A_INSTRUIRE
    marche.delete()
    assert stockes(atelier) == vrais(atelier) == Fait.CANDIDATURE_A_INSTRUIRE


def test_une_copie_perimee_de_l_atelier_ne_reecrit_pas_ses_faits():
    marche = MarcheFactory(statut=S.EN_PREPARATION)
    copie = Atelier.objects.get(pk=marche.atelier_id)
    assert Fait(copie.faits) == Fait.MARCHE_EN_PREPARATION
    CandidatureFactory(atelier=marche.atelier, deposee=True)
    copie.intitule = "Un autre intitulé"
    copie.save()
    assert Atelier.objects.get(pk=copie.pk).intitule == "Un autre intitulé"
    assert stockes(copie) == vrais(copie)
    assert stockes(copie) == Fait.MARCHE_EN_PREPARATION | Fait.CANDIDATURE_A_INSTRUIRE


def test_la_recalculation_repare_ce_qu_un_update_a_contourne_et_seulement_cela():
    ateliers = [MarcheFactory(statut=S.EN_PREPARATION).atelier for _ in range(3)]
    MarcheSubsequent.objects.filter(atelier=ateliers[0]).update(statut=S.EN_ANALYSE)
    assert stockes(ateliers[0]) == Fait.MARCHE_EN_PREPARATION
    assert faits_recalculer() == 1
    assert stockes(ateliers[0]) == vrais(ateliers[0]) == Fait.MARCHE_EN_ANALYSE
    assert faits_recalculer() == 0
    for atelier in ateliers:
        assert stockes(atelier) == vrais(atelier)


def test_chaque_bit_dit_ce_que_dit_sa_definition_sur_tout_le_programme():
    for statut in (S.EN_PREPARATION, S.EN_ANALYSE, S.ATTRIBUE, S.INFRUCTUEUX, S.NOTIFIE):
        MarcheFactory(statut=statut)
    CandidatureFactory()
    CandidatureFactory(deposee=True)
    CandidatureFactory(complements=True)
    for d in DEFINITIONS:
        par_le_bit = set(Atelier.objects.filter(q_fait(d.fait)).values_list("pk", flat=True))
        par_les_objets = set(Atelier.objects.filter(d.filtre()).values_list("pk", flat=True))
        assert par_le_bit == par_les_objets, d.fait


def test_migrate_recalcule_les_faits_du_programme():
    atelier = CandidatureFactory(deposee=True).atelier
    Atelier.objects.update(faits=0)
    call_command("migrate", verbosity=0)
    assert stockes(atelier) == Fait.CANDIDATURE_A_INSTRUIRE


def test_beat_recalcule_les_faits_toutes_les_cinq_minutes():
    planif = settings.CELERY_BEAT_SCHEDULE["recalculer-faits-des-ateliers"]
    assert (planif["task"], planif["schedule"]) == ("portail.faits_recalculer", 300.0)
    atelier = CandidatureFactory().atelier
    Atelier.objects.update(faits=int(Fait.LIVRABLE_DEPOSE))
    assert tasks.faits_recalculer.apply().get() == 1
    assert stockes(atelier) == Fait.CANDIDATURE_EN_REDACTION


@sur_postgres
@pytest.mark.django_db(transaction=True)
def test_une_ligne_d_atelier_tenue_ailleurs_ne_fait_pas_attendre_la_sauvegarde():
    """Another transaction holds the atelier's row, as a phase change does: the save goes on
    without waiting for it (which could close a circle of waits), its facts are rewritten
    once it is committed."""
    atelier = MarcheFactory(statut=S.EN_PREPARATION).atelier
    tenue, relachee = threading.Event(), threading.Event()

    def tenir():
        try:
            with transaction.atomic():
                Atelier.objects.select_for_update(no_key=True).get(pk=atelier.pk)
                tenue.set()
                relachee.wait(10)
        finally:
            connection.close()

    autre = threading.Thread(target=tenir)
    autre.start()
    assert tenue.wait(10)
    with transaction.atomic():
        CandidatureFactory(atelier=atelier, deposee=True)
        assert stockes(atelier) == Fait.MARCHE_EN_PREPARATION
        relachee.set()
        autre.join(10)
    assert stockes(atelier) == vrais(atelier)
    assert stockes(atelier) == Fait.MARCHE_EN_PREPARATION | Fait.CANDIDATURE_A_INSTRUIRE
