"""Reads of the feuille de route: its draft (objectifs, axes, actions with their financing and
what remains to finance), what a dépôt freezes of it, and the row diff between two versions."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, QuerySet

from ateliers.formats import euros
from livrables.models import (
    Action,
    Axe,
    Financement,
    Livrable,
    Objectif,
)

__all__ = [
    "ChampModifie",
    "Differences",
    "actions_de",
    "axes_de",
    "contenu_feuille_route",
    "differences_feuille",
    "feuille_figee",
    "objectifs_de",
    "reste_a_financer",
    "totaux",
]

ZERO = Decimal("0")


def actions_de(livrable: Livrable) -> QuerySet[Action]:
    """The draft's actions ordered by axe, theme and priority, with their axe, theme, porteur
    and financing lines: two queries whatever their number."""
    if livrable.pk is None:
        return Action.objects.none()
    return (
        Action.objects.filter(livrable_id=livrable.pk)
        .select_related("axe", "thematique", "porteur")
        .prefetch_related(
            Prefetch("financements", queryset=Financement.objects.order_by("ordre", "pk"))
        )
        .order_by(
            "axe__ordre",
            "axe_id",
            F("thematique__ordre").asc(nulls_last=True),
            F("thematique__libelle").asc(nulls_last=True),
            "priorite",
            "ordre",
            "numero",
        )
    )


def objectifs_de(livrable: Livrable) -> QuerySet[Objectif]:
    if livrable.pk is None:
        return Objectif.objects.none()
    return Objectif.objects.filter(livrable_id=livrable.pk).order_by("ordre", "pk")


def axes_de(livrable: Livrable) -> QuerySet[Axe]:
    if livrable.pk is None:
        return Axe.objects.none()
    return Axe.objects.filter(livrable_id=livrable.pk).order_by("ordre", "pk")


def finance(action: Action) -> Decimal:
    """What the financing lines cover (read from the prefetched lines)."""
    return sum((f.montant for f in action.financements.all()), ZERO)


def reste_a_financer(action: Action) -> Decimal | None:
    """The estimated cost less the financing lines; None while the cost is not estimated."""
    if action.cout_estime is None:
        return None
    return action.cout_estime - finance(action)


def totaux(actions: list[Action]) -> dict[str, Decimal]:
    """The plan's estimated cost, its financing and what remains to finance."""
    cout = sum((a.cout_estime or ZERO for a in actions), ZERO)
    finances = sum((finance(a) for a in actions), ZERO)
    return {"cout": cout, "finance": finances, "reste": cout - finances}


def _montant(valeur: Decimal | None) -> str | None:
    return None if valeur is None else str(valeur)


def _date(valeur: datetime.date | None) -> str | None:
    return valeur.isoformat() if valeur else None


def action_figee(action: Action) -> dict[str, Any]:
    """One action as a version freezes it: what the PDF, the diff and the livret read."""
    reste = reste_a_financer(action)
    return {
        "numero": action.numero,
        "axe": action.axe.intitule,
        "titre": action.titre,
        "description": action.description,
        "theme": action.thematique.libelle if action.thematique else "",
        "priorite": action.priorite,
        "priorite_libelle": action.get_priorite_display(),
        "porteur": action.porteur_libelle,
        "partenaires": action.partenaires,
        "cout_estime": _montant(action.cout_estime),
        "debut": _date(action.debut),
        "fin": _date(action.fin),
        "horizon": action.horizon,
        "horizon_libelle": action.get_horizon_display() if action.horizon else "",
        "indicateurs": action.indicateurs,
        "statut": action.statut,
        "statut_libelle": action.get_statut_display(),
        "financements": [
            {
                "source": f.source,
                "source_libelle": f.get_source_display(),
                "precision": f.precision,
                "montant": str(f.montant),
            }
            for f in action.financements.all()
        ],
        "finance": str(finance(action)),
        "reste": _montant(reste),
    }


def contenu_feuille_route(livrable: Livrable) -> dict[str, Any]:
    """The draft as a dépôt freezes it: objectifs, axes and actions in the plan's order, with
    the totals (four queries)."""
    actions = list(actions_de(livrable))
    somme = totaux(actions)
    return {
        "objectifs": [
            {"intitule": o.intitule, "description": o.description} for o in objectifs_de(livrable)
        ],
        "axes": [{"intitule": a.intitule, "description": a.description} for a in axes_de(livrable)],
        "actions": [action_figee(a) for a in actions],
        "totaux": {cle: str(valeur) for cle, valeur in somme.items()},
    }


