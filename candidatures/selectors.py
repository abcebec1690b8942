"""Reads on candidatures used in more than one place."""

import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.urls import reverse
from simple_history.utils import get_m2m_reverse_field_name

from ateliers.models import PORTER, Atelier, Evenement
from ateliers.selectors import Demande, organisations_porteuses, q_permission
from candidatures.forms import uuid_ou_vide
from candidatures.models import (
    EXPLICATIONS_COURRIERS,
    Candidature,
    Courrier,
    Decision,
    DemandeAvis,
    Message,
    Objet,
    Porteurs,
    VersionCandidature,
)
from candidatures.parties import PARTIES, contenu_lisible, etat_des_parties
from comptes.models import Organisation, Utilisateur
from documents.models import Document, FichierDepose
from territoires.models import Departement

# What a save always changes, and so tells nothing to the reader of the history.
NON_SIGNIFICATIFS = {
    "id",
    "candidature",
    "version",
    "modifie_le",
    "modifie_par",
    # Derived from the perimeter's file, which is named when it changes.
    "perimetre_resume",
}


def historique_partie(contenu, *, nombre=10):
    """The last saves of a part: when, by whom, and which fields changed; in a fixed number of
    queries (records, their authors and their many-to-many rows are loaded together)."""
    champs = [f for f in type(contenu)._meta.concrete_fields if f.name not in NON_SIGNIFICATIFS]
    multiples = list(type(contenu)._meta.many_to_many)
    enregistrements = list(contenu.history.select_related("history_user")[: nombre + 1])
    # One query per many-to-many field for all the records: the rows of its history table.
    lignes_liees = {}
    for champ in multiples if enregistrements else ():
        modele_lignes = contenu.history.model.__dict__[champ.name].model
        cible = f"{get_m2m_reverse_field_name(champ)}_id"
        rangs = modele_lignes.objects.filter(history__in=enregistrements)
        for history_id, cle in rangs.values_list("history_id", cible):
            lignes_liees.setdefault((champ.name, history_id), set()).add(cle)

    def valeurs(enregistrement):
        simples = {f.verbose_name: getattr(enregistrement, f.attname) for f in champs}
        lies = {
            f.verbose_name: lignes_liees.get((f.name, enregistrement.pk), set()) for f in multiples
        }
        return {**simples, **lies}

    lignes = []
    for recent, precedent in zip(
        enregistrements[:nombre], [*enregistrements[1:], None], strict=False
    ):
        if precedent is None:
            changes = ["création"]
        else:
            avant, apres = valeurs(precedent), valeurs(recent)
            changes = [str(nom) for nom in apres if apres[nom] != avant[nom]]
        lignes.append({"date": recent.history_date, "par": recent.history_user, "champs": changes})
    return lignes


def candidature_de(atelier):
    """The atelier's candidature with every part of its note and the files they point at, in
    one query; None if none. It keeps `atelier` itself, with whatever was loaded with it, and
    is kept on the atelier for the rest of the request: the page's sections all ask for it."""
    if not hasattr(atelier, "_candidature_de"):
        fichiers = [
            f"{p.attribut}__{nom}"
            for p in PARTIES
            for nom in p.modele.FICHIERS
            if nom not in p.formulaire.blocs
        ]
        candidature = (
            Candidature.objects.select_related(*(p.attribut for p in PARTIES), *fichiers)
            .filter(atelier=atelier)
            .first()
        )
        if candidature is not None:
            candidature.atelier = atelier
        atelier._candidature_de = candidature
    return atelier._candidature_de


def fil_echanges(candidature):
    """The thread's messages, oldest first, each with its attachments in `pieces`; in three
    queries whatever the number of messages."""
    messages = list(
        Message.objects.filter(candidature=candidature).select_related("auteur", "organisation")
    )
    pieces = {}
    if messages:
        type_message = ContentType.objects.get_for_model(Message)
        for fichier in FichierDepose.objects.filter(
            proprietaire_type=type_message,
            proprietaire_id__in=[str(m.pk) for m in messages],
        ).order_by("pk"):
            pieces.setdefault(fichier.proprietaire_id, []).append(fichier)
    for message in messages:
        message.pieces = pieces.get(str(message.pk), [])
    return messages


