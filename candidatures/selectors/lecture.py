"""The deposited note as the later stages read it: the frozen content of the latest version,
as plain dataclasses. Nothing outside `candidatures` reads a version's JSON; the marché's CCTP,
the atelier's title, territory and porteurs are built from `note_deposee`."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ateliers.models import Atelier
from candidatures.models import (
    Courrier,
    DynamiquesAmenagement,
    Localisation,
    Ressources,
    VersionCandidature,
)

Valeurs = Mapping[str, Any]


@dataclass(frozen=True)
class ThematiqueNote:
    pk: int
    libelle: str


@dataclass(frozen=True)
class PorteurNote:
    """A row of the porteurs' block: a collectivité porteuse, named by its SIREN."""

    organisation: str
    siren: str
    elu: str
    referent: str
    referent_fonction: str
    referent_courriel: str
    referent_telephone: str


@dataclass(frozen=True)
class PartenaireNote:
    nom: str
    role: str


@dataclass(frozen=True)
class ReferentEtatNote:
    nom: str
    fonction: str
    courriel: str
    telephone: str


@dataclass(frozen=True)
class DepartementNote:
    code: str
    nom: str


@dataclass(frozen=True)
class EpciNote:
    siren: str
    nom: str


@dataclass(frozen=True)
class TerritoireNote:
    """Section 2: the scale, the départements and EPCI of the referential (by code and SIREN),
    the communes as written (separated by commas), the perimeter's file if any."""

    echelle: str
    echelle_libelle: str
    departements: tuple[DepartementNote, ...]
    epcis: tuple[EpciNote, ...]
    communes: str
    population: int | None
    superficie: Decimal | None
    description: str
    perimetre_fichier_id: int | None


@dataclass(frozen=True)
class ObjectifNote:
    intitule: str
    description: str


@dataclass(frozen=True)
class ActeurNote:
    nom: str
    type: str
    type_libelle: str
    role: str


@dataclass(frozen=True)
class RessourceNote:
    """A document for the team: a deposited file (its uuid) or a link."""

    titre: str
    type: str
    type_libelle: str
    date: datetime.date | None
    fichier_uuid: str
    lien: str


@dataclass(frozen=True)
class DynamiquesTerritoireNote:
    demographie: str
    economie: str
    habitat: str
    mobilites: str
    environnement: str
    risques: str
    ressources_naturelles: str


@dataclass(frozen=True)
class DocumentPlanificationNote:
    type: str
    type_libelle: str
    intitule: str
    etat: str
    etat_libelle: str
    date: datetime.date | None


@dataclass(frozen=True)
class DynamiquesAmenagementNote:
    documents_planification: tuple[DocumentPlanificationNote, ...]
    projets: str
    contrats: str
    ingenierie: str


@dataclass(frozen=True)
class CourrierNote:
    """A signed letter sent with the version, as deposited."""

    type: str
    libelle: str
    fichier_id: int
    nom: str
    taille: int
    sha256: str


@dataclass(frozen=True)
class NoteDeposee:
    """The note d'opportunité of one deposited version, frozen, section by section."""

    numero: int
    depose_le: datetime.datetime
    # Section 3 — l'objet
    titre: str
    thematiques: tuple[ThematiqueNote, ...]
    problematique: str
    enjeux: str
    contexte: str
    # Section 1 — les porteurs
    porteurs: tuple[PorteurNote, ...]
    service_pilote: str
    referent_etat: ReferentEtatNote
    operateur: str
    operateur_referent: str
    partenaires: tuple[PartenaireNote, ...]
    # Section 2 — la localisation
    territoire: TerritoireNote
    # Section 4 — les objectifs
    objectifs: tuple[ObjectifNote, ...]
    resultats: str
    questions: str
    liens_demarches: str
    # Section 5 — les ressources
    acteurs: tuple[ActeurNote, ...]
    ressources: tuple[RessourceNote, ...]
    moyens: str
    calendrier: str
    # Annexes
    dynamiques_territoire: DynamiquesTerritoireNote
    dynamiques_amenagement: DynamiquesAmenagementNote
    courriers: tuple[CourrierNote, ...]


