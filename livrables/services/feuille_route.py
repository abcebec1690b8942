"""The feuille de route's draft, written by the groupement titulaire while the livrable is
neither under review nor validated: its objectifs, axes and actions with their financing, in
the order the groupement gives them, or the whole draft replaced from a workbook."""

from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from ateliers.services import ActionImpossible, journal_ecrire
from comptes.models import Utilisateur
from livrables.models import (
    DEPOSER,
    Action,
    Axe,
    CodeLivrable,
    Financement,
    Livrable,
    Objectif,
    TypeLivrable,
    VersionLivrable,
)
from livrables.selectors.feuille_route import MODIFIABLES, feuille_figee
from livrables.services.droits import exiger
from livrables.services.revue import livrable_ouvrir

Element = Objectif | Axe | Action


def _ouvrir(livrable: Livrable, par: Utilisateur) -> Livrable:
    """The feuille de route's row, locked, if `par` may still write it."""
    if livrable.type != TypeLivrable.FEUILLE_ROUTE:
        raise ActionImpossible("Ce livrable n'est pas une feuille de route.")
    exiger(par, DEPOSER, livrable, "Seul le groupement titulaire écrit la feuille de route.")
    atelier = livrable.atelier
    livrable = livrable_ouvrir(atelier=atelier, type=livrable.type)
    livrable = Livrable.objects.select_for_update().get(pk=livrable.pk)
    livrable.atelier = atelier
    if livrable.statut not in MODIFIABLES:
        raise ActionImpossible(
            f"La feuille de route est « {livrable.get_statut_display().lower()} » : elle ne se "
            "modifie plus, sauf si le service pilote demande des corrections."
        )
    return livrable


def _suivant(queryset: Any, champ: str) -> int:
    return (queryset.aggregate(n=Max(champ))["n"] or 0) + 1


@transaction.atomic
def objectif_enregistrer(
    *,
    livrable: Livrable,
    par: Utilisateur,
    intitule: str,
    description: str = "",
    objectif: Objectif | None = None,
) -> Objectif:
    """Add an objective at the end of the list, or change one."""
    livrable = _ouvrir(livrable, par)
    if objectif is None:
        objectif = Objectif(
            livrable=livrable, ordre=_suivant(Objectif.objects.filter(livrable=livrable), "ordre")
        )
    elif objectif.livrable_id != livrable.pk:
        raise PermissionDenied("Cet objectif appartient à une autre feuille de route.")
    objectif.intitule, objectif.description = intitule.strip(), description.strip()
    objectif.save()
    return objectif


@transaction.atomic
def axe_enregistrer(
    *,
    livrable: Livrable,
    par: Utilisateur,
    intitule: str,
    description: str = "",
    axe: Axe | None = None,
) -> Axe:
    """Add an axis at the end of the list, or change one; two axes never share a title."""
    livrable = _ouvrir(livrable, par)
    if axe is None:
        axe = Axe(livrable=livrable, ordre=_suivant(Axe.objects.filter(livrable=livrable), "ordre"))
    elif axe.livrable_id != livrable.pk:
        raise PermissionDenied("Cet axe appartient à une autre feuille de route.")
    intitule = intitule.strip()
    if Axe.objects.filter(livrable=livrable, intitule=intitule).exclude(pk=axe.pk).exists():
        raise ActionImpossible(f"Un autre axe s'intitule déjà « {intitule} ».")
    axe.intitule, axe.description = intitule, description.strip()
    axe.save()
    return axe


def _numero_libre(livrable: Livrable) -> int:
    """The number after every one the draft and the deposited versions ever gave: a removed
    action's number is never given again, or the diff would take a new action for it."""
    numeros = [_suivant(Action.objects.filter(livrable=livrable), "numero") - 1]
    for contenu in VersionLivrable.objects.filter(livrable=livrable).values_list(
        "contenu", flat=True
    ):
        numeros += [a["numero"] for a in feuille_figee(contenu)["actions"]]
    return max(numeros) + 1


# The fields of an action that its form and the workbook write.
CHAMPS_ACTION = (
    "axe",
    "titre",
    "description",
    "thematique",
    "priorite",
    "porteur",
    "porteur_nom",
    "partenaires",
    "cout_estime",
    "debut",
    "fin",
    "horizon",
    "indicateurs",
    "statut",
)
# Those of them that are text: left out or empty, they are "".
TEXTES = ("titre", "description", "porteur_nom", "partenaires", "horizon", "indicateurs")


def _lignes(action: Action, financements: list[dict[str, Any]]) -> None:
    Financement.objects.filter(action=action).delete()
    Financement.objects.bulk_create(
        Financement(
            action=action,
            source=ligne["source"],
            precision=(ligne.get("precision") or "").strip(),
            montant=ligne["montant"],
            ordre=ordre,
        )
        for ordre, ligne in enumerate(financements)
    )


