"""Every write on ateliers and the journal; other apps drive their own transitions through
`transition_appliquer` so that each one is locked, checked, saved and journalled the same way."""

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Field, Model
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from ateliers.models import PHASES_ACCOMPAGNEMENT, PORTER, Atelier, CodeAtelier, Evenement
from ateliers.selectors import FICHE_GABARIT, organisation_au_titre_de, version_fiche
from comptes.models import Organisation, Role, Utilisateur
from comptes.services import SirenRefuse, collectivite_par_siren
from documents.models import Document
from documents.services import document_demander
from territoires.models import EPCI, Departement


class ActionImpossible(Exception):
    """A refused action, with a message in French for the user who asked for it."""


def accompagnement_verifier(atelier: Atelier, ce_qui: str) -> None:
    """Refuse a write on an accompagnement that is over: a closed atelier is read-only from
    its clôture on, an abandoned one stopped. `ce_qui` ends the sentence (« ses sessions ne
    changent plus »)."""
    if atelier.phase not in PHASES_ACCOMPAGNEMENT:
        raise ActionImpossible(
            f"L'atelier est à l'étape « {atelier.get_phase_display()} » : {ce_qui}."
        )


def journal_ecrire(
    *,
    code: str,
    objet: Model,
    libelle: str,
    par: Utilisateur | None = None,
    atelier: Atelier | None = None,
    transition: str = "",
    etat_avant: str = "",
    etat_apres: str = "",
    etat_avant_libelle: str = "",
    etat_apres_libelle: str = "",
    phase_avant: str = "",
    phase_apres: str = "",
    commentaire: str = "",
) -> Evenement:
    """Append one line to the journal, with its stable `code`; call it inside the transaction
    that made the change."""
    if not code:
        raise ValueError("Chaque ligne du journal a son code.")
    if atelier is None and isinstance(objet, Atelier):
        atelier = objet
    return Evenement.objects.create(
        code=code,
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
        phase_avant=phase_avant,
        phase_apres=phase_apres,
        commentaire=commentaire,
    )


def valeurs_appliquer(*, objet: Model, valeurs: dict, champs: Iterable[str]) -> list[str]:
    """Set on `objet` those of `champs` whose value in `valeurs` differs and return their
    names: an edit that changes nothing journals nothing."""
    changes = [c for c in champs if c in valeurs and getattr(objet, c) != valeurs[c]]
    for champ in changes:
        setattr(objet, champ, valeurs[champ])
    return changes


def noms_des_champs(objet: Model, champs: Iterable[str]) -> list[str]:
    """The fields' names as a user reads them, for the journal's « Modifié : … »."""
    return [str(cast(Field, objet._meta.get_field(c)).verbose_name) for c in champs]


def _libelle(objet: Model, champ: str, valeur: str) -> str:
    choix = getattr(objet._meta.get_field(champ), "flatchoices", ())
    return str(dict(choix).get(valeur, ""))


def _libelle_etat(objet: Model, champ: str) -> str:
    return _libelle(objet, champ, getattr(objet, champ))


def etat_verifier(*, objet: Model, champ: str, vu: str) -> None:
    """Refuse an action decided on a page that showed `objet` in another state than its locked
    row's: whoever acted in between may have changed what the action means."""
    if getattr(objet, champ) != vu:
        raise ActionImpossible(
            f"Cette action n'est plus possible : « {objet} » est maintenant à l'étape "
            f"« {_libelle_etat(objet, champ)} ». La page a été mise à jour."
        )


def etape_de(atelier: Atelier, transition: str) -> str | None:
    """The stage that owns this phase change from the atelier's current phase: the label of
    its model (« candidatures.Candidature »), "" when ateliers itself owns it, None when the
    atelier has no such change from its phase."""
    meta = getattr(getattr(atelier, transition, None), "_django_fsm", None)
    depuis = meta.get_transition(atelier.phase) if meta is not None else None
    return None if depuis is None else depuis.custom.get("etape", "")


def _champ(meta: Any) -> str:
    return meta.field if isinstance(meta.field, str) else meta.field.name


