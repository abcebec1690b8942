"""The CCTP of a marché: its draft created from the eligible note, saved part by part, frozen
in a numbered version when the consultation is published on PLACE, and again for each
rectificatif before the deadline."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateformat import format as formater

from ateliers.services import ActionImpossible, etat_verifier, journal_ecrire, transition_appliquer
from comptes.models import Organisation, Utilisateur
from comptes.selectors import courriels_membres
from comptes.services import courriel_ecrire_depuis_gabarit
from documents.services import document_demander
from marches.models import (
    PILOTER_MARCHE,
    CodeCctp,
    Consultation,
    Critere,
    MarcheSubsequent,
    PartieCctp,
    VersionCctp,
)
from marches.selectors.cctp import (
    PARIS,
    contenu_fige,
    contenus_initiaux,
    date_limite_lisible,
    parties_du_cctp,
)
from marches.services._commun import lien_vers, marche_verrouille

REDIGER_CCTP = "marches.rediger_cctp"


class ConflitCctp(Exception):
    """Someone saved this part since the user loaded it; `actuelle` is what is saved now."""

    def __init__(self, actuelle: PartieCctp) -> None:
        super().__init__("Cette partie du CCTP a été modifiée entre-temps.")
        self.actuelle = actuelle


def cctp_creer(*, marche: MarcheSubsequent) -> list[PartieCctp]:
    """The marché's CCTP draft, one row per part, copied from the eligible note with the
    programme's defaults; the parts that exist already are kept (a relaunched round amends
    the same draft)."""
    existantes = set(PartieCctp.objects.filter(marche=marche).values_list("slug", flat=True))
    initiaux = contenus_initiaux(marche)
    for slug, contenu in initiaux.items():
        if slug not in existantes:
            partie = PartieCctp(marche=marche, slug=slug, contenu=contenu)
            partie._history_user = marche.ouvert_par  # type: ignore[attr-defined]
            partie.save()
    return list(PartieCctp.objects.filter(marche=marche).order_by("pk"))


@transaction.atomic
def cctp_partie_enregistrer(
    *, partie: PartieCctp, valeurs: dict[str, Any], version_lue: int, par: Utilisateur
) -> PartieCctp:
    """Save a part of the CCTP as a draft (complete or not) if nobody saved it since
    `version_lue`; otherwise raise ConflitCctp and change nothing. Its history keeps who
    saved what and when."""
    marche = MarcheSubsequent.objects.select_related("atelier").get(pk=partie.marche_id)
    if not par.has_perm(REDIGER_CCTP, marche):
        raise PermissionDenied(
            "Le CCTP se rédige par le service pilote avec les porteurs tant que le marché est "
            "en préparation, puis par le service pilote seul pour un rectificatif."
        )
    actuelle = (
        PartieCctp.objects.select_for_update().filter(marche=marche, slug=partie.slug).first()
    )
    if actuelle is None:
        # Never saved (a marché older than its draft): its first draft is version 0.
        actuelle = PartieCctp(
            marche=marche, slug=partie.slug, contenu=contenus_initiaux(marche)[partie.slug]
        )
    if actuelle.version != version_lue:
        raise ConflitCctp(actuelle)
    actuelle.contenu = {**actuelle.contenu, **valeurs}
    actuelle.version += 1
    actuelle.modifie_le, actuelle.modifie_par = timezone.now(), par
    actuelle._history_user = par  # type: ignore[attr-defined]
    actuelle.save()
    return actuelle


def _grille(version: VersionCctp, lignes: list[dict[str, Any]]) -> None:
    """The version's Critere rows from the frozen grid: a sub-criterion belongs to the
    criterion above it."""
    parent = None
    for ordre, ligne in enumerate(lignes, start=1):
        sous = ligne.get("niveau") == "sous_critere"
        critere = Critere.objects.create(
            version=version,
            parent=parent if sous else None,
            libelle=ligne["libelle"],
            poids=ligne["poids"],
            est_prix=bool(ligne.get("est_prix")) and not sous,
            ordre=ordre,
        )
        if not sous:
            parent = critere


def _figer(
    *,
    marche: MarcheSubsequent,
    consultation: Consultation,
    parties: list[PartieCctp],
    par: Utilisateur,
    rectificatif: str = "",
) -> VersionCctp:
    """Freeze the parts in version n+1 of the marché's CCTP, with its grid, and ask for its
    PDF (rendered after commit)."""
    criteres = next(p for p in parties if p.slug == "criteres").contenu
    numero = (marche.versions_cctp.aggregate(n=Max("numero"))["n"] or 0) + 1
    version = VersionCctp.objects.create(
        marche=marche,
        consultation=consultation,
        numero=numero,
        contenu=contenu_fige(parties),
        rectificatif=rectificatif,
        formule_prix=criteres["formule_prix"],
        note_maximale=criteres["note_maximale"],
        publiee_par=par,
    )
    _grille(version, criteres["criteres"])
    version.document = document_demander(
        source=version,
        gabarit="pdf/cctp.html",
        contexte="marches.pdf.contexte_cctp",
        titre=f"CCTP {marche.reference} — version {numero}",
        version=numero,
        par=par,
    )
    version.save(update_fields=["document"])
    return version


def _refuser_si_incomplet(parties: list[PartieCctp]) -> None:
    incompletes = [p.partie.titre for p in parties if p.manquants()]
    if incompletes:
        raise ActionImpossible(
            "Le CCTP n'est pas complet : " + ", ".join(f"« {t} »" for t in incompletes) + "."
        )


def _verifier_dates(
    marche: MarcheSubsequent, publiee_le: datetime.date, date_limite: datetime.datetime
) -> None:
    aujourd_hui = timezone.localdate(timezone=PARIS)
    ouvert = timezone.localdate(marche.ouvert_le, timezone=PARIS)
    if publiee_le > aujourd_hui:
        raise ActionImpossible("La date de publication sur PLACE ne peut pas être à venir.")
    if publiee_le < ouvert:
        raise ActionImpossible(
            "La date de publication ne peut pas précéder l'ouverture du marché, le "
            f"{formater(ouvert, 'j F Y')}."
        )
    if date_limite <= timezone.now():
        raise ActionImpossible("La date limite de remise des offres est déjà passée.")
    if timezone.localdate(date_limite, timezone=PARIS) <= publiee_le:
        raise ActionImpossible("La date limite de remise des offres suit le jour de publication.")


def marche_publier(
    *,
    marche: MarcheSubsequent,
    par: Utilisateur,
    vu: str,
    reference_place: str,
    publiee_le: datetime.date,
    date_limite: datetime.datetime,
    consultes: Iterable[Organisation] | None = None,
) -> Consultation:
    """Record the consultation published on PLACE, if the marché is still in the state `vu`
    its pilot saw and its CCTP is complete: the next round, the titulaires consulted (all of the
    accord-cadre by default, nobody else), version n+1 of the CCTP frozen with its grid and its
    PDF asked for; each consulted groupement's members are e-mailed the deadline."""
    if not par.has_perm(PILOTER_MARCHE, marche):
        raise PermissionDenied("Seul le service pilote publie la consultation.")
    with transaction.atomic():
        marche = marche_verrouille(marche)
        etat_verifier(objet=marche, champ="statut", vu=vu)
        if marche.statut != MarcheSubsequent.Statut.EN_PREPARATION:
            raise ActionImpossible(
                f"Le marché est « {marche.get_statut_display()} » : la consultation se publie "
                "une fois le CCTP prêt, le marché en préparation."
            )
        parties = parties_du_cctp(marche)
        _refuser_si_incomplet(parties)
        _verifier_dates(marche, publiee_le, date_limite)
        titulaires = Organisation.objects.filter(titularites__accord_cadre=marche.accord_cadre)
        choisis = (
            list(titulaires)
            if consultes is None
            else list(titulaires.filter(pk__in=[o.pk for o in consultes]))
        )
        if consultes is not None and len(choisis) != len({o.pk for o in consultes}):
            raise ActionImpossible(
                "Seuls les titulaires de l'accord-cadre "
                f"{marche.accord_cadre.reference} peuvent être consultés."
            )
        if not choisis:
            raise ActionImpossible("La consultation s'adresse à au moins un titulaire.")
        reference_place = reference_place.strip()
        marche = transition_appliquer(
            objet=marche,
            transition="publier",
            par=par,
            vu=vu,
            commentaire=(
                f"Référence PLACE {reference_place}, remise des offres jusqu'au "
                f"{date_limite_lisible(date_limite)}."
            ),
        )
        consultation = Consultation.objects.create(
            marche=marche,
            numero=(marche.consultations.aggregate(n=Max("numero"))["n"] or 0) + 1,
            reference_place=reference_place,
            publiee_le=publiee_le,
            date_limite=date_limite,
            cree_par=par,
        )
        consultation.consultes.set(choisis)
        version = _figer(marche=marche, consultation=consultation, parties=parties, par=par)
        courriel_ecrire_depuis_gabarit(
            gabarit="consultation_publiee",
            contexte={
                "marche": marche,
                "atelier": marche.atelier,
                "consultation": consultation,
                "version": version,
                "date_limite": date_limite_lisible(date_limite),
                "lien": lien_vers("portail:accueil"),
            },
            destinataires=courriels_membres(choisis),
        )
    return consultation


