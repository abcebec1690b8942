"""The feuille de route's editor and plan, role by role (200, 403, 404), the saisie kept on an
error, the order, the removal, and the query count of both pages at 150 and 300 actions."""

from decimal import Decimal

import pytest
from django.urls import reverse

from livrables.models import Action, Axe, Financement, Livrable, Objectif
from livrables.services import version_deposer
from tests.livrables.feuille_route_aide import brouillon, feuille
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db


def _plan(liv):
    return reverse("livrables:feuille", args=[liv.atelier.pk])


@pytest.mark.parametrize(
    ("qui", "lecture", "edition"),
    [
        ("groupement", 200, 200),
        ("pilote", 200, 403),
        ("porteuse", 200, 403),
        ("dgaln", 200, 403),
        ("autre_groupement", 404, 404),
    ],
)
def test_chaque_role(client, liv, qui, lecture, edition):
    livrable = brouillon(liv.atelier, nombre=2)
    action = Action.objects.filter(livrable=livrable).first()
    client.force_login(getattr(liv, qui))
    assert client.get(_plan(liv)).status_code == lecture
    pk = liv.atelier.pk
    for url in (
        reverse("livrables:feuille_ajouter", args=[pk, "axe"]),
        reverse("livrables:feuille_action", args=[pk, action.pk]),
        reverse("livrables:feuille_retirer", args=[pk, "action", action.pk]),
        reverse("livrables:feuille_importer", args=[pk]),
    ):
        assert client.get(url).status_code == edition, url
    assert client.post(
        reverse("livrables:feuille_retirer", args=[pk, "action", action.pk])
    ).status_code == (302 if edition == 200 else edition)
    assert client.get(reverse("livrables:feuille_exporter", args=[pk])).status_code == lecture


def test_le_groupement_ne_modifie_plus_une_feuille_deposee(client, liv):
    livrable = brouillon(liv.atelier, nombre=1)
    version_deposer(livrable=livrable, par=liv.groupement, vu=Livrable.Statut.ATTENDU)
    client.force_login(liv.groupement)
    page = client.get(_plan(liv))
    assert page.status_code == 200 and "Ajouter une action" not in page.content.decode()
    assert "feuille_route/version/1/classeur.xlsx" in page.content.decode()
    url = reverse("livrables:feuille_ajouter", args=[liv.atelier.pk, "objectif"])
    assert client.post(url, {"intitule": "Nouveau"}).status_code == 403
    assert not Objectif.objects.filter(intitule="Nouveau").exists()


def test_anonyme_vers_la_connexion(client, liv):
    assert client.get(_plan(liv)).status_code == 302


def test_une_feuille_vide_se_lit(client, liv):
    client.force_login(liv.pilote)
    texte = client.get(_plan(liv)).content.decode()
    assert "Aucun axe n'est encore écrit" in texte


def _action(axe, **champs):
    donnees = {
        "axe": axe.pk,
        "titre": "Renaturer les berges",
        "priorite": "1",
        "statut": "a_engager",
        "cout_estime": "120000",
        "financements-TOTAL_FORMS": "3",
        "financements-INITIAL_FORMS": "0",
        "financements-MIN_NUM_FORMS": "0",
        "financements-MAX_NUM_FORMS": "30",
        "financements-0-source": "etat_fonds_vert",
        "financements-0-montant": "50000",
        "financements-1-source": "region",
        "financements-1-montant": "20000,50",
    }
    return donnees | champs


def test_le_groupement_ecrit_une_action_et_son_financement(client, liv):
    client.force_login(liv.groupement)
    pk = liv.atelier.pk
    reponse = client.post(
        reverse("livrables:feuille_ajouter", args=[pk, "axe"]), {"intitule": "Littoral"}
    )
    assert reponse.status_code == 302
    axe = Axe.objects.get(intitule="Littoral")
    reponse = client.post(reverse("livrables:feuille_action_ajouter", args=[pk]), _action(axe))
    assert reponse.status_code == 302
    action = Action.objects.get()
    assert action.numero == 1 and action.axe == axe
    assert [f.montant for f in action.financements.all()] == [
        Decimal("50000.00"),
        Decimal("20000.50"),
    ]
    texte = client.get(_plan(liv)).content.decode()
    assert "Renaturer les berges" in texte and "49\xa0999,50\xa0€" in texte
    modifier = reverse("livrables:feuille_action", args=[pk, action.pk])
    assert "Fonds vert" in client.get(modifier).content.decode()
    donnees = _action(axe, titre="Renaturer les berges du lac")
    donnees["financements-INITIAL_FORMS"] = "2"
    donnees["financements-1-DELETE"] = "on"
    assert client.post(modifier, donnees).status_code == 302
    action.refresh_from_db()
    assert action.titre == "Renaturer les berges du lac" and action.financements.count() == 1


