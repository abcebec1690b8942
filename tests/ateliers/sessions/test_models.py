import datetime

import pytest
from django.db import IntegrityError, transaction
from django_fsm import TransitionNotAllowed, can_proceed

from ateliers.models import Atelier, Session
from tests.ateliers.sessions.factories import ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db

S = Session.Statut
LIEU = {
    "date": datetime.date(2027, 3, 4),
    "nombre_de_jours": 2,
    "heure_debut": datetime.time(9),
    "heure_fin": datetime.time(12),
    "lieu": "Maison de la vie associative",
    "adresse": "2 boulevard des Lices",
    "commune": "Arles",
}
# Each transition, the states it starts from and where it leads.
CHEMINS = {
    "planifier": ([S.A_PLANIFIER, S.REPORTEE], S.PLANIFIEE, LIEU),
    "convoquer": ([S.PLANIFIEE], S.CONVOCATIONS_ENVOYEES, {}),
    "tenir": ([S.CONVOCATIONS_ENVOYEES], S.TENUE, {}),
    "valider_compte_rendu": ([S.TENUE], S.COMPTE_RENDU_VALIDE, {}),
    "reporter": ([S.PLANIFIEE, S.CONVOCATIONS_ENVOYEES], S.REPORTEE, {"motif": "Crue"}),
}


def test_le_modele_declare_exactement_ces_transitions():
    declarees = {}
    for t in Session._meta.get_field("statut").get_all_transitions(Session):
        declarees.setdefault(t.name, set()).add(t.source)
        assert t.target == CHEMINS[t.name][1]
        assert t.custom["code"].startswith("session.")
    assert declarees == {nom: set(sources) for nom, (sources, _, _) in CHEMINS.items()}


@pytest.mark.parametrize("nom", CHEMINS)
@pytest.mark.parametrize("depart", list(S))
def test_chaque_transition_permise_ou_refusee_selon_l_etat(nom, depart):
    sources, cible, kwargs = CHEMINS[nom]
    session = SessionFactory(statut=depart)
    methode = getattr(session, nom)
    if depart in sources:
        methode(**kwargs)
        assert session.statut == cible
    else:
        assert not can_proceed(methode)
        with pytest.raises(TransitionNotAllowed):
            methode(**kwargs)


def test_le_theme_vient_du_numero():
    assert [SessionFactory(numero=n).theme for n in (1, 2, 3)] == [
        "Diagnostic et enjeux",
        "Stratégie",
        "Feuille de route",
    ]


def test_deux_journees_finissent_le_lendemain():
    session = SessionFactory()
    session.planifier(**LIEU)
    assert session.date_fin == datetime.date(2027, 3, 5)


def test_un_report_puis_de_nouvelles_dates_montent_la_version_et_gardent_l_uid():
    session = SessionFactory(statut=S.CONVOCATIONS_ENVOYEES)
    uid = session.uid
    session.reporter(motif="Salle inondée")
    assert (session.sequence, session.motif_report) == (1, "Salle inondée")
    session.planifier(**LIEU)
    session.save()
    session.refresh_from_db()
    assert (session.uid, session.sequence, session.motif_report) == (uid, 2, "")


def test_le_statut_ne_se_pose_pas_a_la_main():
    session = SessionFactory()
    with pytest.raises(AttributeError):
        session.statut = S.TENUE


@pytest.mark.parametrize(
    "champs",
    [
        {"numero": 4},
        {"nombre_de_jours": 3},
        {"statut": S.PLANIFIEE, "date": None},
        {"statut": S.PLANIFIEE, "lieu": ""},
        {"statut": S.REPORTEE, "motif_report": ""},
        {"statut": S.PLANIFIEE, "heure_debut": datetime.time(17), "heure_fin": datetime.time(9)},
    ],
)
def test_la_base_refuse_une_session_incoherente(champs):
    with transaction.atomic(), pytest.raises(IntegrityError):
        SessionFactory(**champs)


def test_deux_jours_de_9h_a_12h_le_lendemain_sont_permis():
    session = SessionFactory(
        statut=S.PLANIFIEE,
        nombre_de_jours=2,
        heure_debut=datetime.time(14),
        heure_fin=datetime.time(12),
    )
    assert session.pk


def test_une_seule_session_de_chaque_numero_par_atelier():
    session = SessionFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        SessionFactory(atelier=session.atelier, numero=1)
    assert SessionFactory(atelier=session.atelier, numero=2).pk


def test_une_personne_est_invitee_une_fois_par_session():
    participant = ParticipantFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        ParticipantFactory(session=participant.session, courriel=participant.courriel)


def test_les_sessions_2_3_et_la_restitution_appartiennent_aux_sessions():
    proprietaires = {
        t.name: t.custom.get("etape")
        for t in Atelier._meta.get_field("phase").get_all_transitions(Atelier)
    }
    assert {n: proprietaires[n] for n in ("demarrer_session_2", "demarrer_session_3")} == {
        "demarrer_session_2": "ateliers.Session",
        "demarrer_session_3": "ateliers.Session",
    }
    assert proprietaires["demarrer_restitution"] == "ateliers.Session"
