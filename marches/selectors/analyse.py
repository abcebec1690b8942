"""Reads of the analysis of a round, in a fixed number of queries: the grid, each offer with
its conformity, its collegial marks and scores, each member's marks side by side (for the
panel only), the ranking; what a groupement may see of its own offer once notified; its
letters."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from ateliers.models import Atelier
from comptes.models import AnyUser, Organisation, Role
from comptes.selectors import profil
from marches.models import (
    Consultation,
    Critere,
    Lettre,
    MarcheSubsequent,
    NoteOffre,
    Offre,
    RapportAnalyse,
)
from marches.notation import CritereNote, OffreNotee, Resultat, noter

__all__ = [
    "Analyse",
    "LigneOffre",
    "analyse_de",
    "consultation_analysee",
    "lettres_du_groupement",
    "membres_du_jury",
    "rapport_actuel",
    "resultat_du_groupement",
]


@dataclass
class Membre:
    """A panel member (or DGALN helping) who entered marks of their own."""

    auteur_id: int
    nom: str
    organisation: str


@dataclass
class Cellule:
    """One leaf criterion of one offer: the collegial mark and its justification, the points
    it gives, and each member's own mark beside it."""

    critere: Critere
    points: Decimal | None
    note: NoteOffre | None
    notes_membres: list[NoteOffre | None] = field(default_factory=list)


@dataclass
class Groupe:
    """A criterion with its sub-criteria (or a leaf alone), and the offer's subtotal."""

    critere: Critere
    cellules: list[Cellule]
    points: Decimal | None


@dataclass
class LigneOffre:
    offre: Offre
    resultat: Resultat
    groupes: list[Groupe]
    membres_ayant_note: int

    @property
    def cellules(self) -> list[Cellule]:
        return [c for g in self.groupes for c in g.cellules]

    @property
    def notes_manquantes(self) -> int:
        return sum(1 for c in self.cellules if not c.critere.est_prix and c.note is None)


@dataclass
class Analyse:
    consultation: Consultation
    lignes: list[LigneOffre]
    membres: list[Membre]
    empreinte: str

    @property
    def classables(self) -> list[LigneOffre]:
        return [ligne for ligne in self.lignes if not ligne.resultat.exclue]

    @property
    def exclues(self) -> list[LigneOffre]:
        return [ligne for ligne in self.lignes if ligne.resultat.exclue]

    @property
    def classement(self) -> list[LigneOffre]:
        return sorted(
            (ligne for ligne in self.lignes if ligne.resultat.rang is not None),
            key=lambda ligne: ligne.resultat.rang or 0,
        )

    @property
    def complete(self) -> bool:
        """Every classable offer has all its collegial marks: totals and ranking are final."""
        return bool(self.classables) and all(ligne.resultat.complete for ligne in self.classables)

    @property
    def premiers(self) -> list[LigneOffre]:
        return [ligne for ligne in self.classement if ligne.resultat.rang == 1]

    def ligne(self, offre_id: int) -> LigneOffre | None:
        return next((ligne for ligne in self.lignes if ligne.offre.pk == offre_id), None)


def membres_du_jury(atelier: Atelier) -> list[Organisation]:
    """The selection panel: the pilot's service, the opérateur, the collectivités porteuses."""
    membres = [atelier.service_pilote, atelier.operateur, *atelier.collectivites.all()]
    return [m for m in membres if m is not None]


def consultation_analysee(marche: MarcheSubsequent) -> Consultation | None:
    """The marché's latest consultation round: the one analysed, attributed or notified."""
    return marche.consultations.order_by("-numero").first()


def _groupes(criteres: list[Critere]) -> list[tuple[Critere, list[Critere]]]:
    """The grid in order: each top criterion with its leaves (itself when it has none)."""
    enfants: dict[int, list[Critere]] = defaultdict(list)
    for critere in criteres:
        if critere.parent_id is not None:
            enfants[critere.parent_id].append(critere)
    return [(c, enfants.get(c.pk) or [c]) for c in criteres if c.parent_id is None]


def _empreinte(offres: list[Offre], collegiales: list[NoteOffre]) -> str:
    """What the rapport printed: the offers' states and prices and the collegial marks."""
    morceaux = [f"o{o.pk}:{o.statut}:{o.montant_ht}:{o.version_cctp_id}" for o in offres]
    morceaux += sorted(
        f"n{n.offre_id}:{n.critere_id}:{n.valeur}:{n.justification}" for n in collegiales
    )
    return hashlib.sha256("\n".join(morceaux).encode()).hexdigest()


