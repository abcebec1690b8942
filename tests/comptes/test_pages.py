"""The pages every visitor meets: legal pages, footer, navigation by role, error pages, headers."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from comptes.models import Utilisateur
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.reponses import sans_jetons

pytestmark = pytest.mark.django_db

PAGES_LEGALES = [
    ("pages:accessibilite", "Déclaration d’accessibilité"),
    ("pages:mentions_legales", "Mentions légales"),
    ("pages:donnees_personnelles", "Données personnelles"),
    ("pages:plan_du_site", "Plan du site"),
]


@pytest.mark.parametrize(("nom", "titre"), PAGES_LEGALES)
def test_chaque_page_legale_est_publique(client, nom, titre):
    reponse = client.get(reverse(nom))

    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert f"<h1>{titre}</h1>" in contenu
    assert f"<title>{titre} — Atelier Local</title>" in contenu
    assert 'aria-current="page">' + titre in contenu


def test_la_declaration_d_accessibilite_est_honnete(client):
    contenu = client.get(reverse("pages:accessibilite")).content.decode()

    assert "<strong>non conforme</strong>" in contenu
    assert "RGAA), version 4.1" in contenu
    assert "Défenseur des droits" in contenu
    assert "aucun audit" in contenu


def test_les_donnees_personnelles_decrivent_les_cookies(client):
    contenu = client.get(reverse("pages:donnees_personnelles")).content.decode()

    assert "mission d’intérêt public" in contenu
    assert "cookie de session" in contenu
    assert "30 minutes sans activité" in contenu
    assert "CNIL" in contenu


def test_l_accueil_porte_les_liens_obligatoires_du_pied_de_page(client):
    contenu = client.get(reverse("portail:accueil")).content.decode()

    pied = contenu[contenu.index('<footer class="fr-footer"') :]
    for nom, libelle in [
        ("pages:accessibilite", "Accessibilité : non conforme"),
        ("pages:mentions_legales", "Mentions légales"),
        ("pages:donnees_personnelles", "Données personnelles"),
        ("pages:plan_du_site", "Plan du site"),
    ]:
        assert f'href="{reverse(nom)}">{libelle}</a>' in pied
    assert '<html lang="fr"' in contenu
    assert "Atelier des territoires – de la pré-candidature au livret de capitalisation" in contenu


def test_les_liens_d_evitement_menent_au_contenu_au_menu_et_au_pied_de_page(client):
    contenu = client.get(reverse("portail:accueil")).content.decode()

    for cible in ("content", "navigation-principale", "footer"):
        assert f'href="#{cible}"' in contenu
        assert f'id="{cible}"' in contenu


def test_aucun_script_ni_style_en_ligne(client):
    client.force_login(UtilisateurFactory(is_staff=True))

    for url in [
        reverse("portail:accueil"),
        reverse("comptes:profil"),
        reverse("pages:accessibilite"),
    ]:
        contenu = client.get(url).content.decode()
        assert " style=" not in contenu
        assert " onclick=" not in contenu
        for balise in re.findall(r"<script[^>]*>", contenu):
            assert " src=" in balise


def test_les_entetes_de_securite_sont_poses(client):
    reponse = client.get(reverse("portail:accueil"))

    politique = reponse.headers["Content-Security-Policy"]
    assert "script-src 'self'" in politique
    assert "style-src 'self'" in politique
    assert "frame-ancestors 'none'" in politique
    assert reponse.headers["X-Content-Type-Options"] == "nosniff"
    assert reponse.headers["X-Frame-Options"] == "DENY"


def liens_du_menu(contenu):
    menu = re.search(r'<nav class="fr-nav".*?</nav>', contenu, re.S).group(0)
    return re.findall(r'<a class="fr-nav__link" href="([^"]*)"([^>]*)>([^<]+)</a>', menu)


def libelles_du_menu(client, utilisateur):
    client.force_login(utilisateur)
    return [
        libelle
        for _, _, libelle in liens_du_menu(client.get(reverse("comptes:profil")).content.decode())
    ]


@pytest.mark.parametrize(
    ("traits", "attendus"),
    [
        ({}, ["Mes ateliers"]),
        ({"type": "commune"}, ["Mes ateliers"]),
        ({"ddt": True}, ["Ateliers de mon territoire", "À traiter", "Marchés subséquents"]),
        ({"dreal": True}, ["Ateliers de mon territoire", "À traiter", "Marchés subséquents"]),
        (
            {"dgaln": True},
            [
                "Pré-candidatures",
                "Candidatures à instruire",
                "Tous les ateliers",
                "Marchés subséquents",
                "Accords-cadres",
            ],
        ),
        ({"groupement": True}, ["Mes missions", "Mes consultations"]),
        ({"operateur": True}, ["Mes ateliers"]),
    ],
)
def test_chaque_role_voit_ses_liens_et_pas_ceux_des_autres(client, traits, attendus):
    utilisateur = UtilisateurFactory(organisations=[OrganisationFactory(**traits)])

    assert libelles_du_menu(client, utilisateur) == ["Accueil", *attendus]


def test_plusieurs_roles_voient_chaque_lien_une_fois(client):
    utilisateur = UtilisateurFactory(
        organisations=[
            OrganisationFactory(),
            OrganisationFactory(operateur=True),
            OrganisationFactory(ddt=True),
            OrganisationFactory(dgaln=True),
        ]
    )

    assert libelles_du_menu(client, utilisateur) == [
        "Accueil",
        "Mes ateliers",
        "Ateliers de mon territoire",
        "À traiter",
        "Pré-candidatures",
        "Candidatures à instruire",
        "Tous les ateliers",
        "Marchés subséquents",
        "Accords-cadres",
    ]


def test_l_administration_n_apparait_qu_aux_administrateurs(client):
    assert libelles_du_menu(client, UtilisateurFactory(is_staff=True)) == [
        "Accueil",
        "Accords-cadres",
        "Administration",
    ]
    assert libelles_du_menu(client, UtilisateurFactory()) == ["Accueil"]


def test_un_visiteur_anonyme_voit_l_accueil_et_se_connecter(client):
    contenu = client.get(reverse("pages:plan_du_site")).content.decode()

    assert [libelle for _, _, libelle in liens_du_menu(contenu)] == ["Accueil"]
    assert f'href="{reverse("comptes:connexion")}">Se connecter</a>' in contenu
    assert "Se déconnecter" not in contenu


def test_une_personne_connectee_voit_son_nom_et_la_deconnexion(client):
    client.force_login(UtilisateurFactory(prenom="Noa", nom="Essai"))

    contenu = client.get(reverse("pages:plan_du_site")).content.decode()

    assert f'href="{reverse("comptes:profil")}">Noa Essai</a>' in contenu
    deconnexion = re.search(
        rf'<form method="post" action="{reverse("comptes:deconnexion")}">(.*?)</form>',
        contenu,
        re.S,
    ).group(1)
    assert 'name="csrfmiddlewaretoken"' in deconnexion
    assert "Se déconnecter" in deconnexion


def test_les_liens_dgaln_menent_a_ses_files_et_marquent_la_page_courante(client):
    client.force_login(UtilisateurFactory(organisations=[OrganisationFactory(dgaln=True)]))
    liste = reverse("portail:ateliers")
    a_instruire = reverse("candidatures:a_instruire")

    liens = liens_du_menu(client.get(a_instruire).content.decode())

    assert [(href, libelle) for href, _, libelle in liens] == [
        (reverse("portail:accueil"), "Accueil"),
        (f"{liste}?phase=pre_candidature", "Pré-candidatures"),
        (a_instruire, "Candidatures à instruire"),
        (liste, "Tous les ateliers"),
        (reverse("marches:liste"), "Marchés subséquents"),
        (reverse("marches:accords_cadres"), "Accords-cadres"),
    ]
    courants = [libelle for _, attributs, libelle in liens if 'aria-current="page"' in attributs]
    assert courants == ["Candidatures à instruire"]
    liens = liens_du_menu(client.get(f"{liste}?phase=pre_candidature").content.decode())
    courants = [libelle for _, attributs, libelle in liens if 'aria-current="page"' in attributs]
    assert courants == ["Pré-candidatures"]


def test_un_seul_lien_courant_meme_avec_plusieurs_roles(client):
    client.force_login(
        UtilisateurFactory(organisations=[OrganisationFactory(), OrganisationFactory(ddt=True)])
    )

    liens = liens_du_menu(client.get(reverse("portail:ateliers")).content.decode())

    courants = [libelle for _, attributs, libelle in liens if 'aria-current="page"' in attributs]
    assert courants == ["Ateliers de mon territoire"]


def test_l_accueil_est_la_page_courante_a_la_racine(client):
    liens = liens_du_menu(client.get(reverse("portail:accueil")).content.decode())

    assert liens[0] == (reverse("portail:accueil"), ' aria-current="page"', "Accueil")


def test_la_page_404_est_la_meme_quelle_que_soit_la_cause(client):
    lecteur = UtilisateurFactory(organisations=[OrganisationFactory()])
    cache = AtelierFactory()
    client.force_login(lecteur)

    reponses = [
        client.get("/cette-page-n-existe-pas/"),
        client.get(reverse("portail:atelier", args=[cache.pk + 1000])),
        client.get(reverse("portail:atelier", args=[cache.pk])),
    ]

    assert [r.status_code for r in reponses] == [404, 404, 404]
    contenus = {sans_jetons(r.content.decode()) for r in reponses}
    assert len(contenus) == 1
    contenu = contenus.pop()
    assert "<h1>Page non trouvée</h1>" in contenu
    assert f'href="{reverse("portail:accueil")}">Page d’accueil</a>' in contenu
    assert cache.intitule not in contenu


def test_la_page_403_propose_de_se_connecter(client):
    reponse = client.post(reverse("comptes:prolonger_session"))

    assert reponse.status_code == 403
    contenu = reponse.content.decode()
    assert "<h1>Accès refusé</h1>" in contenu
    assert f'href="{reverse("comptes:connexion")}">Se connecter</a>' in contenu


def test_la_page_500_se_rend_sans_contexte():
    assert "<h1>Erreur inattendue</h1>" in render_to_string("500.html")

    reponse = server_error(RequestFactory().get("/"))

    assert reponse.status_code == 500
    contenu = reponse.content.decode()
    assert "<h1>Erreur inattendue</h1>" in contenu
    assert 'href="/">Page d’accueil</a>' in contenu
    assert "Accessibilité : non conforme" in contenu


def test_le_back_office_des_comptes_s_affiche(client):
    administrateur = UtilisateurFactory(is_staff=True, is_superuser=True)
    organisation = OrganisationFactory(groupement=True, nom="Groupement Paysages")
    UtilisateurFactory(organisations=[organisation])
    client.force_login(administrateur)

    for url in [
        reverse("admin:comptes_utilisateur_changelist") + "?q=exemple",
        reverse("admin:comptes_utilisateur_add"),
        reverse("admin:comptes_utilisateur_change", args=[administrateur.pk]),
        reverse("admin:comptes_organisation_changelist") + "?type=groupement",
        reverse("admin:comptes_organisation_change", args=[organisation.pk]),
        reverse("admin:comptes_organisation_history", args=[organisation.pk]),
        reverse("admin:comptes_adhesion_changelist"),
    ]:
        assert client.get(url).status_code == 200, url


def test_le_back_office_cree_un_compte_par_son_adresse(client):
    client.force_login(UtilisateurFactory(is_staff=True, is_superuser=True))

    reponse = client.post(
        reverse("admin:comptes_utilisateur_add"),
        {
            "email": "nouvelle.personne@exemple.test",
            "prenom": "Alix",
            "nom": "Nouvelle",
            "usable_password": "true",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
            "adhesions-TOTAL_FORMS": "0",
            "adhesions-INITIAL_FORMS": "0",
        },
    )

    assert reponse.status_code == 302
    cree = Utilisateur.objects.get(email="nouvelle.personne@exemple.test")
    assert cree.check_password("un-mot-de-passe-solide-42")
