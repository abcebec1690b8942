"""The analysis of the offers: each panel member's marks, the collegial marks that count, the
rapport d'analyse des offres and its signatures by the panel."""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ateliers.selectors import organisation_au_titre_de
from ateliers.services import ActionImpossible, etat_verifier, journal_ecrire
from comptes.models import Organisation, Utilisateur
from documents.services import document_demander
from marches.models import (
    CodeAnalyse,
    Consultation,
    Critere,
    MarcheSubsequent,
    NoteOffre,
    Offre,
    RapportAnalyse,
    SignatureRapport,
)
from marches.selectors.analyse import analyse_de, membres_du_jury, rapport_actuel
from marches.services._commun import marche_verrouille

RAPPORT_GABARIT = "pdf/rapport_analyse.html"
RAPPORT_CONTEXTE = "marches.pdf.contexte_rapport_analyse"


def criteres_notes(offre: Offre) -> list[Critere]:
    """The leaves of the grid of the version the offer answered that are marked (not the
    price), in the grid's order."""
    criteres = list(Critere.objects.filter(version=offre.version_cctp_id).order_by("ordre", "pk"))
    parents = {c.parent_id for c in criteres}
    return [c for c in criteres if c.pk not in parents and not c.est_prix]


@transaction.atomic
def offre_noter(
    *,
    offre: Offre,
    par: Utilisateur,
    vu: str,
    notes: Mapping[int, tuple[Decimal | None, str]],
    collegiale: bool = False,
) -> list[NoteOffre]:
    """Record marks of one offer, by criterion id: a panel member's own (or DGALN's, to help),
    or, with `collegiale`, the panel's collegial marks that the pilot enters and that count;
    each with its justification, on the scale of the CCTP version the offer answered, while
    the marché is still in the state `vu` its user saw (« en analyse »). A changed mark keeps
    its earlier value in its history. One journal line when something changed; a criterion
    left without a mark is left as it was."""
    permission = "marches.noter_collegialement" if collegiale else "marches.noter_offre"
    # The rights depend on the marché's state: read on its locked row, not on a stale copy.
    marche = marche_verrouille(offre.marche)
    if not par.has_perm(permission, marche):
        raise PermissionDenied(
            "Seul le service pilote enregistre les notes collégiales."
            if collegiale
            else "Seuls les membres du jury et la DGALN notent les offres, pendant l'analyse."
        )
    etat_verifier(objet=marche, champ="statut", vu=vu)
    offre = Offre.objects.select_related("version_cctp", "groupement").get(pk=offre.pk)
    if offre.exclue:
        raise ActionImpossible(
            f"L'offre de {offre.groupement} est écartée ({offre.get_statut_display().lower()}) :"
            " elle n'est pas notée."
        )
    criteres = {c.pk: c for c in criteres_notes(offre)}
    inconnus = set(notes) - set(criteres)
    if inconnus:
        raise ValueError(f"Critères hors de la grille de cette offre : {sorted(inconnus)}")
    maximum = Decimal(offre.version_cctp.note_maximale)
    saisies: dict[int, tuple[Decimal, str]] = {}
    for critere_id, (valeur, justification) in notes.items():
        justification = justification.strip()
        if valeur is None:
            continue
        libelle = criteres[critere_id].libelle
        if not 0 <= valeur <= maximum:
            raise ActionImpossible(f"« {libelle} » : la note est comprise entre 0 et {maximum}.")
        if not justification:
            raise ActionImpossible(f"« {libelle} » : justifiez la note.")
        saisies[critere_id] = (valeur, justification)
    existantes = NoteOffre.objects.select_for_update().filter(
        offre=offre, collegiale=collegiale, critere__in=list(saisies)
    )
    if not collegiale:
        existantes = existantes.filter(auteur=par)
    par_critere = {n.critere_id: n for n in existantes}
    organisation = organisation_au_titre_de(par, marche.atelier)
    ecrites = []
    for critere_id, (valeur, justification) in saisies.items():
        note = par_critere.get(critere_id)
        if note is not None and (note.valeur, note.justification) == (valeur, justification):
            continue
        if note is None:
            note = NoteOffre(offre=offre, critere_id=critere_id, collegiale=collegiale)
        note.valeur, note.justification = valeur, justification
        note.auteur, note.organisation, note.modifiee_le = par, organisation, timezone.now()
        note.save()
        ecrites.append(note)
    if ecrites:
        journal_ecrire(
            code=CodeAnalyse.NOTES_COLLEGIALES if collegiale else CodeAnalyse.NOTES_SAISIES,
            objet=offre,
            atelier=marche.atelier,
            par=par,
            libelle=(
                "Notes collégiales enregistrées" if collegiale else "Notes d'un membre enregistrées"
            )
            + f" ({len(ecrites)} critère{'s' if len(ecrites) > 1 else ''})",
        )
    return ecrites


