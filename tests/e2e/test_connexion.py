"""Logging in and out in Chromium, and the idle-session warning that lets the user stay."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.comptes.factories import OrganisationFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_se_connecter_voir_son_compte_et_se_deconnecter(
    page, live_server, connecter, verifier_page
):
    utilisateur = UtilisateurFactory(
        prenom="Lou",
        nom="Essai",
        organisations=[OrganisationFactory(nom="Communauté de communes du Trièves")],
    )

    connecter(utilisateur)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Lou")
    page.get_by_role("link", name="Lou Essai").click()
    expect(page).to_have_url(f"{live_server.url}/compte/profil/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.get_by_role("cell", name="Communauté de communes du Trièves")).to_be_visible()
    verifier_page()

    page.get_by_role("button", name="Se déconnecter").click()

    expect(page).to_have_url(f"{live_server.url}/compte/connexion/")
    expect(page.get_by_text("Déconnexion effectuée.")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    verifier_page()


def test_une_erreur_de_connexion_est_resumee_et_accessible(page, live_server, verifier_page):
    utilisateur = UtilisateurFactory()
    page.goto(f"{live_server.url}/compte/connexion/")

    page.get_by_label("Adresse électronique").fill(utilisateur.email)
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()

    alerte = page.get_by_role("alert")
    expect(alerte).to_contain_text("Le formulaire contient 1 erreur")
    expect(alerte).to_contain_text("Adresse électronique ou mot de passe incorrect.")
    expect(page.get_by_label("Adresse électronique")).to_have_value(utilisateur.email)
    verifier_page()


def test_la_session_previent_se_prolonge_au_clavier_puis_expire(
    page, live_server, connecter, verifier_page, settings
):
    utilisateur = UtilisateurFactory()
    connecter(utilisateur)
    settings.SESSION_COOKIE_AGE = 6
    settings.SESSION_WARNING_SECONDS = 4
    profil = f"{live_server.url}/compte/profil/"

    page.goto(profil)
    chargee = time.monotonic()
    modale = page.get_by_role("dialog", name="Votre session va bientôt expirer")
    expect(modale).to_be_visible(timeout=5000)
    expect(modale).to_contain_text("Votre session expire dans moins de 15 secondes.")
    rester = modale.get_by_role("button", name="Rester connecté")
    for _ in range(6):
        if rester.evaluate("bouton => bouton === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(rester).to_be_focused()
    with page.expect_response(re.compile(r"/compte/session/prolonger/$")) as prolongation:
        page.keyboard.press("Enter")
    assert prolongation.value.status == 204
    expect(modale).to_be_hidden()

    # Past the end of the session as it stood when the page was loaded: still logged in.
    page.wait_for_timeout(max(0.0, chargee + 6.5 - time.monotonic()) * 1000)
    page.reload()
    expect(page).to_have_url(profil)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")

    expect(modale).to_be_visible(timeout=5000)
    expect(page).to_have_url(
        f"{live_server.url}/compte/connexion/?next=%2Fcompte%2Fprofil%2F&expiree=1",
        timeout=10000,
    )
    expect(
        page.get_by_text(
            "Votre session a expiré après 6 secondes d'inactivité. Reconnectez-vous pour reprendre."
        )
    ).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    verifier_page()


def test_la_modale_de_session_est_accessible_et_echap_prolonge(
    page, live_server, connecter, verifier_page, settings
):
    connecter(UtilisateurFactory())
    settings.SESSION_COOKIE_AGE = 60
    settings.SESSION_WARNING_SECONDS = 58

    page.goto(f"{live_server.url}/compte/profil/")
    modale = page.get_by_role("dialog", name="Votre session va bientôt expirer")
    expect(modale).to_be_visible(timeout=5000)
    expect(modale).to_contain_text("Votre session expire dans")
    expect(modale.get_by_role("button", name="Fermer")).to_be_focused()
    verifier_page()

    with page.expect_response(re.compile(r"/compte/session/prolonger/$")) as prolongation:
        page.keyboard.press("Escape")

    assert prolongation.value.status == 204
    expect(modale).to_be_hidden()
