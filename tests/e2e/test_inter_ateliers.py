"""The groupement writes an inter-atelier with two attachments, its form refused then accepted,
and records the restitution; axe-core and the HTML checker on every page of the way."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ateliers.models import InterAtelier, Phase, Restitution
from ateliers.services.cadrage import cadrage_ouvrir
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.documents import fichiers_hostiles as h


@pytest.mark.django_db(transaction=True)
def test_le_groupement_ecrit_un_inter_atelier_et_enregistre_la_restitution(
    page, live_server, connecter, verifier_page
):
    ddt = OrganisationFactory(ddt=True)
    groupement = OrganisationFactory(groupement=True)
    atelier = AtelierFactory(
        phase=Phase.SESSION_1,
        service_pilote=ddt,
        groupement=groupement,
        departements=[ddt.departement],
    )
    cadrage_ouvrir(atelier=atelier, debut=timezone.localdate(), duree_mois=12)
    connecter(UtilisateurFactory(organisations=[groupement]))
    racine = f"{live_server.url}/ateliers/{atelier.pk}"

    page.goto(f"{racine}/cadrage/")
    page.get_by_role("link", name="Inter-ateliers", exact=True).click()
    expect(page.get_by_text("Aucun inter-atelier pour le moment")).to_be_visible()
    verifier_page()
    page.get_by_role("link", name="Écrire une entrée").click()
    verifier_page()
    page.get_by_label("Nature").select_option(InterAtelier.Nature.ENTRETIEN)
    hier = timezone.localdate() - datetime.timedelta(days=1)
    page.locator("#id_date").fill(hier.isoformat())
    page.get_by_label("Intitulé").fill("Entretien avec le syndicat mixte")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".fr-error-text").first).to_have_text(
        "Ce champ est demandé pour un entretien."
    )
    expect(page.get_by_label("Intitulé")).to_have_value("Entretien avec le syndicat mixte")
    verifier_page()
    page.get_by_label("Personne rencontrée").fill("Jeanne Morvan")
    page.get_by_label("Organisation").fill("Syndicat mixte du bassin")
    page.get_by_label("Synthèse").fill("Le syndicat attend un calendrier partagé.")
    page.get_by_label("Pièces jointes").set_input_files(
        [
            {"name": "notes.pdf", "mimeType": "application/pdf", "buffer": h.pdf_pypdf()},
            {"name": "carte.png", "mimeType": "image/png", "buffer": h.png()},
        ]
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Entretien avec le syndicat mixte")
    expect(page.get_by_role("link", name="carte.png")).to_be_visible()
    verifier_page()
    page.get_by_role("link", name="Retirer l’entrée").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Retirer l’entrée")
    verifier_page()
    page.goto(f"{racine}/inter-ateliers/?nature=entretien")
    expect(page.get_by_text("1 entrée correspond à vos filtres")).to_be_visible()
    verifier_page()

    page.goto(f"{racine}/restitution/")
    expect(page.get_by_text("La clôture se fera quand les cinq livrables")).to_be_visible()
    verifier_page()
    page.get_by_role("link", name="Enregistrer la restitution").click()
    verifier_page()
    page.get_by_label("Lieu").fill("Salle des fêtes")
    page.get_by_label("Public").fill("Élus et habitants")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La restitution est enregistrée.")).to_be_visible()
    verifier_page()
    assert Restitution.objects.get(atelier=atelier).lieu == "Salle des fêtes"
