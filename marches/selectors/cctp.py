"""The CCTP of a marché as its pages read it: its parts (the eligible note's content and the
programme's defaults until a part is saved), their completeness, their history, the frozen
versions."""

from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from candidatures.selectors import NoteDeposee, note_deposee
from comptes.dates import date_longue
from marches.models import (
    PARTIES,
    PARTIES_PAR_SLUG,
    FormulePrix,
    MarcheSubsequent,
    PartieCctp,
    VersionCctp,
)

PARIS = ZoneInfo("Europe/Paris")

# The programme's grid: valeur technique 60 (méthodologie 30, compréhension des enjeux 15,
# composition de l'équipe 15), prix 40.
GRILLE_PAR_DEFAUT = [
    {"libelle": "Valeur technique", "poids": "60", "niveau": "critere", "est_prix": False},
    {"libelle": "Méthodologie", "poids": "30", "niveau": "sous_critere", "est_prix": False},
    {
        "libelle": "Compréhension des enjeux",
        "poids": "15",
        "niveau": "sous_critere",
        "est_prix": False,
    },
    {
        "libelle": "Composition de l'équipe",
        "poids": "15",
        "niveau": "sous_critere",
        "est_prix": False,
    },
    {"libelle": "Prix", "poids": "40", "niveau": "critere", "est_prix": True},
]

# What the programme asks of every atelier (domain: the accompagnement and its livrables).
PAR_DEFAUT: dict[str, dict[str, Any]] = {
    "prestations": {
        "cadrage": (
            "Une réunion de lancement et de cadrage avec le service pilote, les collectivités "
            "porteuses et l'opérateur : compréhension de la commande, méthode, calendrier et "
            "acteurs à associer."
        ),
        "session_1_theme": (
            "Diagnostic et enjeux : visites de terrain, rencontres des acteurs et partage d'un "
            "diagnostic du territoire."
        ),
        "session_1_jours": "2",
        "session_2_theme": (
            "Stratégie : scénarios d'aménagement débattus avec les élus et les partenaires."
        ),
        "session_2_jours": "2",
        "session_3_theme": (
            "Feuille de route : actions retenues, maîtrise d'ouvrage, financements et calendrier."
        ),
        "session_3_jours": "1.5",
        "inter_ateliers": (
            "Entre les sessions : analyse documentaire, entretiens avec les acteurs et "
            "préparation de la session suivante avec le service pilote."
        ),
        "production_restitution": (
            "Production des livrables et restitution finale auprès des élus et des partenaires."
        ),
    },
    "livrables": {
        "note_cadrage": "La méthodologie retenue et le calendrier de l'atelier.",
        "carnet_suivi": (
            "Le déroulé de chaque session, ses comptes rendus et les propositions qui en sont "
            "issues."
        ),
        "rapport_final": "La synthèse de l'atelier et ses recommandations.",
        "feuille_route": (
            "Les objectifs, le plan d'actions regroupées par thème et par priorité, le plan de "
            "financement et le calendrier."
        ),
        "livret_capitalisation": "L'essentiel de l'atelier en une quarantaine de pages.",
    },
    "duree": {"duree_mois": 12, "calendrier": ""},
    "prix": {
        "montant_maximum_ht": "100000",
        "modalites_paiement": (
            "Paiement par tranches selon l'échéancier du marché : une avance à la notification, "
            "puis à la validation de la note de cadrage, après chacune des trois sessions et à "
            "la remise des livrables finaux. Délai global de paiement de 30 jours."
        ),
    },
    "criteres": {
        "formule_prix": FormulePrix.PROPORTIONNELLE.value,
        "note_maximale": 5,
        "criteres": GRILLE_PAR_DEFAUT,
    },
    "pieces": {
        "note_methodologique": (
            "La compréhension de la commande et des enjeux du territoire, la méthode proposée "
            "pour chaque phase et le calendrier."
        ),
        "competences": (
            "La composition de l'équipe mobilisée, le rôle et les références de chacun de ses "
            "membres."
        ),
        "proposition_financiere": (
            "Le bordereau des prix de l'accord-cadre complété, avec la décomposition du prix "
            "par phase et le montant HT, la TVA et le montant TTC."
        ),
    },
}


