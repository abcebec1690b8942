"""Every write on ateliers and the journal; other apps drive their own transitions through
`transition_appliquer` so that each one is locked, checked, saved and journalled the same way."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from ateliers.models import Atelier, Evenement
from ateliers.selectors import FICHE_GABARIT, organisation_au_titre_de, version_fiche
from documents.services import document_demander


class ActionImpossible(Exception):
    """A refused action, with a message in French for the user who asked for it."""


def journal_ecrire(
    *,
    objet,
    libelle,
    par=None,
    atelier=None,
    transition="",
    etat_avant="",
    etat_apres="",
    etat_avant_libelle="",
    etat_apres_libelle="",
    commentaire="",
):
    """Append one line to the journal; call it inside the transaction that made the change."""
    if atelier is None and isinstance(objet, Atelier):
        atelier = objet
    return Evenement.objects.create(
        atelier=atelier,
        par=par,
        organisation=organisation_au_titre_de(par, atelier) if par is not None else None,
        objet=objet,
        objet_libelle=str(objet)[:255],
        libelle=libelle,
        transition=transition,
        etat_avant=etat_avant,
        etat_apres=etat_apres,
        etat_avant_libelle=etat_avant_libelle,
        etat_apres_libelle=etat_apres_libelle,
        commentaire=commentaire,
    )


def _libelle_etat(objet, champ):
    return dict(objet._meta.get_field(champ).flatchoices).get(getattr(objet, champ), "")


def etat_verifier(*, objet, champ, vu):
    """Refuse an action decided on a page that showed `objet` in another state than its locked
    row's: whoever acted in between may have changed what the action means."""
    if getattr(objet, champ) != vu:
        raise ActionImpossible(
            f"Cette action n'est plus possible : « {objet} » est maintenant à l'étape "
            f"« {_libelle_etat(objet, champ)} ». La page a été mise à jour."
        )


@transaction.atomic
def transition_appliquer(*, objet, transition, par, vu, atelier=None, commentaire="", **kwargs):
    """Fire `transition` on a freshly locked copy of `objet`, save it and journal it at once.

    `vu` is the state the user saw when they chose the action; None only for a transition that
    a service chains after one the user chose. Raises ActionImpossible if the state changed
    since or no longer allows it (someone acted first) and PermissionDenied if `par` may not
    fire it; in both cases nothing is written.
    """
    objet = type(objet)._default_manager.select_for_update().get(pk=objet.pk)
    methode = getattr(objet, transition, None)
    meta = getattr(methode, "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{transition!r} n'est pas une transition de {type(objet).__name__}")
    champ = meta.field if isinstance(meta.field, str) else meta.field.name
    etat_avant, etat_avant_libelle = getattr(objet, champ), _libelle_etat(objet, champ)
    if vu is not None:
        etat_verifier(objet=objet, champ=champ, vu=vu)
    if not can_proceed(methode):
        raise ActionImpossible(
            f"Cette action n'est plus possible : « {objet} » est maintenant à l'étape "
            f"« {etat_avant_libelle} ». La page a été mise à jour."
        )
    if par is not None and not has_transition_perm(methode, par):
        raise PermissionDenied("Vous n'avez pas le droit de faire cette action.")
    custom = meta.get_transition(etat_avant).custom
    if custom.get("motif"):
        # A transition that ends something is always explained, and its reason journalled.
        kwargs["motif"] = (kwargs.get("motif") or "").strip()
        if not kwargs["motif"]:
            raise ActionImpossible(
                "Indiquez le motif : il sera conservé dans le journal et communiqué aux porteurs."
            )
        commentaire = commentaire or kwargs["motif"]
    methode(**kwargs)
    try:
        objet.save()
    except ConcurrentTransition as exc:
        raise ActionImpossible(
            f"« {objet} » vient d'être modifié par une autre personne : votre action n'a pas "
            "été enregistrée. Vérifiez son étape actuelle avant de recommencer."
        ) from exc
    journal_ecrire(
        objet=objet,
        atelier=atelier,
        par=par,
        libelle=custom.get("journal", transition),
        transition=transition,
        etat_avant=etat_avant,
        etat_apres=getattr(objet, champ),
        etat_avant_libelle=etat_avant_libelle,
        etat_apres_libelle=_libelle_etat(objet, champ),
        commentaire=commentaire,
    )
    return objet


@transaction.atomic
def atelier_creer(
    *,
    intitule,
    departements,
    par,
    collectivites=(),
    service_pilote=None,
    operateur=None,
    epcis=(),
    communes="",
):
    """Open a pré-candidature: the atelier exists from now on, in its first phase."""
    atelier = Atelier.objects.create(
        intitule=intitule,
        service_pilote=service_pilote,
        operateur=operateur,
        communes=communes,
        cree_par=par,
    )
    atelier.departements.set(departements)
    atelier.epcis.set(epcis)
    atelier.collectivites.set(collectivites)
    journal_ecrire(
        objet=atelier,
        par=par,
        libelle="Pré-candidature ouverte",
        etat_apres=atelier.phase,
        etat_apres_libelle=atelier.get_phase_display(),
    )
    return atelier


def atelier_changer_phase(*, atelier, transition, par, vu, motif="", **kwargs):
    """Move the atelier to its next phase (or out of the programme, with a reason), if it is
    still in the phase `vu` its user saw."""
    if transition not in ACTIONS_PHASE:
        raise ValueError(f"{transition!r} n'est pas une action sur la phase d'un atelier")
    if ACTIONS_PHASE[transition].get("motif"):
        kwargs["motif"] = motif
    return transition_appliquer(
        objet=atelier, transition=transition, par=par, vu=vu, commentaire=motif.strip(), **kwargs
    )


def atelier_demander_fiche(*, atelier, par):
    """Ask for the PDF summary of the atelier as it stands now; rendered once per version."""
    return document_demander(
        source=atelier,
        gabarit=FICHE_GABARIT,
        contexte="ateliers.pdf.contexte_fiche",
        titre=f"Fiche atelier {atelier.reference}",
        version=version_fiche(atelier),
        par=par,
    )


ACTIONS_PHASE = {
    t.name: t.custom for t in Atelier._meta.get_field("phase").get_all_transitions(Atelier)
}
