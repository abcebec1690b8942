"""The livret de capitalisation as the portal assembles it from the atelier's data: the
territory and its map, the note's objet and objectifs, the sessions held with their photos and
participation, the inter-ateliers, the feuille de route's actions, and the groupement's own
texts and images. A dépôt freezes it (`contenu_du_livret`): the PDF reads nothing else, except
the images' files, named by their uuid."""

import base64
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ateliers.formats import euros
from ateliers.models import Atelier, Session
from ateliers.selectors.inter_atelier import inter_ateliers_de
from ateliers.selectors.session import (
    compte_rendu_de,
    comptes_par_college,
    pieces_du_compte_rendu,
)
from candidatures.selectors import NoteDeposee, note_deposee
from comptes.dates import date_longue
from documents.models import FichierDepose
from livrables.carte import carte_du_perimetre
from livrables.models import Action, ImageLivret, Livrable, PartieRedigee, TypeLivrable
from livrables.models.livret import PARTIES_DU_LIVRET
from livrables.selectors.feuille_route import action_figee, actions_de

TYPES_IMAGES = ("image/jpeg", "image/png")
SESSIONS_TENUES = (Session.Statut.TENUE, Session.Statut.COMPTE_RENDU_VALIDE)


def parties_du_livret(livrable: Livrable) -> list[PartieRedigee]:
    """The livret's parts, written or not yet (unsaved, empty), in the livret's order."""
    ecrites = (
        {p.cle: p for p in PartieRedigee.objects.filter(livrable=livrable)} if livrable.pk else {}
    )
    return [
        ecrites.get(cle) or PartieRedigee(livrable=livrable, cle=cle, titre=titre, ordre=ordre)
        for ordre, (cle, titre) in enumerate(PARTIES_DU_LIVRET, start=1)
    ]


def images_du_livret(livrable: Livrable) -> list[ImageLivret]:
    """The images the groupement placed in the livret and has not withdrawn, oldest first."""
    if livrable.pk is None:
        return []
    return list(ImageLivret.objects.en_usage().filter(livrable=livrable).select_related("fichier"))


def _territoire(atelier: Atelier, note: NoteDeposee | None) -> dict[str, Any]:
    territoire = note.territoire if note else None
    return {
        "intitule": atelier.intitule,
        "reference": atelier.reference,
        "departements": [f"{d.nom} ({d.code})" for d in atelier.departements.order_by("code")],
        "epcis": [e.nom for e in atelier.epcis.order_by("nom")],
        "communes": atelier.communes,
        "echelle": territoire.echelle_libelle if territoire else "",
        "population": territoire.population if territoire else None,
        "superficie": str(territoire.superficie) if territoire and territoire.superficie else "",
        "description": territoire.description if territoire else "",
    }


def _carte(atelier: Atelier, note: NoteDeposee | None) -> dict[str, str] | None:
    if note is None or note.territoire.perimetre_fichier_id is None:
        return None
    fichier = FichierDepose.objects.filter(pk=note.territoire.perimetre_fichier_id).first()
    if fichier is None or not fichier.disponible:
        return None
    with fichier.fichier.open("rb") as ouvert:
        return carte_du_perimetre(ouvert.read(), intitule=atelier.intitule)


def _note(note: NoteDeposee | None) -> dict[str, Any]:
    if note is None:
        return {
            "titre": "",
            "thematiques": [],
            "problematique": "",
            "enjeux": "",
            "contexte": "",
            "objectifs": [],
            "resultats": "",
        }
    return {
        "titre": note.titre,
        "thematiques": [t.libelle for t in note.thematiques],
        "problematique": note.problematique,
        "enjeux": note.enjeux,
        "contexte": note.contexte,
        "objectifs": [
            {"intitule": o.intitule, "description": o.description} for o in note.objectifs
        ],
        "resultats": note.resultats,
    }