def contenus_initiaux(marche: MarcheSubsequent) -> dict[str, dict[str, Any]]:
    """Each part's first draft: the note of the eligible (latest deposited) version, read
    through candidatures' public reader, and the programme's defaults for what it lacks."""
    note = note_deposee(marche.atelier)
    contenus = {slug: dict(valeurs) for slug, valeurs in PAR_DEFAUT.items()}
    contenus["criteres"]["criteres"] = [dict(ligne) for ligne in GRILLE_PAR_DEFAUT]
    contenus.update(_depuis_la_note(marche, note))
    if note is not None and note.calendrier:
        contenus["duree"]["calendrier"] = note.calendrier
    return {p.slug: contenus.get(p.slug, {}) for p in PARTIES}


def _depuis_la_note(marche: MarcheSubsequent, note: NoteDeposee | None) -> dict[str, Any]:
    if note is None:
        return {
            "objet": {"objet": marche.objet},
            "territoire": {},
            "objectifs": {},
            "acteurs": {},
            "ressources": {"documents": []},
        }
    territoire = note.territoire
    perimetre = [
        libelle + " : " + ", ".join(noms)
        for libelle, noms in (
            ("Départements", [f"{d.nom} ({d.code})" for d in territoire.departements]),
            ("EPCI", [e.nom for e in territoire.epcis]),
            ("Communes", [territoire.communes] if territoire.communes else []),
        )
        if noms
    ]
    chiffres = []
    if territoire.population:
        chiffres.append(f"{territoire.population:,} habitants".replace(",", "\u202f"))
    if territoire.superficie:
        chiffres.append(f"{territoire.superficie} km²".replace(".", ","))
    pilotage = [
        f"Collectivité porteuse : {p.organisation}" for p in note.porteurs if p.organisation
    ]
    if note.service_pilote:
        pilotage.append(f"Service pilote : {note.service_pilote}")
    if note.operateur:
        pilotage.append(f"Opérateur : {note.operateur}")
    acteurs = [
        a.nom
        + (f" ({a.type_libelle})" if a.type_libelle else "")
        + (f" : {a.role}" if a.role else "")
        for a in note.acteurs
    ]
    acteurs += [p.nom + (f" : {p.role}" if p.role else "") for p in note.partenaires]
    return {
        "objet": {
            "objet": note.titre or marche.objet,
            "problematique": note.problematique,
            "contexte": note.contexte,
            "enjeux": note.enjeux,
            "thematiques": ", ".join(t.libelle for t in note.thematiques),
        },
        "territoire": {
            "echelle": territoire.echelle_libelle,
            "perimetre": "\n".join(perimetre + ([" ; ".join(chiffres)] if chiffres else [])),
            "description": territoire.description,
        },
        "objectifs": {
            "objectifs": "\n".join(
                f"{o.intitule} : {o.description}" if o.description else o.intitule
                for o in note.objectifs
            ),
            "resultats": note.resultats,
            "questions": note.questions,
        },
        "acteurs": {"maitrise_ouvrage": "\n".join(pilotage), "acteurs": "\n".join(acteurs)},
        "ressources": {
            "documents": [
                {
                    "titre": r.titre,
                    "type": r.type_libelle,
                    "date": r.date.isoformat() if r.date else "",
                    "fichier_uuid": r.fichier_uuid,
                    "lien": r.lien,
                }
                for r in note.ressources
            ],
            "complements": note.moyens,
        },
    }


def parties_du_cctp(marche: MarcheSubsequent) -> list[PartieCctp]:
    """The marché's CCTP, part by part in the programme's order: each saved part, and for a
    part never saved, its first draft (unsaved, version 0). Two queries, three when the note
    is read."""
    enregistrees = {
        p.slug: p for p in PartieCctp.objects.filter(marche=marche).select_related("modifie_par")
    }
    initiaux: dict[str, dict[str, Any]] | None = None
    parties = []
    for definition in PARTIES:
        partie = enregistrees.get(definition.slug)
        if partie is None:
            if initiaux is None:
                initiaux = contenus_initiaux(marche)
            partie = PartieCctp(
                marche=marche, slug=definition.slug, contenu=initiaux[definition.slug]
            )
        parties.append(partie)
    return parties


def etats_du_cctp(parties: list[PartieCctp]) -> list[dict[str, Any]]:
    """Each part with what it still misses, for the side menu and the marché's page."""
    return [{"partie": p, "manquants": p.manquants()} for p in parties]


def cctp_complet(parties: list[PartieCctp]) -> bool:
    return all(not p.manquants() for p in parties)


def contenu_fige(parties: list[PartieCctp]) -> dict[str, Any]:
    """What a VersionCctp freezes: every part, its title and its values."""
    return {
        "parties": [
            {"slug": p.slug, "titre": p.partie.titre, "valeurs": dict(p.contenu)} for p in parties
        ]
    }


