"""The inter-ateliers: written by the groupement titulaire, corrected or withdrawn by their author
only, read by the porteurs, the pilot and DGALN, a 404 for anyone else."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Atelier, CodeInterAtelier, Evenement, InterAtelier, Phase
from ateliers.selectors.inter_atelier import inter_ateliers_de, pieces_de
from ateliers.services import ActionImpossible
from ateliers.services.inter_atelier import (
    PIECES_MAX,
    inter_atelier_ecrire,
    inter_atelier_modifier,
    inter_atelier_retirer,
)
from documents.models import FichierDepose
from tests.documents import fichiers_hostiles as h
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db
N = InterAtelier.Nature
HIER = timezone.localdate() - datetime.timedelta(days=1)
LECTEURS = ["pilote", "porteuse", "groupement", "dgaln"]
AUTRES = ["dreal", "autre_groupement"]


def entretien(**valeurs):
    return {
        "nature": N.ENTRETIEN,
        "date": HIER,
        "titre": "Entretien avec la chambre d'agriculture",
        "interlocuteur": "Camille Dufresne",
        "organisation": "Chambre d'agriculture",
        "documents_lus": "",
        "constats": "",
        "participants": "",
        "synthese": "Les exploitants attendent une stratégie foncière.",
        **valeurs,
    }


def pdf(nom="notes.pdf"):
    return h.televerse(nom, h.pdf_pypdf(), "application/pdf")


def ecrire(acc, **valeurs):
    return inter_atelier_ecrire(
        atelier=acc.atelier, par=acc.groupement, valeurs=entretien(**valeurs)
    )


def test_le_groupement_ecrit_une_entree_avec_plusieurs_pieces(acc):
    entree = inter_atelier_ecrire(
        atelier=acc.atelier,
        par=acc.groupement,
        valeurs=entretien(),
        pieces=[pdf("notes.pdf"), h.televerse("photo.png", h.png(), "image/png")],
    )
    assert (entree.auteur, entree.statut) == (acc.groupement, InterAtelier.Statut.PUBLIEE)
    assert [p.nom_original for p in pieces_de([entree])[entree.pk]] == ["notes.pdf", "photo.png"]
    ligne = Evenement.objects.get(code=CodeInterAtelier.ECRIT)
    assert (ligne.par, ligne.atelier_id) == (acc.groupement, acc.atelier.pk)
    assert "2 pièce(s) jointe(s)" in ligne.commentaire
    assert list(inter_ateliers_de(acc.atelier)) == [entree]


@pytest.mark.parametrize("qui", ["pilote", "porteuse", "dgaln", "dreal", "autre_groupement"])
def test_seul_le_groupement_titulaire_ecrit(acc, qui):
    with pytest.raises(PermissionDenied):
        inter_atelier_ecrire(atelier=acc.atelier, par=getattr(acc, qui), valeurs=entretien())
    assert not InterAtelier.objects.exists() and not Evenement.objects.exists()


@pytest.mark.parametrize(
    ("nature", "manque"),
    [(N.ENTRETIEN, "personne rencontrée"), (N.ANALYSE, "constats"), (N.REUNION, "participants")],
)
def test_chaque_nature_demande_ses_champs(acc, nature, manque):
    valeurs = entretien(nature=nature, interlocuteur="", documents_lus="Le PLUi", constats="")
    with pytest.raises(ActionImpossible, match=manque):
        inter_atelier_ecrire(atelier=acc.atelier, par=acc.groupement, valeurs=valeurs)
    assert not InterAtelier.objects.exists()


def test_rien_ne_s_ecrit_apres_l_accompagnement(acc):
    entree = ecrire(acc)
    Atelier.objects.filter(pk=acc.atelier.pk).update(phase=Phase.CLOTURE)
    acc.atelier.refresh_from_db()
    with pytest.raises(ActionImpossible, match="Clôturé"):
        ecrire(acc)
    with pytest.raises(ActionImpossible, match="Clôturé"):
        inter_atelier_modifier(
            entree=entree, par=acc.groupement, vu="publiee", valeurs=entretien(titre="Autre")
        )
    with pytest.raises(ActionImpossible, match="Clôturé"):
        inter_atelier_retirer(entree=entree, par=acc.groupement, vu="publiee")


def test_l_auteur_corrige_son_entree_et_ses_pieces(acc):
    entree = inter_atelier_ecrire(
        atelier=acc.atelier, par=acc.groupement, valeurs=entretien(), pieces=[pdf("a.pdf")]
    )
    ancienne = pieces_de([entree])[entree.pk][0]
    entree = inter_atelier_modifier(
        entree=entree,
        par=acc.groupement,
        vu="publiee",
        valeurs=entretien(titre="Entretien avec la CA"),
        pieces=[pdf("b.pdf")],
        pieces_retirees=[ancienne.pk],
    )
    assert entree.titre == "Entretien avec la CA"
    assert [p.nom_original for p in pieces_de([entree])[entree.pk]] == ["b.pdf"]
    assert FichierDepose.objects.get(pk=ancienne.pk).retire_le is not None
    ligne = Evenement.objects.get(code=CodeInterAtelier.MODIFIE)
    assert "intitulé" in ligne.commentaire and "a.pdf" in ligne.commentaire
    # The same values again change nothing and journal nothing.
    inter_atelier_modifier(
        entree=entree,
        par=acc.groupement,
        vu="publiee",
        valeurs=entretien(titre="Entretien avec la CA"),
    )
    assert Evenement.objects.filter(code=CodeInterAtelier.MODIFIE).count() == 1


def test_une_entree_porte_un_nombre_borne_de_pieces(acc):
    with pytest.raises(ActionImpossible, match=f"au plus {PIECES_MAX}"):
        inter_atelier_ecrire(
            atelier=acc.atelier,
            par=acc.groupement,
            valeurs=entretien(),
            pieces=[pdf(f"{i}.pdf") for i in range(PIECES_MAX + 1)],
        )
    assert not InterAtelier.objects.exists()


def test_une_piece_hostile_est_refusee(acc):
    with pytest.raises(ValidationError, match="n'est pas un PDF"):
        inter_atelier_ecrire(
            atelier=acc.atelier,
            par=acc.groupement,
            valeurs=entretien(),
            pieces=[h.televerse("notes.pdf", h.page_html(), "application/pdf")],
        )
    assert not InterAtelier.objects.exists() and not FichierDepose.objects.exists()


@pytest.mark.parametrize("qui", ["collegue", "pilote", "porteuse", "dgaln", "autre_groupement"])
def test_seul_l_auteur_corrige_ou_retire(acc, qui):
    entree = ecrire(acc)
    par = getattr(acc, qui)
    with pytest.raises(PermissionDenied):
        inter_atelier_modifier(entree=entree, par=par, vu="publiee", valeurs=entretien(titre="X"))
    with pytest.raises(PermissionDenied):
        inter_atelier_retirer(entree=entree, par=par, vu="publiee")
    assert InterAtelier.objects.get(pk=entree.pk).titre == entretien()["titre"]
    assert Evenement.objects.count() == 1


def test_l_auteur_retire_son_entree(acc):
    entree = inter_atelier_ecrire(
        atelier=acc.atelier, par=acc.groupement, valeurs=entretien(), pieces=[pdf()]
    )
    piece = pieces_de([entree])[entree.pk][0]
    entree = inter_atelier_retirer(entree=entree, par=acc.groupement, vu="publiee")
    assert entree.statut == InterAtelier.Statut.RETIREE and entree.retire_le is not None
    assert not inter_ateliers_de(acc.atelier).exists()
    assert FichierDepose.objects.get(pk=piece.pk).retire_le is not None
    ligne = Evenement.objects.get(code=CodeInterAtelier.RETIRE)
    assert (ligne.etat_avant, ligne.etat_apres) == ("publiee", "retiree")
    with pytest.raises(ActionImpossible):
        inter_atelier_retirer(entree=entree, par=acc.groupement, vu="publiee")


def _urls(acc, entree):
    pk = acc.atelier.pk
    return {
        "liste": reverse("ateliers:inter_ateliers", args=[pk]),
        "detail": reverse("ateliers:inter_atelier", args=[pk, entree.pk]),
        "ecrire": reverse("ateliers:inter_atelier_ecrire", args=[pk]),
        "modifier": reverse("ateliers:inter_atelier_modifier", args=[pk, entree.pk]),
        "retirer": reverse("ateliers:inter_atelier_retirer", args=[pk, entree.pk]),
    }


@pytest.mark.parametrize("qui", [*LECTEURS, "collegue", *AUTRES])
def test_les_pages_par_role(client, acc, qui):
    entree = inter_atelier_ecrire(
        atelier=acc.atelier, par=acc.groupement, valeurs=entretien(), pieces=[pdf()]
    )
    urls = _urls(acc, entree)
    client.force_login(getattr(acc, qui))
    if qui in AUTRES:
        for url in urls.values():
            assert client.get(url).status_code == 404, url
        fichier = pieces_de([entree])[entree.pk][0]
        assert client.get(reverse("documents:fichier", args=[fichier.uuid])).status_code == 404
        return
    liste = client.get(urls["liste"]).content.decode()
    assert entree.titre.replace("'", "&#x27;") in liste
    assert (urls["ecrire"] in liste) == (qui in ("groupement", "collegue"))
    detail = client.get(urls["detail"])
    assert detail.status_code == 200 and "notes.pdf" in detail.content.decode()
    assert (urls["modifier"] in detail.content.decode()) == (qui == "groupement")
    ecrit = 200 if qui in ("groupement", "collegue") else 403
    assert client.get(urls["ecrire"]).status_code == ecrit
    auteur = 200 if qui == "groupement" else 403
    assert client.get(urls["modifier"]).status_code == auteur
    assert client.get(urls["retirer"]).status_code == auteur


def test_les_pages_demandent_une_connexion(client, acc):
    for url in _urls(acc, ecrire(acc)).values():
        assert client.get(url).status_code == 302


def test_le_formulaire_garde_la_saisie_et_dit_ce_qui_manque(client, acc):
    client.force_login(acc.groupement)
    url = reverse("ateliers:inter_atelier_ecrire", args=[acc.atelier.pk])
    saisie = {"nature": N.ENTRETIEN, "date": HIER.isoformat(), "titre": "Visite du marais"}
    reponse = client.post(url, {**saisie, "synthese": "Texte tapé"})
    texte = reponse.content.decode()
    assert reponse.status_code == 400
    assert "Ce champ est demandé pour un entretien." in texte
    assert 'value="Visite du marais"' in texte and "Texte tapé</textarea>" in texte
    demain = timezone.localdate() + datetime.timedelta(days=1)
    reponse = client.post(url, {**saisie, "date": demain.isoformat()})
    assert reponse.status_code == 400 and "La date doit être comprise entre" in (
        reponse.content.decode()
    )
    reponse = client.post(
        url,
        {
            **saisie,
            "interlocuteur": "Jeanne Morvan",
            "organisation": "Syndicat mixte",
            "synthese": "Texte tapé",
            "pieces": [h.televerse("plan.pdf", h.page_html(), "application/pdf")],
        },
    )
    texte = reponse.content.decode()
    assert reponse.status_code == 400 and "Le contenu de « plan.pdf » n&#x27;est pas un PDF." in (
        texte
    )
    assert 'value="Jeanne Morvan"' in texte and not InterAtelier.objects.exists()
    reponse = client.post(
        url,
        {
            **saisie,
            "interlocuteur": "Jeanne Morvan",
            "organisation": "Syndicat mixte",
            "synthese": "Texte tapé",
            "pieces": [pdf("a.pdf"), pdf("b.pdf")],
        },
        follow=True,
    )
    assert "L&#x27;entrée est enregistrée" in reponse.content.decode()
    entree = InterAtelier.objects.get()
    assert len(pieces_de([entree])[entree.pk]) == 2


def test_modifier_et_retirer_par_les_pages(client, acc):
    entree = inter_atelier_ecrire(
        atelier=acc.atelier, par=acc.groupement, valeurs=entretien(), pieces=[pdf()]
    )
    piece = pieces_de([entree])[entree.pk][0]
    urls = _urls(acc, entree)
    client.force_login(acc.groupement)
    champs = {k: v for k, v in entretien().items() if v}
    champs["date"] = HIER.isoformat()
    reponse = client.post(
        urls["modifier"],
        {**champs, "vu": "publiee", "titre": "Corrigé", "retirer": [piece.pk]},
        follow=True,
    )
    assert "L&#x27;entrée est modifiée." in reponse.content.decode()
    assert InterAtelier.objects.get().titre == "Corrigé" and not pieces_de([entree])
    assert "Retirer l’entrée « Corrigé » ?" in client.get(urls["retirer"]).content.decode()
    reponse = client.post(urls["retirer"], {"vu": "publiee"}, follow=True)
    assert "L&#x27;entrée est retirée" in reponse.content.decode()
    assert client.get(urls["detail"]).status_code == 404


def test_la_liste_se_filtre_et_se_pagine(client, acc):
    anciens = [
        ecrire(acc, titre=f"Entretien {i}", date=HIER - datetime.timedelta(days=i))
        for i in range(22)
    ]
    inter_atelier_ecrire(
        atelier=acc.atelier,
        par=acc.collegue,
        valeurs=entretien(
            nature=N.ANALYSE, titre="Lecture du SCoT", documents_lus="SCoT", constats="Ancien."
        ),
    )
    client.force_login(acc.porteuse)
    url = reverse("ateliers:inter_ateliers", args=[acc.atelier.pk])
    texte = client.get(url).content.decode()
    assert "23 entrées" in texte and "Lecture du SCoT" in texte and "Entretien 21" not in texte
    assert "Entretien 21" in client.get(url, {"page": 2}).content.decode()
    texte = client.get(url, {"nature": N.ANALYSE}).content.decode()
    assert "1 entrée correspond" in texte and "Entretien 0" not in texte
    texte = client.get(url, {"auteur": acc.collegue.pk}).content.decode()
    assert "Lecture du SCoT" in texte and "Entretien 0" not in texte
    du = anciens[3].date.isoformat()
    au = anciens[1].date.isoformat()
    texte = client.get(url, {"du": du, "au": au}).content.decode()
    assert "3 entrées correspondent" in texte
    texte = client.get(url, {"du": au, "au": du}).content.decode()
    assert "La fin de la période doit suivre son début." in texte


def test_la_liste_coute_autant_de_requetes_avec_30_et_60_entrees(client, acc):
    client.force_login(acc.pilote)
    url = reverse("ateliers:inter_ateliers", args=[acc.atelier.pk])

    def compter(n):
        for i in range(n):
            auteur = acc.groupement if i % 2 else acc.collegue
            inter_atelier_ecrire(
                atelier=acc.atelier,
                par=auteur,
                valeurs=entretien(titre=f"Entretien {n}-{i}"),
                pieces=[pdf()] if i % 3 == 0 else (),
            )
        return nombre_de_requetes(client, url)

    assert compter(30) == compter(30)
    assert InterAtelier.objects.count() == 60


def test_la_page_de_l_atelier_et_le_cadrage_menent_aux_inter_ateliers(client, acc):
    client.force_login(acc.porteuse)
    liste = reverse("ateliers:inter_ateliers", args=[acc.atelier.pk])
    restitution = reverse("ateliers:restitution", args=[acc.atelier.pk])
    for page in ("portail:atelier", "ateliers:cadrage"):
        texte = client.get(reverse(page, args=[acc.atelier.pk])).content.decode()
        assert liste in texte and restitution in texte, page