def _photos(compte_rendu: Any) -> list[FichierDepose]:
    """The pictures attached to a compte-rendu that are still available: what the livret
    prints of a session."""
    return [
        piece
        for piece in pieces_du_compte_rendu(compte_rendu)
        if piece.type_contenu in TYPES_IMAGES and piece.disponible
    ]


def _session(session: Session) -> dict[str, Any]:
    compte_rendu = compte_rendu_de(session)
    # Only a validated compte-rendu is published; a held session shows its figures and photos.
    valide = compte_rendu if session.statut == Session.Statut.COMPTE_RENDU_VALIDE else None
    colleges = comptes_par_college(list(session.participants.all()))
    photos = [
        {
            "uuid": str(piece.uuid),
            "alt": f"Photo de la {session.get_numero_display().lower()} ({piece.nom_original})",
        }
        for piece in _photos(compte_rendu)
    ]
    return {
        "numero": session.numero,
        "titre": session.get_numero_display(),
        "date": date_longue(session.date) if session.date else "",
        "jours": session.nombre_de_jours,
        "lieu": ", ".join(filter(None, [session.lieu, session.commune])),
        "synthese": valide.synthese if valide else "",
        "enjeux": valide.enjeux if valide else "",
        "decisions": valide.decisions if valide else "",
        "propositions": [
            {"texte": p.texte, "theme": p.theme, "proposee_par": p.proposee_par}
            for p in valide.propositions.all()
        ]
        if valide
        else [],
        "colleges": [
            {"libelle": c.libelle, "invites": c.invites, "presents": c.presents}
            for c in colleges
            if c.invites
        ],
        "invites": sum(c.invites for c in colleges),
        "presents": sum(c.presents for c in colleges),
        "photos": photos,
    }


def _calendrier(action: dict[str, Any]) -> str:
    debut, fin = action["debut"], action["fin"]
    dates = " – ".join(
        date_longue(datetime.date.fromisoformat(d), "F Y") for d in (debut, fin) if d
    )
    return ", ".join(filter(None, [dates, action["horizon_libelle"]]))


def _lignes(texte: str) -> list[str]:
    return [ligne.strip() for ligne in texte.splitlines() if ligne.strip()]


def _actions(atelier: Atelier) -> list[dict[str, Any]]:
    """The feuille de route's actions as it stands, in the plan's order (axe, theme, priority),
    in the words and amounts the livret prints."""
    feuille = Livrable.objects.filter(atelier=atelier, type=TypeLivrable.FEUILLE_ROUTE).first()
    if feuille is None:
        return []
    resultat = []
    for action in actions_de(feuille):
        figee = action_figee(action)
        resultat.append(
            {
                "titre": figee["titre"],
                "description": figee["description"],
                "axe": figee["axe"],
                "theme": figee["theme"],
                "priorite": figee["priorite_libelle"],
                "porteur": figee["porteur"],
                "partenaires": _lignes(figee["partenaires"]),
                "cout": euros(Decimal(figee["cout_estime"])) if figee["cout_estime"] else "",
                "calendrier": _calendrier(figee),
                "indicateurs": _lignes(figee["indicateurs"]),
                "statut": figee["statut_libelle"],
                "financements": [
                    {
                        "source": " — ".join(filter(None, [f["source_libelle"], f["precision"]])),
                        "montant": euros(Decimal(f["montant"])),
                    }
                    for f in figee["financements"]
                ],
                "reste": euros(Decimal(figee["reste"])) if figee["reste"] else "",
            }
        )
    return resultat