def analyse_de(consultation: Consultation) -> Analyse:
    """The analysis of a round as the panel reads it, in four queries whatever the number of
    offers: the offers, the grids of the versions they answered, every mark."""
    offres = list(
        consultation.offres.select_related("groupement", "version_cctp").order_by("recue_le", "pk")
    )
    versions = {o.version_cctp_id for o in offres}
    criteres_par_version: dict[int, list[Critere]] = defaultdict(list)
    for critere in Critere.objects.filter(version__in=versions).order_by("version", "ordre", "pk"):
        criteres_par_version[critere.version_id].append(critere)
    notes = list(
        NoteOffre.objects.filter(offre__consultation=consultation)
        .select_related("auteur", "organisation")
        .order_by("organisation__nom", "auteur__nom", "pk")
    )
    collegiales = {(n.offre_id, n.critere_id): n for n in notes if n.collegiale}
    membres: dict[int, Membre] = {}
    des_membres: dict[tuple[int, int, int], NoteOffre] = {}
    for note in notes:
        if note.collegiale:
            continue
        membres.setdefault(
            note.auteur_id,
            Membre(
                auteur_id=note.auteur_id,
                nom=note.auteur.get_full_name(),
                organisation=note.organisation.nom if note.organisation else "",
            ),
        )
        des_membres[(note.offre_id, note.critere_id, note.auteur_id)] = note

    grilles = {
        v: [
            CritereNote(id=c.pk, poids=c.poids, est_prix=c.est_prix)
            for _, feuilles in _groupes(cs)
            for c in feuilles
        ]
        for v, cs in criteres_par_version.items()
    }
    a_noter = [
        OffreNotee(
            id=o.pk,
            montant_ht=o.montant_ht,
            notes={
                critere_id: n.valeur
                for (offre_id, critere_id), n in collegiales.items()
                if offre_id == o.pk
            },
            motif_exclusion=(o.motif or o.get_statut_display()) if o.exclue else "",
            grille=grilles.get(o.version_cctp_id, []),
            note_maximale=Decimal(o.version_cctp.note_maximale),
        )
        for o in offres
    ]
    resultats = noter([], a_noter, note_maximale=Decimal(1))
    ordre_membres = sorted(membres.values(), key=lambda m: (m.organisation, m.nom))
    lignes = []
    for offre, resultat in zip(offres, resultats, strict=True):
        groupes = []
        for parent, feuilles in _groupes(criteres_par_version.get(offre.version_cctp_id, [])):
            cellules = [
                Cellule(
                    critere=c,
                    points=resultat.points.get(c.pk),
                    note=collegiales.get((offre.pk, c.pk)),
                    notes_membres=[
                        des_membres.get((offre.pk, c.pk, m.auteur_id)) for m in ordre_membres
                    ],
                )
                for c in feuilles
            ]
            valeurs = [c.points for c in cellules]
            sous_total = (
                sum((v for v in valeurs if v is not None), Decimal("0.00"))
                if None not in valeurs
                else None
            )
            groupes.append(Groupe(critere=parent, cellules=cellules, points=sous_total))
        lignes.append(
            LigneOffre(
                offre=offre,
                resultat=resultat,
                groupes=groupes,
                membres_ayant_note=len({a for (o, _, a) in des_membres if o == offre.pk}),
            )
        )
    return Analyse(
        consultation=consultation,
        lignes=lignes,
        membres=ordre_membres,
        empreinte=_empreinte(offres, list(collegiales.values())),
    )


def rapport_actuel(consultation: Consultation) -> RapportAnalyse | None:
    """The latest edition of the round's rapport d'analyse, with its PDF and signatures."""
    return (
        RapportAnalyse.objects.filter(consultation=consultation)
        .select_related("document", "produit_par")
        .prefetch_related("signatures__organisation", "signatures__utilisateur")
        .order_by("-numero")
        .first()
    )


def _groupements(user: AnyUser) -> frozenset[int]:
    return profil(user).ids(Role.GROUPEMENT)


def lettres_du_groupement(consultation: Consultation, user: AnyUser) -> QuerySet[Lettre]:
    """The letters of this round addressed to this user's groupements, never another's: for
    « Mes consultations »."""
    return (
        Lettre.objects.filter(consultation=consultation, groupement__in=_groupements(user))
        .select_related("document", "groupement")
        .order_by("type", "pk")
    )


def resultat_du_groupement(consultation: Consultation, user: AnyUser) -> dict[str, Any] | None:
    """Its own offer's collegial marks, scores, total and rank, once the marché is notified
    (marches.voir_ses_notes); None before, or for a user whose groupement made no offer. Only
    its own line leaves this function: no other offer, price, mark or rank."""
    offre = (
        Offre.objects.filter(consultation=consultation, groupement__in=_groupements(user))
        .select_related("consultation__marche", "groupement", "version_cctp")
        .first()
    )
    if offre is None or not user.has_perm("marches.voir_ses_notes", offre):
        return None
    ligne = analyse_de(consultation).ligne(offre.pk)
    assert ligne is not None
    return {
        "offre": offre,
        "groupement": offre.groupement.nom,
        "exclue": ligne.resultat.exclue,
        "motif_exclusion": ligne.resultat.motif_exclusion,
        "groupes": [
            {
                "libelle": g.critere.libelle,
                "poids": g.critere.poids,
                "points": g.points,
                "cellules": [
                    {
                        "libelle": c.critere.libelle,
                        "poids": c.critere.poids,
                        "est_prix": c.critere.est_prix,
                        "points": c.points,
                        "note": c.note.valeur if c.note else None,
                        "justification": c.note.justification if c.note else "",
                    }
                    for c in g.cellules
                ],
            }
            for g in ligne.groupes
        ],
        "note_maximale": offre.version_cctp.note_maximale,
        "total": ligne.resultat.total,
        "rang": ligne.resultat.rang,
        "ex_aequo": ligne.resultat.ex_aequo,
    }
