"""What the groupement titulaire writes in the portal before a dépôt: the note de cadrage
(méthodologie, calendar, team), the carnet de suivi assembled from the sessions and the
inter-ateliers, the rapport final. Each save writes one line of the journal; a livrable is
written while it is expected or its corrections are asked, never once deposited or validated."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ateliers.services import ActionImpossible, journal_ecrire
from comptes.models import Utilisateur
from livrables.models import DEPOSER, CodeLivrable, Livrable, PartieRedigee
from livrables.selectors.redaction import (
    CALENDRIER,
    CARNET,
    EQUIPE,
    NOTE,
    RAPPORT,
    calendrier_de,
    equipe_de,
    parties_de,
    sources_du_carnet,
)
from livrables.services.droits import exiger
from livrables.services.revue import livrable_ouvrir

# The states in which the groupement writes: before its first dépôt, and after the pilot asked
# for corrections.
ECRITS_DANS = (Livrable.Statut.ATTENDU, Livrable.Statut.CORRECTIONS_DEMANDEES)


@dataclass(frozen=True)
class MembreSaisi:
    """What the groupement says of one of its firms in the note de cadrage."""

    mobilise: bool
    role: str = ""


def _ouvrir(livrable: Livrable, par: Utilisateur, vu: str, type: str) -> Livrable:
    """The livrable's row, locked, once `par` may write it in the state it saw."""
    if livrable.type != type:
        raise ValueError(f"Ce service rédige le livrable « {type} », pas « {livrable.type} ».")
    exiger(par, DEPOSER, livrable, "Seul le groupement titulaire rédige les livrables.")
    atelier = livrable.atelier
    livrable = livrable_ouvrir(atelier=atelier, type=type)
    livrable = Livrable.objects.select_for_update().get(pk=livrable.pk)
    livrable.atelier = atelier
    if livrable.statut not in ECRITS_DANS:
        raise ActionImpossible(
            f"Ce livrable est « {livrable.get_statut_display()} » : il ne se réécrit que si le "
            "service pilote demande des corrections."
        )
    if livrable.statut != vu:
        raise ActionImpossible(
            f"Ce livrable est maintenant « {livrable.get_statut_display()} » : rechargez la page."
        )
    return livrable


def _journaliser(
    livrable: Livrable, par: Utilisateur, titres: list[str], quoi: str = "rédaction enregistrée"
) -> None:
    journal_ecrire(
        code=CodeLivrable.REDACTION_MODIFIEE,
        objet=livrable,
        atelier=livrable.atelier,
        par=par,
        libelle=f"{livrable.get_type_display()} : {quoi}",
        commentaire=", ".join(titres),
    )


def _textes_enregistrer(
    livrable: Livrable,
    par: Utilisateur,
    textes: dict[str, str],
    donnees: dict[str, dict] | None = None,
    ordre: list[str] | None = None,
) -> list[PartieRedigee]:
    """Write the parts whose text, data or rank changed (the note's and the rapport's are
    created at their first save) and journal them in one line; return those changed."""
    donnees = donnees or {}
    rangs = {cle: rang for rang, cle in enumerate(ordre)} if ordre is not None else {}
    maintenant = timezone.now()
    changees: list[PartieRedigee] = []
    for partie in parties_de(livrable):
        texte = textes.get(partie.cle, partie.texte).strip()
        valeurs = {
            "texte": texte,
            "donnees": donnees.get(partie.cle, partie.donnees),
            "ordre": rangs.get(partie.cle, partie.ordre),
        }
        if partie.pk and all(getattr(partie, k) == v for k, v in valeurs.items()):
            continue
        for nom, valeur in valeurs.items():
            setattr(partie, nom, valeur)
        partie.modifie_le, partie.modifie_par = maintenant, par
        partie.save()
        changees.append(partie)
    if changees:
        _journaliser(livrable, par, [p.titre for p in changees])
    return changees


@transaction.atomic
def note_cadrage_enregistrer(
    *,
    livrable: Livrable,
    par: Utilisateur,
    vu: str,
    textes: dict[str, str],
    commentaires: dict[str, str] | None = None,
    equipe: dict[int, MembreSaisi] | None = None,
) -> list[PartieRedigee]:
    """Save the note de cadrage: its méthodologie, its comments on the atelier's calendar (each
    planned step) and the firms of the groupement it mobilises, with their role; one line of
    the journal when something changed."""
    livrable = _ouvrir(livrable, par, vu, NOTE)
    atelier = livrable.atelier
    donnees: dict[str, dict] = {}
    if commentaires is not None:
        natures = {e.nature for e in calendrier_de(atelier, None)}
        donnees[CALENDRIER] = {
            "commentaires": {
                nature: texte.strip()
                for nature, texte in commentaires.items()
                if nature in natures and texte.strip()
            }
        }
    if equipe is not None:
        membres = {m.membre_id for m in equipe_de(atelier, None)}
        inconnus = set(equipe) - membres
        if inconnus:
            raise ActionImpossible("Ce membre n'appartient pas au groupement titulaire.")
        donnees[EQUIPE] = {
            "membres": {
                str(pk): {"mobilise": saisi.mobilise, "role": saisi.role.strip()}
                for pk, saisi in equipe.items()
                if saisi.mobilise or saisi.role.strip()
            }
        }
    return _textes_enregistrer(livrable, par, textes, donnees)


