"""The livret's assembly, the groupement's texts and images (allowed and refused), what a dépôt
freezes, and the editor's pages for each role."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ateliers.models import Evenement, Phase
from ateliers.services import ActionImpossible
from livrables.carte import carte_du_perimetre
from livrables.contenus import contenu_actuel
from livrables.models import CodeLivrable, ImageLivret, Livrable, TypeLivrable
from livrables.pdf import contexte_version
from livrables.selectors import livrable_de
from livrables.services import commentaire_ecrire, corrections_demander, version_deposer
from livrables.services.livret import (
    livret_image_deposer,
    livret_image_retirer,
    livret_partie_ecrire,
)
from marches.demo.outils import photo_demo
from tests.livrables.feuille_route_aide import brouillon
from tests.livrables.livret_atelier import perimetre
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db


def livret(liv):
    return livrable_de(liv.atelier, TypeLivrable.LIVRET)


def png(nom="vue.png"):
    return SimpleUploadedFile(nom, photo_demo(1, 120, 80, format_="PNG"))


def ajouter_image(liv, **kwargs):
    return livret_image_deposer(
        livrable=livret(liv),
        par=liv.groupement,
        fichier=kwargs.pop("fichier", None) or png(),
        partie=kwargs.pop("partie", "edito"),
        texte_alternatif=kwargs.pop("texte_alternatif", "Le pont de Cahors au soleil"),
        **kwargs,
    )


def test_le_groupement_ecrit_une_partie_qui_est_journalisee(liv):
    partie = livret_partie_ecrire(
        livrable=livret(liv), par=liv.groupement, cle="edito", texte="  Un éditorial.  "
    )
    assert (partie.titre, partie.texte, partie.ordre) == ("Éditorial", "Un éditorial.", 1)
    assert partie.livrable.statut == Livrable.Statut.ATTENDU
    assert Evenement.objects.filter(code=CodeLivrable.REDACTION_MODIFIEE).count() == 1


@pytest.mark.parametrize("qui", ["pilote", "porteuse", "dgaln", "autre_groupement"])
def test_seul_le_groupement_titulaire_ecrit_le_livret(liv, qui):
    with pytest.raises(PermissionDenied):
        livret_partie_ecrire(livrable=livret(liv), par=getattr(liv, qui), cle="edito", texte="x")
    with pytest.raises(PermissionDenied):
        livret_image_deposer(
            livrable=livret(liv),
            par=getattr(liv, qui),
            fichier=png(),
            partie="edito",
            texte_alternatif="Une vue",
        )


def test_une_partie_inconnue_est_refusee(liv):
    with pytest.raises(ActionImpossible):
        livret_partie_ecrire(livrable=livret(liv), par=liv.groupement, cle="annexe", texte="x")


def test_un_autre_livrable_ne_prend_pas_les_parties_du_livret(liv):
    with pytest.raises(ActionImpossible):
        livret_partie_ecrire(
            livrable=livrable_de(liv.atelier, TypeLivrable.NOTE_CADRAGE),
            par=liv.groupement,
            cle="edito",
            texte="x",
        )


def test_le_livret_depose_ne_se_modifie_plus_puis_se_corrige(liv):
    livret_partie_ecrire(livrable=livret(liv), par=liv.groupement, cle="edito", texte="Édito")
    version = version_deposer(livrable=livret(liv), par=liv.groupement, vu="attendu")
    with pytest.raises(ActionImpossible, match="ne se modifie plus"):
        livret_partie_ecrire(livrable=livret(liv), par=liv.groupement, cle="edito", texte="Autre")
    with pytest.raises(ActionImpossible, match="ne se modifie plus"):
        ajouter_image(liv)
    commentaire_ecrire(
        livrable=version.livrable, par=liv.pilote, texte="Ajoutez un témoignage.", partie="edito"
    )
    corrections_demander(livrable=version.livrable, par=liv.pilote, vu="depose")
    partie = livret_partie_ecrire(
        livrable=livret(liv), par=liv.groupement, cle="edito", texte="Corrigé"
    )
    assert partie.texte == "Corrigé"


def test_un_atelier_clos_ne_redige_plus_son_livret(liv):
    liv.atelier.__class__.objects.filter(pk=liv.atelier.pk).update(phase=Phase.CLOTURE)
    liv.atelier.refresh_from_db()
    with pytest.raises(ActionImpossible, match="ses livrables ne changent plus"):
        livret_partie_ecrire(livrable=livret(liv), par=liv.groupement, cle="edito", texte="x")


def test_une_image_est_verifiee_et_decrite(liv):
    image_ = ajouter_image(liv, legende="Le pont Valentré")
    assert image_.fichier.type_contenu == "image/png"
    assert image_.fichier.proprietaire == image_.livrable
    assert str(image_) == "Le pont Valentré"
    with pytest.raises(ValidationError):
        ajouter_image(liv, fichier=SimpleUploadedFile("faux.png", b"%PDF-1.7 pas une image"))
    with pytest.raises(ActionImpossible, match="Décrivez"):
        ajouter_image(liv, texte_alternatif="   ")
    with pytest.raises(ActionImpossible):
        ajouter_image(liv, partie="annexe")
    assert ImageLivret.objects.count() == 1


def test_une_image_retiree_n_est_plus_assemblee_mais_garde_son_fichier(liv):
    image_ = ajouter_image(liv)
    assert len(contenu_actuel(livret(liv))["livret"]["images"]) == 1
    livret_image_retirer(image=image_, par=liv.groupement)
    image_.refresh_from_db()
    assert image_.retiree_le is not None and image_.fichier.retire_le is None
    assert contenu_actuel(livret(liv))["livret"]["images"] == []
    with pytest.raises(ActionImpossible):
        livret_image_retirer(image=image_, par=liv.groupement)
    with pytest.raises(PermissionDenied):
        livret_image_retirer(image=image_, par=liv.pilote)


def test_le_depot_fige_l_assemblage_et_le_rendu_ne_relit_que_les_images(liv):
    livret_partie_ecrire(livrable=livret(liv), par=liv.groupement, cle="edito", texte="Édito")
    image_ = ajouter_image(liv)
    version = version_deposer(livrable=livret(liv), par=liv.groupement, vu="attendu")
    figee = version.contenu["livret"]
    assert figee["territoire"]["intitule"] == liv.atelier.intitule
    assert figee["carte"] is None  # no note deposited: no perimeter
    assert figee["images"][0]["uuid"] == str(image_.fichier.uuid)
    liv.atelier.intitule = "Un autre nom"
    liv.atelier.save(update_fields=["intitule"])
    contexte = contexte_version(version)
    assert contexte["livret"]["territoire"]["intitule"] != "Un autre nom"
    (imprimee,) = contexte["livret"]["parties"]["edito"]["images"]
    assert imprimee["src"] == image_.fichier.fichier.url
    assert imprimee["alt"] == "Le pont de Cahors au soleil"
    assert contexte["livret"]["parties"]["temoignages"] == {
        "cle": "temoignages",
        "titre": "Témoignages",
        "texte": "",
        "images": [],
    }


def test_un_autre_livrable_ne_fige_pas_de_livret(liv):
    assert "livret" not in contenu_actuel(livrable_de(liv.atelier, TypeLivrable.NOTE_CADRAGE))


def test_la_carte_dessine_le_perimetre_avec_son_texte_alternatif():
    carte = carte_du_perimetre(perimetre(), intitule="Vallée du Lot")
    assert carte["svg"].startswith("<svg") and carte["svg"].count("M") == 3
    assert "Vallée du Lot" in carte["alt"] and "2 polygones" in carte["alt"]
    assert carte_du_perimetre(b'{"type": "Point", "coordinates": [1, 2]}', intitule="x") is None
    assert carte_du_perimetre(b"pas du json", intitule="x") is None


# The editor's pages.


def url(liv, nom="livret", *args):
    return reverse(f"livrables:{nom}", args=[liv.atelier.pk, *args])


@pytest.mark.parametrize(
    ("qui", "attendu"),
    [
        ("groupement", 200),
        ("pilote", 200),
        ("porteuse", 200),
        ("dgaln", 200),
        ("autre_groupement", 404),
        ("dreal", 404),
    ],
)
def test_la_page_du_livret_par_role(client, liv, qui, attendu):
    client.force_login(getattr(liv, qui))
    response = client.get(url(liv))
    assert response.status_code == attendu
    if attendu == 200:
        redige = 'href="' + url(liv, "livret_partie", "edito") + '"'
        assert (redige in response.content.decode()) == (qui == "groupement")


@pytest.mark.parametrize(
    ("qui", "attendu"),
    [
        ("groupement", 200),
        ("pilote", 403),
        ("porteuse", 403),
        ("dgaln", 403),
        ("autre_groupement", 404),
    ],
)
def test_les_formulaires_du_livret_par_role(client, liv, qui, attendu):
    client.force_login(getattr(liv, qui))
    assert client.get(url(liv, "livret_partie", "edito")).status_code == attendu
    assert client.get(url(liv, "livret_image")).status_code == attendu
    assert client.post(url(liv, "livret_partie", "edito"), {"texte": "x"}).status_code in (
        attendu,
        302,
    )


def test_une_page_anonyme_renvoie_a_la_connexion(client, liv):
    assert client.get(url(liv)).status_code == 302


def test_le_groupement_redige_une_partie_par_la_page(client, liv):
    client.force_login(liv.groupement)
    assert client.get(url(liv, "livret_partie", "inconnue")).status_code == 404
    response = client.post(url(liv, "livret_partie", "temoignages"), {"texte": "« Merci. »"})
    assert response.status_code == 302
    page = client.get(response.url)
    assert "« Témoignages » est enregistré." in page.content.decode()
    assert livret(liv).parties.get(cle="temoignages").texte == "« Merci. »"


def test_le_groupement_ajoute_puis_retire_une_image_par_la_page(client, liv):
    client.force_login(liv.groupement)
    donnees = {"partie": "edito", "texte_alternatif": "Une vue", "legende": "Le bourg"}
    refus = client.post(url(liv, "livret_image"), {**donnees, "texte_alternatif": ""})
    assert refus.status_code == 400
    response = client.post(url(liv, "livret_image"), {**donnees, "fichier": png()})
    assert response.status_code == 302
    image_ = ImageLivret.objects.get()
    page = client.get(url(liv)).content.decode()
    assert "Le bourg" in page and "Éditorial" in page
    client.force_login(liv.pilote)
    assert client.post(url(liv, "livret_image_retirer", image_.pk)).status_code == 403
    client.force_login(liv.groupement)
    assert client.post(url(liv, "livret_image_retirer", image_.pk)).status_code == 302
    image_.refresh_from_db()
    assert image_.retiree_le is not None


def test_le_livret_depose_ne_propose_plus_de_rediger(client, liv):
    livret_partie_ecrire(livrable=livret(liv), par=liv.groupement, cle="edito", texte="Édito")
    version_deposer(livrable=livret(liv), par=liv.groupement, vu="attendu")
    client.force_login(liv.groupement)
    page = client.get(url(liv)).content.decode()
    assert url(liv, "livret_partie", "edito") not in page
    response = client.post(url(liv, "livret_partie", "edito"), {"texte": "Autre"})
    assert response.status_code == 400
    assert "ne se modifie plus" in response.content.decode()


def test_la_page_du_livret_compte_autant_de_requetes_pour_n_et_2n_images(client, liv):
    client.force_login(liv.groupement)
    for _ in range(3):
        ajouter_image(liv)
    avec_n = nombre_de_requetes(client, url(liv))
    for _ in range(3):
        ajouter_image(liv)
    assert nombre_de_requetes(client, url(liv)) == avec_n


def test_l_assemblage_compte_autant_de_requetes_pour_n_et_2n_actions_et_inter_ateliers(client, liv):
    from ateliers.models import InterAtelier
    from livrables.models import Action

    def entrees(n):
        for i in range(n):
            InterAtelier.objects.create(
                atelier=liv.atelier,
                nature=InterAtelier.Nature.ENTRETIEN,
                date=datetime.date(2027, 2, 1 + i),
                titre=f"Entretien {i}",
                auteur=liv.groupement,
            )

    client.force_login(liv.groupement)
    feuille = brouillon(liv.atelier, nombre=4)
    entrees(4)
    avec_n = nombre_de_requetes(client, url(liv))
    for action in list(Action.objects.filter(livrable=feuille)):
        action.pk, action.numero = None, action.numero + 10
        action.save()
    entrees(4)
    assert Action.objects.filter(livrable=feuille).count() == 8
    assert nombre_de_requetes(client, url(liv)) == avec_n
    assert len(contenu_actuel(livret(liv))["livret"]["actions"]) == 8
