"""The cadrage in Chromium, from the keyboard, axe-core and the HTML checker on every page: the
groupement records the réunion (a mistake first), the pilot moves a date of the calendar and
closes the cadrage; the atelier is then in session 1, and its calendar says the cadrage is done."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ateliers.models import Atelier, Phase
from ateliers.services.cadrage import cadrage_ouvrir
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.e2e.test_candidature import appuyer, pdf, suivre


@pytest.mark.django_db(transaction=True)
def test_le_groupement_et_le_pilote_tiennent_le_cadrage(
    page, live_server, connecter, verifier_page
):
    ddt = OrganisationFactory(ddt=True)
    groupement = OrganisationFactory(groupement=True, nom="Groupement Paysages & Co")
    atelier = AtelierFactory(
        phase=Phase.CADRAGE,
        service_pilote=ddt,
        groupement=groupement,
        intitule="Vallée verte",
        departements=[ddt.departement],
    )
    cadrage_ouvrir(atelier=atelier, debut=timezone.localdate(), duree_mois=12)
    pilote = UtilisateurFactory(organisations=[ddt])
    redacteur = UtilisateurFactory(organisations=[groupement])

    connecter(redacteur)
    page.goto(f"{live_server.url}/ateliers/{atelier.pk}/cadrage/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cadrage de l’atelier")
    verifier_page()
    suivre(page, page.get_by_role("link", name="Modifier la réunion de cadrage"))
    verifier_page()
    page.get_by_label("Heure de début").fill("09:30")
    page.get_by_label("Lieu").fill("Salle du conseil communautaire")
    appuyer(page, page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_role("link", name="Date de la réunion : Indiquez la date")).to_be_visible()
    expect(page.get_by_label("Lieu")).to_have_value("Salle du conseil communautaire")
    verifier_page()
    hier = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Date de la réunion").fill(hier.isoformat())
    page.get_by_label("Compte-rendu").fill("Les enjeux du territoire sont partagés.")
    page.get_by_label("Présentation du groupement").set_input_files(
        pdf("presentation.pdf", "Presentation du groupement")
    )
    appuyer(page, page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_text("La réunion de cadrage est enregistrée.")).to_be_visible()
    expect(page.get_by_role("link", name="presentation.pdf")).to_be_visible()
    expect(page.get_by_role("link", name="Clore le cadrage")).to_have_count(0)
    verifier_page()

    page.context.clear_cookies()
    connecter(pilote)
    page.goto(f"{live_server.url}/ateliers/{atelier.pk}/")
    verifier_page()
    suivre(page, page.get_by_role("link", name="Réunion de cadrage et calendrier prévisionnel"))
    suivre(page, page.get_by_role("link", name="Modifier le calendrier"))
    verifier_page()
    champ = page.get_by_label("Session 1 : diagnostic et enjeux")
    champ.fill((timezone.localdate() - datetime.timedelta(days=30)).isoformat())
    appuyer(page, page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_text("ne peut pas être prévue avant")).to_be_visible()
    verifier_page()
    champ.fill((timezone.localdate() + datetime.timedelta(days=60)).isoformat())
    appuyer(page, page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_text("1 date(s) modifiée(s)")).to_be_visible()
    verifier_page()
    suivre(page, page.get_by_role("link", name="Clore le cadrage"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Clore le cadrage ?")
    verifier_page()
    appuyer(page, page.get_by_role("button", name="Confirmer : clore le cadrage"))
    expect(page.get_by_text("Cadrage clos : l'atelier passe à la session 1.")).to_be_visible()
    verifier_page()
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.SESSION_1
    suivre(page, page.get_by_role("link", name="Le calendrier de l’atelier : prévu et réalisé"))
    expect(page.get_by_role("img", name="Frise du calendrier")).to_be_visible()
    ligne = page.get_by_role("row", name="Réunion de cadrage")
    expect(ligne).to_contain_text("Fait")
    verifier_page()
