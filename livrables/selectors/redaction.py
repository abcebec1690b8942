"""Reads of what the groupement writes in the portal: the parts of a livrable for its editor,
the rows the note de cadrage pre-fills (the atelier's calendar, the groupement's firms), the
sources the carnet de suivi assembles, and what a dépôt freezes of them."""

import datetime
from dataclasses import dataclass
from typing import Any

from ateliers.models import Atelier, CompteRendu, EtapePrevue, InterAtelier
from ateliers.selectors.cadrage import etapes_prevues
from ateliers.selectors.inter_atelier import inter_ateliers_de
from ateliers.selectors.session import comptes_rendus_valides
from comptes.dates import date_longue
from comptes.selectors import membres_du_groupement
from livrables.models import Livrable, PartieRedigee, TypeLivrable

NOTE = TypeLivrable.NOTE_CADRAGE
CARNET = TypeLivrable.CARNET_SUIVI
RAPPORT = TypeLivrable.RAPPORT_FINAL
# The livrables written part by part in the editor of this module (the feuille de route and the
# livret have their own).
REDIGES = (NOTE, CARNET, RAPPORT)
CALENDRIER, EQUIPE = "calendrier", "equipe"
# The parts of the note and of the rapport, in the programme's order; their keys are stable:
# the pilot's comments are anchored to them.
PARTIES_PREVUES: dict[str, tuple[tuple[str, str], ...]] = {
    NOTE: (
        ("methodologie", "Méthodologie"),
        (CALENDRIER, "Calendrier"),
        (EQUIPE, "Équipe mobilisée"),
    ),
    RAPPORT: (("synthese", "Synthèse"), ("preconisations", "Préconisations")),
}


def parties_de(livrable: Livrable) -> list[PartieRedigee]:
    """The parts of the livrable in their order: those saved, and for the note and the rapport
    those not written yet (unsaved), in the programme's order."""
    existantes = (
        list(PartieRedigee.objects.filter(livrable=livrable).order_by("ordre", "pk"))
        if livrable.pk
        else []
    )
    prevues = PARTIES_PREVUES.get(livrable.type)
    if prevues is None:
        return existantes
    par_cle = {p.cle: p for p in existantes}
    return [
        par_cle.get(cle) or PartieRedigee(livrable=livrable, cle=cle, titre=titre, ordre=rang)
        for rang, (cle, titre) in enumerate(prevues)
    ]


# The note de cadrage's tables.


@dataclass(frozen=True)
class EtapeDuCalendrier:
    """A planned date of the atelier's calendar, with the groupement's comment on it."""

    nature: str
    libelle: str
    date: datetime.date
    commentaire: str


@dataclass(frozen=True)
class MembreDeLEquipe:
    """A firm of the groupement titulaire, mobilised or not, with its role in the atelier."""

    membre_id: int
    nom: str
    role: str
    competences: str
    mobilise: bool
    role_atelier: str


def calendrier_de(atelier: Atelier, partie: PartieRedigee | None) -> list[EtapeDuCalendrier]:
    """The atelier's planned dates in the programme's order, as the cadrage fixed them, each
    with the comment the groupement wrote on it."""
    dates = etapes_prevues(atelier)
    commentaires = (partie.donnees if partie else {}).get("commentaires", {})
    return [
        EtapeDuCalendrier(
            nature=nature,
            libelle=str(libelle),
            date=dates[nature].date_prevue,
            commentaire=commentaires.get(nature, ""),
        )
        for nature, libelle in EtapePrevue.Nature.choices
        if nature in dates
    ]


def equipe_de(atelier: Atelier, partie: PartieRedigee | None) -> list[MembreDeLEquipe]:
    """The firms of the groupement titulaire, mandataire first, with what the groupement ticked
    and wrote of each."""
    saisie = (partie.donnees if partie else {}).get("membres", {})
    return [
        MembreDeLEquipe(
            membre_id=m.pk,
            nom=m.nom,
            role=m.get_role_display(),
            competences=m.competences,
            mobilise=bool(saisie.get(str(m.pk), {}).get("mobilise")),
            role_atelier=saisie.get(str(m.pk), {}).get("role", ""),
        )
        for m in membres_du_groupement(atelier.groupement_id)
    ]


def _calendrier_fige(etapes: list[EtapeDuCalendrier]) -> dict[str, Any]:
    return {
        "texte_assemble": "\n".join(
            f"{e.libelle} : {date_longue(e.date)}"
            + (f" — {e.commentaire}" if e.commentaire else "")
            for e in etapes
        ),
        "tableau": {
            "entetes": ["Étape", "Date prévue", "Commentaire du groupement"],
            "lignes": [[e.libelle, date_longue(e.date), e.commentaire] for e in etapes],
        },
        "lignes": [
            {"nature": e.nature, "date": e.date.isoformat(), "commentaire": e.commentaire}
            for e in etapes
        ],
    }


