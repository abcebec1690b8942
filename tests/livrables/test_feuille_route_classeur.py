"""The feuille de route's workbook: export then import gives the same draft; every hostile or
wrong workbook is refused with a French message naming the cell, and nothing is written."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ateliers.models import Evenement
from livrables.classeur import COLONNES, LIGNES_MAX, ClasseurRefuse, classeur_ecrire, classeur_lire
from livrables.models import Action, Financement
from livrables.selectors.feuille_route import contenu_feuille_route
from livrables.services.feuille_route import feuille_remplacer
from tests.livrables.feuille_route_aide import brouillon, feuille

pytestmark = pytest.mark.django_db


def _fichier(contenu: bytes, nom="feuille.xlsx"):
    return SimpleUploadedFile(nom, contenu)


def _classeur(liv, nombre=3):
    return classeur_ecrire(contenu_feuille_route(brouillon(liv.atelier, nombre=nombre)))


def _modifier(contenu: bytes, modifier) -> bytes:
    classeur = load_workbook(io.BytesIO(contenu))
    modifier(classeur)
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def test_export_puis_import_donne_les_memes_donnees(liv):
    livrable = brouillon(liv.atelier, nombre=5)
    action = Action.objects.filter(livrable=livrable).first()
    action.porteur, action.porteur_nom = liv.atelier.collectivites.get(), ""
    action.cout_estime, action.debut, action.fin, action.horizon = None, None, None, "long"
    action.save()
    avant = contenu_feuille_route(livrable)
    lue = classeur_lire(_fichier(classeur_ecrire(avant)), atelier=liv.atelier)
    Action.objects.filter(livrable=livrable).update(titre="Effacé")
    feuille_remplacer(livrable=livrable, par=liv.groupement, feuille=lue)
    assert contenu_feuille_route(livrable) == avant
    assert Action.objects.get(livrable=livrable, numero=action.numero).porteur_id is not None


def test_l_import_par_la_page_remplace_le_brouillon_et_l_export_se_telecharge(client, liv):
    contenu = _classeur(liv, nombre=4)
    Action.objects.filter(numero=4).delete()
    client.force_login(liv.groupement)
    url = reverse("livrables:feuille_importer", args=[liv.atelier.pk])
    reponse = client.post(url, {"classeur": _fichier(contenu)}, follow=True)
    assert "compte 4 actions" in reponse.content.decode()
    assert Action.objects.count() == 4
    assert Evenement.objects.filter(libelle="Feuille de route importée d'un classeur").count() == 1
    export = client.get(reverse("livrables:feuille_exporter", args=[liv.atelier.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    lu = load_workbook(io.BytesIO(export.content), read_only=True)
    assert lu.sheetnames == ["Objectifs", "Axes", "Actions", "Financements", "Listes"]
    assert len(list(lu["Actions"].iter_rows(min_row=2))) == 4


def _refuse(liv, contenu, nom="feuille.xlsx"):
    """Import through the page: refused (400), its messages, and the draft unchanged."""
    from django.test import Client

    livrable = feuille(liv.atelier)
    avant = contenu_feuille_route(livrable)
    client = Client()
    client.force_login(liv.groupement)
    url = reverse("livrables:feuille_importer", args=[liv.atelier.pk])
    reponse = client.post(url, {"classeur": _fichier(contenu, nom)})
    assert reponse.status_code == 400
    assert contenu_feuille_route(livrable) == avant
    return reponse.content.decode()


def test_une_formule_est_refusee_et_nommee(liv):
    def formule(classeur):
        classeur["Actions"]["I3"] = "=SOMME(I2:I2)"

    texte = _refuse(liv, _modifier(_classeur(liv), formule))
    assert "Feuille « Actions », ligne 3, colonne I (Coût estimé (€)) : les formules" in texte


def test_chaque_mauvaise_cellule_est_nommee(liv):
    def abimer(classeur):
        actions = classeur["Actions"]
        actions["I2"] = "beaucoup"
        actions["J2"] = "demain"
        actions["F3"] = "Urgente"
        actions["C4"] = None
        actions["B4"] = "Axe inconnu"
        classeur["Financements"]["D2"] = -10
        classeur["Financements"]["A3"] = 99

    texte = _refuse(liv, _modifier(_classeur(liv), abimer)).replace("&#x27;", "'")
    actions, financements = "Feuille « Actions », ligne", "Feuille « Financements », ligne"
    for attendu in (
        f"{actions} 2, colonne I (Coût estimé (€)) : « beaucoup » n'est pas un montant",
        f"{actions} 2, colonne J (Début) : « demain » n'est pas une date",
        f"{actions} 3, colonne F (Priorité) : « Urgente » n'est pas une valeur permise",
        f"{actions} 4, colonne C (Titre) : cette cellule est obligatoire.",
        f"{actions} 4, colonne B (Axe) : l'axe « Axe inconnu » n'est pas",
        f"{financements} 2, colonne D (Montant (€)) : le montant doit être positif",
        f"{financements} 3, colonne A (N° de l'action) : aucune action ne porte le numéro 99.",
    ):
        assert attendu in texte


def test_un_classeur_hors_modele_est_refuse(liv):
    classeur = Workbook()
    classeur.active.title = "Actions"
    classeur.active.append(["Quoi", "Qui"])
    sortie = io.BytesIO()
    classeur.save(sortie)
    texte = _refuse(liv, sortie.getvalue())
    assert "La feuille « Objectifs » manque" in texte
    assert "n&#x27;a pas les colonnes du modèle" in texte


def test_cent_mille_lignes_sont_refusees_sans_tout_lire(liv):
    sortie = io.BytesIO()
    classeur = Workbook(write_only=True)
    for nom, entetes in COLONNES.items():
        feuillet = classeur.create_sheet(nom)
        feuillet.append(entetes)
        if nom == "Actions":
            for n in range(100_000):
                feuillet.append([n + 1, "Axe 1", f"Action {n}"])
    classeur.save(sortie)
    texte = _refuse(liv, sortie.getvalue())
    assert f"La feuille « Actions » dépasse {LIGNES_MAX} lignes" in texte


def _zip(contenu: bytes, ajouts: dict[str, bytes]) -> bytes:
    sortie = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(contenu)) as source,
        zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as cible,
    ):
        for membre in source.infolist():
            cible.writestr(membre, source.read(membre))
        for nom, donnees in ajouts.items():
            cible.writestr(nom, donnees)
    return sortie.getvalue()


def test_un_classeur_a_macros_renomme_xlsx_est_refuse(liv):
    contenu = _zip(_classeur(liv), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macros"})
    texte = _refuse(liv, contenu, nom="feuille.xlsx")
    assert "macros ne sont pas acceptés" in texte


def test_une_bombe_zip_est_refusee(liv):
    contenu = _zip(_classeur(liv), {"xl/media/bombe.bin": bytes(30 * 1024 * 1024)})
    assert len(contenu) < 1024 * 1024
    texte = _refuse(liv, contenu)
    assert "décompress" in texte or "bombe" in texte or "trop" in texte


def test_un_autre_fichier_est_refuse(liv):
    assert "XLSX" in _refuse(liv, b"%PDF-1.7\n%fin", nom="feuille.pdf")
    assert "n&#x27;est pas" in _refuse(liv, b"ceci n'est pas un classeur", nom="feuille.xlsx")


def test_un_echec_en_cours_d_ecriture_n_ecrit_rien(liv, monkeypatch):
    livrable = brouillon(liv.atelier, nombre=3)
    avant = contenu_feuille_route(livrable)
    lue = classeur_lire(_fichier(classeur_ecrire(avant)), atelier=liv.atelier)
    lue.actions[-1]["cout_estime"] = Decimal("-1")  # refused by the database, last
    with pytest.raises(Exception):  # noqa: B017
        feuille_remplacer(livrable=livrable, par=liv.groupement, feuille=lue)
    assert contenu_feuille_route(livrable) == avant
    assert Financement.objects.filter(action__livrable=livrable).count() == 6


def test_classeur_refuse_porte_ses_erreurs():
    erreur = ClasseurRefuse(["a", "b"])
    assert erreur.erreurs == ["a", "b"] and str(erreur) == "a b"


def test_une_ligne_sans_numero_est_une_nouvelle_action(liv):
    def ajouter(classeur):
        classeur["Actions"].append([None, "Axe 1", "Une action écrite dans le tableur"])

    livrable = brouillon(liv.atelier, nombre=2)
    contenu = _modifier(classeur_ecrire(contenu_feuille_route(livrable)), ajouter)
    lue = classeur_lire(_fichier(contenu), atelier=liv.atelier)
    feuille_remplacer(livrable=livrable, par=liv.groupement, feuille=lue)
    nouvelle = Action.objects.get(livrable=livrable, titre="Une action écrite dans le tableur")
    assert nouvelle.numero == 3 and nouvelle.priorite == 2 and nouvelle.statut == "a_engager"


def test_une_version_deposee_s_exporte_telle_qu_elle_a_ete_figee(client, liv):
    from livrables.models import Livrable
    from livrables.services import version_deposer

    livrable = brouillon(liv.atelier, nombre=2)
    version_deposer(livrable=livrable, par=liv.groupement, vu=Livrable.Statut.ATTENDU)
    Action.objects.filter(livrable=livrable).update(titre="Changé après le dépôt")
    client.force_login(liv.pilote)
    url = reverse("livrables:feuille_exporter_version", args=[liv.atelier.pk, 1])
    reponse = client.get(url)
    assert reponse.status_code == 200
    assert "version-1.xlsx" in reponse["Content-Disposition"]
    lu = load_workbook(io.BytesIO(reponse.content), read_only=True)
    titres = [r[2] for r in lu["Actions"].iter_rows(min_row=2, values_only=True)]
    assert len(titres) == 2 and "Changé après le dépôt" not in titres
    absente = reverse("livrables:feuille_exporter_version", args=[liv.atelier.pk, 2])
    assert client.get(absente).status_code == 404
    client.force_login(liv.autre_groupement)
    assert client.get(url).status_code == 404