def test_une_erreur_garde_la_saisie(client, liv):
    client.force_login(liv.groupement)
    livrable = feuille(liv.atelier)
    axe = Axe.objects.create(livrable=livrable, intitule="Littoral")
    donnees = _action(
        axe,
        titre="Mon titre gardé",
        debut="2028-05-01",
        fin="2027-01-01",
        porteur_nom="Syndicat",
        **{"financements-0-montant": "-3"},
    )
    reponse = client.post(
        reverse("livrables:feuille_action_ajouter", args=[liv.atelier.pk]), donnees
    )
    texte = reponse.content.decode()
    assert reponse.status_code == 400
    assert "La fin de l&#x27;action ne peut pas précéder son début." in texte
    assert "Mon titre gardé" in texte
    assert "supérieure ou égale à 0" in texte
    assert not Action.objects.exists()


def test_deux_axes_ne_portent_pas_le_meme_intitule(client, liv):
    client.force_login(liv.groupement)
    url = reverse("livrables:feuille_ajouter", args=[liv.atelier.pk, "axe"])
    client.post(url, {"intitule": "Littoral"})
    reponse = client.post(url, {"intitule": "Littoral"})
    assert reponse.status_code == 400 and "s&#x27;intitule déjà" in reponse.content.decode()


def test_ordonner_et_retirer(client, liv):
    livrable = brouillon(liv.atelier, nombre=2, axes=2)
    client.force_login(liv.groupement)
    pk = liv.atelier.pk
    premier, second = Axe.objects.filter(livrable=livrable).order_by("ordre")
    url = reverse("livrables:feuille_deplacer", args=[pk, "axe", second.pk])
    assert client.post(url, {"sens": "monter"}).status_code == 302
    assert list(Axe.objects.filter(livrable=livrable).order_by("ordre")) == [second, premier]
    assert client.post(url, {"sens": "de travers"}).status_code == 404
    retirer = reverse("livrables:feuille_retirer", args=[pk, "axe", second.pk])
    reponse = client.post(retirer, follow=True)
    assert "porte encore 1 action" in reponse.content.decode()
    action = second.actions.get()
    client.post(reverse("livrables:feuille_retirer", args=[pk, "action", action.pk]))
    assert not Financement.objects.filter(action_id=action.pk).exists()
    client.post(retirer)
    assert not Axe.objects.filter(pk=second.pk).exists()


def test_un_element_d_une_autre_feuille_est_introuvable(client, liv):
    client.force_login(liv.groupement)
    axe = Axe.objects.create(
        livrable=Livrable.objects.create(atelier=_autre(), type="feuille_route"), intitule="X"
    )
    url = reverse("livrables:feuille_modifier", args=[liv.atelier.pk, "axe", axe.pk])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("livrables:feuille_ajouter", args=[liv.atelier.pk, "rien"])).status_code
        == 404
    )


def _autre():
    from tests.ateliers.factories import AtelierFactory

    return AtelierFactory()


@pytest.mark.parametrize("qui", ["groupement", "pilote"])
def test_les_pages_se_lisent_en_un_nombre_fixe_de_requetes(client, liv, qui):
    livrable = brouillon(liv.atelier, nombre=150, axes=5)
    client.force_login(getattr(liv, qui))
    url = _plan(liv)
    a_150 = nombre_de_requetes(client, url)
    for n in range(151, 301):
        action = Action.objects.create(
            livrable=livrable,
            numero=n,
            axe=Axe.objects.filter(livrable=livrable).first(),
            titre=f"A{n}",
        )
        Financement.objects.create(action=action, source="epci", montant=Decimal(10))
    assert Action.objects.filter(livrable=livrable).count() == 300
    assert nombre_de_requetes(client, url) == a_150


def test_les_lignes_de_financement_laissees_vides_sont_ignorees(client, liv):
    client.force_login(liv.groupement)
    axe = Axe.objects.create(livrable=feuille(liv.atelier), intitule="Littoral")
    donnees = _action(axe) | {"financements-2-source": "", "financements-2-montant": ""}
    url = reverse("livrables:feuille_action_ajouter", args=[liv.atelier.pk])
    assert client.post(url, donnees).status_code == 302
    assert Financement.objects.count() == 2
