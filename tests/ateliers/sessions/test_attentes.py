"""« À traiter » for the sessions: the pilot holds the session of the phase and validates the
comptes-rendus written, the groupement writes those of the sessions held; nobody else."""

import pytest

from ateliers.models import Atelier, CompteRendu, Phase, Session
from ateliers.selectors import a_faire
from portail.selectors import ateliers_a_traiter, attentes
from tests.ateliers.sessions.factories import SessionFactory

pytestmark = pytest.mark.django_db

S = Session.Statut


def attendu(user, session):
    atelier = Atelier.objects.get(pk=session.atelier_id)
    return a_faire([atelier], attentes(user)).get(atelier.pk, [])


def test_le_pilote_mene_la_session_de_la_phase(roles):
    session = SessionFactory(statut=S.PLANIFIEE)
    acteurs = roles(session)
    assert "Mener la session" in attendu(acteurs["pilote"], session)
    assert session.atelier_id in ateliers_a_traiter(acteurs["pilote"]).values_list("pk", flat=True)
    for role in ("groupement", "collectivite"):
        assert attendu(acteurs[role], session) == []


def test_le_compte_rendu_attend_le_groupement_puis_le_pilote(roles):
    session = SessionFactory(statut=S.TENUE)
    Atelier.objects.filter(pk=session.atelier_id).update(phase=Phase.SESSION_2)
    acteurs = roles(session)
    compte_rendu = CompteRendu.objects.create(session=session)
    assert attendu(acteurs["groupement"], session) == ["Rédiger le compte-rendu d'une session"]
    assert "Valider le compte-rendu d'une session" not in attendu(acteurs["pilote"], session)
    compte_rendu.synthese = "Écrit"
    compte_rendu.save()
    assert attendu(acteurs["groupement"], session) == []
    assert "Valider le compte-rendu d'une session" in attendu(acteurs["pilote"], session)
    assert attendu(acteurs["collectivite"], session) == []
