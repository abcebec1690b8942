"""The clôture's pages: its confirmation for each role, what it says is missing, the atelier's
page and « à traiter » of the pilot once the atelier is ready, the restitution's link."""

import html

import pytest
from django.urls import reverse

from ateliers.models import Atelier, Phase
from ateliers.selectors import a_traiter_pks
from livrables.models import TypeLivrable
from livrables.selectors.attentes_cloture import attentes_cloture
from livrables.services import atelier_cloturer
from tests.livrables.cloture import en_restitution, pret_a_clore, valider
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db


def url(atelier):
    return reverse("livrables:cloturer", args=[atelier.pk])


def page_atelier(atelier):
    return reverse("portail:atelier", args=[atelier.pk])


@pytest.mark.parametrize(
    ("qui", "attendu"),
    [
        ("pilote", 200),
        ("porteuse", 403),
        ("groupement", 403),
        ("dgaln", 403),
        ("dreal", 403),
        ("autre_groupement", 404),
    ],
)
def test_la_confirmation_par_role(client, liv, qui, attendu):
    liv.atelier = pret_a_clore(liv.atelier)
    client.force_login(getattr(liv, qui))
    assert client.get(url(liv.atelier)).status_code == attendu
    reponse = client.post(url(liv.atelier), {"vu": Phase.RESTITUTION})
    assert reponse.status_code == (302 if qui == "pilote" else attendu)
    phase = Atelier.objects.get(pk=liv.atelier.pk).phase
    assert phase == (Phase.CLOTURE if qui == "pilote" else Phase.RESTITUTION)


def test_la_confirmation_demande_une_connexion(client, liv):
    reponse = client.get(url(liv.atelier))
    assert reponse.status_code == 302 and "connexion" in reponse.url


def test_la_confirmation_dit_ce_qui_manque_sans_bouton(client, liv):
    liv.atelier = en_restitution(liv.atelier)
    valider(liv.atelier, TypeLivrable.NOTE_CADRAGE)
    client.force_login(liv.pilote)
    page = html.unescape(client.get(url(liv.atelier)).text)
    assert "L’atelier ne peut pas encore être clôturé" in page
    assert (
        "Les livrables non validés : carnet de suivi, rapport final, feuille de route, livret "
        "de capitalisation." in page
    )
    assert "La restitution n'est pas tenue." in page
    assert "Confirmer : clôturer l'atelier" not in page


def test_la_confirmation_dit_ce_qui_va_se_passer(client, liv):
    liv.atelier = pret_a_clore(liv.atelier)
    client.force_login(liv.pilote)
    page = html.unescape(client.get(url(liv.atelier)).text)
    assert "livret de capitalisation et la feuille de route validés deviendront publiables" in page
    assert "Confirmer : clôturer l'atelier" in page
    assert '<input type="hidden" name="vu" value="restitution">' in page


def test_le_pilote_cloture_depuis_la_confirmation(client, liv):
    liv.atelier = pret_a_clore(liv.atelier)
    client.force_login(liv.pilote)
    reponse = client.post(
        url(liv.atelier), {"vu": "restitution", "cloturer-motif": "Comité final"}, follow=True
    )
    assert reponse.redirect_chain[-1][0] == page_atelier(liv.atelier)
    messages = [str(m) for m in reponse.context["messages"]]
    assert messages[0].startswith("Atelier clôturé : il ne se modifie plus")
    page = html.unescape(reponse.text)
    assert "Comité final" in page
    assert "Publiables dans le catalogue des ateliers" in page
    assert Atelier.objects.get(pk=liv.atelier.pk).phase == Phase.CLOTURE


def test_un_envoi_qui_manque_de_quelque_chose_est_explique(client, liv):
    liv.atelier = en_restitution(liv.atelier)
    client.force_login(liv.pilote)
    reponse = client.post(url(liv.atelier), {"vu": "restitution"}, follow=True)
    (message,) = [str(m) for m in reponse.context["messages"]]
    assert message.startswith("L'atelier ne peut pas encore être clôturé. Il manque : ")
    assert Atelier.objects.get(pk=liv.atelier.pk).phase == Phase.RESTITUTION