def experts_possibles(*, candidature, sauf):
    """Who DGALN may ask for an opinion on this candidature: the active agents of DGALN and of
    the State's services, the asker aside, and none of the atelier's porteurs (the members of
    its collectivités, State service and opérateur), who never see an avis."""
    types = [Organisation.Type.DGALN, Organisation.Type.DDT, Organisation.Type.DREAL]
    return (
        Utilisateur.objects.filter(is_active=True, organisations__type__in=types)
        .exclude(pk=sauf.pk)
        .exclude(organisations__in=organisations_porteuses(candidature.atelier))
        .distinct()
        .order_by("nom", "prenom")
    )


def courriers_actuels(candidature):
    """The current signed letter of each type, by type (one query)."""
    courriers = Courrier.objects.filter(candidature=candidature, remplace_le__isnull=True)
    return {c.type: c for c in courriers.select_related("fichier", "depose_par")}


def _manque_courrier(courrier):
    if courrier is None:
        return "signée, pas encore déposée"
    if courrier.fichier.analyse == courrier.fichier.Analyse.INFECTE:
        return "refusée par l'antivirus : déposez-en une autre"
    if not courrier.fichier.disponible:
        return "en cours d'analyse antivirus"
    return None


def pieces_manquantes(candidature, *, etats=None, courriers=None):
    """What the dossier still lacks before it can be deposited, in the dossier's order: each
    incomplete part of the note (with its missing fields), then each signed letter not
    deposited or not yet downloadable; each with the page where to complete it."""
    etats = etat_des_parties(candidature) if etats is None else etats
    courriers = courriers_actuels(candidature) if courriers is None else courriers
    manques = [
        {
            "libelle": etat["partie"].titre,
            "details": etat["manquants"],
            "url": reverse(
                "candidatures:partie", args=[candidature.atelier_id, etat["partie"].slug]
            ),
        }
        for etat in etats
        if etat["manquants"]
    ]
    for type_courrier in Courrier.Type:
        manque = _manque_courrier(courriers.get(type_courrier))
        if manque:
            manques.append(
                {
                    "libelle": type_courrier.label,
                    "details": [manque],
                    "url": reverse("candidatures:courriers", args=[candidature.atelier_id])
                    + f"#courrier-{type_courrier}",
                }
            )
    return manques


def etat_des_courriers(candidature, *, courriers=None):
    """Each of the three letters: its type, what it is, the current signed one (or None), and
    whether it counts for the dépôt."""
    courriers = courriers_actuels(candidature) if courriers is None else courriers
    return [
        {
            "type": type_courrier,
            "libelle": type_courrier.label,
            "explication": EXPLICATIONS_COURRIERS[type_courrier],
            "actuel": courriers.get(type_courrier),
            "manque": _manque_courrier(courriers.get(type_courrier)),
        }
        for type_courrier in Courrier.Type
    ]


def donnees_courriers(candidature):
    """What the model letters say, from the note as it stands: the atelier's title and
    territory, the collectivités with their élus, the State service and its référent."""
    atelier = candidature.atelier
    # Read afresh, never from parts cached on `candidature`: the version key must describe
    # what the render (which loads the candidature anew) will print.
    porteurs = Porteurs.objects.filter(candidature=candidature).first()
    objet = Objet.objects.filter(candidature=candidature).first()
    collectivites = [
        {
            "organisation": ligne.get("organisation") or "",
            "elu": ligne.get("elu") or "",
            "referent": ligne.get("referent") or "",
            "referent_fonction": ligne.get("referent_fonction") or "",
            "referent_courriel": ligne.get("referent_courriel") or "",
        }
        for ligne in (porteurs.collectivites if porteurs else [])
    ]
    return {
        "reference": atelier.reference,
        "titre": (objet.titre if objet else "") or atelier.intitule,
        "collectivites": collectivites,
        "service_pilote": (porteurs.service_pilote if porteurs else "")
        or (atelier.service_pilote.nom if atelier.service_pilote else ""),
        "referent_etat": porteurs.referent_etat if porteurs else "",
        "referent_etat_fonction": porteurs.referent_etat_fonction if porteurs else "",
        "referent_etat_courriel": porteurs.referent_etat_courriel if porteurs else "",
        "departements": [f"{d.nom} ({d.code})" for d in atelier.departements.order_by("code")],
        "epcis": [e.nom for e in atelier.epcis.order_by("nom")],
        "communes": atelier.communes,
    }


def gabarit_courrier(type_courrier):
    return f"pdf/courrier_{type_courrier}.html"


def version_courrier(donnees):
    """A letter's version: a digest of exactly the data it prints."""
    brut = json.dumps(donnees, sort_keys=True, cls=DjangoJSONEncoder).encode()
    return hashlib.sha256(brut).hexdigest()


