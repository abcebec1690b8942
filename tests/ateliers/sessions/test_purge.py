"""The persons invited to sessions without an account are erased ten years after their
atelier ended, as the « Données personnelles » page says; their counts stay."""

import datetime

import pytest
from django.utils import timezone

from ateliers.models import Atelier, Participant, Phase
from ateliers.services.session_contenu import participants_purger
from ateliers.tasks import purger_participants
from tests.ateliers.sessions.factories import ParticipantFactory
from tests.comptes.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def participant_d_un_atelier(**atelier):
    participant = ParticipantFactory(college=Participant.College.HABITANTS)
    Atelier.objects.filter(pk=participant.session.atelier_id).update(**atelier)
    return participant


def test_dix_ans_apres_la_cloture_le_nom_s_efface_le_decompte_reste():
    maintenant = timezone.now()
    il_y_a_11_ans = timezone.localdate() - datetime.timedelta(days=11 * 365)
    ancien = participant_d_un_atelier(phase=Phase.CLOTURE, fin_accompagnement=il_y_a_11_ans)
    recent = participant_d_un_atelier(
        phase=Phase.CLOTURE, fin_accompagnement=timezone.localdate() - datetime.timedelta(days=9)
    )
    abandonne = participant_d_un_atelier(
        phase=Phase.ABANDONNE,
        motif_sortie="Retrait",
        phase_depuis=maintenant - datetime.timedelta(days=11 * 365),
    )
    en_cours = ParticipantFactory()
    avec_compte = ParticipantFactory(
        session=ancien.session, utilisateur=UtilisateurFactory(), courriel="compte@exemple.test"
    )

    assert participants_purger(maintenant=maintenant) == 2
    ancien.refresh_from_db()
    assert (ancien.prenom, ancien.nom, ancien.courriel) == (
        "",
        "Participant effacé",
        f"participant-{ancien.pk}@supprime.invalid",
    )
    assert (ancien.college, ancien.organisation) == ("habitants", "Commune d'essai")
    abandonne.refresh_from_db()
    assert abandonne.nom == "Participant effacé"
    for garde in (recent, en_cours, avec_compte):
        assert Participant.objects.get(pk=garde.pk).nom == garde.nom
    # Once is enough: the next night finds nothing more to erase.
    assert purger_participants() == 0


def test_le_dixieme_anniversaire_n_est_pas_encore_passe():
    presque = timezone.localdate() - datetime.timedelta(days=3652)
    participant = participant_d_un_atelier(phase=Phase.CLOTURE, fin_accompagnement=presque)
    assert participants_purger() == 0
    assert Participant.objects.get(pk=participant.pk).nom == participant.nom


def test_la_purge_des_participants_est_planifiee_chaque_nuit(settings):
    planif = settings.CELERY_BEAT_SCHEDULE["purger-participants-des-sessions"]
    assert planif["task"] == purger_participants.name == "ateliers.participants_purger"
    assert (planif["schedule"].hour, planif["schedule"].minute) == ({3}, {35})
    assert purger_participants.delay().get() == 0