@transaction.atomic
def rapport_final_enregistrer(
    *, livrable: Livrable, par: Utilisateur, vu: str, textes: dict[str, str]
) -> list[PartieRedigee]:
    """Save the rapport final written in the portal (synthèse, préconisations); one line of
    the journal when something changed."""
    livrable = _ouvrir(livrable, par, vu, RAPPORT)
    return _textes_enregistrer(livrable, par, textes)


@transaction.atomic
def carnet_enregistrer(
    *, livrable: Livrable, par: Utilisateur, vu: str, textes: dict[str, str], ordre: list[str]
) -> list[PartieRedigee]:
    """Save what the groupement adds to each part of the carnet de suivi and the order of the
    parts (`ordre`: every key, once); one line of the journal when something changed."""
    livrable = _ouvrir(livrable, par, vu, CARNET)
    cles = [p.cle for p in parties_de(livrable)]
    if sorted(ordre) != sorted(cles):
        raise ActionImpossible(
            "Les parties du carnet ont changé depuis l'ouverture de la page : rechargez-la."
        )
    return _textes_enregistrer(livrable, par, textes, ordre=ordre)


@dataclass
class Assemblage:
    """What re-assembling the carnet did: parts added, parts whose assembled text changed,
    parts whose source is gone (kept as they were)."""

    ajoutees: list[str] = field(default_factory=list)
    mises_a_jour: list[str] = field(default_factory=list)
    disparues: list[str] = field(default_factory=list)


@transaction.atomic
def carnet_assembler(*, livrable: Livrable, par: Utilisateur, vu: str) -> Assemblage:
    """Read again the validated compte-rendus and the published inter-ateliers: update what
    the portal assembled in each part, add a part after the others for each new source, and
    keep as it was (named in the result) a part whose source is gone; the groupement's own
    text is never touched. One line of the journal when something changed."""
    livrable = _ouvrir(livrable, par, vu, CARNET)
    parties = parties_de(livrable)
    par_source = {p.source: p for p in parties if p.source}
    sources = sources_du_carnet(livrable.atelier)
    resultat = Assemblage()
    maintenant = timezone.now()
    rang = max((p.ordre for p in parties), default=-1)
    for source in sources:
        partie = par_source.get(source.source)
        if partie is None:
            rang += 1
            PartieRedigee.objects.create(
                livrable=livrable,
                cle=source.cle,
                titre=source.titre,
                ordre=rang,
                source=source.source,
                texte_assemble=source.texte,
                modifie_le=maintenant,
                modifie_par=par,
            )
            resultat.ajoutees.append(source.titre)
        elif (partie.titre, partie.texte_assemble) != (source.titre, source.texte):
            partie.titre, partie.texte_assemble = source.titre, source.texte
            partie.modifie_le, partie.modifie_par = maintenant, par
            partie.save(update_fields=["titre", "texte_assemble", "modifie_le", "modifie_par"])
            resultat.mises_a_jour.append(source.titre)
    connues = {s.source for s in sources}
    resultat.disparues = [p.titre for p in parties if p.source and p.source not in connues]
    if resultat.ajoutees or resultat.mises_a_jour:
        _journaliser(livrable, par, [*resultat.ajoutees, *resultat.mises_a_jour])
    return resultat


@transaction.atomic
def carnet_partie_retirer(*, livrable: Livrable, par: Utilisateur, vu: str, cle: str) -> str:
    """Remove from the carnet a part whose source is gone (an inter-atelier withdrawn), with
    what the groupement wrote in it, at its request; return its title."""
    livrable = _ouvrir(livrable, par, vu, CARNET)
    partie = PartieRedigee.objects.filter(livrable=livrable, cle=cle).first()
    if partie is None:
        raise ActionImpossible("Cette partie n'est plus dans le carnet.")
    if partie.source in {s.source for s in sources_du_carnet(livrable.atelier)}:
        raise ActionImpossible(
            "La source de cette partie existe toujours : elle reste dans le carnet."
        )
    partie.delete()
    _journaliser(livrable, par, [partie.titre], "partie retirée")
    return partie.titre