def contenu_du_livret(livrable: Livrable) -> dict[str, Any]:
    """What a dépôt of the livret freezes beside its parts: the assembly as it stands now."""
    atelier = livrable.atelier
    note = note_deposee(atelier)
    sessions = atelier.sessions.filter(statut__in=SESSIONS_TENUES).order_by("numero")
    return {
        "livret": {
            "territoire": _territoire(atelier, note),
            "carte": _carte(atelier, note),
            "note": _note(note),
            "collectivites": [c.nom for c in atelier.collectivites.order_by("nom")],
            "service_pilote": str(atelier.service_pilote or ""),
            "groupement": str(atelier.groupement or ""),
            "sessions": [_session(s) for s in sessions],
            "inter_ateliers": [
                {
                    "date": date_longue(e.date),
                    "nature": e.get_nature_display(),
                    "titre": e.titre,
                    "organisation": e.organisation,
                    "constats": e.constats,
                    "synthese": e.synthese,
                }
                for e in inter_ateliers_de(atelier)
            ],
            "actions": _actions(atelier),
            "images": [
                {
                    "uuid": str(image.fichier.uuid),
                    "partie": image.partie,
                    "legende": image.legende,
                    "alt": image.texte_alternatif,
                }
                for image in images_du_livret(livrable)
            ],
        }
    }


@dataclass(frozen=True)
class ApercuLivret:
    """What the livret's page tells of the assembly the next dépôt will freeze: its territory
    and map, and how many objectives, sessions held, photos, inter-ateliers and actions."""

    territoire: dict[str, Any]
    carte: dict[str, str] | None
    objectifs: int
    sessions: int
    photos: int
    inter_ateliers: int
    actions: int


def apercu_du_livret(livrable: Livrable) -> ApercuLivret:
    """The livret's assembly in figures, counted in the database (a bounded number of queries
    whatever the number of actions or entries), not the assembly itself."""
    atelier = livrable.atelier
    note = note_deposee(atelier)
    sessions = list(atelier.sessions.filter(statut__in=SESSIONS_TENUES).order_by("numero"))
    # Three sessions at most: two queries each.
    photos = sum(len(_photos(compte_rendu_de(session))) for session in sessions)
    return ApercuLivret(
        territoire=_territoire(atelier, note),
        carte=_carte(atelier, note),
        objectifs=len(note.objectifs) if note else 0,
        sessions=len(sessions),
        photos=photos,
        inter_ateliers=inter_ateliers_de(atelier).count(),
        actions=Action.objects.filter(
            livrable__atelier=atelier, livrable__type=TypeLivrable.FEUILLE_ROUTE
        ).count(),
    )


def livret_a_imprimer(contenu: dict[str, Any]) -> dict[str, Any] | None:
    """The frozen livret of a version with each image's uuid resolved to its stored file (the
    render's only read beside the version): an image withdrawn or refused since is left out;
    the groupement's images are grouped by the part they illustrate."""
    livret = contenu.get("livret")
    if livret is None:
        return None
    uuids = [p["uuid"] for s in livret["sessions"] for p in s["photos"]]
    uuids += [i["uuid"] for i in livret["images"]]
    fichiers = {
        str(f.uuid): f for f in FichierDepose.objects.filter(uuid__in=uuids) if f.disponible
    }

    def avec_source(images: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            image | {"src": fichiers[image["uuid"]].fichier.url}
            for image in images
            if image["uuid"] in fichiers
        ]

    images = avec_source(livret["images"])
    ecrites = {p["cle"]: p for p in contenu.get("parties", [])}
    parties = {
        cle: {
            "cle": cle,
            "titre": ecrites.get(cle, {}).get("titre") or titre,
            "texte": ecrites.get(cle, {}).get("texte", ""),
            "images": [i for i in images if i["partie"] == cle],
        }
        for cle, titre in PARTIES_DU_LIVRET
    }
    carte = livret["carte"]
    if carte is not None:
        svg = base64.b64encode(carte["svg"].encode()).decode("ascii")
        carte = carte | {"src": f"data:image/svg+xml;base64,{svg}"}
    return livret | {
        "carte": carte,
        "sessions": [s | {"photos": avec_source(s["photos"])} for s in livret["sessions"]],
        "parties": parties,
    }