@transaction.atomic
def rapport_produire(*, consultation: Consultation, par: Utilisateur, vu: str) -> RapportAnalyse:
    """Print a new edition of the round's rapport d'analyse des offres from the collegial marks
    as they stand, once every classable offer has all of them, while the marché is still in the
    state `vu` its pilot saw; its PDF is rendered after commit and the panel signs it."""
    marche = marche_verrouille(consultation.marche)
    if not par.has_perm("marches.produire_rapport", marche):
        raise PermissionDenied("Seul le service pilote produit le rapport d'analyse des offres.")
    etat_verifier(objet=marche, champ="statut", vu=vu)
    analyse = analyse_de(consultation)
    if not analyse.classables:
        raise ActionImpossible(
            "Aucune offre n'est classable : il n'y a rien à analyser. Déclarez la consultation "
            "infructueuse si aucune offre n'est acceptable."
        )
    if not analyse.complete:
        manquantes = sum(ligne.notes_manquantes for ligne in analyse.classables)
        raise ActionImpossible(
            f"Il manque {manquantes} note{'s' if manquantes > 1 else ''} collégiale"
            f"{'s' if manquantes > 1 else ''} : le rapport se produit une fois toutes les "
            "offres classables notées."
        )
    precedent = rapport_actuel(consultation)
    if precedent is not None and precedent.empreinte == analyse.empreinte:
        raise ActionImpossible(
            f"Le rapport n° {precedent.numero} reflète déjà les notes et les offres actuelles."
        )
    rapport = RapportAnalyse.objects.create(
        consultation=consultation,
        numero=(precedent.numero + 1) if precedent else 1,
        empreinte=analyse.empreinte,
        produit_par=par,
    )
    rapport.document = document_demander(
        source=rapport,
        gabarit=RAPPORT_GABARIT,
        contexte=RAPPORT_CONTEXTE,
        titre=f"Rapport d'analyse des offres — {marche.reference} — n° {rapport.numero}",
        version=rapport.numero,
        par=par,
    )
    rapport.save(update_fields=["document"])
    journal_ecrire(
        code=CodeAnalyse.RAPPORT_PRODUIT,
        objet=rapport,
        atelier=marche.atelier,
        par=par,
        libelle=f"Rapport d'analyse des offres n° {rapport.numero} produit",
    )
    return rapport


def rapport_a_jour(rapport: RapportAnalyse | None, consultation: Consultation) -> bool:
    """This edition prints the collegial marks and the offers as they stand now."""
    return rapport is not None and rapport.empreinte == analyse_de(consultation).empreinte


def organisation_du_jury(par: Utilisateur, marche: MarcheSubsequent) -> Organisation | None:
    """The panel member (pilot's service, opérateur, collectivité porteuse) this user sits for."""
    membres = {o.pk for o in membres_du_jury(marche.atelier)}
    organisation = organisation_au_titre_de(par, marche.atelier)
    return organisation if organisation is not None and organisation.pk in membres else None


@transaction.atomic
def rapport_signer(*, rapport: RapportAnalyse, par: Utilisateur) -> SignatureRapport:
    """A panel member signs the latest edition of the rapport, once for their organisation,
    if the marks have not changed since it was printed."""
    marche = marche_verrouille(rapport.consultation.marche)
    if not par.has_perm("marches.signer_rapport", marche):
        raise PermissionDenied("Seuls les membres du jury signent le rapport d'analyse.")
    rapport = RapportAnalyse.objects.select_related("consultation").get(pk=rapport.pk)
    dernier = rapport_actuel(rapport.consultation)
    if (
        dernier is None
        or dernier.pk != rapport.pk
        or not rapport_a_jour(rapport, rapport.consultation)
    ):
        raise ActionImpossible(
            "Ce rapport n'est plus à jour : les notes ou les offres ont changé depuis. Le service "
            "pilote en produit une nouvelle édition, que vous signerez."
        )
    organisation = organisation_du_jury(par, marche)
    if organisation is None:
        raise PermissionDenied("Seuls les membres du jury signent le rapport d'analyse.")
    if rapport.signatures.filter(organisation=organisation).exists():
        raise ActionImpossible(f"{organisation} a déjà signé ce rapport.")
    signature = SignatureRapport.objects.create(
        rapport=rapport, utilisateur=par, organisation=organisation
    )
    journal_ecrire(
        code=CodeAnalyse.RAPPORT_SIGNE,
        objet=rapport,
        atelier=marche.atelier,
        par=par,
        libelle=f"Rapport d'analyse des offres n° {rapport.numero} signé",
    )
    return signature
