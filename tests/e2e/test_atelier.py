import pytest
from playwright.sync_api import expect

from ateliers.models import Atelier, Phase
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.livrables.cloture import pret_a_clore


@pytest.mark.django_db(transaction=True)
def test_un_pilote_ddt_ouvre_son_atelier_et_le_fait_avancer_au_clavier(
    page, live_server, connecter, verifier_page
):
    ddt = OrganisationFactory(ddt=True, nom="DDTM d'essai")
    collectivite = OrganisationFactory(
        nom="Communauté de communes du Littoral", departement=ddt.departement
    )
    pilote = UtilisateurFactory(organisations=[ddt], prenom="Lou")
    atelier = AtelierFactory(
        phase=Phase.RESTITUTION,
        service_pilote=ddt,
        collectivites=[collectivite],
        intitule="Littoral en transition",
    )
    AtelierFactory(intitule="Atelier d'un autre territoire")
    # Its five livrables validated, its restitution held: its pilot may close it.
    pret_a_clore(atelier)

    connecter(pilote)
    expect(page.get_by_text("Un atelier attend votre action")).to_be_visible()

    page.get_by_role("link", name="Ateliers de mon territoire").click()
    verifier_page()
    expect(page.get_by_text("Atelier d'un autre territoire")).to_have_count(0)
    page.get_by_role("link", name=atelier.reference).click()
    verifier_page()
    expect(page.get_by_role("heading", level=1)).to_have_text("Littoral en transition")
    expect(page.get_by_text("Communauté de communes du Littoral")).to_be_visible()

    # The clôture, which livrables owns, offered on the atelier's page once it is ready.
    page.get_by_role("button", name="Clôturer l'atelier").focus()
    page.keyboard.press("Enter")
    modale = page.get_by_role("dialog", name="Clôturer l'atelier ?")
    expect(modale).to_be_visible()
    verifier_page()
    modale.get_by_label("Commentaire").fill("Restitution tenue le 3 février")
    modale.get_by_role("button", name="Confirmer : clôturer l'atelier").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Atelier clôturé : il ne se modifie plus")).to_be_visible()
    expect(page.get_by_text("Restitution tenue le 3 février")).to_be_visible()
    verifier_page()
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.CLOTURE
