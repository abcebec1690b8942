"""Replaced and withdrawn uploads: never served once withdrawn, their bytes erased by the nightly
clean-up after the grace period, unless something still needs them."""

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from documents import references
from documents.models import FichierDepose
from documents.services import (
    document_demander,
    fichier_deposer,
    fichier_retirer,
    fichiers_retires_effacer,
)
from documents.tasks import fichiers_retires_effacer_tache
from documents.verification import Usage
from tests.ateliers.factories import AtelierFactory
from tests.documents import fichiers_hostiles as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def atelier():
    return AtelierFactory(intitule="Vallée de la Dordogne")


def _deposer(atelier, par, nom="Délibération.pdf"):
    return fichier_deposer(
        fichier=h.televerse(nom, h.pdf_une_page(), "application/pdf"),
        par=par,
        proprietaire=atelier,
        usage=Usage.COURRIER_SIGNE,
    )


def _retire_il_y_a(fichier, jours):
    fichier = fichier_retirer(fichier=fichier)
    FichierDepose.objects.filter(pk=fichier.pk).update(
        retire_le=timezone.now() - timedelta(days=jours)
    )
    return FichierDepose.objects.get(pk=fichier.pk)


def _stocke(fichier):
    return default_storage.exists(fichier.fichier.name)


def test_un_fichier_retire_repond_404_tout_de_suite(client, atelier, pilote):
    fichier = _deposer(atelier, pilote)
    adresse = reverse("documents:fichier", args=[fichier.uuid])
    client.force_login(pilote)
    reponse = client.get(adresse)
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content).startswith(b"%PDF")

    fichier = fichier_retirer(fichier=fichier)

    assert fichier.retire_le is not None and not fichier.disponible
    assert client.get(adresse).status_code == 404
    assert _stocke(fichier)  # the grace period has not begun to run out


def test_retirer_deux_fois_garde_la_premiere_date(atelier, pilote):
    fichier = _retire_il_y_a(_deposer(atelier, pilote), jours=3)
    assert fichier_retirer(fichier=fichier).retire_le == fichier.retire_le


def test_le_nettoyage_efface_les_vieux_fichiers_retires_seulement(
    settings, atelier, pilote, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_FICHIERS_RETIRES_JOURS = 7
    ancien = _retire_il_y_a(_deposer(atelier, pilote, "Ancien.pdf"), jours=8)
    recent = _retire_il_y_a(_deposer(atelier, pilote, "Récent.pdf"), jours=6)
    en_usage = _deposer(atelier, pilote, "En usage.pdf")
    nom_ancien = ancien.fichier.name

    with django_capture_on_commit_callbacks(execute=True):
        assert fichiers_retires_effacer_tache.apply().get() == 1

    ancien = FichierDepose.objects.get(pk=ancien.pk)
    assert not ancien.fichier and not default_storage.exists(nom_ancien)
    assert ancien.nom_original == "Ancien.pdf"  # the row stays: the journal names it
    assert _stocke(recent) and _stocke(en_usage)
    with django_capture_on_commit_callbacks(execute=True):
        assert fichiers_retires_effacer() == 0


def test_un_fichier_joint_a_un_document_n_est_jamais_efface(atelier, pilote):
    lettre = _deposer(atelier, pilote)
    document_demander(
        source=atelier,
        gabarit="pdf/fiche_atelier.html",
        contexte="ateliers.pdf.contexte_fiche",
        titre="Dossier",
        version="1",
        par=pilote,
        annexes=[lettre],
    )
    lettre = _retire_il_y_a(lettre, jours=30)
    assert fichiers_retires_effacer() == 0
    assert _stocke(lettre)


def test_un_gardien_garde_ce_que_son_application_nomme(monkeypatch, atelier, pilote):
    garde = _retire_il_y_a(_deposer(atelier, pilote, "Gardé.pdf"), jours=30)
    libre = _retire_il_y_a(_deposer(atelier, pilote, "Libre.pdf"), jours=30)
    vus = []

    def gardien(fichiers):
        vus.append(set(fichiers.values_list("pk", flat=True)))
        return {garde.pk}

    monkeypatch.setattr(references, "_gardiens", [*references._gardiens, gardien])
    assert fichiers_retires_effacer() == 1
    assert vus == [{garde.pk, libre.pk}]
    assert FichierDepose.objects.get(pk=garde.pk).fichier
    assert not FichierDepose.objects.get(pk=libre.pk).fichier


def test_un_octet_stocke_sans_ligne_est_efface_une_fois_vieux(atelier, pilote):
    vieux = default_storage.save("fichiers/ab/orphelin-ancien.pdf", ContentFile(b"%PDF-1.7\n"))
    neuf = default_storage.save("fichiers/ab/orphelin-neuf.pdf", ContentFile(b"%PDF-1.7\n"))
    il_y_a_8_jours = (timezone.now() - timedelta(days=8)).timestamp()
    os.utime(default_storage.path(vieux), (il_y_a_8_jours, il_y_a_8_jours))
    en_usage = _deposer(atelier, pilote)
    os.utime(default_storage.path(en_usage.fichier.name), (il_y_a_8_jours, il_y_a_8_jours))

    assert fichiers_retires_effacer() == 1
    assert not default_storage.exists(vieux)
    assert default_storage.exists(neuf) and _stocke(en_usage)
