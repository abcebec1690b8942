"""axe-core and the HTML checker on the pages that no journey visits: legal pages, errors,
filtered and empty lists, the confirmation page of an action (the path without JavaScript), the
review queue on a 1 280-pixel screen."""

import re

import pytest
from playwright.sync_api import expect

from ateliers.models import Phase
from candidatures.models import Thematique
from tests.ateliers.factories import AtelierFactory
from tests.candidatures.factories import CandidatureFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory

PAGES_PUBLIQUES = [
    ("/accessibilite/", "accessibilité"),
    ("/mentions-legales/", "Mentions légales"),
    ("/donnees-personnelles/", "Données personnelles"),
    ("/plan-du-site/", "Plan du site"),
    ("/page-qui-n-existe-pas/", "Page non trouvée"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("chemin", "titre"), PAGES_PUBLIQUES)
def test_les_pages_publiques_sont_accessibles(page, live_server, verifier_page, chemin, titre):
    page.goto(f"{live_server.url}{chemin}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(titre)
    verifier_page()


@pytest.mark.django_db(transaction=True)
def test_listes_filtrees_vides_et_confirmation_sans_javascript(
    page, live_server, connecter, verifier_page
):
    ddt = OrganisationFactory(ddt=True)
    pilote = UtilisateurFactory(organisations=[ddt])
    atelier = AtelierFactory(phase=Phase.SESSION_3, service_pilote=ddt, intitule="Vallée verte")
    connecter(pilote)

    page.goto(f"{live_server.url}/ateliers/?phase=session_3&tri=-intitule")
    expect(page.get_by_role("link", name=atelier.reference)).to_be_visible()
    verifier_page()
    page.goto(f"{live_server.url}/ateliers/?q=introuvable")
    expect(page.get_by_text("Aucun atelier ne correspond à ces filtres")).to_be_visible()
    verifier_page()
    page.goto(f"{live_server.url}/ateliers/?annee=abc")
    expect(page.get_by_text("Sélectionnez un choix valide")).to_be_visible()
    verifier_page()

    page.goto(f"{live_server.url}/ateliers/{atelier.pk}/action/abandonner/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Abandonner l'atelier ?")
    verifier_page()
    page.get_by_label("Motif").fill("   ")
    page.get_by_role("button", name="Confirmer : abandonner l'atelier").click()
    expect(page.get_by_role("link", name="Motif : Indiquez le motif")).to_have_attribute(
        "href", "#id_abandonner-motif"
    )
    expect(page.locator(".fr-error-text")).to_have_text(
        "Indiquez le motif : il sera conservé dans le journal."
    )
    verifier_page()


@pytest.mark.django_db(transaction=True)
def test_la_file_d_instruction_tient_dans_un_ecran_de_1280_pixels(
    page, live_server, connecter, verifier_page, thematiques
):
    CandidatureFactory(deposee=True, objet__thematiques=list(Thematique.objects.all()))
    page.set_viewport_size({"width": 1280, "height": 900})
    connecter(UtilisateurFactory(organisations=[OrganisationFactory(dgaln=True)]))

    page.goto(f"{live_server.url}/candidatures/a-instruire/")
    expect(page.get_by_role("combobox", name=re.compile("^État"))).to_have_class("fr-select")
    tableau = page.locator(".fr-table__container")
    largeurs = tableau.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert largeurs[0] <= largeurs[1], f"tableau de {largeurs[0]} px dans {largeurs[1]} px"
    verifier_page()
