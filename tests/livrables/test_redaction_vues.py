"""The editor of the written livrables, role by role: the groupement titulaire writes (200),
who follows the atelier without writing it is refused (403), anyone else sees nothing (404);
what was typed is kept when the form is refused (400)."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from livrables.models import Livrable, PartieRedigee, TypeLivrable
from livrables.selectors import livrable_de
from tests.livrables.redaction import inter_atelier, membres, session_validee

pytestmark = pytest.mark.django_db

S = Livrable.Statut
NOTE, CARNET, RAPPORT = "note_cadrage", "carnet_suivi", "rapport_final"
LECTEURS = ["pilote", "porteuse", "dgaln"]
AUTRES = ["dreal", "autre_groupement"]


def url(liv, type=NOTE):
    return reverse("livrables:rediger", args=[liv.atelier.pk, type])


def connecte(client, liv, qui="groupement"):
    client.force_login(getattr(liv, qui))
    return client


@pytest.mark.parametrize("type", [NOTE, CARNET, RAPPORT])
def test_le_groupement_ouvre_l_editeur(client, liv, type):
    response = connecte(client, liv).get(url(liv, type))
    assert response.status_code == 200
    assert "Enregistrer" in response.content.decode() or type == CARNET


@pytest.mark.parametrize("qui", LECTEURS)
def test_qui_lit_le_livrable_sans_le_rediger_est_refuse(client, liv, qui):
    assert connecte(client, liv, qui).get(url(liv)).status_code == 403
    assert client.post(url(liv), {"vu": S.ATTENDU}).status_code == 403
    assert not PartieRedigee.objects.exists()


@pytest.mark.parametrize("qui", AUTRES)
def test_qui_ne_suit_pas_l_atelier_ne_voit_rien(client, liv, qui):
    assert connecte(client, liv, qui).get(url(liv)).status_code == 404
    assert client.post(url(liv), {"vu": S.ATTENDU}).status_code == 404


@pytest.mark.parametrize("type", ["feuille_route", "livret", "inconnu"])
def test_les_autres_types_n_ont_pas_cet_editeur(client, liv, type):
    assert connecte(client, liv).get(url(liv, type)).status_code == 404


def test_l_editeur_demande_une_connexion(client, liv):
    response = client.get(url(liv))
    assert response.status_code == 302 and "connexion" in response["Location"]


@pytest.mark.parametrize("type", [NOTE, CARNET, RAPPORT, "feuille_route"])
def test_la_page_du_livrable_mene_a_l_editeur_du_groupement(liv, type):
    # The partial the livrable's page includes (livrable_detail.html).
    lv = livrable_de(liv.atelier, type)
    lien = {
        qui: render_to_string(
            "livrables/_redaction_lien.html", {"livrable": lv, "user": getattr(liv, qui)}
        )
        for qui in ("groupement", "pilote")
    }
    assert (url(liv, type) in lien["groupement"]) == (type != "feuille_route")
    assert "rediger" not in lien["pilote"]


def test_la_note_s_enregistre_avec_son_calendrier_et_son_equipe(client, liv):
    altitude, _ = membres(liv)
    page = connecte(client, liv).get(url(liv)).content.decode()
    assert "Session 1 : diagnostic et enjeux" in page and "Altitude 35" in page
    response = client.post(
        url(liv),
        {
            "vu": S.ATTENDU,
            "texte_methodologie": "Arpenter, partager, décider.",
            "texte_calendrier": "",
            "texte_equipe": "",
            "commentaire_session_1": "Deux jours sur place.",
            f"mobilise_{altitude.pk}": "on",
            f"role_{altitude.pk}": "Pilotage",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Rédaction enregistrée" in response.content.decode()
    assert PartieRedigee.objects.get(cle="methodologie").texte == "Arpenter, partager, décider."
    assert PartieRedigee.objects.get(cle="calendrier").donnees == {
        "commentaires": {"session_1": "Deux jours sur place."}
    }
    assert PartieRedigee.objects.get(cle="equipe").donnees == {
        "membres": {str(altitude.pk): {"mobilise": True, "role": "Pilotage"}}
    }


def test_la_saisie_est_gardee_quand_le_formulaire_est_refuse(client, liv):
    altitude, _ = membres(liv)
    response = connecte(client, liv).post(
        url(liv),
        {
            "vu": S.ATTENDU,
            "texte_methodologie": "Un texte long à ne pas perdre.",
            f"role_{altitude.pk}": "Pilotage sans être coché",
        },
    )
    assert response.status_code == 400
    texte = response.content.decode()
    assert "Un texte long à ne pas perdre." in texte
    assert 'value="Pilotage sans être coché"' in texte
    assert "Cochez Altitude 35" in texte
    assert not PartieRedigee.objects.exists()


def test_un_livrable_depose_se_lit_et_ne_s_enregistre_pas(client, liv):
    lv = Livrable.objects.create(atelier=liv.atelier, type=TypeLivrable.NOTE_CADRAGE)
    Livrable.objects.filter(pk=lv.pk).update(statut=S.DEPOSE)
    page = connecte(client, liv).get(url(liv))
    assert page.status_code == 200 and "ne se modifie plus" in page.content.decode()
    response = client.post(url(liv), {"vu": S.DEPOSE, "texte_methodologie": "Tard."})
    assert response.status_code == 400
    assert "Tard." in response.content.decode()
    assert not PartieRedigee.objects.exists()


def test_le_carnet_s_assemble_se_complete_et_s_ordonne(client, liv):
    session = session_validee(liv, 1)
    entree = inter_atelier(liv)
    page = connecte(client, liv).get(url(liv, CARNET)).content.decode()
    assert "Assembler le carnet" in page and "2 sources à assembler" in page
    reponse = client.post(
        reverse("livrables:carnet_reassembler", args=[liv.atelier.pk]),
        {"vu": S.ATTENDU},
        follow=True,
    )
    assert "2 partie(s) ajoutée(s)" in reponse.content.decode()
    s, i = f"session-{session.pk}", f"inter-atelier-{entree.pk}"
    response = client.post(
        url(liv, CARNET),
        {
            "vu": S.ATTENDU,
            f"texte_{s}": "Notre regard sur la session.",
            f"position_{s}": "2",
            f"texte_{i}": "",
            f"position_{i}": "1",
        },
    )
    assert response.status_code == 302
    assert list(PartieRedigee.objects.order_by("ordre").values_list("cle", "texte")) == [
        (i, ""),
        (s, "Notre regard sur la session."),
    ]


def test_une_position_hors_bornes_garde_la_saisie(client, liv):
    entree = inter_atelier(liv)
    connecte(client, liv).post(
        reverse("livrables:carnet_reassembler", args=[liv.atelier.pk]), {"vu": S.ATTENDU}
    )
    i = f"inter-atelier-{entree.pk}"
    response = client.post(
        url(liv, CARNET), {"vu": S.ATTENDU, f"texte_{i}": "Gardé.", f"position_{i}": "7"}
    )
    assert response.status_code == 400 and "Gardé." in response.content.decode()


@pytest.mark.parametrize(("qui", "attendu"), [("pilote", 403), ("dreal", 404)])
def test_le_reassemblage_et_le_retrait_par_role(client, liv, qui, attendu):
    entree = inter_atelier(liv)
    connecte(client, liv).post(
        reverse("livrables:carnet_reassembler", args=[liv.atelier.pk]), {"vu": S.ATTENDU}
    )
    cle = f"inter-atelier-{entree.pk}"
    retirer = reverse("livrables:carnet_partie_retirer", args=[liv.atelier.pk, cle])
    connecte(client, liv, qui)
    assert (
        client.post(
            reverse("livrables:carnet_reassembler", args=[liv.atelier.pk]), {"vu": S.ATTENDU}
        ).status_code
        == attendu
    )
    assert client.get(retirer).status_code == attendu
    assert client.post(retirer, {"vu": S.ATTENDU}).status_code == attendu
    assert PartieRedigee.objects.filter(cle=cle).exists()


def test_le_groupement_retire_une_partie_sans_source_apres_confirmation(client, liv):
    from ateliers.models import InterAtelier

    entree = inter_atelier(liv)
    connecte(client, liv).post(
        reverse("livrables:carnet_reassembler", args=[liv.atelier.pk]), {"vu": S.ATTENDU}
    )
    InterAtelier.objects.filter(pk=entree.pk).update(
        statut=InterAtelier.Statut.RETIREE, retire_le=timezone.now()
    )
    page = client.get(url(liv, CARNET)).content.decode()
    assert "Source disparue" in page
    cle = f"inter-atelier-{entree.pk}"
    retirer = reverse("livrables:carnet_partie_retirer", args=[liv.atelier.pk, cle])
    assert "Retirer la partie" in client.get(retirer).content.decode()
    response = client.post(retirer, {"vu": S.ATTENDU}, follow=True)
    assert "Partie retirée du carnet" in response.content.decode()
    assert not PartieRedigee.objects.exists()
