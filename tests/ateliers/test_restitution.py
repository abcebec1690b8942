"""The restitution: recorded by the pilot and the groupement, read by the porteurs and DGALN;
its page says what the clôture waits for."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Atelier, CodeRestitution, Evenement, Phase, Restitution
from ateliers.selectors.restitution import restitution_de
from ateliers.services import ActionImpossible
from ateliers.services.restitution import restitution_enregistrer
from documents.models import FichierDepose
from tests.documents import fichiers_hostiles as h

pytestmark = pytest.mark.django_db
LECTEURS = ["pilote", "porteuse", "groupement", "dgaln"]
DANS_UN_MOIS = timezone.now() + datetime.timedelta(days=30)
ATTENTE = "La clôture se fera quand les cinq livrables seront validés"


def valeurs(**autres):
    return {
        "date": DANS_UN_MOIS,
        "lieu": "Salle des fêtes, Redon",
        "audience": "Élus du conseil communautaire, habitants",
        "compte_rendu": "",
        **autres,
    }


def pdf(nom="presentation.pdf"):
    return h.televerse(nom, h.pdf_pypdf(), "application/pdf")


def test_avant_tout_enregistrement_la_restitution_n_existe_pas_en_base(acc):
    restitution = restitution_de(acc.atelier)
    assert restitution.pk is None and restitution.atelier == acc.atelier
    assert not Restitution.objects.exists()


@pytest.mark.parametrize("qui", ["pilote", "groupement"])
def test_le_pilote_et_le_groupement_l_enregistrent(acc, qui):
    par = getattr(acc, qui)
    restitution = restitution_enregistrer(
        atelier=acc.atelier, par=par, valeurs=valeurs(), presentation=pdf()
    )
    assert restitution.pk and restitution.presentation.nom_original == "presentation.pdf"
    ligne = Evenement.objects.get(code=CodeRestitution.ENREGISTREE)
    assert ligne.par == par and "présentation" in ligne.commentaire
    ancienne = restitution.presentation
    restitution = restitution_enregistrer(
        atelier=acc.atelier,
        par=par,
        valeurs=valeurs(compte_rendu="Bien reçue."),
        presentation=pdf("v2.pdf"),
    )
    assert Restitution.objects.get().compte_rendu == "Bien reçue."
    assert FichierDepose.objects.get(pk=ancienne.pk).retire_le is not None
    # The same values again change nothing and journal nothing.
    restitution_enregistrer(
        atelier=acc.atelier, par=par, valeurs=valeurs(compte_rendu="Bien reçue.")
    )
    assert Evenement.objects.filter(code=CodeRestitution.ENREGISTREE).count() == 2


@pytest.mark.parametrize("qui", ["porteuse", "dgaln", "dreal", "autre_groupement"])
def test_les_autres_ne_l_enregistrent_pas(acc, qui):
    with pytest.raises(PermissionDenied):
        restitution_enregistrer(atelier=acc.atelier, par=getattr(acc, qui), valeurs=valeurs())
    assert not Restitution.objects.exists() and not Evenement.objects.exists()


def test_elle_ne_se_modifie_plus_apres_la_cloture(acc):
    Atelier.objects.filter(pk=acc.atelier.pk).update(phase=Phase.CLOTURE)
    with pytest.raises(ActionImpossible, match="Clôturé"):
        restitution_enregistrer(atelier=acc.atelier, par=acc.pilote, valeurs=valeurs())


def test_une_presentation_hostile_est_refusee(acc):
    with pytest.raises(ValidationError):
        restitution_enregistrer(
            atelier=acc.atelier,
            par=acc.pilote,
            valeurs=valeurs(),
            presentation=h.televerse("p.pdf", h.pdf_avec_html(), "application/pdf"),
        )
    assert not Restitution.objects.exists() and not FichierDepose.objects.exists()


@pytest.mark.parametrize("qui", [*LECTEURS, "dreal", "autre_groupement"])
def test_la_page_par_role(client, acc, qui):
    page = reverse("ateliers:restitution", args=[acc.atelier.pk])
    modifier = reverse("ateliers:restitution_modifier", args=[acc.atelier.pk])
    assert client.get(page).status_code == 302
    client.force_login(getattr(acc, qui))
    reponse = client.get(page)
    if qui not in LECTEURS:
        assert reponse.status_code == 404 and client.get(modifier).status_code == 404
        return
    texte = reponse.content.decode()
    assert reponse.status_code == 200 and ATTENTE in texte and "Pas encore fixée." in texte
    peut = qui in ("pilote", "groupement")
    assert (modifier in texte) == peut
    assert client.get(modifier).status_code == (200 if peut else 403)


def test_le_formulaire_garde_la_saisie_et_refuse_un_fichier_hostile(client, acc):
    client.force_login(acc.groupement)
    url = reverse("ateliers:restitution_modifier", args=[acc.atelier.pk])
    reponse = client.post(url, {"heure": "18:00", "lieu": "Mairie de Redon", "audience": "Élus"})
    texte = reponse.content.decode()
    assert reponse.status_code == 400 and "Indiquez la date de la réunion." in texte
    assert 'value="Mairie de Redon"' in texte and "Élus</textarea>" in texte
    jour = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    reponse = client.post(
        url,
        {
            "jour": jour,
            "heure": "18:00",
            "lieu": "Mairie de Redon",
            "presentation": h.televerse("p.pdf", h.page_html(), "application/pdf"),
        },
    )
    assert reponse.status_code == 400 and "n&#x27;est pas un PDF" in reponse.content.decode()
    assert not Restitution.objects.exists()
    reponse = client.post(
        url,
        {"jour": jour, "heure": "18:00", "lieu": "Mairie de Redon", "presentation": pdf()},
        follow=True,
    )
    texte = reponse.content.decode()
    assert "La restitution est enregistrée." in texte and "presentation.pdf" in texte
    assert timezone.localtime(Restitution.objects.get().date).strftime("%H:%M") == "18:00"
