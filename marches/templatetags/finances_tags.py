from django import template
from django.utils.html import format_html

from marches.models import Tranche
from marches.models.finances import euros as _euros
from marches.models.finances import pourcent as _pourcent

register = template.Library()

# One colour per family (ux.md): to come (new), to pay (info), paid (success).
_FAMILLES = {
    Tranche.Statut.PREVUE: "new",
    Tranche.Statut.EXIGIBLE: "info",
    Tranche.Statut.PAYEE: "success",
}


@register.filter
def euros(montant):
    """« 100 000 € », « 1 250,50 € »."""
    return _euros(montant)


@register.filter
def pourcent(valeur):
    """« 20 % », « 12,5 % »."""
    return _pourcent(valeur)


@register.simple_tag
def badge_tranche(tranche):
    return format_html(
        '<p class="fr-badge fr-badge--sm fr-badge--{}">{}</p>',
        _FAMILLES.get(tranche.statut, "new"),
        tranche.get_statut_display(),
    )
