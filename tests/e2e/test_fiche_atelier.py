import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ateliers.models import Phase
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db(transaction=True)
def test_la_fiche_atelier_se_demande_et_se_telecharge_en_pdf(
    page, live_server, connecter, verifier_page
):
    ddt = OrganisationFactory(ddt=True, nom="DDT de la Creuse")
    collectivite = OrganisationFactory(nom="Creuse Grand Sud", departement=ddt.departement)
    pilote = UtilisateurFactory(organisations=[ddt])
    atelier = AtelierFactory(
        phase=Phase.SESSION_1,
        service_pilote=ddt,
        collectivites=[collectivite],
        intitule="Plateau de Millevaches : habiter la montagne",
    )
    connecter(pilote)
    page.goto(f"{live_server.url}/ateliers/{atelier.pk}/")
    verifier_page()

    page.get_by_role("button", name="Produire la fiche PDF").focus()
    page.keyboard.press("Enter")
    lien = page.get_by_role("link", name=f"Télécharger « Fiche atelier {atelier.reference} »")
    expect(lien).to_be_visible(timeout=60_000)
    expect(page.get_by_text("La fiche de l'atelier est demandée")).to_be_visible()
    verifier_page()

    with page.expect_download() as attente:
        lien.click()
    telechargement = attente.value
    assert telechargement.suggested_filename == f"Fiche atelier {atelier.reference}.pdf"
    with open(telechargement.path(), "rb") as f:
        pdf = PdfReader(io.BytesIO(f.read()))
    texte = " ".join(p.extract_text() for p in pdf.pages)
    assert "Plateau de Millevaches" in " ".join(texte.split())
    assert "Creuse Grand Sud" in texte
