"""Login and lockout, logout, forgotten password, the account page."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from comptes.models import Courriel, Organisation
from tests.comptes.factories import MOT_DE_PASSE, OrganisationFactory, UtilisateurFactory
from tests.territoires.factories import DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db

NOUVEAU_MOT_DE_PASSE = "un-tout-nouveau-mot-de-passe-42"


def se_connecter(client, email, mot_de_passe):
    return client.post(reverse("comptes:connexion"), {"username": email, "password": mot_de_passe})


def test_la_page_de_connexion_demande_l_adresse_electronique(client):
    reponse = client.get(reverse("comptes:connexion"))

    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Adresse électronique" in contenu
    assert 'type="email"' in contenu
    assert 'autocomplete="email"' in contenu
    assert 'autocomplete="current-password"' in contenu


def test_une_connexion_reussie_mene_a_l_accueil(client):
    utilisateur = UtilisateurFactory(prenom="Lou", nom="Essai")

    reponse = se_connecter(client, utilisateur.email, MOT_DE_PASSE)

    assert reponse.status_code == 302
    assert reponse.url == reverse("portail:accueil")
    assert "Lou Essai" in client.get(reponse.url).content.decode()


def test_l_adresse_est_reconnue_quelle_que_soit_la_casse(client):
    utilisateur = UtilisateurFactory(email="lou.essai@exemple.test")

    reponse = se_connecter(client, "Lou.Essai@Exemple.TEST", MOT_DE_PASSE)

    assert reponse.status_code == 302
    assert client.session["_auth_user_id"] == str(utilisateur.pk)


def test_la_connexion_revient_a_la_page_demandee(client):
    utilisateur = UtilisateurFactory()

    reponse = client.post(
        reverse("comptes:connexion"),
        {"username": utilisateur.email, "password": MOT_DE_PASSE, "next": "/compte/profil/"},
    )

    assert reponse.url == "/compte/profil/"


@pytest.mark.parametrize("adresse_connue", [True, False])
def test_un_echec_ne_dit_pas_quel_champ_est_faux_et_garde_l_adresse(client, adresse_connue):
    utilisateur = UtilisateurFactory()
    email = utilisateur.email if adresse_connue else "inconnu@exemple.test"

    reponse = se_connecter(client, email, "pas-le-bon-mot-de-passe")

    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Adresse électronique ou mot de passe incorrect." in contenu
    assert f'value="{email}"' in contenu
    assert "pas-le-bon-mot-de-passe" not in contenu
    assert "_auth_user_id" not in client.session


def test_cinq_echecs_bloquent_le_compte_quinze_minutes(client):
    utilisateur = UtilisateurFactory()

    reponses = [se_connecter(client, utilisateur.email, "mauvais") for _ in range(5)]

    assert [r.status_code for r in reponses[:4]] == [200] * 4
    assert reponses[4].status_code == 429
    contenu = reponses[4].content.decode()
    assert "Compte temporairement bloqué" in contenu
    assert "pendant 15 minutes" in contenu
    assert reverse("comptes:mot_de_passe_oublie") in contenu
    bloque = se_connecter(client, utilisateur.email, MOT_DE_PASSE)
    assert bloque.status_code == 429
    assert "_auth_user_id" not in client.session


def test_la_deconnexion_se_fait_en_post_seulement(client):
    utilisateur = UtilisateurFactory()
    client.force_login(utilisateur)

    assert client.get(reverse("comptes:deconnexion")).status_code == 405
    assert "_auth_user_id" in client.session

    reponse = client.post(reverse("comptes:deconnexion"), follow=True)

    assert reponse.redirect_chain[-1][0] == reverse("comptes:connexion")
    assert "Déconnexion effectuée." in reponse.content.decode()
    assert "_auth_user_id" not in client.session


def _lien_du_courriel(corps):
    trouve = re.search(r"https?://[^/\s]+(/compte/mot-de-passe/[^\s]+/)", corps)
    assert trouve, corps
    return trouve.group(1)


def _changer_de_mot_de_passe(client, utilisateur, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("comptes:mot_de_passe_oublie"), {"email": utilisateur.email})
    assert reponse.url == reverse("comptes:mot_de_passe_envoye")
    assert len(mail.outbox) == 1
    lien = _lien_du_courriel(mail.outbox[0].body)
    formulaire = client.get(lien)
    assert formulaire.status_code == 302
    reponse = client.post(
        formulaire.url,
        {"new_password1": NOUVEAU_MOT_DE_PASSE, "new_password2": NOUVEAU_MOT_DE_PASSE},
    )
    assert reponse.url == reverse("comptes:mot_de_passe_modifie")


def test_le_mot_de_passe_oublie_envoie_un_lien_qui_marche(
    client, django_capture_on_commit_callbacks
):
    utilisateur = UtilisateurFactory(prenom="Alix")

    _changer_de_mot_de_passe(client, utilisateur, django_capture_on_commit_callbacks)

    courriel = mail.outbox[0]
    assert courriel.to == [utilisateur.email]
    assert courriel.subject == "Atelier Local : choisissez un nouveau mot de passe"
    assert courriel.body.startswith("Bonjour Alix,")
    assert "valable 3 jours" in courriel.body
    assert se_connecter(client, utilisateur.email, MOT_DE_PASSE).status_code == 200
    assert se_connecter(client, utilisateur.email, NOUVEAU_MOT_DE_PASSE).status_code == 302


def test_le_courriel_part_apres_le_commit_par_une_tache(client, django_capture_on_commit_callbacks):
    utilisateur = UtilisateurFactory()

    with django_capture_on_commit_callbacks() as rappels:
        client.post(reverse("comptes:mot_de_passe_oublie"), {"email": utilisateur.email})

    assert len(rappels) == 1
    assert mail.outbox == []


def test_une_adresse_inconnue_ne_recoit_rien_et_ne_se_trahit_pas(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("comptes:mot_de_passe_oublie"), {"email": "inconnu@exemple.test"}
        )

    assert reponse.url == reverse("comptes:mot_de_passe_envoye")
    assert mail.outbox == []


def test_un_lien_invalide_propose_d_en_demander_un_autre(client):
    reponse = client.get(
        reverse("comptes:mot_de_passe_confirmation", args=["MQ", "jeton-invalide"])
    )

    assert reponse.status_code == 200
    assert "Lien expiré ou déjà utilisé" in reponse.content.decode()


def test_un_nouveau_mot_de_passe_leve_le_blocage(client, django_capture_on_commit_callbacks):
    utilisateur = UtilisateurFactory()
    for _ in range(5):
        se_connecter(client, utilisateur.email, "mauvais")

    _changer_de_mot_de_passe(client, utilisateur, django_capture_on_commit_callbacks)

    assert se_connecter(client, utilisateur.email, NOUVEAU_MOT_DE_PASSE).status_code == 302


def test_un_mot_de_passe_trop_court_est_refuse_en_francais(client):
    utilisateur = UtilisateurFactory()
    uid = urlsafe_base64_encode(force_bytes(utilisateur.pk))
    lien = reverse(
        "comptes:mot_de_passe_confirmation",
        args=[uid, default_token_generator.make_token(utilisateur)],
    )
    formulaire = client.get(lien)

    reponse = client.post(formulaire.url, {"new_password1": "court", "new_password2": "court"})

    contenu = reponse.content.decode()
    assert "Au moins 12 caractères." in contenu
    assert "fr-input-group--error" in contenu
    assert 'href="#id_new_password2"' in contenu


def test_mon_compte_exige_d_etre_connecte(client):
    reponse = client.get(reverse("comptes:profil"))

    assert reponse.status_code == 302
    assert reponse.url == f"{reverse('comptes:connexion')}?next={reverse('comptes:profil')}"


def test_mon_compte_liste_les_organisations_avec_leur_territoire(client):
    region = RegionFactory(code="84", nom="Auvergne-Rhône-Alpes")
    departement = DepartementFactory(code="38", nom="Isère", region=region)
    ddt = OrganisationFactory(ddt=True, nom="DDT de l'Isère", departement=departement)
    epci = OrganisationFactory(nom="Grenoble-Alpes Métropole", departement=departement)
    utilisateur = UtilisateurFactory(
        prenom="Sacha", nom="Essai", email="sacha@exemple.test", organisations=[ddt, epci]
    )
    client.force_login(utilisateur)

    reponse = client.get(reverse("comptes:profil"))

    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "<h1>Mon compte</h1>" in contenu
    assert "Sacha Essai" in contenu
    assert "sacha@exemple.test" in contenu
    assert "DDT de l&#x27;Isère" in contenu
    assert "Grenoble-Alpes Métropole" in contenu
    assert Organisation.Type.DDT.label in contenu
    assert "Service déconcentré de l&#x27;État" in contenu
    assert "Collectivité" in contenu
    assert "Isère (38)" in contenu


def test_mon_compte_sans_organisation_l_explique(client):
    client.force_login(UtilisateurFactory())

    contenu = client.get(reverse("comptes:profil")).content.decode()

    assert "aucune organisation" in contenu


PROXY = "10.0.0.1"
ATTAQUANT = "203.0.113.5"
ALICE = "198.51.100.7"


def se_connecter_par(client, email, mot_de_passe, *, remote_addr, x_forwarded_for=None):
    entetes = {"REMOTE_ADDR": remote_addr}
    if x_forwarded_for is not None:
        entetes["HTTP_X_FORWARDED_FOR"] = x_forwarded_for
    return client.post(
        reverse("comptes:connexion"), {"username": email, "password": mot_de_passe}, **entetes
    )


def test_derriere_le_proxy_l_attaquant_ne_bloque_que_sa_propre_adresse(client, settings):
    settings.PROXIES_DE_CONFIANCE = 1
    alice = UtilisateurFactory()

    echecs = [
        se_connecter_par(client, alice.email, "mauvais", remote_addr=PROXY, x_forwarded_for=x)
        # The attacker also writes a header of their own: the proxy appends the real address.
        for x in [ATTAQUANT, f"{ALICE}, {ATTAQUANT}"] * 3
    ]

    assert echecs[4].status_code == 429
    assert echecs[5].status_code == 429
    reponse = se_connecter_par(
        client, alice.email, MOT_DE_PASSE, remote_addr=PROXY, x_forwarded_for=ALICE
    )
    assert reponse.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_sans_proxy_de_confiance_l_en_tete_du_client_est_ignore(client, settings):
    settings.PROXIES_DE_CONFIANCE = 0
    alice = UtilisateurFactory()

    for numero in range(5):
        se_connecter_par(
            client,
            alice.email,
            "mauvais",
            remote_addr=ATTAQUANT,
            x_forwarded_for=f"10.1.1.{numero}",
        )

    # A header the attacker writes neither moves the lock nor lets them out of it...
    bloque = se_connecter_par(
        client, alice.email, MOT_DE_PASSE, remote_addr=ATTAQUANT, x_forwarded_for=ALICE
    )
    assert bloque.status_code == 429
    # ...and Alice, from her own address, is not locked.
    reponse = se_connecter_par(client, alice.email, MOT_DE_PASSE, remote_addr=ALICE)
    assert reponse.status_code == 302


def test_pendant_une_panne_de_redis_l_adresse_connue_ou_non_recoit_la_meme_reponse(
    client, broker_injoignable, django_capture_on_commit_callbacks
):
    utilisateur = UtilisateurFactory()

    reponses = []
    for adresse in (utilisateur.email, "inconnu@exemple.test"):
        with django_capture_on_commit_callbacks(execute=True):
            reponses.append(client.post(reverse("comptes:mot_de_passe_oublie"), {"email": adresse}))

    envoye = reverse("comptes:mot_de_passe_envoye")
    assert [(r.status_code, r.url) for r in reponses] == [(302, envoye), (302, envoye)]
    assert mail.outbox == []
    courriel = Courriel.objects.get()
    assert (courriel.destinataire, courriel.etat) == (utilisateur.email, Courriel.Etat.EN_ATTENTE)
