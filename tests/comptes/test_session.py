"""The idle-session warning: the modal and its data, the extension endpoint, the expiry message."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.comptes.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connecte(client):
    client.force_login(UtilisateurFactory())
    return client


def test_la_modale_et_son_script_sont_dans_les_pages_d_une_personne_connectee(connecte):
    contenu = connecte.get(reverse("comptes:profil")).content.decode()

    modale = re.search(r"<dialog id=\"session-modale\"[^>]*>", contenu, re.S).group(0)
    assert 'role="dialog"' in modale
    assert 'aria-labelledby="session-modale-titre"' in modale
    assert f'data-duree-inactivite="{settings.SESSION_COOKIE_AGE}"' in modale
    assert f'data-duree-alerte="{settings.SESSION_WARNING_SECONDS}"' in modale
    assert f'data-url-prolonger="{reverse("comptes:prolonger_session")}"' in modale
    assert f'data-url-connexion="{reverse("comptes:connexion")}"' in modale
    assert 'id="session-modale-titre"' in contenu
    assert "Votre session va bientôt expirer" in contenu
    assert 'aria-live="polite"' in contenu
    assert ">Rester connecté</button>" in contenu
    assert "/static/js/session.js" in contenu
    assert '<meta name="csrf-token"' in contenu


def test_les_durees_sont_lues_a_chaque_requete(connecte, settings):
    settings.SESSION_COOKIE_AGE = 6
    settings.SESSION_WARNING_SECONDS = 4

    contenu = connecte.get(reverse("comptes:profil")).content.decode()

    assert 'data-duree-inactivite="6"' in contenu
    assert 'data-duree-alerte="4"' in contenu


def test_pas_de_modale_pour_un_visiteur_anonyme(client):
    contenu = client.get(reverse("comptes:connexion")).content.decode()

    assert "session-modale" not in contenu
    assert "session.js" not in contenu


def test_prolonger_la_session_repond_204_et_renouvelle_le_cookie(connecte):
    reponse = connecte.post(reverse("comptes:prolonger_session"))

    assert reponse.status_code == 204
    assert reponse.content == b""
    assert settings.SESSION_COOKIE_NAME in reponse.cookies


def test_prolonger_la_session_refuse_get(connecte):
    assert connecte.get(reverse("comptes:prolonger_session")).status_code == 405


def test_prolonger_la_session_refuse_un_anonyme_par_403(client):
    assert client.post(reverse("comptes:prolonger_session")).status_code == 403


def test_prolonger_la_session_exige_le_jeton_csrf():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UtilisateurFactory())
    page = client.get(reverse("comptes:profil")).content.decode()
    jeton = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)

    assert client.post(reverse("comptes:prolonger_session")).status_code == 403
    reponse = client.post(reverse("comptes:prolonger_session"), headers={"X-CSRFToken": jeton})
    assert reponse.status_code == 204


def test_la_page_de_connexion_explique_l_expiration(client):
    reponse = client.get(reverse("comptes:connexion"), {"next": "/compte/profil/", "expiree": "1"})

    contenu = reponse.content.decode()
    assert (
        "Votre session a expiré après 30 minutes d'inactivité. Reconnectez-vous pour reprendre."
        in contenu
    )
    assert 'name="next" value="/compte/profil/"' in contenu


def test_la_duree_annoncee_suit_les_reglages(client, settings):
    settings.SESSION_COOKIE_AGE = 6

    contenu = client.get(reverse("comptes:connexion"), {"expiree": "1"}).content.decode()

    assert "Votre session a expiré après 6 secondes d'inactivité." in contenu


def test_sans_expiration_pas_de_message(client):
    assert "Votre session a expiré" not in client.get(reverse("comptes:connexion")).content.decode()


def _ecritures_de_session(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in requetes.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")
    ]


def test_une_page_ne_reecrit_pas_la_session_a_chaque_requete(connecte):
    url = reverse("comptes:profil")
    connecte.get(url)

    assert _ecritures_de_session(connecte, url) == []


def test_la_session_est_renouvelee_apres_une_minute_d_activite(connecte, settings):
    from django.contrib.sessions.models import Session

    from comptes.middleware import CLE_ACTIVITE

    url = reverse("comptes:profil")
    connecte.get(url)
    session = connecte.session
    session[CLE_ACTIVITE] -= settings.SESSION_ACTIVITE_SECONDES
    session.save()
    avant = Session.objects.get(session_key=session.session_key).expire_date

    assert _ecritures_de_session(connecte, url) != []
    assert Session.objects.get(session_key=session.session_key).expire_date > avant


def test_l_alerte_compte_le_temps_qui_reste_a_la_session(connecte, settings):
    from comptes.middleware import CLE_ACTIVITE

    url = reverse("comptes:profil")
    connecte.get(url)
    session = connecte.session
    session[CLE_ACTIVITE] -= 40
    session.save()

    contenu = connecte.get(url).content.decode()

    restant = int(re.search(r'data-duree-inactivite="(\d+)"', contenu).group(1))
    assert settings.SESSION_COOKIE_AGE - 42 <= restant <= settings.SESSION_COOKIE_AGE - 40


def test_prolonger_la_session_remet_le_compte_a_rebours_a_zero(connecte, settings):
    from comptes.middleware import CLE_ACTIVITE

    url = reverse("comptes:profil")
    connecte.get(url)
    session = connecte.session
    session[CLE_ACTIVITE] -= 40
    session.save()

    assert connecte.post(reverse("comptes:prolonger_session")).status_code == 204
    contenu = connecte.get(url).content.decode()

    restant = int(re.search(r'data-duree-inactivite="(\d+)"', contenu).group(1))
    assert restant >= settings.SESSION_COOKIE_AGE - 2