def modeles_actuels(candidature, donnees):
    """The model-letter Document of each type for the note's current data, if asked for."""
    gabarits = {gabarit_courrier(t): t for t in Courrier.Type}
    documents = Document.objects.filter(
        source_type=ContentType.objects.get_for_model(Candidature),
        source_id=str(candidature.pk),
        gabarit__in=gabarits,
        version_source=version_courrier(donnees),
    )
    return {gabarits[d.gabarit]: d for d in documents}


DOSSIER_GABARIT = "pdf/dossier_candidature.html"


def derniere_version(candidature):
    """The latest deposited version and its dossier PDF (None if none was asked for)."""
    version = candidature.versions.select_related("depose_par").first()
    if version is None:
        return None, None
    dossier = Document.objects.filter(
        source_type=ContentType.objects.get_for_model(VersionCandidature),
        source_id=str(version.pk),
        gabarit=DOSSIER_GABARIT,
    ).first()
    return version, dossier


def _valeur_brute(contenu, champ):
    if champ.many_to_many:
        lies = sorted(getattr(contenu, champ.name).all(), key=lambda o: o.pk)
        return {"pk": [o.pk for o in lies], "libelles": [str(o) for o in lies]}
    return champ.value_from_object(contenu)


def contenu_du_dossier(candidature, courriers):
    """The dossier as it is deposited, to be frozen: for each part of the note its slug,
    title, raw values (many-to-many as primary keys and labels) and readable content; then
    the signed letters sent with it."""
    parties = []
    for partie in PARTIES:
        contenu = getattr(candidature, partie.attribut)
        champs = [
            f
            for f in [*partie.modele._meta.concrete_fields, *partie.modele._meta.many_to_many]
            if f.name not in NON_SIGNIFICATIFS
        ]
        parties.append(
            {
                "slug": partie.slug,
                "titre": partie.titre,
                "valeurs": {f.name: _valeur_brute(contenu, f) for f in champs},
                "lisible": contenu_lisible(partie, contenu),
            }
        )
    return {
        "titre": donnees_courriers(candidature)["titre"],
        "parties": parties,
        "courriers": [
            {
                "type": c.type,
                "libelle": c.get_type_display(),
                "fichier_id": c.fichier_id,
                "nom": c.fichier.nom_original,
                "taille": c.fichier.taille,
                "sha256": c.fichier.sha256,
            }
            for c in courriers
        ],
    }


def pieces_a_completer_possibles():
    """What DGALN may send back for compléments, in the dossier's order: each part of the note
    (by slug), then each signed letter (by type), with its label."""
    return [
        *((p.slug, p.titre) for p in PARTIES),
        *((t.value, t.label) for t in Courrier.Type),
    ]


# The states a filter of the review queue stands for, with its label.
ETATS_DE_LA_FILE = {
    "a_instruire": Candidature.EN_ATTENTE_DGALN,
    Candidature.Statut.DEPOSEE: (Candidature.Statut.DEPOSEE,),
    Candidature.Statut.EN_INSTRUCTION: (Candidature.Statut.EN_INSTRUCTION,),
    Candidature.Statut.COMPLEMENTS_DEMANDES: (Candidature.Statut.COMPLEMENTS_DEMANDES,),
    "en_cours": (*Candidature.EN_ATTENTE_DGALN, Candidature.Statut.COMPLEMENTS_DEMANDES),
}