def feuille_figee(contenu: dict[str, Any]) -> dict[str, Any]:
    """The frozen feuille de route of a version's `contenu` (empty for another livrable)."""
    feuille = contenu.get("feuille_route") or {}
    return {
        "objectifs": feuille.get("objectifs", []),
        "axes": feuille.get("axes", []),
        "actions": feuille.get("actions", []),
        "totaux": feuille.get("totaux", {"cout": "0", "finance": "0", "reste": "0"}),
    }


# The fields the diff compares, in the order a reader expects them, with their label.
CHAMPS_COMPARES: dict[str, str] = {
    "titre": "Titre",
    "axe": "Axe",
    "description": "Description",
    "theme": "Thème",
    "priorite_libelle": "Priorité",
    "porteur": "Porteur",
    "partenaires": "Partenaires",
    "cout_estime": "Coût estimé",
    "financement": "Plan de financement",
    "debut": "Début",
    "fin": "Fin",
    "horizon_libelle": "Horizon",
    "indicateurs": "Indicateurs",
    "statut_libelle": "Statut",
}


def _euros(valeur: str | None) -> str:
    return "" if valeur in (None, "") else euros(Decimal(valeur))


def _valeur(action: dict[str, Any], cle: str) -> str:
    if cle == "financement":
        return " ; ".join(
            " ".join(filter(None, [f["source_libelle"], f.get("precision", "")]))
            + f" : {_euros(f['montant'])}"
            for f in action.get("financements", [])
        )
    if cle == "cout_estime":
        return _euros(action.get(cle))
    if cle in ("debut", "fin"):
        valeur = action.get(cle)
        return datetime.date.fromisoformat(valeur).strftime("%d/%m/%Y") if valeur else ""
    return str(action.get(cle) or "")


@dataclass
class ChampModifie:
    libelle: str
    avant: str
    apres: str


@dataclass
class ActionModifiee:
    numero: int
    titre: str
    champs: list[ChampModifie]


@dataclass
class Differences:
    """What changed between two frozen feuilles de route, row by row."""

    ajoutees: list[dict[str, Any]] = field(default_factory=list)
    retirees: list[dict[str, Any]] = field(default_factory=list)
    modifiees: list[ActionModifiee] = field(default_factory=list)
    objectifs_ajoutes: list[str] = field(default_factory=list)
    objectifs_retires: list[str] = field(default_factory=list)
    axes_ajoutes: list[str] = field(default_factory=list)
    axes_retires: list[str] = field(default_factory=list)

    @property
    def aucune(self) -> bool:
        return not any(
            [
                self.ajoutees,
                self.retirees,
                self.modifiees,
                self.objectifs_ajoutes,
                self.objectifs_retires,
                self.axes_ajoutes,
                self.axes_retires,
            ]
        )


def _ecarts(
    avant: list[dict[str, Any]], apres: list[dict[str, Any]]
) -> tuple[list[str], list[str]]:
    vieux = [ligne["intitule"] for ligne in avant]
    neufs = [ligne["intitule"] for ligne in apres]
    return [i for i in neufs if i not in vieux], [i for i in vieux if i not in neufs]


def differences_feuille(avant: dict[str, Any], apres: dict[str, Any]) -> Differences:
    """The rows added, removed and changed (with each changed field) from one version's
    `contenu` to the next; actions are matched on their number."""
    ancienne, nouvelle = feuille_figee(avant), feuille_figee(apres)
    anciennes = {a["numero"]: a for a in ancienne["actions"]}
    nouvelles = {a["numero"]: a for a in nouvelle["actions"]}
    differences = Differences(
        ajoutees=[a for n, a in nouvelles.items() if n not in anciennes],
        retirees=[a for n, a in anciennes.items() if n not in nouvelles],
    )
    for numero, action in nouvelles.items():
        precedente = anciennes.get(numero)
        if precedente is None:
            continue
        champs = [
            ChampModifie(libelle, _valeur(precedente, cle), _valeur(action, cle))
            for cle, libelle in CHAMPS_COMPARES.items()
            if _valeur(precedente, cle) != _valeur(action, cle)
        ]
        if champs:
            differences.modifiees.append(ActionModifiee(numero, action["titre"], champs))
    differences.objectifs_ajoutes, differences.objectifs_retires = _ecarts(
        ancienne["objectifs"], nouvelle["objectifs"]
    )
    differences.axes_ajoutes, differences.axes_retires = _ecarts(ancienne["axes"], nouvelle["axes"])
    return differences
