"""Reads on the dépôt: what the dossier lacks, the frozen content of a version and what
changed from one to the next, the files the deposited versions keep."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Field, QuerySet
from django.urls import reverse

from candidatures.models import (
    PARTIES,
    Candidature,
    Courrier,
    Partie,
    PartieNote,
    VersionCandidature,
    manques_du_dossier,
)
from candidatures.selectors.courriers import donnees_courriers
from candidatures.selectors.note import NON_SIGNIFICATIFS, _modele, contenu_lisible
from candidatures.validation import uuid_ou_vide
from documents.models import Document, FichierDepose


def pieces_manquantes(
    candidature: Candidature,
    *,
    etats: list[dict[str, Any]] | None = None,
    courriers: dict[str, Courrier] | None = None,
) -> list[dict[str, Any]]:
    """What the dossier still lacks before it can be deposited, in the dossier's order
    (models.manques_du_dossier), each with the page where to complete it."""
    manques = manques_du_dossier(candidature, etats=etats, courriers=courriers)
    return [
        {"libelle": libelle, "details": details, "url": _adresse(candidature, piece)}
        for piece, libelle, details in manques
    ]


def _adresse(candidature: Candidature, piece: Partie | str) -> str:
    """The page where a part of the note (a Partie) or a letter (its type) is completed."""
    if isinstance(piece, Partie):
        return reverse("candidatures:partie", args=[candidature.atelier_id, piece.slug])
    return reverse("candidatures:courriers", args=[candidature.atelier_id]) + f"#courrier-{piece}"


DOSSIER_GABARIT = "pdf/dossier_candidature.html"


def derniere_version(
    candidature: Candidature, *, contenu: bool = True
) -> tuple[VersionCandidature | None, Document | None]:
    """The latest deposited version and its dossier PDF (None if none was asked for); without
    its frozen content (the whole note) when the caller shows only its number and date."""
    versions = candidature.versions.select_related("depose_par")
    version = (versions if contenu else versions.defer("contenu")).first()
    if version is None:
        return None, None
    dossier = Document.objects.filter(
        source_type=ContentType.objects.get_for_model(VersionCandidature),
        source_id=str(version.pk),
        gabarit=DOSSIER_GABARIT,
    ).first()
    return version, dossier


def _valeur_brute(contenu: PartieNote, champ: Field) -> Any:
    if champ.many_to_many:
        lies = sorted(getattr(contenu, champ.name).all(), key=lambda o: o.pk)
        return {"pk": [o.pk for o in lies], "libelles": [str(o) for o in lies]}
    return champ.value_from_object(contenu)


def contenu_du_dossier(candidature: Candidature, courriers: Sequence[Courrier]) -> dict[str, Any]:
    """The dossier as it is deposited, to be frozen: for each part of the note its slug,
    title, raw values (many-to-many as primary keys and labels) and readable content; then
    the signed letters sent with it."""
    parties = []
    for partie in PARTIES:
        contenu = getattr(candidature, partie.attribut)
        champs = [
            f
            for f in [*_modele(partie)._meta.concrete_fields, *_modele(partie)._meta.many_to_many]
            if f.name not in NON_SIGNIFICATIFS
        ]
        parties.append(
            {
                "slug": partie.slug,
                "titre": partie.titre,
                "valeurs": {f.name: _valeur_brute(contenu, f) for f in champs},
                "lisible": contenu_lisible(partie, contenu),
            }
        )
    return {
        "titre": donnees_courriers(candidature)["titre"],
        "parties": parties,
        "courriers": [
            {
                "type": c.type,
                "libelle": c.get_type_display(),
                "fichier_id": c.fichier_id,
                "nom": c.fichier.nom_original,
                "taille": c.fichier.taille,
                "sha256": c.fichier.sha256,
            }
            for c in courriers
        ],
    }


def comparer_versions(ancienne: VersionCandidature, nouvelle: VersionCandidature) -> dict[str, Any]:
    """What changed from one deposited version to the next: for each part, the fields whose
    readable value differs (before, after); then the letters replaced."""

    def lisible(element: dict[str, Any]) -> str:
        if "lignes" in element:
            return "\n".join(
                " ; ".join(f"{libelle} : {valeur}" for libelle, valeur in ligne)
                for ligne in element["lignes"]
            )
        return element.get("valeur") or ""

    avant = {p["slug"]: p for p in ancienne.contenu["parties"]}
    changements = []
    for partie in nouvelle.contenu["parties"]:
        precedents = {
            e["libelle"]: lisible(e) for e in avant.get(partie["slug"], {}).get("lisible", [])
        }
        champs = [
            {
                "libelle": e["libelle"],
                "avant": precedents.get(e["libelle"], ""),
                "apres": lisible(e),
            }
            for e in partie["lisible"]
            if lisible(e) != precedents.get(e["libelle"], "")
        ]
        if champs:
            changements.append({"titre": partie["titre"], "champs": champs})
    courriers_avant = {c["type"]: c["sha256"] for c in ancienne.contenu["courriers"]}
    courriers = [
        c["libelle"]
        for c in nouvelle.contenu["courriers"]
        if courriers_avant.get(c["type"]) != c["sha256"]
    ]
    return {"parties": changements, "courriers": courriers}


def fichiers_des_versions(candidature_ids: Iterable[int | str]) -> set[int]:
    """The pks of the files that a deposited version of these candidatures names (its signed
    letters, the files of its note): part of what was deposited, they are never withdrawn."""
    modeles = {p.slug: _modele(p) for p in PARTIES}
    pks: set[int] = set()
    uuids: set[str] = set()
    for contenu in VersionCandidature.objects.filter(
        candidature_id__in=candidature_ids
    ).values_list("contenu", flat=True):
        pks.update(c["fichier_id"] for c in contenu["courriers"])
        for partie in contenu["parties"]:
            for nom in modeles[partie["slug"]].FICHIERS:
                valeur = partie["valeurs"].get(nom)
                if isinstance(valeur, list):
                    uuids.update(uuid_ou_vide(v) for ligne in valeur for v in ligne.values())
                elif valeur:
                    pks.add(valeur)
    uuids.discard("")
    if uuids:
        pks.update(FichierDepose.objects.filter(uuid__in=uuids).values_list("pk", flat=True))
    return pks


def fichiers_gardes_par_les_versions(fichiers: QuerySet[FichierDepose]) -> set[int]:
    """documents' gardien: of `fichiers`, those a deposited version of their candidature names."""
    candidatures = fichiers.filter(
        proprietaire_type=ContentType.objects.get_for_model(Candidature)
    ).values_list("proprietaire_id", flat=True)
    return fichiers_des_versions([pk for pk in candidatures if pk is not None])
