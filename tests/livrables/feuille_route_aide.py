"""What the feuille de route's tests share: a draft of N actions written straight in the
database, on the livrable of the `liv` fixture's atelier."""

import datetime
from decimal import Decimal

from candidatures.models import Thematique
from livrables.models import (
    Action,
    Axe,
    Financement,
    Livrable,
    Objectif,
    Priorite,
    SourceFinancement,
    TypeLivrable,
)
from livrables.services import livrable_ouvrir


def feuille(atelier) -> Livrable:
    return livrable_ouvrir(atelier=atelier, type=TypeLivrable.FEUILLE_ROUTE)


def brouillon(atelier, nombre: int = 3, axes: int = 2) -> Livrable:
    """A feuille de route of `nombre` actions spread over `axes` axes, each with two lines of
    financing, a theme and a calendar."""
    livrable = feuille(atelier)
    Objectif.objects.create(livrable=livrable, intitule="Sobriété foncière", ordre=1)
    Objectif.objects.create(livrable=livrable, intitule="Adaptation au recul du trait de côte")
    les_axes = [
        Axe.objects.create(livrable=livrable, intitule=f"Axe {i + 1}", ordre=i) for i in range(axes)
    ]
    themes = list(Thematique.objects.order_by("ordre", "libelle")[:3])
    for n in range(1, nombre + 1):
        action = Action.objects.create(
            livrable=livrable,
            numero=n,
            axe=les_axes[n % axes],
            ordre=n,
            titre=f"Action numéro {n} : renaturer la parcelle {n}",
            description="Une description.",
            # A test that flushes the database (the real worker) has no theme left.
            thematique=themes[n % len(themes)] if themes else None,
            priorite=Priorite.values[n % 3],
            porteur_nom="Syndicat mixte du littoral",
            partenaires="Conservatoire du littoral\nAgence de l'eau",
            cout_estime=Decimal("100000.00"),
            debut=datetime.date(2027, 1 + n % 12, 1),
            fin=datetime.date(2029, 1 + n % 12, 28),
            indicateurs="Surface renaturée (ha)",
        )
        Financement.objects.create(
            action=action, source=SourceFinancement.FONDS_VERT, montant=Decimal("40000.00")
        )
        Financement.objects.create(
            action=action, source=SourceFinancement.REGION, montant=Decimal("25000.00"), ordre=1
        )
    return livrable