def file_instruction(
    *,
    user,
    etat=None,
    region=None,
    departement=None,
    thematique=None,
    recue_du=None,
    recue_au=None,
    suivi=None,
    tri=None,
):
    """The candidatures DGALN reviews, each with its first reception and its last dépôt
    (`recue_le`, `en_attente_depuis`), territory, themes and follower, in a fixed number of
    queries; the longest waiting first unless `tri` is « recentes ».

    Only the columns the table shows are read, the dates by subquery and the filters as
    subqueries: no grouping over versions, no DISTINCT over the note's long texts."""
    etats = ETATS_DE_LA_FILE.get(etat or "a_instruire", Candidature.EN_ATTENTE_DGALN)
    versions = VersionCandidature.objects.filter(candidature=OuterRef("pk")).values("depose_le")
    candidatures = (
        Candidature.objects.filter(statut__in=etats)
        .annotate(
            recue_le=Subquery(versions.order_by("depose_le")[:1]),
            en_attente_depuis=Subquery(versions.order_by("-depose_le")[:1]),
        )
        .select_related("atelier", "suivie_par", "objet")
        .only(
            "statut",
            # ConcurrentTransitionMixin reads the state of each row it builds.
            "atelier__phase",
            "atelier__intitule",
            "atelier__cree_le",
            "suivie_par__prenom",
            "suivie_par__nom",
            "objet__titre",
        )
        .prefetch_related("atelier__departements__region", "objet__thematiques")
    )
    departements = Atelier.departements.through.objects
    if region:
        candidatures = candidatures.filter(
            atelier__in=departements.filter(departement__region=region).values("atelier_id")
        )
    if departement:
        candidatures = candidatures.filter(
            atelier__in=departements.filter(departement=departement).values("atelier_id")
        )
    if thematique:
        candidatures = candidatures.filter(
            objet__in=Objet.thematiques.through.objects.filter(thematique=thematique).values(
                "objet_id"
            )
        )
    if recue_du:
        candidatures = candidatures.filter(recue_le__date__gte=recue_du)
    if recue_au:
        candidatures = candidatures.filter(recue_le__date__lte=recue_au)
    if suivi == "moi":
        candidatures = candidatures.filter(suivie_par=user)
    elif suivi == "personne":
        candidatures = candidatures.filter(suivie_par__isnull=True)
    ordre = "-en_attente_depuis" if tri == "recentes" else "en_attente_depuis"
    return candidatures.order_by(ordre, "pk")


def comparer_versions(ancienne, nouvelle):
    """What changed from one deposited version to the next: for each part, the fields whose
    readable value differs (before, after); then the letters replaced."""

    def lisible(element):
        if "lignes" in element:
            return "\n".join(
                " ; ".join(f"{libelle} : {valeur}" for libelle, valeur in ligne)
                for ligne in element["lignes"]
            )
        return element.get("valeur") or ""

    avant = {p["slug"]: p for p in ancienne.contenu["parties"]}
    changements = []
    for partie in nouvelle.contenu["parties"]:
        precedents = {
            e["libelle"]: lisible(e) for e in avant.get(partie["slug"], {}).get("lisible", [])
        }
        champs = [
            {
                "libelle": e["libelle"],
                "avant": precedents.get(e["libelle"], ""),
                "apres": lisible(e),
            }
            for e in partie["lisible"]
            if lisible(e) != precedents.get(e["libelle"], "")
        ]
        if champs:
            changements.append({"titre": partie["titre"], "champs": champs})
    courriers_avant = {c["type"]: c["sha256"] for c in ancienne.contenu["courriers"]}
    courriers = [
        c["libelle"]
        for c in nouvelle.contenu["courriers"]
        if courriers_avant.get(c["type"]) != c["sha256"]
    ]
    return {"parties": changements, "courriers": courriers}


def cohorte(annee):
    """The year's pipeline by région: candidatures received in `annee` (first dépôt), where
    they stand now, and the average review time (first dépôt to first decision) in days;
    counted by the database in grouped queries, whatever the number of candidatures. An atelier
    entered past its dépôt (no version here) counts in the year the journal says it was declared
    eligible or not, whatever its phase since."""
    par_depot = (
        VersionCandidature.objects.values("candidature")
        .annotate(recue_le=Min("depose_le"))
        .filter(recue_le__year=annee)
        .values("candidature")
    )
    declaree = Evenement.objects.filter(
        atelier=OuterRef("atelier"),
        transition__in=["declarer_eligible", "declarer_non_eligible"],
        date__year=annee,
    )
    sans_version = VersionCandidature.objects.filter(candidature=OuterRef("pk"))
    # Two disjoint sets counted apart: an OR of the two would make PostgreSQL test the journal
    # for every candidature instead of for the few that have no version.
    ensembles = (
        Candidature.objects.filter(pk__in=par_depot),
        Candidature.objects.filter(~Exists(sans_version), Exists(declaree)),
    )
    # Counted by the atelier's first département (by code), whose région the list shows.
    premier = Atelier.departements.through.objects.filter(
        atelier_id=OuterRef("atelier_id")
    ).order_by("departement_id")
    S = Candidature.Statut
    colonnes = {
        "recues": Q(),
        "en_instruction": Q(statut__in=Candidature.EN_ATTENTE_DGALN),
        "complements": Q(statut=S.COMPLEMENTS_DEMANDES),
        "eligibles": Q(statut=S.ELIGIBLE),
        "non_eligibles": Q(statut=S.NON_ELIGIBLE),
    }
    comptes = [
        compte
        for ensemble in ensembles
        for compte in ensemble.annotate(departement=Subquery(premier.values("departement_id")[:1]))
        .values("departement")
        .annotate(**{nom: Count("pk", filter=q) for nom, q in colonnes.items()})
        .order_by()
    ]
    # Each decided candidature's review time, from its first dépôt, computed by the database.
    durees = (
        Decision.objects.filter(candidature__in=par_depot)
        .values("candidature")
        .annotate(
            duree=ExpressionWrapper(
                Min("date_decision") - TruncDate(Min("candidature__versions__depose_le")),
                output_field=DurationField(),
            )
        )
        .values_list("duree", flat=True)
        .order_by()
    )
    jours = [d.days for d in durees]
    departements = Departement.objects.select_related("region").in_bulk()
    lignes = {}
    for compte in comptes:
        departement = departements.get(compte["departement"])
        region = departement.region if departement else None
        ligne = lignes.setdefault(
            region.code if region else "", {"region": region, **dict.fromkeys(colonnes, 0)}
        )
        for nom in colonnes:
            ligne[nom] += compte[nom]
    return {
        "annee": annee,
        "lignes": sorted(
            lignes.values(), key=lambda ligne: ligne["region"].nom if ligne["region"] else "~"
        ),
        "total": {nom: sum(ligne[nom] for ligne in lignes.values()) for nom in colonnes},
        "objectif": settings.ELIGIBILITE_OBJECTIF_ANNUEL,
        "duree_moyenne": round(sum(jours) / len(jours)) if jours else None,
        "decisions": len(jours),
    }


