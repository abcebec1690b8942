"""The données essentielles of the notified marchés in the regulatory format DECP 2.0.3
(`schema_decp_v2.0.3.json` beside this file, its source in SOURCE.md).

What the portal publishes and where it reads it:
- `id`: the marché's reference (AL-2026-0012-M1), unique for the buyer, 16 characters at most;
- `acheteur.id`: the SIRET of the pilot service (the State service that passes the marché);
- `nature` « Marché », `techniques` « Accord-cadre », `idAccordCadre`, `codeCPV`, `ccag`,
  `procedure`: from the accord-cadre; `modalitesExecution` « Sans objet » (the marché
  subséquent has no tranches in the DECP sense, its échéancier is a payment schedule);
- `offresRecues`: the offers recorded in all of its consultation rounds;
- `attributionAvance`, `tauxAvance`: the échéancier's « avance à la notification » tranche;
- `typeGroupementOperateurs`: the attributaire's offer, else its titularity of the accord-cadre;
- `lieuExecution`: the atelier's département (its région when it covers several of one région);
- `dureeMois`, `montant` (HT notified), `datePublicationDonnees` (the day the execution was
  opened, when the données became publishable; never updated after): the execution;
- `titulaires`: the mandataire of the attributaire, by its SIRET on the accord-cadre;
- `typesPrix` « Définitif ferme », `formePrix` « Forfaitaire », no sous-traitance declared, no
  social or environmental consideration: the programme's marchés are all alike there.

A marché whose data would not validate is never exported: `export_decp` says, in French,
which field is missing or wrong."""

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from jsonschema import Draft7Validator

from marches.models import (
    Execution,
    Jalon,
    MarcheSubsequent,
    Offre,
    TitulaireAccordCadre,
    Tranche,
)

SCHEMA = Path(__file__).with_name("schema_decp_v2.0.3.json")

LIBELLES = {
    "id": "l'identifiant du marché",
    "acheteur": "l'acheteur",
    "acheteur.id": (
        "le SIRET de l'acheteur (le service pilote : à renseigner dans sa fiche d'organisation)"
    ),
    "nature": "la nature du marché",
    "objet": "l'objet du marché",
    "codeCPV": "le code CPV de l'accord-cadre",
    "idAccordCadre": "l'identifiant de l'accord-cadre",
    "ccag": "le CCAG de l'accord-cadre",
    "offresRecues": "le nombre d'offres reçues",
    "attributionAvance": "l'avance (ouvrez l'exécution financière et son échéancier)",
    "tauxAvance": "le taux de l'avance",
    "typeGroupementOperateurs": "le type de groupement de l'attributaire",
    "procedure": "la procédure de l'accord-cadre",
    "lieuExecution": "le lieu d'exécution (le département de l'atelier)",
    "lieuExecution.code": "le lieu d'exécution (le département de l'atelier)",
    "dureeMois": "la durée du marché en mois (ouvrez l'exécution financière)",
    "dateNotification": "la date de notification du marché",
    "datePublicationDonnees": (
        "la date de publication des données (ouvrez l'exécution financière)"
    ),
    "montant": "le montant notifié HT (ouvrez l'exécution financière)",
    "titulaires": "le titulaire du marché",
    "titulaires.titulaire": "le titulaire du marché",
    "titulaires.titulaire.id": (
        "le SIRET du mandataire de l'attributaire (à renseigner sur sa titularité de "
        "l'accord-cadre)"
    ),
}


@cache
def schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def validateur() -> Draft7Validator:
    """The schema's own draft-07 validator (jsonschema)."""
    return Draft7Validator(schema())


def document(marches: list[dict]) -> dict:
    """The shape of a DECP file: {"marches": {"marche": [...]}}."""
    return {"marches": {"marche": marches}}


def _libelle(chemin: Iterable[Any]) -> str:
    cle = ".".join(str(c) for c in chemin if not isinstance(c, int))
    return LIBELLES.get(cle, f"le champ « {cle} »")


def _message(erreur: Any) -> list[str]:
    chemin = list(erreur.absolute_path)[3:]  # past "marches", "marche", index
    if erreur.validator == "required":
        return [
            f"Donnée manquante : {_libelle([*chemin, nom])}."
            for nom in erreur.validator_value
            if isinstance(erreur.instance, dict) and nom not in erreur.instance
        ]
    valeur = erreur.instance
    detail = {
        "maxLength": f"« {valeur} » dépasse {erreur.validator_value} caractères",
        "minLength": "vide",
        "pattern": f"« {valeur} » n'a pas la forme attendue",
        "minimum": f"{valeur} : au moins {erreur.validator_value}",
        "maximum": f"{valeur} : au plus {erreur.validator_value}",
        "enum": f"« {valeur} » n'est pas une valeur du format",
        "type": "mal formée",
    }.get(erreur.validator, erreur.message)
    return [f"Donnée invalide : {_libelle(chemin)} ({detail})."]


