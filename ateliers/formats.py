"""How the portal writes amounts (ux.md: « 100 000 € »); ateliers, the lowest app that shows
money (the sessions' logistics), keeps it for the later stages too."""

from decimal import Decimal

from django.utils import formats

CENTIME = Decimal("0.01")


def euros(montant: Decimal | int | None, *, centimes: bool = False) -> str:
    """« 100 000 € », or « 1 250,50 € » when there are cents (always with `centimes`)."""
    montant = Decimal(montant or 0).quantize(CENTIME)
    decimales = 2 if centimes or montant != montant.to_integral_value() else 0
    texte = formats.number_format(montant, decimales, use_l10n=True, force_grouping=True)
    return f"{texte}\u00a0€"
