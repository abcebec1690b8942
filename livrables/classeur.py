"""The feuille de route's workbook (XLSX): written from a draft or a version, and read back
from the same template. Reading never trusts the file: documents' checks first (macros, zip
bombs, polyglots), then a bounded read (`read_only`, at most LIGNES_MAX rows per sheet), no
formulas, every cell typed; every bad cell is named by its sheet, row and column."""

import datetime
import io
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ateliers.models import Atelier
from candidatures.models import Thematique
from documents.verification import XLSX, Usage, verifier
from livrables.forms.feuille_route import MONTANT_MAX, organisations_de
from livrables.models import Horizon, Priorite, SourceFinancement, StatutAction
from livrables.services.feuille_route import FeuilleSaisie

# A feuille de route has tens of actions; a sheet past this bound is refused unread.
LIGNES_MAX = 2_000
ERREURS_MAX = 50
TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

OBJECTIFS, AXES, ACTIONS, FINANCEMENTS, LISTES = (
    "Objectifs",
    "Axes",
    "Actions",
    "Financements",
    "Listes",
)
COLONNES: dict[str, list[str]] = {
    OBJECTIFS: ["Intitulé", "Description"],
    AXES: ["Intitulé", "Description"],
    ACTIONS: [
        "N°",
        "Axe",
        "Titre",
        "Description",
        "Thème",
        "Priorité",
        "Porteur",
        "Partenaires",
        "Coût estimé (€)",
        "Début",
        "Fin",
        "Horizon",
        "Indicateurs",
        "Statut",
    ],
    FINANCEMENTS: ["N° de l'action", "Source", "Précision", "Montant (€)"],
}


class ClasseurRefuse(Exception):
    """The workbook is refused: nothing was written; `erreurs` says each reason in French."""

    def __init__(self, erreurs: list[str]):
        super().__init__(" ".join(erreurs))
        self.erreurs = erreurs


