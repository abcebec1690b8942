"""Reads on consultation rounds: the current round of a marché, the time left, what a
consulted groupement reads (its rounds, the note's resources, the accord-cadre's documents),
the offers of a marché for its panel and the reasons teams decline."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ateliers.models import Atelier, Evenement
from candidatures.selectors import note_deposee
from comptes.models import AnyUser, Organisation, Role
from comptes.selectors import profil
from documents.models import FichierDepose
from marches.models import (
    AccordCadre,
    CodeAnalyse,
    CodeConsultation,
    CodeOffre,
    Consultation,
    DocumentAccordCadre,
    MarcheSubsequent,
    Offre,
    QuestionConsultation,
    Renoncement,
    VersionCctp,
)
from marches.selectors.visibilite import (
    consultations_du_groupement,
    membre_du_jury_de,
)


def consultation_actuelle(marche: MarcheSubsequent) -> Consultation | None:
    """The marché's latest round (the one open or being analysed), None before publication."""
    return marche.consultations.order_by("-numero").first()


def temps_restant(
    date_limite: datetime.datetime, maintenant: datetime.datetime | None = None
) -> str:
    """The time left before `date_limite`, as a person says it: « 3 jours et 4 heures »,
    « 5 heures et 20 minutes », « 12 minutes »; empty once it has passed."""
    reste = date_limite - (maintenant or timezone.now())
    if reste <= datetime.timedelta(0):
        return ""
    minutes = int(reste.total_seconds() // 60)
    jours, minutes = divmod(minutes, 24 * 60)
    heures, minutes = divmod(minutes, 60)

    def dire(nombre: int, unite: str) -> str:
        return f"{nombre} {unite}{'s' if nombre > 1 else ''}"

    if jours:
        morceaux = [dire(jours, "jour")] + ([dire(heures, "heure")] if heures else [])
    elif heures:
        morceaux = [dire(heures, "heure")] + ([dire(minutes, "minute")] if minutes else [])
    elif minutes:
        morceaux = [dire(minutes, "minute")]
    else:
        return "moins d'une minute"
    return " et ".join(morceaux)


def groupements_consultes_de(user: AnyUser, consultation: Consultation) -> list[Organisation]:
    """The user's groupements consulted in this round (one, almost always)."""
    ids = profil(user).ids(Role.GROUPEMENT)
    return [g for g in consultation.consultes.all() if g.pk in ids]


def mes_consultations(user: AnyUser) -> QuerySet[Consultation]:
    """The rounds where one of the user's groupements was consulted, newest deadline first,
    with what the list shows of each (the marché, the atelier's territory, the user's own
    renoncements and offers, never another groupement's) loaded in a fixed number of queries."""
    ids = profil(user).ids(Role.GROUPEMENT)
    return (
        consultations_du_groupement(user)
        .select_related("marche__atelier")
        .prefetch_related(
            "marche__atelier__departements",
            Prefetch(
                "renoncements",
                queryset=Renoncement.objects.filter(groupement__in=ids),
                to_attr="mes_renoncements",
            ),
            Prefetch(
                "offres",
                queryset=Offre.objects.filter(groupement__in=ids),
                to_attr="mes_offres",
            ),
        )
        .order_by("-date_limite", "-pk")
    )


def versions_publiees(consultation: Consultation) -> list[VersionCctp]:
    """The CCTP versions of this round, newest first, with their PDF (None while rendering)."""
    return list(consultation.versions_cctp.select_related("document").order_by("-numero"))


def questions_de(consultation: Consultation) -> list[QuestionConsultation]:
    return list(consultation.questions.order_by("numero"))


@dataclass(frozen=True)
class RessourceConsultation:
    """A documentary resource of the note, as a consulted groupement downloads it."""

    titre: str
    type_libelle: str
    date: datetime.date | None
    lien: str
    fichier: FichierDepose | None


def ressources_de_la_note(consultation: Consultation) -> list[RessourceConsultation]:
    """The documentary resources of the atelier's deposited note, with their stored files (one
    query for all of them)."""
    note = note_deposee(consultation.marche.atelier)
    if note is None:
        return []
    uuids = [r.fichier_uuid for r in note.ressources if r.fichier_uuid]
    fichiers = (
        {str(f.uuid): f for f in FichierDepose.objects.filter(uuid__in=uuids)} if uuids else {}
    )
    return [
        RessourceConsultation(
            titre=r.titre,
            type_libelle=r.type_libelle,
            date=r.date,
            lien=r.lien,
            fichier=fichiers.get(r.fichier_uuid),
        )
        for r in note.ressources
    ]


def ressource_de_la_note(consultation: Consultation, uuid: str) -> FichierDepose | None:
    """The stored file `uuid` if it is one of the note's documentary resources, else None."""
    note = note_deposee(consultation.marche.atelier)
    if note is None or uuid not in {r.fichier_uuid for r in note.ressources}:
        return None
    return FichierDepose.objects.filter(uuid=uuid).first()


def documents_accord_cadre_actuels(accord_cadre: AccordCadre) -> list[DocumentAccordCadre]:
    """The latest version of each document of the accord-cadre (one query)."""
    documents = (
        DocumentAccordCadre.objects.filter(accord_cadre=accord_cadre)
        .select_related("fichier")
        .order_by("type", "titre", "-version")
    )
    vus: set[tuple[str, str]] = set()
    actuels = []
    for document in documents:
        if (document.type, document.titre) not in vus:
            vus.add((document.type, document.titre))
            actuels.append(document)
    return actuels


def offres_du_marche(marche: MarcheSubsequent) -> list[Offre]:
    """Every offer of every round of the marché, the latest round first, with their groupement,
    pieces and audition loaded (a fixed number of queries)."""
    return list(
        Offre.objects.filter(consultation__marche=marche)
        .select_related(
            "consultation",
            "groupement",
            "version_cctp",
            "note_methodologique",
            "presentation_competences",
            "proposition_financiere",
            "audition",
        )
        .order_by("-consultation__numero", "recue_le", "pk")
    )


def renoncements_du_marche(marche: MarcheSubsequent) -> list[Renoncement]:
    return list(
        Renoncement.objects.filter(consultation__marche=marche)
        .select_related("consultation", "groupement")
        .order_by("-consultation__numero", "le")
    )


def renoncements_tous() -> QuerySet[Renoncement]:
    """Every team's renoncement, across marchés, for DGALN."""
    return Renoncement.objects.select_related(
        "groupement", "consultation__marche__atelier"
    ).order_by("-le", "-pk")


# The journal lines about the offers (their receipt, exclusions and regularisations with their
# reasons, auditions, the panel's marks and rapport): the panel's and DGALN's only. Renoncements
# are journalled without atelier.
CODES_DU_JURY = (*CodeOffre.values, CodeConsultation.AUDITION, *CodeAnalyse.values)


def journal_visible(
    journal: QuerySet[Evenement], user: AnyUser, atelier: Atelier
) -> QuerySet[Evenement]:
    """The atelier's journal as this user may read it: without the offers' lines for whoever is
    not on the panel of its marché nor DGALN (the attributaire reads the atelier's history once
    notified, and must not learn of the other offers there)."""
    p = profil(user)
    if p.est_admin or p.est_dgaln or membre_du_jury_de(user, atelier):
        return journal
    return journal.exclude(code__in=CODES_DU_JURY)
