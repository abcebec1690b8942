"""The back office reads the livrables and the accompagnement: every list and every record
opens for a superuser, and none may be added, changed or deleted there."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ateliers.models import Cadrage, EtapePrevue
from livrables.models import Action, Avis, Axe, Commentaire, Livrable, Objectif, VersionLivrable
from livrables.selectors import livrable_de
from livrables.services import avis_donner, commentaire_ecrire, version_deposer
from livrables.services.livret import livret_image_deposer
from marches.demo.outils import photo_demo
from tests.documents.fichiers_hostiles import pdf_une_page
from tests.livrables.feuille_route_aide import brouillon

pytestmark = pytest.mark.django_db


@pytest.fixture
def objets(liv):
    livrable = livrable_de(liv.atelier, "note_cadrage")
    fichier = SimpleUploadedFile("note.pdf", pdf_une_page(), content_type="application/pdf")
    version = version_deposer(livrable=livrable, par=liv.groupement, vu="attendu", fichier=fichier)
    livrable = version.livrable
    commentaire_ecrire(livrable=livrable, par=liv.pilote, texte="Page 1 : la date ?", page=1)
    avis_donner(
        livrable=livrable,
        par=liv.porteuse,
        collectivite=liv.atelier.collectivites.get(),
        sens="favorable",
    )
    feuille = brouillon(liv.atelier, nombre=2)
    image = livret_image_deposer(
        livrable=livrable_de(liv.atelier, "livret"),
        par=liv.groupement,
        fichier=SimpleUploadedFile("vue.jpg", photo_demo(1), content_type="image/jpeg"),
        partie="edito",
        texte_alternatif="Une vue du territoire",
    )
    return {
        "livrables_action": Action.objects.filter(livrable=feuille).first(),
        "livrables_axe": Axe.objects.filter(livrable=feuille).first(),
        "livrables_objectif": Objectif.objects.filter(livrable=feuille).first(),
        "livrables_imagelivret": image,
        "livrables_livrable": Livrable.objects.get(type="note_cadrage"),
        "livrables_versionlivrable": VersionLivrable.objects.get(),
        "livrables_commentaire": Commentaire.objects.get(),
        "livrables_avis": Avis.objects.get(),
        "ateliers_cadrage": Cadrage.objects.get(),
        "ateliers_etapeprevue": EtapePrevue.objects.first(),
    }


@pytest.mark.parametrize(
    "modele",
    [
        "livrables_action",
        "livrables_axe",
        "livrables_objectif",
        "livrables_imagelivret",
        "livrables_livrable",
        "livrables_versionlivrable",
        "livrables_commentaire",
        "livrables_avis",
        "ateliers_cadrage",
        "ateliers_etapeprevue",
    ],
)
def test_chaque_liste_et_chaque_fiche_se_lisent_sans_rien_modifier(admin_client, objets, modele):
    liste = admin_client.get(reverse(f"admin:{modele}_changelist"))
    assert liste.status_code == 200
    assert "delete_selected" not in liste.text
    assert admin_client.get(reverse(f"admin:{modele}_add")).status_code == 403
    fiche = admin_client.get(reverse(f"admin:{modele}_change", args=[objets[modele].pk]))
    assert fiche.status_code == 200
    assert 'class="deletelink"' not in fiche.text
    assert 'name="_save"' not in fiche.text
    # The lines beneath a record (an action's financing) are shown, not editable.
    assert 'name="financements-0-montant"' not in fiche.text
    if modele == "livrables_action":
        assert "Fonds vert" in fiche.text
