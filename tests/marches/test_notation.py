"""The scoring on hand-computed cases, and its properties on any grid and any offers."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marches.notation import (
    CritereNote,
    OffreNotee,
    arrondir,
    classement,
    noter,
    points_note,
    points_prix,
    prix_le_plus_bas,
)

D = Decimal
# The factories' grid: méthodologie 30, compréhension 15, équipe 15, prix 40; marks out of 5.
METHODO, ENJEUX, EQUIPE, PRIX = 1, 2, 3, 4
GRILLE = [
    CritereNote(METHODO, D(30)),
    CritereNote(ENJEUX, D(15)),
    CritereNote(EQUIPE, D(15)),
    CritereNote(PRIX, D(40), est_prix=True),
]
CINQ = D(5)


def notes(m, c, e):
    return {METHODO: D(m), ENJEUX: D(c), EQUIPE: D(e)}


def test_le_prix_le_plus_bas_obtient_le_poids_et_les_autres_au_prorata():
    # 40 × 80 000 / 80 000 = 40 ; 40 × 80 000 / 100 000 = 32 ;
    # 40 × 80 000 / 96 000 = 33,333… → 33,33
    assert points_prix(poids=D(40), prix_le_plus_bas=D(80000), prix=D(80000)) == D("40.00")
    assert points_prix(poids=D(40), prix_le_plus_bas=D(80000), prix=D(100000)) == D("32.00")
    assert points_prix(poids=D(40), prix_le_plus_bas=D(80000), prix=D(96000)) == D("33.33")


def test_une_note_vaut_poids_fois_note_sur_note_maximale():
    # 30 × 4 / 5 = 24 ; 15 × 3,5 / 5 = 10,5 ; 15 × 0 / 5 = 0 ; 15 × 5 / 5 = 15
    assert points_note(poids=D(30), note=D(4), note_maximale=CINQ) == D("24.00")
    assert points_note(poids=D(15), note=D("3.5"), note_maximale=CINQ) == D("10.50")
    assert points_note(poids=D(15), note=D(0), note_maximale=CINQ) == D("0.00")
    assert points_note(poids=D(15), note=CINQ, note_maximale=CINQ) == D("15.00")
    with pytest.raises(ValueError, match="entre 0 et 5"):
        points_note(poids=D(15), note=D("5.5"), note_maximale=CINQ)


def test_l_arrondi_est_au_centieme_le_demi_vers_le_haut():
    # 12,345 → 12,35 (half up, not half even: 12,34) ; 12,344 → 12,34 ; 0,005 → 0,01
    assert arrondir(D("12.345")) == D("12.35")
    assert arrondir(D("12.344")) == D("12.34")
    assert arrondir(D("0.005")) == D("0.01")
    # 15 × 2,35 / 5 = 7,05 exactly ; 30 × 3,33 / 5 = 19,98 ; 40 × 90 000 / 95 000 = 37,894… → 37,89
    assert points_note(poids=D(15), note=D("2.35"), note_maximale=CINQ) == D("7.05")
    assert points_prix(poids=D(40), prix_le_plus_bas=D(90000), prix=D(95000)) == D("37.89")


def test_totaux_et_classement_de_trois_offres_calcules_a_la_main():
    offres = [
        # A: 30×4/5=24 + 15×3/5=9 + 15×4/5=12 + 40×80 000/100 000=32 → 77,00
        OffreNotee(10, D(100000), notes(4, 3, 4)),
        # B: 30×3/5=18 + 15×4/5=12 + 15×3/5=9 + 40×80 000/80 000=40 → 79,00
        OffreNotee(11, D(80000), notes(3, 4, 3)),
        # C: 30×5/5=30 + 15×2/5=6 + 15×2/5=6 + 40×80 000/96 000=33,33 → 75,33
        OffreNotee(12, D(96000), notes(5, 2, 2)),
    ]
    a, b, c = noter(GRILLE, offres, note_maximale=CINQ)
    assert a.points == {METHODO: D(24), ENJEUX: D(9), EQUIPE: D(12), PRIX: D(32)}
    assert (a.total, b.total, c.total) == (D("77.00"), D("79.00"), D("75.33"))
    assert (b.rang, a.rang, c.rang) == (1, 2, 3)
    assert not any(r.ex_aequo for r in (a, b, c))
    assert [r.offre_id for r in classement([a, b, c])] == [11, 10, 12]


def test_deux_totaux_egaux_partagent_le_rang_et_le_suivant_saute_une_place():
    offres = [
        # A: 24 + 9 + 12 + 40 (le moins cher, 80 000) → 85,00
        OffreNotee(1, D(80000), notes(4, 3, 4)),
        # B: 30 + 15 + 15 + 40×80 000/128 000=25 → 85,00 : ex æquo avec A
        OffreNotee(2, D(128000), notes(5, 5, 5)),
        # C: 18 + 9 + 9 + 40×80 000/100 000=32 → 68,00 : troisième, pas deuxième
        OffreNotee(3, D(100000), notes(3, 3, 3)),
    ]
    a, b, c = noter(GRILLE, offres, note_maximale=CINQ)
    assert a.total == b.total == D("85.00")
    assert (a.rang, b.rang, c.rang) == (1, 1, 3)
    assert a.ex_aequo and b.ex_aequo and not c.ex_aequo


def test_une_offre_exclue_sort_du_classement_et_ne_fixe_pas_le_prix_le_plus_bas():
    offres = [
        # Hors délai, la moins chère (50 000) : ni points, ni rang, ni prix de référence.
        OffreNotee(1, D(50000), notes(5, 5, 5), motif_exclusion="Offre reçue hors délai."),
        # A: 24 + 9 + 12 + 40×80 000/80 000 = 85,00 (80 000 est le plus bas des classables)
        OffreNotee(2, D(80000), notes(4, 3, 4)),
        # B: 18 + 12 + 9 + 40×80 000/100 000=32 → 71,00
        OffreNotee(3, D(100000), notes(3, 4, 3)),
    ]
    assert prix_le_plus_bas(offres) == D(80000)
    exclue, a, b = noter(GRILLE, offres, note_maximale=CINQ)
    assert exclue.exclue and exclue.rang is None and exclue.total is None
    assert exclue.motif_exclusion == "Offre reçue hors délai."
    assert set(exclue.points.values()) == {None}
    assert (a.total, a.rang, b.total, b.rang) == (D("85.00"), 1, D("71.00"), 2)


def test_une_offre_aux_notes_incompletes_n_a_ni_total_ni_rang():
    # A: méthodologie non notée → pas de total ; B seule classée : 18 + 12 + 9 + 40 → 79,00
    incomplete = OffreNotee(1, D(90000), {METHODO: D(4), ENJEUX: D(3)})
    complete = OffreNotee(2, D(90000), notes(3, 4, 3))
    a, b = noter(GRILLE, [incomplete, complete], note_maximale=CINQ)
    assert a.points[EQUIPE] is None and a.points[PRIX] == D("40.00")
    assert (a.total, a.rang) == (None, None)
    assert (b.total, b.rang) == (D("79.00"), 1)


# Any grid of weights summing to 100 (one price criterion and one to five marked ones), any
# marks on its scale and any prices.
@st.composite
def grille_et_offres(draw):
    note_maximale = D(draw(st.integers(min_value=1, max_value=20)))
    nombre = draw(st.integers(min_value=1, max_value=5))
    # Weights in cents of a point, summing to 10 000 cents (100 points), each at least 1 cent.
    coupures = sorted(
        draw(st.lists(st.integers(1, 9999), min_size=nombre, max_size=nombre, unique=True))
    )
    bornes = [0, *coupures, 10000]
    poids = [D(b - a) / 100 for a, b in itertools.pairwise(bornes)]
    grille = [CritereNote(i, p, est_prix=(i == 0)) for i, p in enumerate(poids)]
    # Marks in half-points or hundredths on the scale.
    note = st.decimals(
        min_value=0, max_value=note_maximale, places=2, allow_nan=False, allow_infinity=False
    )
    offres = []
    for i in range(draw(st.integers(min_value=1, max_value=8))):
        offres.append(
            OffreNotee(
                id=i,
                montant_ht=D(draw(st.integers(min_value=1, max_value=20_000_000))) / 100,
                notes={c.id: draw(note) for c in grille if not c.est_prix},
                motif_exclusion=draw(st.sampled_from(["", "", "", "Offre irrégulière."])),
            )
        )
    return grille, offres, note_maximale


@given(grille_et_offres())
def test_un_total_ne_depasse_jamais_100_et_le_classement_ordonne_les_totaux(donnees):
    grille, offres, note_maximale = donnees
    resultats = noter(grille, offres, note_maximale=note_maximale)
    classes = [r for r in resultats if r.rang is not None]
    for r in resultats:
        assert (r.rang is None) == (r.exclue or r.total is None)
        if r.total is not None:
            assert D(0) <= r.total <= D(100)
            assert r.total == r.total.quantize(D("0.01"))
            assert r.total == sum(v for v in r.points.values() if v is not None)
    # A total order on totals: higher total ⇔ better rank, equal totals ⇔ equal ranks.
    for a in classes:
        assert a.rang == 1 + sum(1 for b in classes if b.total > a.total)  # type: ignore[operator]
        for b in classes:
            assert (a.total > b.total) == (a.rang < b.rang)  # type: ignore[operator]
            assert (a.total == b.total) == (a.rang == b.rang)
            assert (a.total == b.total and a is not b) <= a.ex_aequo
    if classes:
        assert min(r.rang for r in classes) == 1  # type: ignore[type-var]
        # The cheapest classable offer gets the full weight of the price.
        plus_bas = prix_le_plus_bas(offres)
        prix = grille[0]
        for o, r in zip(offres, resultats, strict=True):
            if not o.exclue and o.montant_ht == plus_bas:
                assert r.points[prix.id] == prix.poids


def test_une_offre_a_une_autre_version_du_cctp_est_notee_sur_sa_grille_et_son_echelle():
    # The rectified version marks out of 10 on two criteria: technique 60, prix 40.
    rectifiee = [CritereNote(20, D(60)), CritereNote(21, D(40), est_prix=True)]
    offres = [
        # A (version 1, sur 5): 24 + 9 + 12 + 40 × 80 000 / 80 000 = 85,00
        OffreNotee(1, D(80000), notes(4, 3, 4)),
        # B (version 2, sur 10): 60 × 7 / 10 = 42 + 40 × 80 000 / 100 000 = 32 → 74,00
        OffreNotee(2, D(100000), {20: D(7)}, grille=rectifiee, note_maximale=D(10)),
    ]
    a, b = noter(GRILLE, offres, note_maximale=CINQ)
    assert (a.total, b.total) == (D("85.00"), D("74.00"))
    assert b.points == {20: D("42.00"), 21: D("32.00")}
    assert (a.rang, b.rang) == (1, 2)
