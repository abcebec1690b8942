"""Reads on the three signed letters: where each stands, what its model prints."""

import hashlib
import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from candidatures.models import (
    EXPLICATIONS_COURRIERS,
    Candidature,
    Courrier,
    Objet,
    Porteurs,
    courriers_actuels,
    manque_courrier,
)
from documents.models import Document


def etat_des_courriers(
    candidature: Candidature, *, courriers: dict[str, Courrier] | None = None
) -> list[dict[str, Any]]:
    """Each of the three letters: its type, what it is, the current signed one (or None), and
    whether it counts for the dépôt."""
    courriers = courriers_actuels(candidature) if courriers is None else courriers
    return [
        {
            "type": type_courrier,
            "libelle": type_courrier.label,
            "explication": EXPLICATIONS_COURRIERS[type_courrier],
            "actuel": courriers.get(type_courrier),
            "manque": manque_courrier(courriers.get(type_courrier)),
        }
        for type_courrier in Courrier.Type
    ]


def donnees_courriers(candidature: Candidature) -> dict[str, Any]:
    """What the model letters say, from the note as it stands: the atelier's title and
    territory, the collectivités with their élus, the State service and its référent."""
    atelier = candidature.atelier
    # Read afresh, never from parts cached on `candidature`: the version key must describe
    # what the render (which loads the candidature anew) will print.
    porteurs = Porteurs.objects.filter(candidature=candidature).first()
    objet = Objet.objects.filter(candidature=candidature).first()
    collectivites = [
        {
            "organisation": ligne.get("organisation") or "",
            "elu": ligne.get("elu") or "",
            "referent": ligne.get("referent") or "",
            "referent_fonction": ligne.get("referent_fonction") or "",
            "referent_courriel": ligne.get("referent_courriel") or "",
        }
        for ligne in (porteurs.collectivites if porteurs else [])
    ]
    return {
        "reference": atelier.reference,
        "titre": (objet.titre if objet else "") or atelier.intitule,
        "collectivites": collectivites,
        "service_pilote": (porteurs.service_pilote if porteurs else "")
        or (atelier.service_pilote.nom if atelier.service_pilote else ""),
        "referent_etat": porteurs.referent_etat if porteurs else "",
        "referent_etat_fonction": porteurs.referent_etat_fonction if porteurs else "",
        "referent_etat_courriel": porteurs.referent_etat_courriel if porteurs else "",
        "departements": [f"{d.nom} ({d.code})" for d in atelier.departements.order_by("code")],
        "epcis": [e.nom for e in atelier.epcis.order_by("nom")],
        "communes": atelier.communes,
    }


def gabarit_courrier(type_courrier: str) -> str:
    return f"pdf/courrier_{type_courrier}.html"


def version_courrier(donnees: dict[str, Any]) -> str:
    """A letter's version: a digest of exactly the data it prints."""
    brut = json.dumps(donnees, sort_keys=True, cls=DjangoJSONEncoder).encode()
    return hashlib.sha256(brut).hexdigest()


def modeles_actuels(candidature: Candidature, donnees: dict[str, Any]) -> dict[str, Document]:
    """The model-letter Document of each type for the note's current data, if asked for."""
    gabarits = {gabarit_courrier(t): t for t in Courrier.Type}
    documents = Document.objects.filter(
        source_type=ContentType.objects.get_for_model(Candidature),
        source_id=str(candidature.pk),
        gabarit__in=gabarits,
        version_source=version_courrier(donnees),
    )
    return {gabarits[d.gabarit]: d for d in documents}
