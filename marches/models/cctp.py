"""The CCTP being written for a marché, part by part like the note d'opportunité: each part's
draft with its version (two people saving the same part never overwrite each other silently)
and its history; publication freezes the parts in a numbered VersionCctp."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from marches.models.marche import FormulePrix, MarcheSubsequent

DUREE_MIN, DUREE_MAX = 10, 15
NOTE_MAX_MIN, NOTE_MAX_MAX = 1, 20


class CodeCctp(models.TextChoices):
    """The journal's codes for the CCTP."""

    RECTIFIE = "cctp.rectifie", "CCTP rectifié"


@dataclass(frozen=True)
class Champ:
    """A field of a part of the CCTP: its kind (`texte`, `ligne`, `entier`, `montant`,
    `jours`, `choix`) and its bounds, as the form checks them and completeness reads them."""

    nom: str
    libelle: str
    type: str = "texte"
    requis: bool = True
    aide: str = ""
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    choix: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Partie:
    """A part of the CCTP: its page, its fields; `grille` for the criteria's grid, `documents`
    for the note's documentary resources kept as they were deposited."""

    slug: str
    titre: str
    champs: tuple[Champ, ...] = field(default_factory=tuple)
    grille: bool = False
    documents: bool = False


def _session(n: int, theme: str) -> tuple[Champ, Champ]:
    return (
        Champ(f"session_{n}_theme", f"session {n} : thème et déroulé", aide=theme),
        Champ(
            f"session_{n}_jours",
            f"session {n} : durée en jours",
            type="jours",
            minimum=Decimal(1),
            maximum=Decimal(2),
            aide="Entre 1 et 2 jours sur place, par demi-journées (1, 1,5 ou 2).",
        ),
    )


PARTIES: tuple[Partie, ...] = (
    Partie(
        "objet",
        "Objet et contexte",
        (
            Champ("objet", "objet du marché", type="ligne"),
            Champ("problematique", "problématique"),
            Champ("contexte", "contexte", requis=False),
            Champ("enjeux", "enjeux"),
            Champ("thematiques", "thématiques", type="ligne", requis=False),
        ),
    ),
    Partie(
        "territoire",
        "Territoire",
        (
            Champ("echelle", "échelle", type="ligne", requis=False),
            Champ("perimetre", "périmètre", aide="Départements, EPCI et communes concernés."),
            Champ("description", "description du territoire"),
        ),
    ),
    Partie(
        "objectifs",
        "Objectifs",
        (
            Champ("objectifs", "objectifs de l'atelier", aide="Un objectif par ligne."),
            Champ("resultats", "résultats attendus", requis=False),
            Champ("questions", "questions posées à l'équipe", requis=False),
        ),
    ),
    Partie(
        "acteurs",
        "Acteurs",
        (
            Champ("maitrise_ouvrage", "porteurs et pilotage"),
            Champ("acteurs", "acteurs à mobiliser"),
        ),
    ),
    Partie(
        "ressources",
        "Ressources documentaires",
        (
            Champ(
                "complements",
                "autres ressources mises à disposition",
                requis=False,
                aide="Les documents de la note sont repris tels qu'ils ont été déposés.",
            ),
        ),
        documents=True,
    ),
    Partie(
        "prestations",
        "Contenu des prestations",
        (
            Champ("cadrage", "lancement et cadrage"),
            *_session(1, "Diagnostic et enjeux."),
            *_session(2, "Stratégie."),
            *_session(3, "Feuille de route."),
            Champ("inter_ateliers", "inter-ateliers"),
            Champ("production_restitution", "production et restitution"),
        ),
    ),
    Partie(
        "livrables",
        "Livrables",
        (
            Champ("note_cadrage", "note de cadrage"),
            Champ("carnet_suivi", "carnet de suivi"),
            Champ("rapport_final", "rapport final"),
            Champ("feuille_route", "feuille de route"),
            Champ("livret_capitalisation", "livret de capitalisation"),
        ),
    ),
    Partie(
        "duree",
        "Durée et calendrier",
        (
            Champ(
                "duree_mois",
                "durée en mois",
                type="entier",
                minimum=DUREE_MIN,
                maximum=DUREE_MAX,
                aide=f"Entre {DUREE_MIN} et {DUREE_MAX} mois.",
            ),
            Champ("calendrier", "calendrier prévisionnel"),
        ),
    ),
    Partie(
        "prix",
        "Montant et paiement",
        (
            Champ(
                "montant_maximum_ht",
                "montant maximum HT en euros",
                type="montant",
                minimum=Decimal("0.01"),
                aide="Environ 100 000 € pour un atelier.",
            ),
            Champ("modalites_paiement", "modalités de paiement"),
        ),
    ),
    Partie(
        "criteres",
        "Critères de jugement",
        (
            Champ(
                "formule_prix",
                "formule de notation du prix",
                type="choix",
                choix=tuple(FormulePrix.choices),
            ),
            Champ(
                "note_maximale",
                "note maximale des critères notés",
                type="entier",
                minimum=NOTE_MAX_MIN,
                maximum=NOTE_MAX_MAX,
                aide="Chaque sous-critère technique est noté de 0 à cette note.",
            ),
        ),
        grille=True,
    ),
    Partie(
        "pieces",
        "Pièces attendues dans l'offre",
        (
            Champ("note_methodologique", "note méthodologique"),
            Champ("competences", "présentation des compétences techniques"),
            Champ("proposition_financiere", "proposition financière"),
        ),
    ),
)
PARTIES_PAR_SLUG = {p.slug: p for p in PARTIES}


