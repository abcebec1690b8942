"""Every write on ateliers and the journal; other apps drive their own transitions through
`transition_appliquer` so that each one is locked, checked, saved and journalled the same way."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from ateliers.models import PORTER, Atelier, Evenement
from ateliers.selectors import FICHE_GABARIT, organisation_au_titre_de, version_fiche
from comptes.models import Organisation, Role, Utilisateur
from comptes.services import SirenRefuse, collectivite_par_siren
from documents.services import document_demander
from territoires.models import EPCI, Departement


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
        titre=f"Fiche atelier {atelier.reference}",
        version=version_fiche(atelier),
        par=par,
    )


ACTIONS_PHASE = {
    t.name: t.custom for t in Atelier._meta.get_field("phase").get_all_transitions(Atelier)
}


@transaction.atomic
def atelier_reprendre_la_note(
    *,
    atelier: Atelier,
    intitule: str,
    departements: Sequence[str],
    epcis: Sequence[str],
    communes: str,
    collectivites: Sequence[tuple[str, str]],
    par: Utilisateur,
) -> Atelier:
    """The atelier takes what its deposited note says: its title, its territory (départements
    by code, EPCI by SIREN, communes) and its collectivités porteuses, each given as (SIREN,
    name) and found or created by `comptes.collectivite_par_siren`, so rights follow the note.
    One journal line says what changed; none when nothing did. Refused when `par`, acting for
    a collectivité porteuse, would leave it out and so lose the atelier."""
    if not par.has_perm(PORTER, atelier):
        raise PermissionDenied("Seuls les porteurs de l'atelier reportent leur note sur l'atelier.")
    atelier = Atelier.objects.select_for_update().get(pk=atelier.pk)
    au_titre_de = organisation_au_titre_de(par, atelier)
    actuelles = list(atelier.collectivites.all())
    nouvelles: dict[int, Organisation] = {}
    noms_par_siren: dict[str, str] = {}
    for siren, nom in collectivites:
        siren = "".join(siren.split())
        if siren in noms_par_siren:
            raise ActionImpossible(
                f"Le SIREN {siren} figure sur deux lignes des porteurs de la note "
                f"(« {noms_par_siren[siren]} » et « {nom} ») : corrigez-le dans la section 1 "
                "avant de déposer."
            )
        noms_par_siren[siren] = nom
        try:
            organisation = collectivite_par_siren(siren=siren, nom=nom, sans_siren=actuelles)
        except SirenRefuse as exc:
            raise ActionImpossible(
                f"{exc} Corrigez la ligne de « {nom} » dans les porteurs de la note "
                "(section 1) avant de déposer."
            ) from exc
        nouvelles[organisation.pk] = organisation
    if (
        au_titre_de is not None
        and au_titre_de.role == Role.COLLECTIVITE
        and au_titre_de.pk in {o.pk for o in actuelles}
        and au_titre_de.pk not in nouvelles
    ):
        raise ActionImpossible(
            f"« {au_titre_de} », au titre de laquelle vous déposez, ne figure plus parmi les "
            "collectivités porteuses de la note : vous n'auriez plus accès à l'atelier. "
            "Ajoutez-la dans les porteurs de la note (section 1), avec son SIREN"
            + (f" ({au_titre_de.siren})" if au_titre_de.siren else "")
            + ", ou laissez une autre collectivité porteuse ou le service pilote déposer."
        )
    intitule, communes = intitule.strip(), communes.strip()
    les_departements = list(Departement.objects.filter(code__in=departements))
    les_epcis = list(EPCI.objects.filter(siren__in=epcis))
    changements = []
    if intitule and intitule != atelier.intitule:
        changements.append(f"Intitulé : « {atelier.intitule} » → « {intitule} »")
        atelier.intitule = intitule
    changements += _ensemble_change(
        "Départements", atelier.departements.all(), les_departements, accords=("ajoutés", "retirés")
    )
    changements += _ensemble_change(
        "EPCI", atelier.epcis.all(), les_epcis, accords=("ajoutés", "retirés")
    )
    if communes != atelier.communes.strip():
        changements.append(f"Communes : {_cite(atelier.communes.strip())} → {_cite(communes)}")
        atelier.communes = communes
    changements += _ensemble_change(
        "Collectivités porteuses", actuelles, nouvelles.values(), accords=("ajoutées", "retirées")
    )
    if not changements:
        return atelier
    atelier.save(update_fields=["intitule", "communes", "modifie_le"])
    atelier.departements.set(les_departements)
    atelier.epcis.set(les_epcis)
    atelier.collectivites.set(nouvelles.values())
    journal_ecrire(
        objet=atelier,
        par=par,
        libelle="Atelier mis à jour d'après la note déposée",
        commentaire="\n".join(changements),
    )
    return atelier


def _cite(texte: str) -> str:
    return f"« {texte} »" if texte else "aucune"


def _ensemble_change(
    nom: str,
    avant: Iterable[models.Model],
    apres: Iterable[models.Model],
    *,
    accords: tuple[str, str],
) -> list[str]:
    """« <nom> ajoutés : a, b » and « <nom> retirés : c », for what is only after or before."""
    avant_par_pk = {o.pk: o for o in avant}
    apres_par_pk = {o.pk: o for o in apres}
    lignes = []
    for accord, de, sans in (
        (accords[0], apres_par_pk, avant_par_pk),
        (accords[1], avant_par_pk, apres_par_pk),
    ):
        noms = sorted(str(o) for pk, o in de.items() if pk not in sans)
        if noms:
            lignes.append(f"{nom} {accord} : {', '.join(noms)}")
    return lignes
