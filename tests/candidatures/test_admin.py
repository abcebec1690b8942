"""What a dossier was deposited with stays: the back-office shows it and never deletes it."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from candidatures.models import Courrier, Decision, VersionCandidature
from documents.models import FichierDepose
from tests.candidatures.factories import CandidatureFactory, decision
from tests.comptes.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deposee():
    """A deposited candidature: its frozen version and a signed letter, by a porteur."""
    candidature = CandidatureFactory(deposee=True)
    porteur = UtilisateurFactory(organisations=[candidature.atelier.collectivites.first()])
    fichier = FichierDepose.objects.create(
        nom_original="soutien.pdf",
        extension=".pdf",
        taille=10,
        type_contenu="application/pdf",
        sha256="0" * 64,
        proprietaire=candidature,
        depose_par=porteur,
    )
    Courrier.objects.create(
        candidature=candidature,
        type=Courrier.Type.SOUTIEN_PREFET,
        fichier=fichier,
        depose_par=porteur,
    )
    VersionCandidature.objects.filter(candidature=candidature).update(depose_par=porteur)
    return candidature, porteur


@pytest.mark.parametrize(
    ("modele", "trouver"),
    [
        ("courrier", lambda c: c.courriers.get()),
        ("versioncandidature", lambda c: c.versions.get()),
    ],
)
def test_l_admin_montre_sans_supprimer_ce_qui_a_ete_depose(admin_client, deposee, modele, trouver):
    candidature, _ = deposee
    objet = trouver(candidature)

    liste = admin_client.get(reverse(f"admin:candidatures_{modele}_changelist"))
    assert liste.status_code == 200 and "delete_selected" not in liste.content.decode()
    fiche = admin_client.get(reverse(f"admin:candidatures_{modele}_change", args=[objet.pk]))
    assert fiche.status_code == 200
    contenu = fiche.content.decode()
    assert 'class="deletelink"' not in contenu and 'name="_save"' not in contenu

    suppression = reverse(f"admin:candidatures_{modele}_delete", args=[objet.pk])
    assert admin_client.get(suppression).status_code == 403
    assert admin_client.post(suppression, {"post": "yes"}).status_code == 403
    assert type(objet).objects.filter(pk=objet.pk).exists()


def test_la_base_garde_versions_courriers_et_decisions_avec_leurs_auteurs(deposee):
    candidature, porteur = deposee
    decision(candidature, candidature.versions.get().depose_le.date())
    Decision.objects.filter(candidature=candidature).update(decidee_par=porteur)

    for protege in (porteur, candidature):
        with pytest.raises(ProtectedError):
            protege.delete()
    for lignes in (candidature.versions.all(), candidature.courriers.all()):
        assert lignes.get().depose_par == porteur
    assert candidature.decisions.get().decidee_par == porteur
