"""The session's pages for each role: 200 for who reads it, 403 for an action they may not
take, 404 for anyone else; each step confirmed, said and journalled."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Atelier, CodeSession, Evenement, Participant, Phase, Session
from tests.ateliers.sessions.factories import ParticipantFactory, SessionFactory
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db

S = Session.Statut
LECTEURS = ["pilote", "groupement", "collectivite", "dgaln"]
ETRANGERS = ["voisin", "autre_ddt"]


def url(nom, session, *args):
    return reverse(f"ateliers:{nom}", args=[session.pk, *args])


def messages_de(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("role", LECTEURS + ETRANGERS)
def test_la_page_de_la_session_se_lit_par_ses_acteurs_seuls(client, role, roles):
    session = SessionFactory(statut=S.PLANIFIEE)
    ParticipantFactory(session=session, college=Participant.College.HABITANTS)
    client.force_login(roles(session)[role])
    response = client.get(url("session", session))
    if role in ETRANGERS:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    contenu = response.content.decode()
    assert "Session 1 : diagnostic et enjeux" in contenu and "Salle des fêtes" in contenu
    assert ("Envoyer les convocations" in contenu) == (role == "pilote")
    assert ("Inviter un participant" in contenu) == (role in ("pilote", "groupement"))


def test_les_sessions_se_trouvent_depuis_la_page_de_l_atelier(client, roles):
    session = SessionFactory()
    client.force_login(roles(session)["collectivite"])
    response = client.get(reverse("portail:atelier", args=[session.atelier_id]))
    assert url("session", session) in response.content.decode()
    client.force_login(roles(session)["autre_ddt"])
    response = client.get(reverse("portail:atelier", args=[session.atelier_id]))
    assert url("session", session) not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "attendu"),
    [("pilote", 200), ("groupement", 403), ("collectivite", 403), ("dgaln", 403), ("voisin", 404)],
)
def test_la_confirmation_d_un_pas_est_au_pilote(client, role, attendu, roles):
    session = SessionFactory(statut=S.PLANIFIEE)
    client.force_login(roles(session)[role])
    assert client.get(url("session_action", session, "convoquer")).status_code == attendu
    assert client.get(url("session_planifier", session)).status_code == attendu


def test_envoyer_les_convocations_depuis_la_page(client, roles, django_capture_on_commit_callbacks):
    session = SessionFactory(statut=S.PLANIFIEE)
    ParticipantFactory(session=session)
    client.force_login(roles(session)["pilote"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("session_action", session, "convoquer"),
            {"vu": S.PLANIFIEE, "convoquer-motif": ""},
        )
    assert response.status_code == 302 and response.url == url("session", session)
    assert messages_de(response) == ["Convocations envoyées."]
    assert Session.objects.get(pk=session.pk).statut == S.CONVOCATIONS_ENVOYEES
    assert Evenement.objects.filter(code=CodeSession.CONVOCATIONS_ENVOYEES).count() == 1


def test_un_pas_deja_fait_ramene_a_la_session_avec_un_message(client, roles):
    session = SessionFactory(statut=S.CONVOCATIONS_ENVOYEES)
    client.force_login(roles(session)["pilote"])
    response = client.post(url("session_action", session, "convoquer"), {"vu": S.PLANIFIEE})
    assert response.status_code == 302
    assert "n'est pas possible" in messages_de(response)[0]
    assert client.get(url("session_action", session, "planifier")).status_code == 404


def test_tenir_la_session_fait_passer_l_atelier_en_session_2(client, roles):
    session = SessionFactory(statut=S.CONVOCATIONS_ENVOYEES)
    client.force_login(roles(session)["pilote"])
    response = client.post(url("session_action", session, "tenir"), {"vu": S.CONVOCATIONS_ENVOYEES})
    assert messages_de(response) == ["Session tenue."]
    assert Atelier.objects.get(pk=session.atelier_id).phase == Phase.SESSION_2


def test_reporter_demande_un_motif(client, roles):
    session = SessionFactory(statut=S.PLANIFIEE)
    client.force_login(roles(session)["pilote"])
    action = url("session_action", session, "reporter")
    assert client.post(action, {"vu": S.PLANIFIEE, "reporter-motif": ""}).status_code == 400
    client.post(action, {"vu": S.PLANIFIEE, "reporter-motif": "Salle indisponible"})
    assert Session.objects.get(pk=session.pk).motif_report == "Salle indisponible"


def test_planifier_depuis_le_formulaire(client, roles):
    session = SessionFactory()
    client.force_login(roles(session)["pilote"])
    demain = timezone.localdate() + datetime.timedelta(days=1)
    donnees = {
        "vu": S.A_PLANIFIER,
        "date": demain.isoformat(),
        "nombre_de_jours": "1",
        "heure_debut": "14:00",
        "heure_fin": "10:00",
        "lieu": "Mairie",
        "adresse": "",
        "commune": "Arles",
    }
    response = client.post(url("session_planifier", session), donnees)
    assert response.status_code == 400
    assert "La session finit après avoir commencé." in response.content.decode()
    response = client.post(url("session_planifier", session), {**donnees, "heure_fin": "18:00"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.statut, session.date, session.commune) == (S.PLANIFIEE, demain, "Arles")


@pytest.mark.parametrize(("role", "attendu"), [("groupement", 302), ("collectivite", 403)])
def test_inviter_puis_retirer_un_participant(client, role, attendu, roles):
    session = SessionFactory(statut=S.PLANIFIEE)
    client.force_login(roles(session)[role])
    response = client.post(
        url("session_participant_ajouter", session),
        {
            "vu": S.PLANIFIEE,
            "prenom": "Camille",
            "nom": "Essai",
            "courriel": "camille@exemple.test",
            "organisation": "Association des riverains",
            "college": Participant.College.ASSOCIATIONS,
        },
    )
    assert response.status_code == attendu
    if attendu != 302:
        assert not session.participants.exists()
        return
    participant = session.participants.get()
    response = client.post(
        url("session_participant_retirer", session, participant.pk), {"vu": S.PLANIFIEE}
    )
    assert messages_de(response)[-1] == "L'invitation de Camille Essai est retirée."
    assert not session.participants.exists()


def test_la_feuille_de_presence_puis_les_coches(client, roles):
    session = SessionFactory(statut=S.TENUE)
    venu, absent = ParticipantFactory(session=session), ParticipantFactory(session=session)
    client.force_login(roles(session)["pilote"])
    feuille = client.get(url("session_feuille", session))
    assert feuille.status_code == 200 and venu.nom in feuille.content.decode()
    assert client.get(url("session_presences", session)).status_code == 200
    response = client.post(
        url("session_presences", session),
        {"vu": S.TENUE, f"p{venu.pk}": "present", f"p{absent.pk}": "absent"},
    )
    assert messages_de(response) == ["Présences relevées : 1 présent(s)."]
    page = client.get(url("session", session)).content.decode()
    assert "Présent" in page and "Absent" in page


def test_le_groupement_redige_le_compte_rendu_et_le_pilote_le_valide(client, roles):
    session = SessionFactory(statut=S.TENUE)
    acteurs = roles(session)
    client.force_login(acteurs["pilote"])
    assert client.get(url("session_compte_rendu", session)).status_code == 403
    client.force_login(acteurs["groupement"])
    assert client.get(url("session_compte_rendu", session)).status_code == 200
    response = client.post(
        url("session_compte_rendu", session),
        {
            "vu": S.TENUE,
            "synthese": "Le territoire face aux crues",
            "enjeux": "",
            "decisions": "",
            "prochaines_etapes": "",
            "propositions-TOTAL_FORMS": "2",
            "propositions-INITIAL_FORMS": "0",
            "propositions-0-texte": "Un observatoire des crues",
            "propositions-0-theme": "Risques",
            "propositions-0-proposee_par": "Une élue",
            "propositions-1-texte": "",
        },
    )
    assert response.status_code == 302
    client.force_login(acteurs["pilote"])
    response = client.post(url("session_action", session, "valider_compte_rendu"), {"vu": S.TENUE})
    assert messages_de(response) == ["Compte-rendu validé."]
    client.force_login(acteurs["collectivite"])
    page = client.get(url("session", session)).content.decode()
    assert "Un observatoire des crues" in page and "Compte-rendu validé" in page


def test_la_page_lit_150_participants_en_autant_de_requetes_que_300(client, roles):
    session = SessionFactory(statut=S.TENUE)
    client.force_login(roles(session)["pilote"])
    ParticipantFactory.create_batch(150, session=session)
    n = nombre_de_requetes(client, url("session", session))
    ParticipantFactory.create_batch(150, session=session)
    assert nombre_de_requetes(client, url("session", session)) == n
    assert n <= 20


@pytest.mark.parametrize(("role", "attendu"), [("pilote", 200), ("collectivite", 403)])
def test_corriger_une_invitation(client, role, attendu, roles):
    session = SessionFactory(statut=S.PLANIFIEE)
    invite = ParticipantFactory(session=session, prenom="Camille", nom="Esai")
    client.force_login(roles(session)[role])
    modifier = url("session_participant_modifier", session, invite.pk)
    page = client.get(modifier)
    assert page.status_code == attendu
    if attendu != 200:
        return
    assert page.context["titre"] == "Modifier l'invitation de Camille Esai"
    response = client.post(
        modifier,
        {
            "vu": S.PLANIFIEE,
            "prenom": "Camille",
            "nom": "Essai",
            "courriel": invite.courriel,
            "organisation": "Commune d'Arles",
            "college": Participant.College.ELUS,
        },
    )
    assert messages_de(response) == ["L'invitation de Camille Essai est modifiée."]
    assert Participant.objects.get(pk=invite.pk).nom == "Essai"
    assert client.get(url("session_participant_modifier", session, 999_999)).status_code == 404