def lire_contenu_fige(contenu: dict[str, Any]) -> list[dict[str, Any]]:
    """A frozen CCTP as readable parts: each part's title and its fields' labels and values,
    the grid and the note's documents as rows. An unknown part (of a later programme) keeps
    its raw values."""
    lues = []
    for figee in contenu.get("parties", []):
        definition = PARTIES_PAR_SLUG.get(figee.get("slug", ""))
        valeurs = figee.get("valeurs", {})
        champs = []
        for champ in definition.champs if definition else ():
            valeur = valeurs.get(champ.nom)
            if champ.type == "choix":
                valeur = dict(champ.choix).get(valeur, valeur)
            elif champ.type in ("montant", "jours") and valeur not in (None, ""):
                valeur = nombre_lisible(Decimal(str(valeur))) + (
                    " €" if champ.type == "montant" else ""
                )
            champs.append({"libelle": champ.libelle, "valeur": "" if valeur is None else valeur})
        lues.append(
            {
                "slug": figee.get("slug", ""),
                "titre": figee.get("titre", ""),
                "champs": champs,
                "criteres": valeurs.get("criteres", []) if definition and definition.grille else [],
                "documents": valeurs.get("documents", [])
                if definition and definition.documents
                else [],
            }
        )
    return lues


def duree_et_calendrier(contenu: dict[str, Any]) -> tuple[int, str]:
    """The duration in months and the calendar text of a frozen CCTP (12 months and no text if
    the part is missing), from which the atelier's calendar is proposed at notification."""
    for figee in contenu.get("parties", []):
        if figee.get("slug") == "duree":
            valeurs = figee.get("valeurs", {})
            return int(valeurs.get("duree_mois") or 12), str(valeurs.get("calendrier") or "")
    return 12, ""


def lire_partie(partie: PartieCctp) -> dict[str, Any]:
    """One part of the draft as a reader reads it (the conflict view's saved side)."""
    return lire_contenu_fige(contenu_fige([partie]))[0]


def nombre_lisible(valeur: Decimal) -> str:
    """100000 → « 100 000 », 1.5 → « 1,5 »."""
    entier, _, decimales = f"{valeur.normalize():f}".partition(".")
    groupes = f"{int(entier):,}".replace(",", "\u202f")
    return groupes + ("," + decimales if decimales else "")


def historique_partie_cctp(partie: PartieCctp, *, nombre: int = 10) -> list[dict[str, Any]]:
    """The last saves of a part: when, by whom, and which fields changed; one query."""
    if partie.pk is None:
        return []
    historique = partie.history.select_related("history_user")
    enregistrements = list(historique.order_by("-history_date", "-history_id")[: nombre + 1])
    libelles = {c.nom: c.libelle for c in partie.partie.champs}
    libelles["criteres"] = "grille des critères"
    lignes = []
    for recent, precedent in zip(
        enregistrements[:nombre], [*enregistrements[1:], None], strict=False
    ):
        if precedent is None:
            changes = ["création"]
        else:
            avant, apres = precedent.contenu or {}, recent.contenu or {}
            changes = [
                libelles.get(nom, nom)
                for nom in dict.fromkeys([*apres, *avant])
                if _lue(apres, nom) != _lue(avant, nom)
            ]
        lignes.append({"date": recent.history_date, "par": recent.history_user, "champs": changes})
    return lignes


def _lue(valeurs: dict[str, Any], nom: str) -> Any:
    """A field never filled and a field left empty are the same to the reader."""
    valeur = valeurs.get(nom)
    return "" if valeur is None else valeur


def versions_du_cctp(marche: MarcheSubsequent) -> QuerySet[VersionCctp]:
    """The frozen versions of the marché's CCTP, newest first, with their PDF and round."""
    return (
        VersionCctp.objects.filter(marche=marche)
        .select_related("document", "consultation", "publiee_par")
        .order_by("-numero")
    )


def ressources_de_la_version(version: VersionCctp) -> list[dict[str, Any]]:
    """The note's documentary resources as this version froze them (title, type, date, the
    deposited file's uuid or the link): what the consulted groupements may download."""
    for partie in version.contenu.get("parties", []):
        if partie.get("slug") == "ressources":
            return list(partie.get("valeurs", {}).get("documents", []))
    return []


def date_limite_lisible(date_limite: Any) -> str:
    """« 15 mars 2027 à 12 h 00 », in Paris time whatever the server's."""
    return date_longue(timezone.localtime(date_limite, PARIS), r"j F Y à G \h i")