def note_deposee(atelier: Atelier) -> NoteDeposee | None:
    """The note of the atelier's latest deposited version, as it was frozen; None before the
    first dépôt. One query."""
    version = (
        VersionCandidature.objects.filter(candidature__atelier=atelier).order_by("-numero").first()
    )
    return None if version is None else lire_version(version)


def lire_version(version: VersionCandidature) -> NoteDeposee:
    """The frozen content of `version` as a NoteDeposee; what an older version lacks is empty."""
    contenu = version.contenu
    parties: dict[str, Valeurs] = {p["slug"]: p.get("valeurs", {}) for p in contenu["parties"]}
    porteurs = parties.get("porteurs", {})
    objet = parties.get("objet", {})
    objectifs = parties.get("objectifs", {})
    ressources = parties.get("ressources", {})
    annexe_1 = parties.get("dynamiques-territoire", {})
    annexe_2 = parties.get("dynamiques-amenagement", {})
    return NoteDeposee(
        numero=version.numero,
        depose_le=version.depose_le,
        titre=_texte(objet.get("titre")) or _texte(contenu.get("titre")),
        thematiques=tuple(
            ThematiqueNote(pk=int(pk), libelle=libelle)
            for pk, libelle in _liees(objet, "thematiques")
        ),
        problematique=_texte(objet.get("problematique")),
        enjeux=_texte(objet.get("enjeux")),
        contexte=_texte(objet.get("contexte")),
        porteurs=tuple(
            PorteurNote(
                organisation=_texte(ligne.get("organisation")),
                siren="".join(_texte(ligne.get("siren")).split()),
                elu=_texte(ligne.get("elu")),
                referent=_texte(ligne.get("referent")),
                referent_fonction=_texte(ligne.get("referent_fonction")),
                referent_courriel=_texte(ligne.get("referent_courriel")),
                referent_telephone=_texte(ligne.get("referent_telephone")),
            )
            for ligne in _lignes(porteurs, "collectivites")
        ),
        service_pilote=_texte(porteurs.get("service_pilote")),
        referent_etat=ReferentEtatNote(
            nom=_texte(porteurs.get("referent_etat")),
            fonction=_texte(porteurs.get("referent_etat_fonction")),
            courriel=_texte(porteurs.get("referent_etat_courriel")),
            telephone=_texte(porteurs.get("referent_etat_telephone")),
        ),
        operateur=_texte(porteurs.get("operateur")),
        operateur_referent=_texte(porteurs.get("operateur_referent")),
        partenaires=tuple(
            PartenaireNote(nom=_texte(ligne.get("nom")), role=_texte(ligne.get("role")))
            for ligne in _lignes(porteurs, "partenaires")
        ),
        territoire=_territoire(parties.get("localisation", {})),
        objectifs=tuple(
            ObjectifNote(
                intitule=_texte(ligne.get("intitule")), description=_texte(ligne.get("description"))
            )
            for ligne in _lignes(objectifs, "objectifs")
        ),
        resultats=_texte(objectifs.get("resultats")),
        questions=_texte(objectifs.get("questions")),
        liens_demarches=_texte(objectifs.get("liens_demarches")),
        acteurs=tuple(
            ActeurNote(
                nom=_texte(ligne.get("nom")),
                type=_texte(ligne.get("type")),
                type_libelle=_libelle(ligne.get("type"), Ressources.TypeActeur.choices),
                role=_texte(ligne.get("role")),
            )
            for ligne in _lignes(ressources, "acteurs")
        ),
        ressources=tuple(
            RessourceNote(
                titre=_texte(ligne.get("titre")),
                type=_texte(ligne.get("type")),
                type_libelle=_libelle(ligne.get("type"), Ressources.TypeRessource.choices),
                date=_date(ligne.get("date")),
                fichier_uuid=_texte(ligne.get("fichier")),
                lien=_texte(ligne.get("lien")),
            )
            for ligne in _lignes(ressources, "documents")
        ),
        moyens=_texte(ressources.get("moyens")),
        calendrier=_texte(ressources.get("calendrier")),
        dynamiques_territoire=DynamiquesTerritoireNote(
            demographie=_texte(annexe_1.get("demographie")),
            economie=_texte(annexe_1.get("economie")),
            habitat=_texte(annexe_1.get("habitat")),
            mobilites=_texte(annexe_1.get("mobilites")),
            environnement=_texte(annexe_1.get("environnement")),
            risques=_texte(annexe_1.get("risques")),
            ressources_naturelles=_texte(annexe_1.get("ressources_naturelles")),
        ),
        dynamiques_amenagement=DynamiquesAmenagementNote(
            documents_planification=tuple(
                DocumentPlanificationNote(
                    type=_texte(ligne.get("type")),
                    type_libelle=_libelle(
                        ligne.get("type"), DynamiquesAmenagement.TypeDocument.choices
                    ),
                    intitule=_texte(ligne.get("intitule")),
                    etat=_texte(ligne.get("etat")),
                    etat_libelle=_libelle(
                        ligne.get("etat"), DynamiquesAmenagement.EtatDocument.choices
                    ),
                    date=_date(ligne.get("date")),
                )
                for ligne in _lignes(annexe_2, "documents_planification")
            ),
            projets=_texte(annexe_2.get("projets")),
            contrats=_texte(annexe_2.get("contrats")),
            ingenierie=_texte(annexe_2.get("ingenierie")),
        ),
        courriers=tuple(
            CourrierNote(
                type=c["type"],
                libelle=_libelle(c["type"], Courrier.Type.choices) or _texte(c.get("libelle")),
                fichier_id=int(c["fichier_id"]),
                nom=_texte(c.get("nom")),
                taille=int(c.get("taille") or 0),
                sha256=_texte(c.get("sha256")),
            )
            for c in contenu.get("courriers", [])
        ),
    )


