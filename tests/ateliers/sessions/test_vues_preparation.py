"""The pages where the groupement writes the programme and attaches pieces, and where the
collectivités manage the logistics they pay: each for its role only."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ateliers.models import LigneLogistique, Session
from documents.models import FichierDepose
from tests.ateliers.sessions.factories import SessionFactory
from tests.documents import fichiers_hostiles as h

pytestmark = pytest.mark.django_db

S = Session.Statut


def url(nom, session, *args):
    return reverse(f"ateliers:{nom}", args=[session.pk, *args])


@pytest.mark.parametrize(
    ("role", "attendu"), [("groupement", 200), ("pilote", 403), ("collectivite", 403)]
)
def test_le_programme_s_ecrit_par_le_groupement(client, role, attendu, roles):
    session = SessionFactory(statut=S.PLANIFIEE)
    client.force_login(roles(session)[role])
    assert client.get(url("session_programme", session)).status_code == attendu
    if attendu != 200:
        return
    response = client.post(
        url("session_programme", session),
        {
            "vu": S.PLANIFIEE,
            "points-TOTAL_FORMS": "3",
            "points-INITIAL_FORMS": "0",
            "points-0-intitule": "Accueil des participants",
            "points-0-jour": "1",
            "points-0-heure_debut": "09:00",
            "points-0-heure_fin": "09:30",
            "points-0-intervenants": "Le service pilote",
            "points-1-intitule": "Visite du delta",
            "points-1-jour": "1",
            "points-2-intitule": "",
            "points-2-jour": "1",
        },
    )
    assert response.status_code == 302
    assert [p.intitule for p in session.programme.all()] == [
        "Accueil des participants",
        "Visite du delta",
    ]
    page = client.get(url("session", session)).content.decode()
    assert "09h00–09h30 : Accueil des participants (Le service pilote)" in page


@pytest.mark.parametrize(
    ("role", "attendu"), [("collectivite", 200), ("pilote", 403), ("groupement", 403)]
)
def test_la_logistique_se_gere_par_les_collectivites(client, role, attendu, roles):
    session = SessionFactory(statut=S.TENUE)
    client.force_login(roles(session)[role])
    assert client.get(url("session_logistique_ajouter", session)).status_code == attendu
    if attendu != 200:
        return
    donnees = {
        "vu": S.TENUE,
        "poste": LigneLogistique.Poste.SALLE,
        "description": "Salle des fêtes",
        "payeur": session.atelier.collectivites.first().pk,
        "cout_estime": "300",
        "cout_reel": "",
    }
    assert client.post(url("session_logistique_ajouter", session), donnees).status_code == 302
    ligne = session.logistique.get()
    modifier = url("session_logistique_modifier", session, ligne.pk)
    assert 'value="300' in client.get(modifier).content.decode()
    client.post(modifier, {**donnees, "cout_reel": "280.50"})
    assert LigneLogistique.objects.get().cout_reel == Decimal("280.50")
    response = client.post(url("session_logistique_retirer", session, ligne.pk), {"vu": S.TENUE})
    assert "Ligne retirée" in [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert not LigneLogistique.objects.exists()


def test_une_photo_jointe_se_telecharge_par_qui_lit_la_session(client, roles):
    session = SessionFactory(statut=S.TENUE)
    acteurs = roles(session)
    client.force_login(acteurs["collectivite"])
    assert client.get(url("session_piece", session)).status_code == 403
    client.force_login(acteurs["groupement"])
    response = client.post(
        url("session_piece", session),
        {"vu": S.TENUE, "fichier": h.televerse("visite.png", h.png(), "image/png")},
    )
    assert response.status_code == 302
    client.force_login(acteurs["collectivite"])
    page = client.get(url("session", session)).content.decode()
    assert "visite.png" in page
    fichier = FichierDepose.objects.get(proprietaire_id=str(session.compte_rendu.pk))
    telecharger = reverse("documents:fichier", args=[fichier.uuid])
    telechargement = client.get(telecharger)
    assert telechargement.status_code == 200
    assert b"".join(telechargement.streaming_content).startswith(b"\x89PNG")
    client.force_login(acteurs["autre_ddt"])
    assert client.get(telecharger).status_code == 404