@pytest.mark.parametrize("vu", ["", "session_3", "x" * 500])
def test_une_page_perimee_ou_forgee_ne_cloture_pas(client, liv, vu):
    liv.atelier = pret_a_clore(liv.atelier)
    client.force_login(liv.pilote)
    reponse = client.post(url(liv.atelier), {"vu": vu}, follow=True)
    assert "La page a été mise à jour" in html.unescape(reponse.text)
    assert Atelier.objects.get(pk=liv.atelier.pk).phase == Phase.RESTITUTION


def test_hors_de_la_restitution_la_confirmation_renvoie_a_l_atelier(client, liv):
    client.force_login(liv.pilote)
    reponse = client.get(url(liv.atelier), follow=True)
    assert reponse.redirect_chain[-1][0] == page_atelier(liv.atelier)
    assert "Cette action n'est pas possible" in html.unescape(reponse.text)


def test_la_page_de_l_atelier_et_a_traiter_du_pilote(client, liv):
    liv.atelier = en_restitution(liv.atelier)
    client.force_login(liv.pilote)
    page = html.unescape(client.get(page_atelier(liv.atelier)).text)
    assert 'id="cloture"' in page
    assert "La clôture de l’atelier attend encore" in page
    assert "Confirmer : clôturer l'atelier" not in page
    accueil = html.unescape(client.get(reverse("portail:accueil")).text)
    assert "clôturer l'atelier" not in accueil.lower()
    liv.atelier = pret_a_clore(liv.atelier)
    page = html.unescape(client.get(page_atelier(liv.atelier)).text)
    assert "Confirmer : clôturer l'atelier" in page
    assert reverse("livrables:cloturer", args=[liv.atelier.pk]) in page
    accueil = html.unescape(client.get(reverse("portail:accueil")).text)
    assert "clôturer l'atelier" in accueil.lower()
    a_traiter = client.get(reverse("portail:ateliers"), {"a_traiter": "on"})
    assert list(a_traiter.context["ateliers"]) == [liv.atelier]


@pytest.mark.parametrize("qui", ["porteuse", "groupement", "dgaln"])
def test_les_autres_lisent_la_cloture_sans_bouton(client, liv, qui):
    liv.atelier = pret_a_clore(liv.atelier)
    client.force_login(getattr(liv, qui))
    page = html.unescape(client.get(page_atelier(liv.atelier)).text)
    assert "le service pilote peut clôturer l’atelier" in page
    assert "Confirmer : clôturer l'atelier" not in page
    atelier_cloturer(atelier=liv.atelier, par=liv.pilote, vu=Phase.RESTITUTION)
    page = html.unescape(client.get(page_atelier(liv.atelier)).text)
    assert "L’atelier a été clôturé le" in page


def test_la_restitution_mene_a_la_cloture(client, liv):
    liv.atelier = en_restitution(liv.atelier)
    lien = f'href="{url(liv.atelier)}"'
    client.force_login(liv.pilote)
    assert lien in client.get(reverse("ateliers:restitution", args=[liv.atelier.pk])).text
    client.force_login(liv.groupement)
    page = client.get(reverse("ateliers:restitution", args=[liv.atelier.pk])).text
    assert lien not in page
    assert reverse("livrables:livrables", args=[liv.atelier.pk]) in page


def test_a_traiter_du_pilote_en_requetes_constantes(client, liv):
    from tests.ateliers.factories import AtelierFactory

    def ateliers(nombre):
        for _ in range(nombre):
            pret_a_clore(AtelierFactory(service_pilote=liv.atelier.service_pilote))

    client.force_login(liv.pilote)
    ateliers(5)
    avec_n = nombre_de_requetes(client, reverse("portail:accueil"))
    ateliers(5)
    assert nombre_de_requetes(client, reverse("portail:accueil")) == avec_n
    prets = a_traiter_pks(attentes_cloture(liv.pilote))
    assert len(prets) == 10 and liv.atelier.pk not in {p["pk"] for p in prets}
    assert attentes_cloture(liv.porteuse) == attentes_cloture(liv.groupement) == []