def _equipe_figee(membres: list[MembreDeLEquipe]) -> dict[str, Any]:
    mobilises = [m for m in membres if m.mobilise]
    return {
        "texte_assemble": "\n".join(
            f"{m.nom} ({m.role.lower()}"
            + (f", {m.competences}" if m.competences else "")
            + ")"
            + (f" : {m.role_atelier}" if m.role_atelier else "")
            for m in mobilises
        ),
        "tableau": {
            "entetes": ["Membre du groupement", "Compétences", "Rôle dans l'atelier"],
            "lignes": [
                [f"{m.nom} ({m.role.lower()})", m.competences, m.role_atelier] for m in mobilises
            ],
        },
        "lignes": [
            {
                "nom": m.nom,
                "role": m.role,
                "competences": m.competences,
                "role_atelier": m.role_atelier,
            }
            for m in mobilises
        ],
    }


def contenu_redige(livrable: Livrable, contenu: dict[str, Any]) -> dict[str, Any]:
    """What a dépôt of the note de cadrage freezes besides the texts: the calendar and the
    team as a readable text (`texte_assemble`, which the diff compares), the table the PDF
    prints (`tableau`) and their data (`lignes`), in the part they belong to."""
    if livrable.type != NOTE or livrable.pk is None:
        return contenu
    parties = {
        p.cle: p
        for p in PartieRedigee.objects.filter(livrable=livrable, cle__in=[CALENDRIER, EQUIPE])
    }
    atelier = livrable.atelier
    figes = {
        CALENDRIER: lambda p: _calendrier_fige(calendrier_de(atelier, p)),
        EQUIPE: lambda p: _equipe_figee(equipe_de(atelier, p)),
    }
    return contenu | {
        "parties": [
            partie | figes[partie["cle"]](parties[partie["cle"]])
            if partie["cle"] in figes and partie["cle"] in parties
            else partie
            for partie in contenu.get("parties", [])
        ]
    }


# The carnet de suivi's sources.


@dataclass(frozen=True)
class SourceDuCarnet:
    """What the portal reads for one part of the carnet: a session's validated compte-rendu or
    a published inter-atelier."""

    source: str
    cle: str
    titre: str
    texte: str
    date: datetime.date | None


def _rubriques(*rubriques: tuple[str, str]) -> str:
    return "\n\n".join(f"{titre}\n{texte.strip()}" for titre, texte in rubriques if texte.strip())


def _source_session(compte_rendu: CompteRendu) -> SourceDuCarnet:
    session = compte_rendu.session
    propositions = "\n".join(
        f"– {p.texte}"
        + (
            f" ({', '.join(x for x in (p.theme, p.proposee_par) if x)})"
            if p.theme or p.proposee_par
            else ""
        )
        for p in compte_rendu.propositions.all()
    )
    titre = session.get_numero_display()
    if session.date:
        titre += f" ({date_longue(session.date)})"
    return SourceDuCarnet(
        source=f"session:{session.pk}",
        cle=f"session-{session.pk}",
        titre=titre,
        texte=_rubriques(
            ("Synthèse", compte_rendu.synthese),
            ("Enjeux identifiés", compte_rendu.enjeux),
            ("Décisions", compte_rendu.decisions),
            ("Prochaines étapes", compte_rendu.prochaines_etapes),
            ("Propositions émises", propositions),
        ),
        date=session.date,
    )


def _source_inter_atelier(entree: InterAtelier) -> SourceDuCarnet:
    rencontre = ", ".join(x for x in (entree.interlocuteur, entree.organisation) if x)
    return SourceDuCarnet(
        source=f"inter_atelier:{entree.pk}",
        cle=f"inter-atelier-{entree.pk}",
        titre=f"{entree.get_nature_display()} du {date_longue(entree.date)} : {entree.titre}",
        texte=_rubriques(
            ("Personne rencontrée", rencontre),
            ("Documents lus", entree.documents_lus),
            ("Constats", entree.constats),
            ("Participants", entree.participants),
            ("Synthèse", entree.synthese),
        ),
        date=entree.date,
    )


def sources_du_carnet(atelier: Atelier) -> list[SourceDuCarnet]:
    """The validated compte-rendus and the published inter-ateliers of the atelier, by date
    (a session without a date last), in three queries whatever their number."""
    sources = [_source_session(c) for c in comptes_rendus_valides(atelier)]
    sources += [_source_inter_atelier(e) for e in inter_ateliers_de(atelier)]
    return sorted(sources, key=lambda s: (s.date is None, s.date or datetime.date.min))


@dataclass
class EtatDuCarnet:
    """The carnet's parts as the editor shows them, with what re-assembling would change."""

    parties: list[PartieRedigee]
    disparues: set[str]
    modifiees: set[str]
    nouvelles: list[SourceDuCarnet]


def etat_du_carnet(livrable: Livrable) -> EtatDuCarnet:
    """The carnet's parts, those whose source is gone (an inter-atelier withdrawn) or has
    changed since it was assembled, and the sources not assembled yet."""
    parties = parties_de(livrable)
    sources = {s.source: s for s in sources_du_carnet(livrable.atelier)}
    assemblees = {p.source for p in parties if p.source}
    return EtatDuCarnet(
        parties=parties,
        disparues={p.cle for p in parties if p.source and p.source not in sources},
        modifiees={
            p.cle
            for p in parties
            if p.source in sources and sources[p.source].texte != p.texte_assemble
        },
        nouvelles=[s for s in sources.values() if s.source not in assemblees],
    )