def _territoire(valeurs: Valeurs) -> TerritoireNote:
    return TerritoireNote(
        echelle=_texte(valeurs.get("echelle")),
        echelle_libelle=_libelle(valeurs.get("echelle"), Localisation.Echelle.choices),
        departements=tuple(
            # Frozen as « Nom (code) », the referential's label.
            DepartementNote(code=str(code), nom=libelle.removesuffix(f" ({code})"))
            for code, libelle in _liees(valeurs, "departements")
        ),
        epcis=tuple(EpciNote(siren=str(siren), nom=nom) for siren, nom in _liees(valeurs, "epcis")),
        communes=_texte(valeurs.get("communes")),
        population=_entier(valeurs.get("population")),
        superficie=_decimal(valeurs.get("superficie")),
        description=_texte(valeurs.get("description")),
        perimetre_fichier_id=_entier(valeurs.get("perimetre")),
    )


def _texte(valeur: object) -> str:
    return "" if valeur is None else str(valeur).strip()


def _lignes(valeurs: Valeurs, nom: str) -> list[Mapping[str, Any]]:
    """The rows of a block, as they were saved."""
    lignes = valeurs.get(nom)
    return [ligne for ligne in lignes if isinstance(ligne, Mapping)] if lignes else []


def _liees(valeurs: Valeurs, nom: str) -> list[tuple[Any, str]]:
    """A many-to-many field's (primary key, label) pairs, frozen by contenu_du_dossier."""
    liees = valeurs.get(nom) or {}
    return list(zip(liees.get("pk", []), liees.get("libelles", []), strict=False))


def _libelle(code: object, choix: Sequence[tuple[Any, str]]) -> str:
    return str(dict(choix).get(code, _texte(code)))


def _date(valeur: object) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(valeur)) if valeur else None
    except ValueError:
        return None


def _entier(valeur: object) -> int | None:
    return valeur if isinstance(valeur, int) and not isinstance(valeur, bool) else None


def _decimal(valeur: object) -> Decimal | None:
    if valeur in (None, ""):
        return None
    try:
        return Decimal(str(valeur))
    except InvalidOperation:
        return None
