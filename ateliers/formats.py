"""How the portal writes amounts (ux.md: « 100 000 € »); ateliers, the lowest app that shows
money (the sessions' logistics), keeps it for the later stages too."""

from decimal import Decimal

CENTIME = Decimal("0.01")


def euros(montant: Decimal | int | None, *, centimes: bool = False) -> str:
    """« 100 000 € », or « 1 250,50 € » when there are cents (always with `centimes`)."""
    montant = Decimal(montant or 0).quantize(CENTIME)
    decimales = 2 if centimes or montant != montant.to_integral_value() else 0
    # The French format (thousands by a no-break space, a decimal comma) written directly: the
    # locale machinery costs ten times as much, and a feuille de route prints hundreds of these.
    texte = f"{montant:,.{decimales}f}".replace(",", "\u00a0").replace(".", ",")
    return f"{texte}\u00a0€"
