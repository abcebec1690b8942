"""The back office of the marchés: every list opens for a superuser; the states, the frozen
CCTP and the offers are read, never typed; nothing journalled is deleted there."""

import pytest
from django.urls import reverse

from marches.models import MarcheSubsequent, Offre
from tests.comptes.factories import UtilisateurFactory
from tests.marches.factories import (
    AccordCadreFactory,
    ConsultationFactory,
    MarcheFactory,
    OffreFactory,
    TitulaireFactory,
    VersionCctpFactory,
)

pytestmark = pytest.mark.django_db
S = MarcheSubsequent.Statut


@pytest.fixture
def offre():
    """An offer, with its CCTP version, round, marché and accord-cadre."""
    offre = OffreFactory()
    TitulaireFactory(
        accord_cadre=offre.consultation.marche.accord_cadre, groupement=offre.groupement
    )
    return offre


@pytest.mark.parametrize(
    "modele", ["accordcadre", "marchesubsequent", "consultation", "versioncctp", "offre"]
)
def test_chaque_liste_et_chaque_fiche_s_ouvrent_pour_un_superutilisateur(
    admin_client, offre, modele
):
    objets = {
        "accordcadre": offre.consultation.marche.accord_cadre,
        "marchesubsequent": offre.consultation.marche,
        "consultation": offre.consultation,
        "versioncctp": offre.version_cctp,
        "offre": offre,
    }
    liste = admin_client.get(reverse(f"admin:marches_{modele}_changelist"))
    assert liste.status_code == 200
    assert "delete_selected" not in liste.text
    fiche = admin_client.get(reverse(f"admin:marches_{modele}_change", args=[objets[modele].pk]))
    assert fiche.status_code == 200
    assert 'class="deletelink"' not in fiche.text


def test_l_etat_d_un_marche_se_lit_et_ne_se_saisit_pas(admin_client):
    marche = MarcheFactory(statut=S.EN_ANALYSE)
    url = reverse("admin:marches_marchesubsequent_change", args=[marche.pk])
    fiche = admin_client.get(url)
    champs = fiche.context["adminform"].form.fields
    assert list(champs) == ["objet"]
    assert 'name="statut"' not in fiche.text and "En analyse" in fiche.text
    reponse = admin_client.post(url, {"objet": "Objet corrigé", "statut": S.NOTIFIE})
    assert reponse.status_code == 302
    marche.refresh_from_db()
    assert (marche.objet, marche.statut) == ("Objet corrigé", S.EN_ANALYSE)
    assert admin_client.get(reverse("admin:marches_marchesubsequent_add")).status_code == 403
    suppression = reverse("admin:marches_marchesubsequent_delete", args=[marche.pk])
    assert admin_client.post(suppression, {"post": "yes"}).status_code == 403
    assert MarcheSubsequent.objects.filter(pk=marche.pk).exists()


def test_la_liste_des_marches_se_filtre_et_se_cherche(admin_client):
    accord = AccordCadreFactory()
    cherche = MarcheFactory(accord_cadre=accord, objet="Vivre avec l'eau")
    MarcheFactory(statut=S.NOTIFIE, objet="Autre")
    url = reverse("admin:marches_marchesubsequent_changelist")
    assert list(admin_client.get(url, {"q": "avec l'eau"}).context["cl"].result_list) == [cherche]
    assert list(
        admin_client.get(url, {"statut__exact": S.EN_PREPARATION}).context["cl"].result_list
    ) == [cherche]
    assert list(
        admin_client.get(url, {"accord_cadre__id__exact": accord.pk}).context["cl"].result_list
    ) == [cherche]


def test_la_version_du_cctp_et_sa_grille_sont_figees(admin_client):
    version = VersionCctpFactory()
    fiche = admin_client.get(reverse("admin:marches_versioncctp_change", args=[version.pk]))
    assert fiche.status_code == 200
    assert "Méthodologie" in fiche.text
    assert 'name="criteres-0-poids"' not in fiche.text
    assert 'name="numero"' not in fiche.text
    assert admin_client.get(reverse("admin:marches_versioncctp_add")).status_code == 403


def test_une_offre_confidentielle_ne_se_lit_que_par_un_superutilisateur(client, offre):
    fiche = reverse("admin:marches_offre_change", args=[offre.pk])
    superutilisateur = UtilisateurFactory(is_staff=True, is_superuser=True)
    client.force_login(superutilisateur)
    page = client.get(fiche)
    assert page.status_code == 200
    assert 'name="montant_ht"' not in page.text and 'name="statut"' not in page.text
    assert client.post(fiche, {"montant_ht": "1"}).status_code == 403
    offre.refresh_from_db()
    assert offre.statut == Offre.Statut.RECUE
    # A staff account, even given every right on the offers, does not read them here.
    from django.contrib.auth.models import Permission

    staff = UtilisateurFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__endswith="_offre"))
    client.force_login(staff)
    assert client.get(fiche).status_code == 403
    assert client.get(reverse("admin:marches_offre_changelist")).status_code == 403


def test_l_accord_cadre_montre_ses_titulaires_et_documents_sans_suppression(admin_client):
    titulaire = TitulaireFactory()
    accord = titulaire.accord_cadre
    fiche = admin_client.get(reverse("admin:marches_accordcadre_change", args=[accord.pk]))
    assert fiche.status_code == 200
    assert titulaire.groupement.nom in fiche.text
    assert 'name="titularites-0-DELETE"' not in fiche.text
    # Documents are deposited on the accord-cadre's page, where the file is checked.
    assert 'name="documents-TOTAL_FORMS"' in fiche.text
    assert 'name="documents-0-titre"' not in fiche.text
    suppression = reverse("admin:marches_accordcadre_delete", args=[accord.pk])
    assert admin_client.post(suppression, {"post": "yes"}).status_code == 403


def test_une_consultation_se_lit_seulement(admin_client):
    consultation = ConsultationFactory()
    url = reverse("admin:marches_consultation_change", args=[consultation.pk])
    assert 'name="reference_place"' not in admin_client.get(url).text
    assert admin_client.post(url, {"reference_place": "X"}).status_code == 403