def cctp_rectifier(
    *, marche: MarcheSubsequent, par: Utilisateur, vu: int, objet: str
) -> VersionCctp:
    """Publish the CCTP's corrected draft as version n+1 of the current consultation, before
    its deadline, if version `vu` is still the latest the pilot saw: frozen with its grid, its
    PDF asked for, one journal line, every consulted groupement e-mailed. The offers recorded
    afterwards answer this version."""
    if not par.has_perm(PILOTER_MARCHE, marche):
        raise PermissionDenied("Seul le service pilote publie un rectificatif du CCTP.")
    objet = objet.strip()
    if not objet:
        raise ActionImpossible("Dites l'objet du rectificatif : il est écrit aux groupements.")
    with transaction.atomic():
        marche = marche_verrouille(marche)
        consultation = marche.consultations.order_by("-numero").first()
        if marche.statut != MarcheSubsequent.Statut.EN_CONSULTATION or consultation is None:
            raise ActionImpossible(
                f"Le marché est « {marche.get_statut_display()} » : un rectificatif se publie "
                "pendant la consultation."
            )
        if consultation.date_limite <= timezone.now():
            raise ActionImpossible(
                "La date limite de remise des offres est passée : le CCTP ne se rectifie plus."
            )
        derniere = consultation.versions_cctp.order_by("-numero").first()
        if derniere is None or derniere.numero != vu:
            raise ActionImpossible(
                "Une autre version du CCTP a été publiée entre-temps. La page a été mise à jour."
            )
        parties = parties_du_cctp(marche)
        _refuser_si_incomplet(parties)
        if contenu_fige(parties) == derniere.contenu:
            raise ActionImpossible(
                f"Le CCTP n'a pas changé depuis la version {derniere.numero} : modifiez-le avant "
                "de publier un rectificatif."
            )
        version = _figer(
            marche=marche,
            consultation=consultation,
            parties=parties,
            par=par,
            rectificatif=objet,
        )
        journal_ecrire(
            code=CodeCctp.RECTIFIE,
            objet=version,
            atelier=marche.atelier,
            par=par,
            libelle=f"CCTP rectifié : version {version.numero}",
            commentaire=objet,
        )
        courriel_ecrire_depuis_gabarit(
            gabarit="cctp_rectifie",
            contexte={
                "marche": marche,
                "atelier": marche.atelier,
                "consultation": consultation,
                "version": version,
                "date_limite": date_limite_lisible(consultation.date_limite),
                "lien": lien_vers("portail:accueil"),
            },
            destinataires=courriels_membres(consultation.consultes.all()),
        )
    return version
