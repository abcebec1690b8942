"""Query-count pins of the review's pages: a livrable with 20 versions and 80 comments asks the
database as many times as one with twice as many; so does the list of the five."""

import pytest
from django.urls import reverse

from livrables.models import Avis, Commentaire, Livrable, VersionLivrable
from livrables.services import livrable_ouvrir
from tests.livrables.outils import NOTE, url
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db


def historique(liv, versions, commentaires_par_version):
    """A livrable deposited `versions` times, each version written in three parts, commented
    and answered in the next, with the collectivité's avis; the last one under review."""
    livrable = livrable_ouvrir(atelier=liv.atelier, type=NOTE)
    Livrable.objects.filter(pk=livrable.pk).update(statut=Livrable.Statut.DEPOSE)
    depart = VersionLivrable.objects.filter(livrable=livrable).count()
    VersionLivrable.objects.bulk_create(
        VersionLivrable(
            livrable=livrable,
            numero=depart + n,
            mode=VersionLivrable.Mode.REDIGE,
            contenu={
                "parties": [
                    {"cle": f"p{k}", "titre": f"Partie {k}", "texte": f"Version {n}, partie {k}."}
                    for k in range(3)
                ]
            },
            message=f"Version {n}.",
            deposee_par=liv.groupement,
        )
        for n in range(1, versions + 1)
    )
    crees = list(VersionLivrable.objects.filter(livrable=livrable).order_by("numero"))[-versions:]
    collectivite = liv.atelier.collectivites.get()
    Commentaire.objects.bulk_create(
        Commentaire(
            version=version,
            partie=f"p{k % 3}" if k % 2 else "",
            page=None,
            texte=f"Commentaire {k} sur la version {version.numero}.",
            auteur=liv.pilote,
            envoye=suivante is not None,
            reponse="Corrigé." if suivante else "",
            repondu_dans=suivante,
        )
        for version, suivante in zip(crees, [*crees[1:], None], strict=True)
        for k in range(commentaires_par_version)
    )
    Avis.objects.bulk_create(
        Avis(version=v, collectivite=collectivite, sens="favorable", auteur=liv.porteuse)
        for v in crees[:-1]
    )
    return livrable


@pytest.mark.parametrize("role", ["pilote", "groupement", "porteuse"])
def test_la_page_d_un_livrable_ne_depend_pas_de_son_historique(client, liv, role):
    client.force_login(getattr(liv, role))
    historique(liv, 20, 4)
    assert Commentaire.objects.count() == 80
    a_n = nombre_de_requetes(client, url(liv))
    historique(liv, 20, 4)
    assert VersionLivrable.objects.count() == 40 and Commentaire.objects.count() == 160
    assert nombre_de_requetes(client, url(liv)) == a_n


def test_la_liste_des_livrables_ne_depend_pas_de_leurs_versions(client, liv):
    client.force_login(liv.pilote)
    adresse = reverse("livrables:livrables", args=[liv.atelier.pk])
    historique(liv, 20, 1)
    a_n = nombre_de_requetes(client, adresse)
    historique(liv, 20, 1)
    assert nombre_de_requetes(client, adresse) == a_n