def decimal_ou_none(valeur: Any) -> Decimal | None:
    if valeur in (None, ""):
        return None
    try:
        return Decimal(str(valeur))
    except InvalidOperation:
        return None


def erreurs_grille(lignes: list[dict[str, Any]]) -> list[str]:
    """What is wrong with a grid of criteria, in order: the criteria's weights sum to exactly
    100, each criterion's sub-criteria to its weight, and one criterion (without sub-criteria)
    is the price. A row is a criterion, or a sub-criterion of the criterion above it."""
    erreurs: list[str] = []
    if not lignes:
        return ["La grille compte au moins un critère."]
    criteres: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for rang, ligne in enumerate(lignes, start=1):
        poids = decimal_ou_none(ligne.get("poids"))
        if poids is None or poids <= 0:
            erreurs.append(f"Ligne {rang} : le poids est un nombre supérieur à 0.")
        if ligne.get("niveau") == "sous_critere":
            if not criteres:
                erreurs.append(f"Ligne {rang} : un sous-critère suit le critère qu'il détaille.")
                continue
            if ligne.get("est_prix"):
                erreurs.append(f"Ligne {rang} : le prix est un critère, pas un sous-critère.")
            criteres[-1][1].append(ligne)
        else:
            criteres.append((ligne, []))
    if erreurs:
        return erreurs
    total = sum((Decimal(str(c["poids"])) for c, _ in criteres), Decimal(0))
    if total != 100:
        erreurs.append(
            f"Les poids des critères totalisent {_nombre(total)} : ils doivent faire "
            "exactement 100."
        )
    for critere, sous in criteres:
        if not sous:
            continue
        somme = sum((Decimal(str(s["poids"])) for s in sous), Decimal(0))
        if somme != Decimal(str(critere["poids"])):
            erreurs.append(
                f"Les sous-critères de « {critere['libelle']} » totalisent {_nombre(somme)} au "
                f"lieu de {_nombre(Decimal(str(critere['poids'])))}."
            )
    prix = [(c, s) for c, s in criteres if c.get("est_prix")]
    if len(prix) != 1:
        erreurs.append("Un critère, et un seul, est celui du prix.")
    elif prix[0][1]:
        erreurs.append("Le prix est noté par la formule : il n'a pas de sous-critères.")
    return erreurs


def _nombre(valeur: Decimal) -> str:
    return f"{valeur.normalize():f}".replace(".", ",")


class PartieCctp(models.Model):
    """One part of a marché's CCTP: its draft (saved whatever its completeness) and its
    version, which a save by someone else in between makes stale."""

    marche = models.ForeignKey(
        MarcheSubsequent, on_delete=models.CASCADE, related_name="parties_cctp"
    )
    slug = models.CharField("partie", max_length=20, choices=[(p.slug, p.titre) for p in PARTIES])
    contenu = models.JSONField("contenu", default=dict, blank=True)
    version = models.PositiveIntegerField("version", default=0)
    modifie_le = models.DateTimeField("modifiée le", null=True, blank=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifiée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "partie du CCTP"
        verbose_name_plural = "parties du CCTP"
        ordering = ["marche", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["marche", "slug"], name="partie_cctp_unique")
        ]

    def __str__(self):
        return f"{self.partie.titre} — CCTP {self.marche_id}"

    @property
    def partie(self) -> Partie:
        return PARTIES_PAR_SLUG[self.slug]

    @property
    def atelier(self):
        return self.marche.atelier

    def manquants(self) -> list[str]:
        """The labels of what the part still needs to be complete: its required fields still
        empty, and for the grid, a grid that holds."""
        vides = [
            c.libelle
            for c in self.partie.champs
            if c.requis and str(self.contenu.get(c.nom) or "").strip() == ""
        ]
        if self.partie.grille and erreurs_grille(self.contenu.get("criteres") or []):
            vides.append("grille des critères (poids à revoir)")
        return vides
