"""Repeatable blocks of the note (Section 1 as the example): rows added, removed, checked."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Phase
from candidatures.forms import DocumentPlanificationLigne, RessourceDocumentaireLigne
from candidatures.models import Porteurs, manquants
from candidatures.parties import PARTIES_PAR_SLUG
from candidatures.selectors import contenu_lisible
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PARTIE = PARTIES_PAR_SLUG["porteurs"]


@pytest.fixture
def atelier():
    collectivite = OrganisationFactory(nom="Communauté du Val", siren="200012345")
    service = OrganisationFactory(ddt=True, nom="DDT du Val")
    return AtelierFactory(
        phase=Phase.CANDIDATURE, collectivites=[collectivite], service_pilote=service
    )


def url(atelier):
    return reverse("candidatures:partie", args=[atelier.pk, "porteurs"])


def ligne(n, **champs):
    return {
        "organisation": f"Commune {n}",
        "siren": f"21000000{n}",
        "elu": f"Maire {n}",
        "referent": f"Référent {n}",
        "referent_fonction": "Chargé de mission",
        "referent_courriel": f"ref{n}@exemple.fr",
        "referent_telephone": "",
        **champs,
    }


def donnees(version, lignes, *, total=None, initial=0, partenaires=(), **extra):
    data = {
        "version": version,
        "service_pilote": "DDT du Val",
        "referent_etat": "Claire Martin",
        "referent_etat_fonction": "",
        "referent_etat_courriel": "claire.martin@exemple.gouv.fr",
        "referent_etat_telephone": "",
        "operateur": "",
        "operateur_referent": "",
        "collectivites-TOTAL_FORMS": total if total is not None else len(lignes),
        "collectivites-INITIAL_FORMS": initial,
        "partenaires-TOTAL_FORMS": len(partenaires),
        "partenaires-INITIAL_FORMS": 0,
        **extra,
    }
    for i, valeurs in enumerate(lignes):
        data.update({f"collectivites-{i}-{k}": v for k, v in valeurs.items()})
    for i, valeurs in enumerate(partenaires):
        data.update({f"partenaires-{i}-{k}": v for k, v in valeurs.items()})
    return data


def porteurs(candidature):
    return Porteurs.objects.get(candidature=candidature)


def test_la_section_est_preremplie_avec_ce_que_le_portail_sait(candidature):
    section = porteurs(candidature)
    assert section.collectivites == [{"organisation": "Communauté du Val", "siren": "200012345"}]
    assert section.service_pilote == "DDT du Val"
    assert manquants(PARTIE, section) == [
        "référent du service de l'État (prénom et nom)",
        "adresse électronique du référent",
        "Collectivités porteuses, ligne 1 : élu représentant",
        "Collectivités porteuses, ligne 1 : référent technique (prénom et nom)",
        "Collectivités porteuses, ligne 1 : adresse électronique du référent",
    ]


def test_trois_lignes_enregistrees_les_vides_ignorees(client, atelier, candidature, redacteur):
    lignes = [ligne(1), ligne(2), ligne(3), dict.fromkeys(ligne(4), "")]
    response = client.post(url(atelier), donnees(0, lignes))
    assert response.status_code == 302
    section = porteurs(candidature)
    assert [r["organisation"] for r in section.collectivites] == [
        "Commune 1",
        "Commune 2",
        "Commune 3",
    ]
    assert manquants(PARTIE, section) == []
    page = client.get(url(atelier)).text
    assert 'id="collectivites-ligne-3"' in page and 'id="collectivites-ligne-4"' not in page


def test_retirer_une_ligne_garde_les_autres(client, atelier, candidature, redacteur):
    client.post(url(atelier), donnees(0, [ligne(1), ligne(2), ligne(3)]))
    retrait = donnees(1, [ligne(1), {**ligne(2), "DELETE": "on"}, ligne(3)], initial=3)
    assert client.post(url(atelier), retrait).status_code == 302
    section = porteurs(candidature)
    assert [r["organisation"] for r in section.collectivites] == ["Commune 1", "Commune 3"]


def test_ajouter_une_ligne_enregistre_et_ouvre_une_ligne_vide(
    client, atelier, candidature, redacteur
):
    response = client.post(url(atelier), donnees(0, [ligne(1)], ajouter="collectivites"))
    assert response.status_code == 302
    assert response.url.endswith("?ajouter=collectivites#collectivites-ligne-2")
    assert porteurs(candidature).version == 1
    page = client.get(response.url).text
    assert 'id="collectivites-ligne-2"' in page
    assert 'name="collectivites-TOTAL_FORMS" value="2"' in page
    assert 'value="Commune 1"' in page


def test_une_ligne_invalide_est_nommee_et_rien_n_est_perdu(client, atelier, candidature, redacteur):
    lignes = [ligne(1), ligne(2, siren="12 34", referent_courriel="pas-une-adresse")]
    response = client.post(url(atelier), donnees(0, lignes))
    assert response.status_code == 400
    texte = html.unescape(response.text)
    assert "Le formulaire contient 2 erreurs" in texte
    assert texte.count("Le formulaire contient") == 1
    assert "tant qu'elles ne sont pas corrigées" in texte
    assert "Collectivités porteuses, ligne 2, siren : Le SIREN compte 9 chiffres" in texte
    assert 'href="#id_collectivites-1-siren"' in texte
    assert 'value="Maire 2"' in texte and 'value="pas-une-adresse"' in texte
    assert porteurs(candidature).version == 0


@pytest.mark.parametrize(
    "trafique",
    [
        {"collectivites-TOTAL_FORMS": "1000000"},
        {"collectivites-TOTAL_FORMS": "abc"},
        {"collectivites-TOTAL_FORMS": None},
    ],
)
def test_un_formulaire_de_lignes_trafique_donne_une_erreur_en_francais(
    client, atelier, candidature, redacteur, trafique
):
    data = {k: v for k, v in {**donnees(0, [ligne(1)]), **trafique}.items() if v is not None}
    response = client.post(url(atelier), data)
    assert response.status_code == 400
    texte = html.unescape(response.text)
    assert "Le formulaire contient" in texte
    assert any(
        phrase in texte
        for phrase in ("au plus", "manquantes ou ont été manipulées", "ManagementForm")
    )


def test_l_historique_nomme_le_bloc_modifie(client, atelier, candidature, redacteur):
    client.post(url(atelier), donnees(0, [ligne(1)]))
    page = html.unescape(client.get(url(atelier)).text)
    assert "collectivités porteuses" in page.split("Historique de cette partie")[1]


def test_le_contenu_lisible_montre_chaque_ligne(client, atelier, candidature, redacteur):
    client.post(
        url(atelier),
        donnees(0, [ligne(1)], partenaires=[{"nom": "CAUE du Val", "role": "Animation"}]),
    )
    lisible = contenu_lisible(PARTIE, porteurs(candidature))
    collectivites = next(e for e in lisible if e["libelle"] == "Collectivités porteuses")
    assert ("Élu représentant", "Maire 1") in collectivites["lignes"][0]
    partenaires = next(e for e in lisible if e["libelle"] == "Autres partenaires")
    assert partenaires["lignes"] == [
        [("Partenaire", "CAUE du Val"), ("Rôle dans l'atelier", "Animation")]
    ]


def test_en_lecture_seule_pas_de_bouton_d_ajout(client, atelier, candidature):
    from tests.comptes.factories import membre

    client.force_login(membre(dgaln=True))
    page = client.get(url(atelier)).text
    assert "Ajouter une ligne" not in page
    assert "disabled" in page.split('id="collectivites-ligne-1"')[1]


def test_l_enregistrement_automatique_rafraichit_la_completude_du_menu(
    client, atelier, candidature, redacteur
):
    response = client.post(url(atelier), donnees(0, [ligne(1)]), headers={"HX-Request": "true"})
    texte = html.unescape(response.text)
    assert "Enregistré à" in texte
    menu = texte.split('id="menu-note"')[1]
    assert 'hx-swap-oob="true"' in menu.split(">")[0]
    section_1 = menu.split("Section 1 — Les porteurs")[1].split("</a>")[0]
    assert "Complète" in section_1


@pytest.mark.parametrize(
    ("ligne", "debut"),
    [
        (RessourceDocumentaireLigne, "1er janvier 1900"),
        (DocumentPlanificationLigne, "1er janvier 1967"),
    ],
)
@pytest.mark.parametrize("jour", ["1800-01-01", "2999-01-01"])
def test_une_date_de_la_note_hors_de_sa_plage_est_refusee(ligne, debut, jour):
    """The note's dates are of documents already published or deliberated: 1800 and 2999 are
    slips of the keyboard, refused with the range in the message and in the date picker."""
    form = ligne(data={"date": jour})
    assert not form.is_valid()
    assert form.errors["date"] == [f"La date doit être comprise entre le {debut} et aujourd'hui."]
    assert f'max="{timezone.localdate().isoformat()}"' in str(form["date"])
    assert ligne(data={"date": "2024-03-15"}).is_valid()