@transaction.atomic
def action_enregistrer(
    *,
    livrable: Livrable,
    par: Utilisateur,
    valeurs: dict[str, Any],
    financements: list[dict[str, Any]],
    action: Action | None = None,
) -> Action:
    """Add an action (numbered after the last one, at the end of its axis) or change one, with
    its whole financing plan."""
    livrable = _ouvrir(livrable, par)
    if valeurs["axe"].livrable_id != livrable.pk:
        raise PermissionDenied("Cet axe appartient à une autre feuille de route.")
    actions = Action.objects.filter(livrable=livrable)
    if action is None:
        action = Action(livrable=livrable, numero=_numero_libre(livrable))
    elif action.livrable_id != livrable.pk:
        raise PermissionDenied("Cette action appartient à une autre feuille de route.")
    if action.pk is None or action.axe_id != valeurs["axe"].pk:
        action.ordre = _suivant(actions.filter(axe=valeurs["axe"]), "ordre")
    for champ in CHAMPS_ACTION:
        valeur = valeurs.get(champ)
        setattr(action, champ, valeur.strip() if isinstance(valeur, str) else valeur)
    for champ in TEXTES:
        setattr(action, champ, getattr(action, champ) or "")
    action.save()
    _lignes(action, financements)
    return action


@transaction.atomic
def element_retirer(*, element: Element, par: Utilisateur) -> None:
    """Remove an objective, an axis (once it holds no action) or an action with its
    financing."""
    livrable = _ouvrir(_livrable_de(element), par)
    if element.livrable_id != livrable.pk:
        raise PermissionDenied
    if isinstance(element, Axe):
        nombre = element.actions.count()
        if nombre:
            raise ActionImpossible(
                f"L'axe « {element.intitule} » porte encore {nombre} "
                f"action{'s' if nombre > 1 else ''} : rattachez-les à un autre axe ou "
                "retirez-les d'abord."
            )
    element.delete()


def _livrable_de(element: Element) -> Livrable:
    return Livrable.objects.select_related("atelier").get(pk=element.livrable_id)


@transaction.atomic
def element_deplacer(
    *, element: Element, par: Utilisateur, sens: Literal["monter", "descendre"]
) -> None:
    """Move an objective, an axis or an action (within its axis) one place up or down."""
    livrable = _ouvrir(_livrable_de(element), par)
    modele: Any = type(element)
    voisins = modele.objects.filter(livrable=livrable)
    if isinstance(element, Action):
        voisins = voisins.filter(axe_id=element.axe_id)
    rangs: list[Any] = list(voisins.order_by("ordre", "pk"))
    position = next(i for i, e in enumerate(rangs) if e.pk == element.pk)
    cible = position - 1 if sens == "monter" else position + 1
    if not 0 <= cible < len(rangs):
        return
    rangs[position], rangs[cible] = rangs[cible], rangs[position]
    for ordre, voisin in enumerate(rangs):
        voisin.ordre = ordre
    modele.objects.bulk_update(rangs, ["ordre"])


@dataclass
class FeuilleSaisie:
    """A whole draft read from a workbook, checked: what `feuille_remplacer` writes."""

    objectifs: list[dict[str, str]] = field(default_factory=list)
    axes: list[dict[str, str]] = field(default_factory=list)
    # Each action's values as CHAMPS_ACTION names them, its « numero » (None for a new one)
    # and its axis's title
    # under « axe » (the rows are written before their axis exists), and its financing lines.
    actions: list[dict[str, Any]] = field(default_factory=list)


@transaction.atomic
def feuille_remplacer(*, livrable: Livrable, par: Utilisateur, feuille: FeuilleSaisie) -> Livrable:
    """Replace the whole draft by an imported one, or write nothing; one journal line."""
    livrable = _ouvrir(livrable, par)
    suivant = max([_numero_libre(livrable) - 1, *(a["numero"] or 0 for a in feuille.actions)])
    for saisie in feuille.actions:
        if saisie["numero"] is None:
            suivant += 1
            saisie["numero"] = suivant
    Action.objects.filter(livrable=livrable).delete()
    Axe.objects.filter(livrable=livrable).delete()
    Objectif.objects.filter(livrable=livrable).delete()
    Objectif.objects.bulk_create(
        Objectif(livrable=livrable, ordre=i, **o) for i, o in enumerate(feuille.objectifs)
    )
    axes = {
        a.intitule: a
        for a in Axe.objects.bulk_create(
            Axe(livrable=livrable, ordre=i, **a) for i, a in enumerate(feuille.axes)
        )
    }
    if any(a.pk is None for a in axes.values()):  # backends without RETURNING
        axes = {a.intitule: a for a in Axe.objects.filter(livrable=livrable)}
    ordres: dict[str, int] = {}
    for saisie in feuille.actions:
        intitule = saisie["axe"]
        ordres[intitule] = ordres.get(intitule, 0) + 1
        action = Action(livrable=livrable, numero=saisie["numero"], ordre=ordres[intitule])
        for champ in CHAMPS_ACTION:
            setattr(action, champ, axes[intitule] if champ == "axe" else saisie[champ])
        action.save()
        _lignes(action, saisie["financements"])
    journal_ecrire(
        code=CodeLivrable.REDACTION_MODIFIEE,
        objet=livrable,
        atelier=livrable.atelier,
        par=par,
        libelle="Feuille de route importée d'un classeur",
        commentaire=f"{len(feuille.actions)} action{'s' if len(feuille.actions) > 1 else ''}",
    )
    return livrable
