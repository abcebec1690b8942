"""A session from its planning to its validated compte-rendu, in Chromium, by the pilot and
the groupement, axe-core and the Nu Html Checker on every page: the atelier then is in
session 2."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ateliers.models import Atelier, Phase, Session
from ateliers.services.cadrage import cadrage_ouvrir
from comptes.dates import date_longue
from tests.ateliers.sessions.factories import SessionFactory
from tests.comptes.factories import UtilisateurFactory
from tests.e2e.test_candidature import suivre


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def confirmer(page, verifier_page, lien):
    """Follow the step's link to its confirmation page, and confirm it from the keyboard."""
    suivre(page, page.get_by_role("link", name=lien))
    verifier_page()
    page.get_by_role("button", name=f"Confirmer : {lien.lower()}").press("Enter")
    page.wait_for_load_state("load")
    verifier_page()


@pytest.mark.django_db(transaction=True)
def test_une_session_de_sa_planification_a_son_compte_rendu_valide(
    page, live_server, connecter, verifier_page
):
    session = SessionFactory()
    atelier = session.atelier
    cadrage_ouvrir(atelier=atelier, debut=timezone.localdate(), duree_mois=12)
    pilote = UtilisateurFactory(organisations=[atelier.service_pilote])
    groupement = UtilisateurFactory(organisations=[atelier.groupement])
    adresse = f"{live_server.url}/ateliers/sessions/{session.pk}/"

    connecter(pilote)
    page.goto(f"{live_server.url}/ateliers/{atelier.pk}/")
    verifier_page()
    suivre(page, page.get_by_role("link", name="Session 1 : diagnostic et enjeux"))
    verifier_page()

    suivre(page, page.get_by_role("link", name="Planifier la session"))
    verifier_page()
    page.get_by_label("Premier jour").fill(timezone.localdate().isoformat())
    page.get_by_label("Heure de début").fill("09:30")
    page.get_by_label("Heure de fin").fill("17:00")
    page.get_by_label("Lieu").fill("Salle du conseil communautaire")
    page.get_by_label("Commune").fill("Arles")
    page.get_by_role("button", name="Enregistrer").press("Enter")
    expect(page.get_by_text("Session planifiée")).to_be_visible()
    verifier_page()

    suivre(page, page.get_by_role("link", name="Inviter un participant"))
    verifier_page()
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Essai")
    page.get_by_label("Adresse électronique").fill("camille.essai@exemple.test")
    page.get_by_label("Collège").select_option(label="Habitants")
    page.get_by_role("button", name="Enregistrer").press("Enter")
    expect(page.get_by_text("Camille Essai est invité(e) à la session.")).to_be_visible()
    verifier_page()

    confirmer(page, verifier_page, "Envoyer les convocations")
    expect(page.get_by_text("Convocations envoyées.")).to_be_visible()
    suivre(page, page.get_by_role("link", name="Feuille de présence à imprimer"))
    verifier_page()
    page.goto(adresse)
    confirmer(page, verifier_page, "Déclarer la session tenue")
    expect(page.get_by_text("Session tenue.")).to_be_visible()
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.SESSION_2

    suivre(page, page.get_by_role("link", name="Relever les présences"))
    verifier_page()
    page.get_by_label("Présent", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Enregistrer les présences").press("Enter")
    expect(page.get_by_text("Présences relevées : 1 présent(s).")).to_be_visible()
    verifier_page()

    page.context.clear_cookies()
    connecter(groupement)
    page.goto(adresse)
    suivre(page, page.get_by_role("link", name="Rédiger le compte-rendu"))
    verifier_page()
    page.get_by_label("Synthèse").fill("Un territoire qui vit avec l'eau.")
    page.get_by_label("Proposition", exact=True).first.fill("Un observatoire des crues")
    page.get_by_role("button", name="Enregistrer le compte-rendu").press("Enter")
    expect(page.get_by_text("Compte-rendu enregistré")).to_be_visible()
    verifier_page()

    page.context.clear_cookies()
    connecter(pilote)
    page.goto(adresse)
    confirmer(page, verifier_page, "Valider le compte-rendu")
    expect(page.get_by_text("Compte-rendu validé.")).to_be_visible()
    expect(page.get_by_text("Un observatoire des crues")).to_be_visible()
    session.refresh_from_db()
    assert session.statut == Session.Statut.COMPTE_RENDU_VALIDE
    assert session.date == timezone.localdate()
    # The calendar says session 1 was held today, and the atelier is in session 2.
    page.goto(f"{live_server.url}/ateliers/{atelier.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    suivre(page, page.get_by_role("link", name="Calendrier de l’atelier : prévu et réalisé"))
    ligne = page.get_by_role("row", name="Session 1 : diagnostic et enjeux")
    expect(ligne).to_contain_text(date_longue(timezone.localdate()))
    expect(page.get_by_text("Session 2 : stratégie.")).to_be_visible()
    verifier_page()


@pytest.mark.django_db(transaction=True)
def test_le_programme_la_logistique_et_le_report(page, live_server, connecter, verifier_page):
    session = SessionFactory(statut=Session.Statut.PLANIFIEE)
    atelier = session.atelier
    adresse = f"{live_server.url}/ateliers/sessions/{session.pk}/"

    connecter(UtilisateurFactory(organisations=[atelier.groupement]))
    page.goto(adresse)
    verifier_page()
    suivre(page, page.get_by_role("link", name="Écrire le programme"))
    verifier_page()
    page.get_by_label("Intitulé").first.fill("Accueil et tour de table")
    page.get_by_role("button", name="Enregistrer le programme").press("Enter")
    expect(page.get_by_text("Programme enregistré.")).to_be_visible()
    expect(page.get_by_text("Accueil et tour de table")).to_be_visible()
    verifier_page()

    page.context.clear_cookies()
    connecter(UtilisateurFactory(organisations=[atelier.collectivites.first()]))
    page.goto(adresse)
    suivre(page, page.get_by_role("link", name="Ajouter une ligne de logistique"))
    verifier_page()
    page.get_by_label("Poste").select_option(label="Restauration")
    page.get_by_label("Description").fill("Déjeuner sur place")
    page.get_by_label("Payée par").select_option(index=1)
    page.get_by_label("Coût estimé (€ TTC)").fill("450")
    page.get_by_role("button", name="Enregistrer").press("Enter")
    expect(page.get_by_text("Logistique enregistrée.")).to_be_visible()
    expect(page.get_by_role("cell", name="450\u00a0€")).to_be_visible()
    verifier_page()

    page.context.clear_cookies()
    connecter(UtilisateurFactory(organisations=[atelier.service_pilote]))
    page.goto(adresse)
    suivre(page, page.get_by_role("link", name="Reporter la session"))
    verifier_page()
    page.get_by_label("Motif").fill("La salle est indisponible ce jour-là.")
    page.get_by_role("button", name="Confirmer : reporter la session").press("Enter")
    expect(page.get_by_text("Session reportée.")).to_be_visible()
    expect(page.get_by_text("La session est reportée : La salle est indisponible")).to_be_visible()
    verifier_page()
    suivre(page, page.get_by_role("link", name="Fixer les nouvelles dates"))
    verifier_page()