def erreurs_decp(donnees: dict) -> list[str]:
    """What makes the données of one marché fail the official schema, in French; empty when
    they validate."""
    return list(_erreurs(json.dumps(donnees, ensure_ascii=False, sort_keys=True)))


@lru_cache(maxsize=20_000)
def _erreurs(texte: str) -> tuple[str, ...]:
    """The schema's verdict on données as JSON text: about a millisecond each with jsonschema,
    so that a page listing marchés pays it once per worker for the same données (the text is
    the key: a changed marché is checked anew)."""
    messages: list[str] = []
    for erreur in validateur().iter_errors(document([json.loads(texte)])):
        for message in _message(erreur):
            if message not in messages:
                messages.append(message)
    return tuple(messages)


def marches_pour_decp(marches: QuerySet[MarcheSubsequent]) -> QuerySet[MarcheSubsequent]:
    """The notified marchés among `marches`, with all the DECP reads: a constant number of
    queries whatever their number."""
    titularite = TitulaireAccordCadre.objects.filter(
        accord_cadre=OuterRef("accord_cadre"), groupement=OuterRef("attributaire")
    )
    offre = Offre.objects.filter(
        consultation__marche=OuterRef("pk"), groupement=OuterRef("attributaire")
    ).order_by("-consultation__numero")
    nombre_offres = (
        Offre.objects.filter(consultation__marche=OuterRef("pk"))
        .order_by()
        .values("consultation__marche")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        marches.filter(statut=MarcheSubsequent.Statut.NOTIFIE)
        .select_related("accord_cadre", "attributaire", "atelier__service_pilote", "execution")
        .prefetch_related(
            "atelier__departements",
            Prefetch(
                "execution__tranches",
                queryset=Tranche.objects.filter(jalon=Jalon.AVANCE).order_by("ordre"),
                to_attr="avances",
            ),
        )
        .annotate(
            decp_siret_mandataire=Subquery(titularite.values("siret_mandataire")[:1]),
            decp_type_titulaire=Subquery(titularite.values("type_groupement")[:1]),
            decp_type_offre=Subquery(offre.values("type_groupement")[:1]),
            decp_offres=Subquery(nombre_offres),
        )
        .order_by("notifie_le", "pk")
    )


def _nombre(valeur: Decimal) -> float | int:
    return int(valeur) if valeur == valeur.to_integral_value() else float(valeur)


def _lieu(marche: MarcheSubsequent) -> dict:
    departements = list(marche.atelier.departements.all())
    if not departements:
        return {"typeCode": "Code département"}
    regions = {d.region_id for d in departements}
    if len(departements) > 1 and len(regions) == 1:
        return {"code": departements[0].region_id, "typeCode": "Code région"}
    return {"code": min(d.code for d in departements), "typeCode": "Code département"}


def donnees_essentielles(marche: MarcheSubsequent) -> dict:
    """The DECP record of one notified marché read through `marches_pour_decp`; a value the
    portal does not have is left out, so that the schema names it."""
    execution: Execution | None = getattr(marche, "execution", None)
    siret_acheteur = marche.atelier.service_pilote.siret if marche.atelier.service_pilote else ""
    titulaire = {"typeIdentifiant": "SIRET"}
    if marche.decp_siret_mandataire:  # type: ignore[attr-defined]
        titulaire["id"] = marche.decp_siret_mandataire  # type: ignore[attr-defined]
    donnees: dict[str, Any] = {
        "id": marche.reference,
        "acheteur": {"id": siret_acheteur} if siret_acheteur else {},
        "nature": "Marché",
        "objet": marche.objet,
        "codeCPV": marche.accord_cadre.code_cpv,
        "techniques": {"technique": ["Accord-cadre"]},
        "modalitesExecution": {"modaliteExecution": ["Sans objet"]},
        "idAccordCadre": marche.accord_cadre.reference,
        "marcheInnovant": False,
        "ccag": marche.accord_cadre.ccag,
        "offresRecues": marche.decp_offres or 0,  # type: ignore[attr-defined]
        "procedure": marche.accord_cadre.procedure,
        "lieuExecution": _lieu(marche),
        "typesPrix": {"typePrix": ["Définitif ferme"]},
        "formePrix": "Forfaitaire",
        "sousTraitanceDeclaree": False,
        "titulaires": [{"titulaire": titulaire}],
        "considerationsSociales": {"considerationSociale": ["Pas de considération sociale"]},
        "considerationsEnvironnementales": {
            "considerationEnvironnementale": ["Pas de considération environnementale"]
        },
    }
    type_groupement = marche.decp_type_offre or marche.decp_type_titulaire  # type: ignore[attr-defined]
    if type_groupement:
        donnees["typeGroupementOperateurs"] = type_groupement
    if marche.notifie_le:
        donnees["dateNotification"] = marche.notifie_le.isoformat()
    if execution is not None:
        avances = execution.avances  # type: ignore[attr-defined]
        donnees["attributionAvance"] = bool(avances)
        if avances:
            donnees["tauxAvance"] = _nombre(sum(t.pourcentage for t in avances) / 100)
        donnees["dureeMois"] = execution.duree_mois
        donnees["datePublicationDonnees"] = execution.ouverte_le.date().isoformat()
        donnees["montant"] = _nombre(execution.montant_ht)
    return donnees