def _date(valeur: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(valeur) if valeur else None


def _nombre(valeur: str | None) -> Decimal | None:
    return Decimal(valeur) if valeur not in (None, "") else None


def classeur_ecrire(feuille: dict[str, Any]) -> bytes:
    """The workbook of a frozen feuille de route (`feuille_figee`, or a draft's
    `contenu_feuille_route`): one sheet per kind of row, and the lists of allowed values."""
    classeur = Workbook()
    classeur.remove(classeur.active)
    lignes: dict[str, list[list[Any]]] = {
        OBJECTIFS: [[o["intitule"], o["description"]] for o in feuille["objectifs"]],
        AXES: [[a["intitule"], a["description"]] for a in feuille["axes"]],
        ACTIONS: [
            [
                a["numero"],
                a["axe"],
                a["titre"],
                a["description"],
                a["theme"],
                a["priorite_libelle"],
                a["porteur"],
                a["partenaires"],
                _nombre(a["cout_estime"]),
                _date(a["debut"]),
                _date(a["fin"]),
                a["horizon_libelle"],
                a["indicateurs"],
                a["statut_libelle"],
            ]
            for a in feuille["actions"]
        ],
        FINANCEMENTS: [
            [a["numero"], f["source_libelle"], f["precision"], Decimal(f["montant"])]
            for a in feuille["actions"]
            for f in a["financements"]
        ],
    }
    for nom, entetes in COLONNES.items():
        feuillet = classeur.create_sheet(nom)
        feuillet.append(entetes)
        for cellule in feuillet[1]:
            cellule.font = Font(bold=True)
        for ligne in lignes[nom]:
            feuillet.append(["" if v is None and i > 0 else v for i, v in enumerate(ligne)])
        for i in range(1, len(entetes) + 1):
            feuillet.column_dimensions[get_column_letter(i)].width = 24
        feuillet.freeze_panes = "A2"
    for lettre in ("J", "K"):
        for cellule in classeur[ACTIONS][lettre][1:]:
            cellule.number_format = "DD/MM/YYYY"
    _listes(classeur)
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def _listes(classeur: Workbook) -> None:
    """The allowed values, on a sheet of their own, offered as drop-down lists."""
    listes = {
        "Thème": list(
            Thematique.objects.order_by("ordre", "libelle").values_list("libelle", flat=True)
        ),
        "Priorité": [libelle for _, libelle in Priorite.choices],
        "Horizon": [libelle for _, libelle in Horizon.choices],
        "Statut": [libelle for _, libelle in StatutAction.choices],
        "Source": [libelle for _, libelle in SourceFinancement.choices],
    }
    feuillet = classeur.create_sheet(LISTES)
    cibles = {"Thème": (ACTIONS, "E"), "Priorité": (ACTIONS, "F"), "Horizon": (ACTIONS, "L")}
    cibles |= {"Statut": (ACTIONS, "N"), "Source": (FINANCEMENTS, "B")}
    for colonne, (titre, valeurs) in enumerate(listes.items(), start=1):
        lettre = get_column_letter(colonne)
        feuillet.cell(row=1, column=colonne, value=titre).font = Font(bold=True)
        for ligne, valeur in enumerate(valeurs, start=2):
            feuillet.cell(row=ligne, column=colonne, value=valeur)
        nom, cible = cibles[titre]
        validation = DataValidation(
            type="list",
            formula1=f"={LISTES}!${lettre}$2:${lettre}${len(valeurs) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=titre,
            error=f"Choisissez une valeur de la liste « {titre} ».",
        )
        validation.add(f"{cible}2:{cible}{LIGNES_MAX + 1}")
        classeur[nom].add_data_validation(validation)


@dataclass
class _Cellule:
    feuille: str
    ligne: int
    colonne: int
    valeur: Any

    @property
    def ou(self) -> str:
        entete = COLONNES[self.feuille][self.colonne - 1]
        return (
            f"Feuille « {self.feuille} », ligne {self.ligne}, colonne "
            f"{get_column_letter(self.colonne)} ({entete})"
        )


class _Lecture:
    """One pass over the workbook's rows, collecting every error before refusing."""

    def __init__(self, atelier: Atelier):
        self.erreurs: list[str] = []
        self.themes = {t.libelle.casefold(): t for t in Thematique.objects.all()}
        self.organisations = {str(o).casefold(): o for o in organisations_de(atelier)}

    def erreur(self, cellule: _Cellule | None, texte: str) -> None:
        self.erreurs.append(f"{cellule.ou} : {texte}" if cellule else texte)

    def texte(self, c: _Cellule, obligatoire: bool = False, longueur: int = 20_000) -> str:
        valeur = c.valeur
        if isinstance(valeur, bool | datetime.date | datetime.time):
            self.erreur(c, "un texte est attendu.")
            return ""
        texte = "" if valeur is None else str(valeur).strip()
        if obligatoire and not texte:
            self.erreur(c, "cette cellule est obligatoire.")
        elif len(texte) > longueur:
            self.erreur(c, f"{len(texte)} caractères, {longueur} au plus.")
        elif longueur <= 300 and ("\n" in texte or "\r" in texte):
            self.erreur(c, "une seule ligne est attendue.")
        return texte

    def choix(self, c: _Cellule, choix: list[tuple[Any, str]], defaut: Any = "") -> Any:
        texte = self.texte(c)
        if not texte:
            return defaut
        for valeur, libelle in choix:
            if libelle.casefold() == texte.casefold():
                return valeur
        permis = ", ".join(f"« {libelle} »" for _, libelle in choix)
        self.erreur(c, f"« {texte} » n'est pas une valeur permise ({permis}).")
        return defaut

    def montant(self, c: _Cellule, obligatoire: bool = False) -> Decimal | None:
        valeur = c.valeur
        if valeur is None or valeur == "":
            if obligatoire:
                self.erreur(c, "un montant est obligatoire.")
            return None
        if isinstance(valeur, bool) or not isinstance(valeur, int | float | Decimal | str):
            self.erreur(c, "un montant en euros est attendu.")
            return None
        try:
            texte = str(valeur).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
            montant = Decimal(texte.replace(",", ".")).quantize(Decimal("0.01"))
        except InvalidOperation:
            self.erreur(c, f"« {valeur} » n'est pas un montant en euros.")
            return None
        if not 0 <= montant <= MONTANT_MAX:
            self.erreur(c, "le montant doit être positif ou nul, et inférieur à mille milliards.")
            return None
        return montant

    def entier(self, c: _Cellule) -> int | None:
        valeur = c.valeur
        if valeur is None or valeur == "":
            return None
        if isinstance(valeur, float) and valeur.is_integer():
            valeur = int(valeur)
        if isinstance(valeur, str) and valeur.strip().removeprefix("A").isdigit():
            valeur = int(valeur.strip().removeprefix("A"))
        if isinstance(valeur, bool) or not isinstance(valeur, int) or not 1 <= valeur <= 32_767:
            self.erreur(c, "un numéro d'action (un nombre entier de 1 à 32 767) est attendu.")
            return None
        return valeur

    def jour(self, c: _Cellule) -> datetime.date | None:
        valeur = c.valeur
        if valeur is None or valeur == "":
            return None
        if isinstance(valeur, datetime.datetime):
            return valeur.date()
        if isinstance(valeur, datetime.date):
            return valeur
        if isinstance(valeur, str):
            try:
                return datetime.datetime.strptime(valeur.strip(), "%d/%m/%Y").date()
            except ValueError:
                pass
        self.erreur(c, f"« {valeur} » n'est pas une date (jj/mm/aaaa).")
        return None


def _verifier_fichier(fichier: File) -> bytes:
    if not (fichier.name or "").lower().endswith(".xlsx"):
        raise ClasseurRefuse(
            ["Déposez le classeur au format XLSX, tel que le portail l'a exporté."]
        )
    try:
        verification = verifier(fichier, usage=Usage.RESSOURCE)
    except ValidationError as exc:
        raise ClasseurRefuse(list(exc.messages)) from exc
    if verification.format is not XLSX:
        raise ClasseurRefuse(
            ["Déposez le classeur au format XLSX, tel que le portail l'a exporté."]
        )
    fichier.seek(0)
    return fichier.read()


def _lignes(classeur: Any, nom: str, lecture: _Lecture) -> list[list[_Cellule]]:
    """The rows of one sheet under its header, blank rows left out, formulas refused."""
    if nom not in classeur.sheetnames:
        lecture.erreur(None, f"La feuille « {nom} » manque : partez du modèle exporté.")
        return []
    entetes = COLONNES[nom]
    lignes: list[list[_Cellule]] = []
    for numero, rang in enumerate(
        classeur[nom].iter_rows(max_col=len(entetes), values_only=False), start=1
    ):
        if numero > LIGNES_MAX + 1:
            raise ClasseurRefuse(
                [
                    f"La feuille « {nom} » dépasse {LIGNES_MAX} lignes : ce n'est pas une "
                    "feuille de route que le portail peut lire."
                ]
            )
        cellules = [
            _Cellule(nom, numero, i, getattr(c, "value", None)) for i, c in enumerate(rang, start=1)
        ]
        cellules += [
            _Cellule(nom, numero, i, None) for i in range(len(cellules) + 1, len(entetes) + 1)
        ]
        formules = [
            c
            for c, brute in zip(cellules, rang, strict=False)
            if getattr(brute, "data_type", None) == "f"
            or (isinstance(c.valeur, str) and c.valeur.startswith("="))
        ]
        for c in formules:
            lecture.erreur(c, "les formules ne sont pas acceptées : collez la valeur à la place.")
        if formules:
            continue
        if numero == 1:
            lus = [str(c.valeur or "").strip() for c in cellules]
            if lus != entetes:
                lecture.erreur(
                    None,
                    f"La feuille « {nom} » n'a pas les colonnes du modèle "
                    f"({', '.join(entetes)}) : partez du modèle exporté.",
                )
                return []
            continue
        if all(c.valeur in (None, "") for c in cellules):
            continue
        lignes.append(cellules)
    return lignes


def classeur_lire(fichier: File, *, atelier: Atelier) -> FeuilleSaisie:
    """The draft a workbook holds, every cell checked; ClasseurRefuse with every bad cell
    named otherwise."""
    contenu = _verifier_fichier(fichier)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            classeur = load_workbook(
                io.BytesIO(contenu), read_only=True, data_only=False, keep_links=False
            )
    except Exception as exc:
        # openpyxl raises many kinds of errors on a broken workbook; none may become a 500.
        raise ClasseurRefuse(["Ce classeur est illisible ou endommagé."]) from exc
    lecture = _Lecture(atelier)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            feuille = _lire(classeur, lecture)
    except ClasseurRefuse:
        raise
    except Exception as exc:
        raise ClasseurRefuse(["Ce classeur est illisible ou endommagé."]) from exc
    finally:
        classeur.close()
    if lecture.erreurs:
        reste = len(lecture.erreurs) - ERREURS_MAX
        raise ClasseurRefuse(
            lecture.erreurs[:ERREURS_MAX] + ([f"… et {reste} autres erreurs."] if reste > 0 else [])
        )
    return feuille


def _lire(classeur: Any, lecture: _Lecture) -> FeuilleSaisie:
    lignes = {nom: _lignes(classeur, nom, lecture) for nom in COLONNES}
    feuille = FeuilleSaisie(
        objectifs=[
            {"intitule": lecture.texte(i, True, 300), "description": lecture.texte(d)}
            for i, d in lignes[OBJECTIFS]
        ]
    )
    for intitule, description in lignes[AXES]:
        texte = lecture.texte(intitule, True, 300)
        if texte and texte in [a["intitule"] for a in feuille.axes]:
            lecture.erreur(intitule, f"un autre axe s'intitule déjà « {texte} ».")
        feuille.axes.append({"intitule": texte, "description": lecture.texte(description)})
    axes = {a["intitule"] for a in feuille.axes}
    numeros: dict[int, dict[str, Any]] = {}
    for rang in lignes[ACTIONS]:
        action = _action(rang, lecture, axes)
        numero = lecture.entier(rang[0])
        if numero in numeros:
            lecture.erreur(rang[0], f"le numéro {numero} est déjà celui d'une autre action.")
        elif numero is not None:
            numeros[numero] = action
        # A row without a number is a new action: feuille_remplacer numbers it.
        action["numero"] = numero
        feuille.actions.append(action)
    for numero_c, source, precision, montant in lignes[FINANCEMENTS]:
        numero = lecture.entier(numero_c)
        ligne = {
            "source": lecture.choix(source, SourceFinancement.choices, defaut=None),
            "precision": lecture.texte(precision, longueur=200),
            "montant": lecture.montant(montant, obligatoire=True),
        }
        if ligne["source"] is None and not lecture.texte(source):
            lecture.erreur(source, "la source du financement est obligatoire.")
        if numero is None and numero_c.valeur in (None, ""):
            lecture.erreur(numero_c, "le numéro de l'action financée est obligatoire.")
        elif numero is not None and numero not in numeros:
            lecture.erreur(numero_c, f"aucune action ne porte le numéro {numero}.")
        elif numero is not None:
            numeros[numero]["financements"].append(ligne)
    return feuille


def _action(rang: list[_Cellule], lecture: _Lecture, axes: set[str]) -> dict[str, Any]:
    (_, axe, titre, description, theme, priorite, porteur, partenaires, cout) = rang[:9]
    (debut, fin, horizon, indicateurs, statut) = rang[9:14]
    intitule = lecture.texte(axe, True, 300)
    if intitule and intitule not in axes:
        lecture.erreur(axe, f"l'axe « {intitule} » n'est pas dans la feuille « {AXES} ».")
    nom_theme = lecture.texte(theme, longueur=300)
    thematique = lecture.themes.get(nom_theme.casefold()) if nom_theme else None
    if nom_theme and thematique is None:
        lecture.erreur(
            theme, f"« {nom_theme} » n'est pas un thème du programme (feuille « {LISTES} »)."
        )
    nom_porteur = lecture.texte(porteur, longueur=200)
    organisation = lecture.organisations.get(nom_porteur.casefold())
    jour_debut, jour_fin = lecture.jour(debut), lecture.jour(fin)
    if jour_debut and jour_fin and jour_fin < jour_debut:
        lecture.erreur(fin, "la fin de l'action ne peut pas précéder son début.")
    return {
        "axe": intitule,
        "titre": lecture.texte(titre, True, 300),
        "description": lecture.texte(description),
        "thematique": thematique,
        "priorite": lecture.choix(priorite, Priorite.choices, defaut=Priorite.MOYENNE),
        "porteur": organisation,
        "porteur_nom": "" if organisation else nom_porteur,
        "partenaires": lecture.texte(partenaires),
        "cout_estime": lecture.montant(cout),
        "debut": jour_debut,
        "fin": jour_fin,
        "horizon": lecture.choix(horizon, Horizon.choices),
        "indicateurs": lecture.texte(indicateurs),
        "statut": lecture.choix(statut, StatutAction.choices, defaut=StatutAction.A_ENGAGER),
        "financements": [],
    }
