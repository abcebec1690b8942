"""The scoring of the offers of one consultation round: pure arithmetic on Decimals, no ORM.

The rules, as the CCTP fixes them and the rapport d'analyse prints them:
- price (FormulePrix.PROPORTIONNELLE): points = poids × prix HT le plus bas ÷ prix HT de l'offre,
  the lowest price taken among the classable offers of the round only;
- a marked sub-criterion: points = poids × note ÷ note maximale;
- each criterion's points are rounded to two decimals, half up (ROUND_HALF_UP: 12,345 → 12,35),
  and the total is the sum of these rounded points, so that the printed lines add up to the
  printed total; a total is never above the sum of the weights (100);
- the ranking orders the complete totals, highest first: equal totals share a rank (« ex
  æquo ») and the next rank skips as many places (1, 1, 3); an excluded offer (hors délai,
  irrégulière, inacceptable) is out of the ranking with its reason, and an offer whose marks
  are not all entered has no total nor rank yet.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENTIEME = Decimal("0.01")


def arrondir(valeur: Decimal) -> Decimal:
    """Two decimals, half up: the rounding of every score of the analysis."""
    return valeur.quantize(CENTIEME, rounding=ROUND_HALF_UP)


def points_prix(*, poids: Decimal, prix_le_plus_bas: Decimal, prix: Decimal) -> Decimal:
    """poids × prix le plus bas ÷ prix de l'offre, rounded: the lowest price gets the weight."""
    if prix <= 0 or prix_le_plus_bas <= 0:
        raise ValueError("Un prix noté est strictement positif.")
    if prix_le_plus_bas > prix:
        raise ValueError("Le prix le plus bas ne dépasse pas le prix d'une offre classable.")
    return arrondir(poids * prix_le_plus_bas / prix)


def points_note(*, poids: Decimal, note: Decimal, note_maximale: Decimal) -> Decimal:
    """poids × note ÷ note maximale, rounded: the maximal mark gets the weight."""
    if not 0 <= note <= note_maximale:
        raise ValueError(f"Une note est comprise entre 0 et {note_maximale}.")
    return arrondir(poids * note / note_maximale)


@dataclass(frozen=True)
class CritereNote:
    """A leaf of the grid: a marked sub-criterion or the price."""

    id: int
    poids: Decimal
    est_prix: bool = False


@dataclass(frozen=True)
class OffreNotee:
    """What the scoring reads of an offer: its HT price, its collegial marks by criterion id
    (missing: not entered yet), its exclusion reason when it is out of the ranking, and the
    grid and scale of the CCTP version it answered when they are not the round's."""

    id: int
    montant_ht: Decimal
    notes: Mapping[int, Decimal] = field(default_factory=dict)
    motif_exclusion: str = ""
    grille: Sequence[CritereNote] = ()
    note_maximale: Decimal | None = None

    @property
    def exclue(self) -> bool:
        return bool(self.motif_exclusion)


@dataclass(frozen=True)
class Resultat:
    """The scores of one offer: points by criterion id (None: not computable yet), the total
    and the rank once every mark is in, or the reason it is out of the ranking."""

    offre_id: int
    points: dict[int, Decimal | None]
    total: Decimal | None
    rang: int | None
    ex_aequo: bool
    motif_exclusion: str

    @property
    def exclue(self) -> bool:
        return bool(self.motif_exclusion)

    @property
    def complete(self) -> bool:
        return self.total is not None


def prix_le_plus_bas(offres: Sequence[OffreNotee]) -> Decimal | None:
    """The lowest HT price among the classable offers, or None when there is none."""
    prix = [o.montant_ht for o in offres if not o.exclue]
    return min(prix) if prix else None


def noter(
    grille: Sequence[CritereNote], offres: Sequence[OffreNotee], *, note_maximale: Decimal
) -> list[Resultat]:
    """Score and rank the offers of one round on the grid's leaves, in the offers' order; an
    offer that answered another CCTP version is scored on its own version's grid and scale
    (every grid weighs 100, so the totals compare)."""
    plus_bas = prix_le_plus_bas(offres)
    bruts: list[tuple[OffreNotee, dict[int, Decimal | None], Decimal | None]] = []
    for offre in offres:
        sa_grille = offre.grille or grille
        if offre.exclue:
            bruts.append((offre, {c.id: None for c in sa_grille}, None))
            continue
        echelle = offre.note_maximale or note_maximale
        points: dict[int, Decimal | None] = {}
        for critere in sa_grille:
            if critere.est_prix:
                assert plus_bas is not None  # this offer is classable
                points[critere.id] = points_prix(
                    poids=critere.poids, prix_le_plus_bas=plus_bas, prix=offre.montant_ht
                )
            elif critere.id in offre.notes:
                points[critere.id] = points_note(
                    poids=critere.poids, note=offre.notes[critere.id], note_maximale=echelle
                )
            else:
                points[critere.id] = None
        notes = [v for v in points.values() if v is not None]
        total = sum(notes, Decimal("0.00")) if len(notes) == len(points) else None
        bruts.append((offre, points, total))
    totaux = [t for _, _, t in bruts if t is not None]
    resultats = []
    for offre, points, total in bruts:
        rang = None if total is None else 1 + sum(1 for t in totaux if t > total)
        resultats.append(
            Resultat(
                offre_id=offre.id,
                points=points,
                total=total,
                rang=rang,
                ex_aequo=total is not None and totaux.count(total) > 1,
                motif_exclusion=offre.motif_exclusion,
            )
        )
    return resultats


def classement(resultats: Sequence[Resultat]) -> list[Resultat]:
    """The ranked offers, best first; equal totals keep the offers' order between them."""
    return sorted((r for r in resultats if r.rang is not None), key=lambda r: r.rang or 0)