@dataclass
class ExportDecp:
    """The marchés that may be published, with their données, and those that may not, with
    what they lack."""

    publiables: list[tuple[MarcheSubsequent, dict]]
    refuses: list[tuple[MarcheSubsequent, list[str]]]

    def document(self) -> dict:
        return document([d for _, d in self.publiables])


def export_decp(marches: QuerySet[MarcheSubsequent]) -> ExportDecp:
    """The données essentielles of the notified marchés among `marches`, each checked against
    the official schema."""
    return verifier_decp(marches_pour_decp(marches))


def verifier_decp(marches: Iterable[MarcheSubsequent]) -> ExportDecp:
    """Each marché read through `marches_pour_decp` (a page of them, or all) with its données,
    checked against the official schema."""
    export = ExportDecp(publiables=[], refuses=[])
    for marche in marches:
        donnees = donnees_essentielles(marche)
        erreurs = erreurs_decp(donnees)
        if erreurs:
            export.refuses.append((marche, erreurs))
        else:
            export.publiables.append((marche, donnees))
    return export


def _liste(valeurs: Iterable[Any]) -> str:
    return " ; ".join(str(v) for v in valeurs)


def _booleen(valeur: Any) -> str:
    return "" if valeur is None else ("true" if valeur else "false")


COLONNES = [
    ("id", lambda d: d["id"]),
    ("acheteur.id", lambda d: d["acheteur"]["id"]),
    ("nature", lambda d: d["nature"]),
    ("objet", lambda d: d["objet"]),
    ("codeCPV", lambda d: d["codeCPV"]),
    ("techniques", lambda d: _liste(d["techniques"]["technique"])),
    ("modalitesExecution", lambda d: _liste(d["modalitesExecution"]["modaliteExecution"])),
    ("idAccordCadre", lambda d: d["idAccordCadre"]),
    ("marcheInnovant", lambda d: _booleen(d["marcheInnovant"])),
    ("ccag", lambda d: d["ccag"]),
    ("offresRecues", lambda d: d["offresRecues"]),
    ("attributionAvance", lambda d: _booleen(d["attributionAvance"])),
    ("tauxAvance", lambda d: d.get("tauxAvance", "")),
    ("typeGroupementOperateurs", lambda d: d["typeGroupementOperateurs"]),
    ("procedure", lambda d: d["procedure"]),
    ("lieuExecution.code", lambda d: d["lieuExecution"]["code"]),
    ("lieuExecution.typeCode", lambda d: d["lieuExecution"]["typeCode"]),
    ("dureeMois", lambda d: d["dureeMois"]),
    ("dateNotification", lambda d: d["dateNotification"]),
    ("datePublicationDonnees", lambda d: d["datePublicationDonnees"]),
    ("montant", lambda d: d["montant"]),
    ("typesPrix", lambda d: _liste(d["typesPrix"]["typePrix"])),
    ("formePrix", lambda d: d["formePrix"]),
    ("sousTraitanceDeclaree", lambda d: _booleen(d["sousTraitanceDeclaree"])),
    (
        "titulaires.typeIdentifiant",
        lambda d: _liste(t["titulaire"]["typeIdentifiant"] for t in d["titulaires"]),
    ),
    ("titulaires.id", lambda d: _liste(t["titulaire"]["id"] for t in d["titulaires"])),
    (
        "considerationsSociales",
        lambda d: _liste(d["considerationsSociales"]["considerationSociale"]),
    ),
    (
        "considerationsEnvironnementales",
        lambda d: _liste(d["considerationsEnvironnementales"]["considerationEnvironnementale"]),
    ),
]


def csv_decp(export: ExportDecp) -> str:
    """One row per publishable marché, the DECP fields as columns (lists joined by « ; »)."""
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow([nom for nom, _ in COLONNES])
    for _, donnees in export.publiables:
        ecrivain.writerow([lire(donnees) for _, lire in COLONNES])
    return sortie.getvalue()
