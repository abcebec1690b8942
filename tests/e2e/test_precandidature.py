import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ateliers.models import Atelier, Phase
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.territoires.factories import DepartementFactory, EPCIFactory


@pytest.mark.django_db(transaction=True)
def test_une_ddt_ouvre_une_precandidature_et_la_dgaln_la_confirme(
    page, live_server, connecter, verifier_page, context, thematiques
):
    ddt = OrganisationFactory(ddt=True, nom="DDTM de la Gironde")
    EPCIFactory(nom="CC du Médoc Atlantique", departement=ddt.departement)
    voisin = DepartementFactory(nom="Landes")
    DepartementFactory(nom="Gers")
    EPCIFactory(nom="CC des Grands Lacs", departement=voisin)
    agent = UtilisateurFactory(organisations=[ddt], prenom="Sacha")
    dgaln = UtilisateurFactory(organisations=[OrganisationFactory(dgaln=True)], prenom="Noa")

    connecter(agent)
    page.get_by_role("link", name="Ateliers de mon territoire").click()
    page.get_by_role("link", name="Ouvrir une pré-candidature").click()
    verifier_page()

    page.get_by_label("Intitulé provisoire de l'atelier").fill("Le littoral du Médoc recule")
    page.get_by_label("Intention").fill("Anticiper le recul du trait de côte.")
    risques = page.get_by_label("Risques : érosion, inondation, sécheresse")
    risques.focus()
    page.keyboard.press("Space")
    expect(risques).to_be_checked()
    # Départements and EPCI are boxes ticked with Space, in lists filtered as one types.
    epcis = page.get_by_role("group", name=re.compile("^Intercommunalités"))
    expect(epcis.get_by_role("checkbox")).to_have_count(1)
    departements = page.get_by_role("group", name=re.compile("^Départements"))
    page.get_by_label("Filtrer la liste « Départements »").fill("land")
    expect(departements.get_by_label("Gers")).to_be_hidden()
    expect(departements.get_by_label(ddt.departement.nom)).to_be_checked()
    landes = departements.get_by_label("Landes")
    landes.focus()
    page.keyboard.press("Space")
    expect(landes).to_be_checked()
    expect(epcis.get_by_role("checkbox")).to_have_count(2)
    expect(epcis.locator(".fr-checkbox-group label")).to_have_text(
        ["CC des Grands Lacs", "CC du Médoc Atlantique"]
    )
    medoc = epcis.get_by_label("CC du Médoc Atlantique")
    medoc.focus()
    page.keyboard.press("Space")
    expect(medoc).to_be_checked()
    page.get_by_role("button", name="Ouvrir la pré-candidature").click()
    expect(page.get_by_text("Indiquez au moins un contact.")).to_be_visible()
    verifier_page()
    assert page.get_by_label("Intention").input_value() == "Anticiper le recul du trait de côte."

    premier = page.get_by_role("group", name="Contact 1")
    premier.get_by_label("Prénom et nom").fill("Sacha Essai")
    premier.get_by_label("Organisation").fill("DDTM de la Gironde")
    premier.get_by_label("Adresse électronique").fill("sacha@exemple.test")
    page.get_by_role("button", name="Ouvrir la pré-candidature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le littoral du Médoc recule")
    verifier_page()
    atelier = Atelier.objects.get()
    assert atelier.phase == Phase.PRE_CANDIDATURE
    assert {d.nom for d in atelier.departements.all()} == {ddt.departement.nom, "Landes"}
    assert [e.nom for e in atelier.epcis.all()] == ["CC du Médoc Atlantique"]

    context.clear_cookies()
    connecter(dgaln)
    page.goto(f"{live_server.url}/ateliers/?phase=pre_candidature")
    page.get_by_role("link", name=atelier.reference).click()
    expect(page.get_by_text("Anticiper le recul du trait de côte.")).to_be_visible()
    verifier_page()
    page.get_by_role("button", name="Confirmer l'opportunité").focus()
    page.keyboard.press("Enter")
    modale = page.get_by_role("dialog", name="Confirmer l'opportunité ?")
    expect(modale).to_be_visible()
    modale.get_by_role("button", name="Confirmer l'opportunité").click()
    expect(page.get_by_text("Opportunité confirmée. Les porteurs sont prévenus.")).to_be_visible()
    verifier_page()
    assert Atelier.objects.get().phase == Phase.CANDIDATURE
    assert any("Opportunité confirmée" in m.subject for m in mail.outbox)