def documents_des(objets, *, gabarit):
    """The Document rendered from each of `objets` with this template, by the object's pk, in
    one query (the latest, if several)."""
    if not objets:
        return {}
    documents = Document.objects.filter(
        source_type=ContentType.objects.get_for_model(type(objets[0])),
        source_id__in=[str(o.pk) for o in objets],
        gabarit=gabarit,
    ).order_by("demande_le")
    return {int(d.source_id): d for d in documents}


def ateliers_complements_a_fournir(user):
    """The ateliers whose candidature DGALN sent back, for the porteurs who must complete it
    (a filter on Atelier, or None for whoever carries no atelier)."""
    q_porteur = q_permission(user, PORTER)
    if q_porteur is None:
        return None
    # A subquery, not a join: ORed with the other stages' filters, a join scans every row.
    renvoyees = Candidature.objects.filter(statut=Candidature.Statut.COMPLEMENTS_DEMANDES)
    return Q(pk__in=renvoyees.values("atelier_id")) & q_porteur


def avis_a_rendre(user):
    """The opinions this user was asked for and has not given yet, for their « à traiter »:
    the avis page, not the atelier's, which the colleague may not see."""
    return [
        Demande(
            libelle=f"Donner votre avis sur la candidature {demande.candidature.atelier}",
            url=reverse("candidatures:avis", args=[demande.pk]),
            depuis=demande.demande_le,
        )
        for demande in DemandeAvis.objects.filter(
            expert=user, rendu_le__isnull=True
        ).select_related("candidature__atelier")
    ]


def fichiers_des_versions(candidature_ids) -> set[int]:
    """The pks of the files that a deposited version of these candidatures names (its signed
    letters, the files of its note): part of what was deposited, they are never withdrawn."""
    modeles = {p.slug: p.modele for p in PARTIES}
    pks, uuids = set(), set()
    for contenu in VersionCandidature.objects.filter(
        candidature_id__in=candidature_ids
    ).values_list("contenu", flat=True):
        pks.update(c["fichier_id"] for c in contenu["courriers"])
        for partie in contenu["parties"]:
            for nom in modeles[partie["slug"]].FICHIERS:
                valeur = partie["valeurs"].get(nom)
                if isinstance(valeur, list):
                    uuids.update(uuid_ou_vide(v) for ligne in valeur for v in ligne.values())
                elif valeur:
                    pks.add(valeur)
    uuids.discard("")
    if uuids:
        pks.update(FichierDepose.objects.filter(uuid__in=uuids).values_list("pk", flat=True))
    return pks


def fichiers_gardes_par_les_versions(fichiers) -> set[int]:
    """documents' gardien: of `fichiers`, those a deposited version of their candidature names."""
    candidatures = fichiers.filter(
        proprietaire_type=ContentType.objects.get_for_model(Candidature)
    ).values_list("proprietaire_id", flat=True)
    return fichiers_des_versions(list(candidatures))
