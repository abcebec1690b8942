"""The rows of the feuille de route's plan, written in Python: a plan of 150 actions drew
about 1 600 template nodes per page (ten cells, the financing lines, the editor's buttons of
each row), two thirds of the page's time. The cells are escaped with the standard library's
`html.escape` (what Django's `escape` calls) and joined with f-strings: `format_html`'s lazy
checks cost more than the page's SQL."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from ateliers.formats import euros
from comptes.dates import date_longue
from livrables.models import Action, Horizon, Priorite, SourceFinancement, StatutAction

register = template.Library()

TIRET = "—"
PRIORITES = dict(Priorite.choices)
HORIZONS = dict(Horizon.choices)
SOURCES = dict(SourceFinancement.choices)
STATUTS = dict(StatutAction.choices)


def _e(valeur: object) -> str:
    return escape(str(valeur))


def _csrf(context: template.Context) -> str:
    """What `{% csrf_token %}` writes."""
    jeton = context.get("csrf_token")
    if not jeton or jeton == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(jeton)}">'


def _boutons(csrf: str, element, nom: str, premier: bool, dernier: bool) -> str:
    liens = element.liens
    nom = _e(nom)
    items = [
        f'<li><a class="fr-btn fr-btn--tertiary fr-btn--sm" href="{_e(liens["modifier"])}">'
        f'Modifier<span class="fr-sr-only"> « {nom} »</span></a></li>'
    ]
    for sens, libelle, montre in (
        ("monter", "Monter", not premier),
        ("descendre", "Descendre", not dernier),
    ):
        if montre:
            items.append(
                f'<li><form method="post" action="{_e(liens["deplacer"])}">{csrf}'
                f'<input type="hidden" name="sens" value="{sens}"><button type="submit" '
                f'class="fr-btn fr-btn--tertiary fr-btn--sm">{libelle}'
                f'<span class="fr-sr-only"> « {nom} »</span></button></form></li>'
            )
    items.append(
        f'<li><a class="fr-btn fr-btn--tertiary fr-btn--sm" href="{_e(liens["retirer"])}">'
        f'Retirer<span class="fr-sr-only"> « {nom} »</span></a></li>'
    )
    return (
        '<ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">'
        + "".join(items)
        + "</ul>"
    )


@register.simple_tag(takes_context=True)
def boutons_feuille(context, element, nom, premier, dernier) -> SafeString:
    """The editor's buttons of one objectif, axe or action: modifier, monter (not the first),
    descendre (not the last), retirer; its links come with it
    (`views.feuille_route._attacher_les_liens`)."""
    return mark_safe(_boutons(_csrf(context), element, nom, premier, dernier))


def _calendrier(action: Action) -> str:
    if action.debut or action.fin:
        debut = f"du {date_longue(action.debut)}" if action.debut else ""
        fin = f" au {date_longue(action.fin)}" if action.fin else ""
        return debut + fin
    return HORIZONS.get(action.horizon, action.horizon) if action.horizon else TIRET


@register.simple_tag(takes_context=True)
def ligne_action(context, action, modifiable, premier, dernier) -> SafeString:
    """One row of `livrables/feuille_plan.html`: number, title (its status unless « à
    engager »), theme, priority, porteur, calendar, estimated cost, financing lines, what
    remains to finance (`reste`, set by the view) and, for the editor, its buttons. Everything
    is read from what `actions_de` loaded."""
    statut = (
        f'<br><span class="fr-text--sm">{_e(STATUTS.get(action.statut, action.statut))}</span>'
        if action.statut != StatutAction.A_ENGAGER
        else ""
    )
    financements = "<br>".join(
        f"{_e(SOURCES.get(f.source, f.source))}"
        f"{f' ({_e(f.precision)})' if f.precision else ''} : {_e(euros(f.montant))}"
        for f in action.financements.all()
    )
    boutons = (
        f"<td>{_boutons(_csrf(context), action, action.titre, premier, dernier)}</td>"
        if modifiable
        else ""
    )
    cout = TIRET if action.cout_estime is None else euros(action.cout_estime)
    reste = TIRET if action.reste is None else euros(action.reste)
    return mark_safe(
        f'<tr id="action-{action.pk}"><td>{_e(action.reference)}</td>'
        f'<th scope="row">{_e(action.titre)}{statut}</th>'
        f"<td>{_e(action.thematique or TIRET)}</td>"
        f"<td>{_e(PRIORITES.get(action.priorite, action.priorite))}</td>"
        f"<td>{_e(action.porteur_libelle or TIRET)}</td>"
        f"<td>{_e(_calendrier(action))}</td><td>{_e(cout)}</td>"
        f"<td>{financements or TIRET}</td><td>{_e(reste)}</td>{boutons}</tr>"
    )
