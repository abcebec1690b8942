"""Each candidatures service checks that `par` may do what it asks, whoever calls it: the view
is not the only guard. For each, a user of the right role and one of a wrong role."""

import pytest
from django.core.exceptions import PermissionDenied

from ateliers.models import Phase
from candidatures.models import (
    Annotation,
    Courrier,
    DemandeAvis,
    Message,
    Objet,
    PreCandidature,
)
from candidatures.services import (
    annotation_ecrire,
    avis_demander,
    avis_rendre,
    courrier_demander_modele,
    courrier_deposer,
    message_envoyer,
    partie_enregistrer,
    precandidature_ouvrir,
)
from documents.models import Document
from tests.ateliers.factories import AtelierFactory
from tests.candidatures.dossier import lettre_pdf
from tests.comptes.factories import OrganisationFactory, membre
from tests.documents.fichiers_hostiles import televerse

pytestmark = pytest.mark.django_db

TYPE = Courrier.Type.SOUTIEN_PREFET


@pytest.fixture
def atelier():
    return AtelierFactory(
        phase=Phase.CANDIDATURE, collectivites=[OrganisationFactory(nom="Communauté du Val")]
    )


@pytest.fixture
def dgaln():
    return membre(dgaln=True)


@pytest.fixture
def groupement():
    return membre(groupement=True)


def _deposer(candidature, par):
    return courrier_deposer(
        candidature=candidature,
        type_courrier=TYPE,
        fichier=televerse("prefet.pdf", lettre_pdf("Lettre du prefet"), "application/pdf"),
        par=par,
    )


def test_seuls_les_porteurs_deposent_un_courrier_signe(candidature, porteur, dgaln):
    with pytest.raises(PermissionDenied, match="Seuls les porteurs"):
        _deposer(candidature, dgaln)
    assert not Courrier.objects.exists()
    assert _deposer(candidature, porteur).depose_par == porteur


def test_le_modele_de_courrier_est_demande_par_qui_voit_la_candidature(
    candidature, porteur, groupement
):
    with pytest.raises(PermissionDenied, match="voir cette candidature"):
        courrier_demander_modele(candidature=candidature, type_courrier=TYPE, par=groupement)
    assert not Document.objects.exists()
    document = courrier_demander_modele(candidature=candidature, type_courrier=TYPE, par=porteur)
    assert document.demande_par == porteur


def _enregistrer(candidature, par):
    objet = Objet.objects.get(candidature=candidature)
    return partie_enregistrer(
        partie=objet, champs={"enjeux": "Habiter la vallée"}, version_lue=objet.version, par=par
    )


def test_seuls_les_porteurs_redigent_la_note(candidature, porteur, dgaln):
    with pytest.raises(PermissionDenied, match="Seuls les porteurs"):
        _enregistrer(candidature, dgaln)
    assert Objet.objects.get(candidature=candidature).version == 0
    assert _enregistrer(candidature, porteur).enjeux == "Habiter la vallée"


def test_seuls_la_dgaln_et_les_porteurs_ecrivent_dans_les_echanges(
    candidature, porteur, groupement
):
    with pytest.raises(PermissionDenied, match="Seuls la DGALN et les porteurs"):
        message_envoyer(candidature=candidature, par=groupement, texte="Bonjour")
    assert not Message.objects.exists()
    message = message_envoyer(candidature=candidature, par=porteur, texte="Bonjour")
    assert message.auteur == porteur


def test_seule_la_dgaln_annote_un_dossier(candidature, porteur, dgaln):
    with pytest.raises(PermissionDenied, match="Seule la DGALN"):
        annotation_ecrire(candidature=candidature, par=porteur, texte="Fragile")
    assert not Annotation.objects.exists()
    assert annotation_ecrire(candidature=candidature, par=dgaln, texte="Fragile").auteur == dgaln


def test_seule_la_dgaln_demande_un_avis(candidature, porteur, dgaln):
    expert = membre(dgaln=True)
    with pytest.raises(PermissionDenied, match="Seule la DGALN"):
        avis_demander(candidature=candidature, par=porteur, expert=expert, question="Alors ?")
    assert not DemandeAvis.objects.exists()
    demande = avis_demander(candidature=candidature, par=dgaln, expert=expert, question="Alors ?")
    assert demande.demandeur == dgaln


def test_seul_le_collegue_sollicite_rend_l_avis(candidature, dgaln):
    expert = membre(dgaln=True)
    demande = avis_demander(candidature=candidature, par=dgaln, expert=expert, question="Alors ?")
    with pytest.raises(PermissionDenied, match="Seul le collègue sollicité"):
        avis_rendre(demande=demande, par=dgaln, avis="Favorable")
    assert not DemandeAvis.objects.get(pk=demande.pk).rendu
    assert avis_rendre(demande=demande, par=expert, avis="Favorable").rendu


@pytest.mark.parametrize(("traits", "permis"), [({"ddt": True}, True), ({"dgaln": True}, False)])
def test_seuls_l_etat_et_les_collectivites_ouvrent_une_precandidature(traits, permis):
    par = membre(**traits)
    departement = OrganisationFactory(ddt=True).departement
    ouvrir = {
        "par": par,
        "intitule": "Vallée en transition",
        "departements": [departement],
        "epcis": [],
        "communes": "",
        "service_pilote": None,
        "operateur": None,
        "intention": "Une intention.",
        "thematiques": [],
        "contacts": [],
    }
    if permis:
        assert precandidature_ouvrir(**ouvrir).intitule == "Vallée en transition"
    else:
        with pytest.raises(PermissionDenied):
            precandidature_ouvrir(**ouvrir)
        assert not PreCandidature.objects.exists()