def _tirer(objet: Model, transition: str, par: Utilisateur | None, kwargs: dict) -> tuple:
    """Check and fire one transition on a locked row; nothing saved yet."""
    methode = getattr(objet, transition, None)
    meta = getattr(methode, "_django_fsm", None)
    if methode is None or meta is None:
        raise ValueError(f"{transition!r} n'est pas une transition de {type(objet).__name__}")
    champ = _champ(meta)
    etat_avant = getattr(objet, champ)
    if not can_proceed(methode):
        raise ActionImpossible(
            f"Cette action n'est plus possible : « {objet} » est maintenant à l'étape "
            f"« {_libelle_etat(objet, champ)} ». La page a été mise à jour."
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
    methode(**kwargs)
    return champ, etat_avant, custom


def _sauver(objet: Model) -> None:
    try:
        objet.save()
    except ConcurrentTransition as exc:
        raise ActionImpossible(
            f"« {objet} » vient d'être modifié par une autre personne : votre action n'a pas "
            "été enregistrée. Vérifiez son étape actuelle avant de recommencer."
        ) from exc


M = TypeVar("M", bound=Model)


@transaction.atomic
def transition_appliquer(
    *,
    objet: M,
    transition: str,
    par: Utilisateur | None,
    vu: str | None,
    phase: str = "",
    phase_vu: str | None = None,
    phase_kwargs: dict | None = None,
    commentaire: str = "",
    **kwargs: Any,
) -> M:
    """Fire `transition` on a freshly locked copy of `objet`, save it and journal it at once;
    with `phase`, the atelier of a stage's object takes that phase change in the same step.

    A phase change that belongs to a stage (custom « etape » of the atelier's transition: the
    label of that stage's model) is refused unless it follows a transition of an object of
    that model: each step of the lifecycle has one owner, and the two states cannot drift. One
    line of the journal names both. `vu` is the state the user saw when they chose the action
    (`phase_vu`, the atelier's phase, when they chose it on the atelier's page); None only for
    a transition that a service chains after one the user chose. The stage's row is locked
    before the atelier's, always in that order. Raises
    ActionImpossible if the state changed since or no longer allows it (someone acted first)
    and PermissionDenied if `par` may not fire it; in both cases nothing is written.
    """
    objet = type(objet)._default_manager.select_for_update().get(pk=objet.pk)
    meta = getattr(getattr(objet, transition, None), "_django_fsm", None)
    if meta is not None and vu is not None:
        etat_verifier(objet=objet, champ=_champ(meta), vu=vu)
    if isinstance(objet, Atelier) and etape_de(objet, transition):
        raise ActionImpossible(
            "Cette étape de l'atelier appartient à une autre étape du programme (la candidature, "
            "le marché…) : elle se fait depuis celle-ci et n'a pas été enregistrée."
        )
    champ, etat_avant, custom = _tirer(objet, transition, par, kwargs)
    etat_avant_libelle = _libelle(objet, champ, etat_avant)
    atelier: Atelier | None = (
        objet if isinstance(objet, Atelier) else getattr(objet, "atelier", None)
    )
    phase_avant = phase_apres = ""
    if phase:
        if atelier is None:
            raise ValueError(f"{objet._meta.label} n'a pas d'atelier dont suivre la phase.")
        atelier = Atelier.objects.select_for_update().get(pk=atelier.pk)
        if phase_vu is not None:
            etat_verifier(objet=atelier, champ="phase", vu=phase_vu)
        etape = etape_de(atelier, phase)
        if etape is None:
            raise ActionImpossible(
                f"Cette action n'est plus possible : l'atelier est maintenant à l'étape "
                f"« {atelier.get_phase_display()} ». La page a été mise à jour."
            )
        if etape != objet._meta.label:
            raise ValueError(
                f"{phase!r} n'est pas une étape de l'atelier que {objet._meta.label} conduit."
            )
        phase_avant = atelier.phase
        suite = dict(phase_kwargs or {})
        if getattr(atelier, phase)._django_fsm.get_transition(phase_avant).custom.get("motif"):
            # An exit of the atelier keeps the reason given for its stage's object.
            suite.setdefault("motif", kwargs.get("motif", ""))
        _tirer(atelier, phase, par, suite)
        _sauver(atelier)
        phase_apres = atelier.phase
        objet.atelier = atelier  # type: ignore[attr-defined]
    _sauver(objet)
    journal_ecrire(
        code=custom.get("code", ""),
        objet=objet,
        atelier=atelier,
        par=par,
        libelle=custom.get("journal", transition),
        transition=transition,
        etat_avant=etat_avant,
        etat_apres=getattr(objet, champ),
        etat_avant_libelle=etat_avant_libelle,
        etat_apres_libelle=_libelle_etat(objet, champ),
        phase_avant=phase_avant,
        phase_apres=phase_apres,
        commentaire=commentaire or kwargs.get("motif", ""),
    )
    return objet


@transaction.atomic
def atelier_creer(
    *,
    intitule: str,
    departements: Iterable[Departement],
    par: Utilisateur,
    collectivites: Iterable[Organisation] = (),
    service_pilote: Organisation | None = None,
    operateur: Organisation | None = None,
    epcis: Iterable[EPCI] = (),
    communes: str = "",
) -> Atelier:
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
        code=CodeAtelier.OUVERT,
        objet=atelier,
        par=par,
        libelle="Pré-candidature ouverte",
        etat_apres=atelier.phase,
        etat_apres_libelle=atelier.get_phase_display(),
    )
    return atelier


def atelier_changer_phase(
    *, atelier: Atelier, transition: str, par: Utilisateur, vu: str, motif: str = "", **kwargs: Any
) -> Atelier:
    """Move the atelier to its next phase (or out of the programme, with a reason), if it is
    still in the phase `vu` its user saw; a step that a stage owns is refused here."""
    if transition not in ACTIONS_PHASE:
        raise ValueError(f"{transition!r} n'est pas une action sur la phase d'un atelier")
    if ACTIONS_PHASE[transition].get("motif"):
        kwargs["motif"] = motif
    return transition_appliquer(
        objet=atelier, transition=transition, par=par, vu=vu, commentaire=motif.strip(), **kwargs
    )


def atelier_demander_fiche(*, atelier: Atelier, par: Utilisateur) -> Document:
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
) -> list[str]:
    """The atelier takes what its deposited note says: its title, its territory (départements
    by code, EPCI by SIREN, communes) and its collectivités porteuses, each given as (SIREN,
    name) and found or created by `comptes.collectivite_par_siren`, so rights follow the note.
    Returns what changed, one sentence each (none when nothing did), for the journal line of
    the action that calls it: the dépôt writes one line, which says this too. Refused when
    `par`, acting for a collectivité porteuse, would leave it out and so lose the atelier."""
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
    if changements:
        atelier.save(update_fields=["intitule", "communes", "modifie_le"])
        atelier.departements.set(les_departements)
        atelier.epcis.set(les_epcis)
        atelier.collectivites.set(nouvelles.values())
    return changements


def _cite(texte: str) -> str:
    return f"« {texte} »" if texte else "aucune"


def _ensemble_change(
    nom: str,
    avant: Iterable[Model],
    apres: Iterable[Model],
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
