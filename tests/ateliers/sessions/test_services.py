"""Each session's transition through its service: allowed for the pilot only, refused for
every other role and when the session moved since; the atelier's phase moves only here."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ateliers.models import Atelier, CodeSession, CompteRendu, Evenement, Phase, Session
from ateliers.services import ActionImpossible, atelier_changer_phase, transition_appliquer
from ateliers.services.session import (
    session_convoquer,
    session_planifier,
    session_reporter,
    session_tenir,
    session_valider_compte_rendu,
    sessions_creer,
)
from tests.ateliers.factories import AtelierFactory
from tests.ateliers.sessions.factories import ParticipantFactory, SessionFactory
from tests.comptes.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

S = Session.Statut
DEMAIN = timezone.localdate() + datetime.timedelta(days=1)


def planifier(session, par, vu=S.A_PLANIFIER, **champs):
    return session_planifier(
        session=session,
        par=par,
        vu=vu,
        **{
            "date": DEMAIN,
            "nombre_de_jours": 1,
            "heure_debut": datetime.time(9),
            "heure_fin": datetime.time(17),
            "lieu": "Salle polyvalente",
            "adresse": "1 place de la Mairie",
            "commune": "Tarascon",
            **champs,
        },
    )


def valider(session, par, vu):
    CompteRendu.objects.update_or_create(session=session, defaults={"synthese": "Trois enjeux"})
    return session_valider_compte_rendu(session=session, par=par, vu=vu)


# Each service, the state it needs and how to call it.
SERVICES = {
    "planifier": (S.A_PLANIFIER, lambda s, par, vu: planifier(s, par, vu)),
    "convoquer": (S.PLANIFIEE, lambda s, par, vu: session_convoquer(session=s, par=par, vu=vu)),
    "tenir": (S.CONVOCATIONS_ENVOYEES, lambda s, par, vu: session_tenir(session=s, par=par, vu=vu)),
    "reporter": (
        S.CONVOCATIONS_ENVOYEES,
        lambda s, par, vu: session_reporter(session=s, par=par, vu=vu, motif="Crue du Rhône"),
    ),
    "valider": (S.TENUE, valider),
}
CIBLES = {
    "planifier": S.PLANIFIEE,
    "convoquer": S.CONVOCATIONS_ENVOYEES,
    "tenir": S.TENUE,
    "reporter": S.REPORTEE,
    "valider": S.COMPTE_RENDU_VALIDE,
}


def session_prete(statut):
    session = SessionFactory(statut=statut)
    ParticipantFactory(session=session)
    return session


@pytest.mark.parametrize("service", SERVICES)
def test_le_pilote_fait_chaque_pas_et_le_journal_le_dit(service, roles):
    statut, appeler = SERVICES[service]
    session = session_prete(statut)
    pilote = roles(session)["pilote"]
    session = appeler(session, pilote, statut)
    session.refresh_from_db()
    assert session.statut == CIBLES[service]
    ligne = Evenement.objects.get(objet_id=str(session.pk), etat_apres=CIBLES[service])
    assert (ligne.etat_avant, ligne.atelier_id, ligne.par) == (statut, session.atelier_id, pilote)
    assert ligne.code.startswith("session.")


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("role", ["groupement", "collectivite", "dgaln", "voisin", "autre_ddt"])
def test_aucun_autre_role_ne_fait_ces_pas(service, role, roles):
    statut, appeler = SERVICES[service]
    session = session_prete(statut)
    with pytest.raises(PermissionDenied):
        appeler(session, roles(session)[role], statut)
    session.refresh_from_db()
    assert session.statut == statut
    assert not Evenement.objects.filter(objet_id=str(session.pk)).exists()


@pytest.mark.parametrize("service", SERVICES)
def test_un_pas_choisi_sur_un_etat_depasse_est_refuse(service, roles):
    statut, appeler = SERVICES[service]
    session = session_prete(statut)
    pilote = roles(session)["pilote"]
    vu = S.REPORTEE if statut != S.REPORTEE else S.PLANIFIEE
    with pytest.raises(ActionImpossible, match="n'est plus possible"):
        appeler(session, pilote, vu)
    session.refresh_from_db()
    assert session.statut == statut


@pytest.mark.parametrize(
    ("numero", "avant", "apres"),
    [
        (1, Phase.SESSION_1, Phase.SESSION_2),
        (2, Phase.SESSION_2, Phase.SESSION_3),
        (3, Phase.SESSION_3, Phase.RESTITUTION),
    ],
)
def test_une_session_tenue_fait_passer_l_atelier_a_l_etape_suivante(numero, avant, apres, roles):
    session = SessionFactory(numero=numero, statut=S.CONVOCATIONS_ENVOYEES)
    assert session.atelier.phase == avant
    session_tenir(session=session, par=roles(session)["pilote"], vu=S.CONVOCATIONS_ENVOYEES)
    assert Atelier.objects.get(pk=session.atelier_id).phase == apres
    ligne = Evenement.objects.get(code=CodeSession.TENUE)
    assert (ligne.phase_avant, ligne.phase_apres) == (avant, apres)
    assert CompteRendu.objects.filter(session=session).exists()


def test_une_session_ne_se_tient_ni_avant_son_jour_ni_hors_de_son_etape(roles):
    session = SessionFactory(statut=S.CONVOCATIONS_ENVOYEES, date=DEMAIN)
    pilote = roles(session)["pilote"]
    with pytest.raises(ActionImpossible, match="à partir de ce jour"):
        session_tenir(session=session, par=pilote, vu=S.CONVOCATIONS_ENVOYEES)
    deuxieme = SessionFactory(atelier=session.atelier, numero=2, statut=S.CONVOCATIONS_ENVOYEES)
    with pytest.raises(ActionImpossible, match="se tient dans l'étape"):
        session_tenir(session=deuxieme, par=pilote, vu=S.CONVOCATIONS_ENVOYEES)
    assert Atelier.objects.get(pk=session.atelier_id).phase == Phase.SESSION_1


@pytest.mark.parametrize(
    ("transition", "phase"),
    [
        ("demarrer_session_2", Phase.SESSION_1),
        ("demarrer_session_3", Phase.SESSION_2),
        ("demarrer_restitution", Phase.SESSION_3),
    ],
)
def test_ces_etapes_ne_se_font_que_par_la_tenue_d_une_session(transition, phase):
    atelier = AtelierFactory(phase=phase)
    pilote = UtilisateurFactory(organisations=[atelier.service_pilote])
    with pytest.raises(ActionImpossible, match="appartient à une autre étape"):
        atelier_changer_phase(atelier=atelier, transition=transition, par=pilote, vu=phase)
    with pytest.raises(ActionImpossible, match="appartient à une autre étape"):
        transition_appliquer(objet=atelier, transition=transition, par=None, vu=None)
    assert Atelier.objects.get(pk=atelier.pk).phase == phase


def test_la_planification_veut_une_date_a_venir_et_un_lieu(roles):
    session = SessionFactory()
    pilote = roles(session)["pilote"]
    with pytest.raises(ActionImpossible, match="à partir d'aujourd'hui"):
        planifier(session, pilote, date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ActionImpossible, match="lieu"):
        planifier(session, pilote, lieu="  ")
    session = planifier(session, pilote, nombre_de_jours=2)
    assert (session.date, session.date_fin, session.commune) == (
        DEMAIN,
        DEMAIN + datetime.timedelta(days=1),
        "Tarascon",
    )


def test_une_session_d_un_atelier_abandonne_ne_se_planifie_plus(roles):
    session = SessionFactory()
    Atelier.objects.filter(pk=session.atelier_id).update(
        phase=Phase.ABANDONNE, motif_sortie="Retrait"
    )
    with pytest.raises(ActionImpossible, match="ne changent plus"):
        planifier(session, roles(session)["pilote"])


def test_les_convocations_partent_a_chaque_participant(roles, django_capture_on_commit_callbacks):
    session = SessionFactory(statut=S.PLANIFIEE)
    invites = [ParticipantFactory(session=session) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        session_convoquer(session=session, par=roles(session)["pilote"], vu=S.PLANIFIEE)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.courriel for p in invites)
    assert all("Convocation" in m.subject for m in mail.outbox)
    assert "Salle des fêtes" in mail.outbox[0].body
    assert session.participants.filter(invite_le__isnull=True).count() == 0


def test_sans_participant_pas_de_convocation(roles):
    session = SessionFactory(statut=S.PLANIFIEE)
    with pytest.raises(ActionImpossible, match="Ajoutez les participants"):
        session_convoquer(session=session, par=roles(session)["pilote"], vu=S.PLANIFIEE)


def test_un_report_previent_les_convoques_puis_de_nouvelles_dates_replanifient(
    roles, django_capture_on_commit_callbacks
):
    session = SessionFactory(statut=S.CONVOCATIONS_ENVOYEES)
    convoque = ParticipantFactory(session=session, invite_le=timezone.now())
    ParticipantFactory(session=session)
    pilote = roles(session)["pilote"]
    with django_capture_on_commit_callbacks(execute=True):
        session_reporter(session=session, par=pilote, vu=S.CONVOCATIONS_ENVOYEES, motif="Crue")
    assert [m.to for m in mail.outbox] == [[convoque.courriel]]
    assert "Motif : Crue" in mail.outbox[0].body
    session = planifier(session, pilote, vu=S.REPORTEE)
    assert (session.statut, session.sequence) == (S.PLANIFIEE, 2)
    assert Evenement.objects.filter(code=CodeSession.REPLANIFIEE).count() == 1


def test_un_report_est_motive(roles):
    session = SessionFactory(statut=S.PLANIFIEE)
    with pytest.raises(ActionImpossible, match="motif"):
        session_reporter(session=session, par=roles(session)["pilote"], vu=S.PLANIFIEE, motif=" ")


def test_un_compte_rendu_sans_synthese_ne_se_valide_pas(roles):
    session = SessionFactory(statut=S.TENUE)
    CompteRendu.objects.create(session=session)
    with pytest.raises(ActionImpossible, match="synthèse"):
        session_valider_compte_rendu(session=session, par=roles(session)["pilote"], vu=S.TENUE)


def test_les_trois_sessions_se_creent_une_fois():
    atelier = AtelierFactory(phase=Phase.CADRAGE)
    SessionFactory(atelier=atelier, numero=2)
    assert [s.numero for s in sessions_creer(atelier=atelier)] == [1, 2, 3]
    assert [s.numero for s in sessions_creer(atelier=atelier)] == [1, 2, 3]
    assert Session.objects.filter(atelier=atelier).count() == 3
