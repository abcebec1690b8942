"""The livrables of the pages' benchmark (benchmarks/pages.py), built with bulk_create once the
accompagnement is (pages_accompagnement): every atelier whose cadrage is open has its livrables
in the states its phase implies (the note de cadrage under review or validated from the
cadrage on, the carnet and the feuille de route from the session 3, the five validated at the
clôture), each deposited in one to three versions, an uploaded PDF or written in the portal
(its frozen `contenu` and its rendered PDF), with the pilot's comments, the groupement's
answers and some avis; the money follows (a tranche is due only once its livrable is
validated). The atelier every role sees has the heavy rows: its note de cadrage validated
after 20 versions and 80 comments, its feuille de route of 150 actions with their financing
(one version sent back with comments, its draft written since) and its livret's four parts
and two images. Those are frozen by the livrables' own selectors (`contenu_actuel`), as a
dépôt does."""

import datetime
import uuid
from decimal import Decimal

# Each type's state by the atelier's phase, as shares (absent: no row yet, « attendu »).
PAR_PHASE = {
    "cadrage": {
        "note_cadrage": {"": 0.3, "depose": 0.3, "corrections_demandees": 0.2, "valide": 0.2}
    },
    "session_1": {"note_cadrage": {"valide": 1}},
    "session_2": {"note_cadrage": {"valide": 1}},
    "session_3": {
        "note_cadrage": {"valide": 1},
        "carnet_suivi": {"": 0.5, "depose": 0.3, "corrections_demandees": 0.2},
        "feuille_route": {"": 0.7, "depose": 0.3},
    },
    "restitution": {
        "note_cadrage": {"valide": 1},
        **{
            t: {"depose": 0.25, "corrections_demandees": 0.15, "valide": 0.6}
            for t in ("carnet_suivi", "rapport_final", "feuille_route", "livret")
        },
    },
    "cloture": {
        t: {"valide": 1}
        for t in ("note_cadrage", "carnet_suivi", "rapport_final", "feuille_route", "livret")
    },
}
# Written in the portal half of the time; the others are always uploaded here.
REDIGEABLES = ("note_cadrage", "rapport_final")
PARTIES = {
    "note_cadrage": (
        ("methodologie", "Méthodologie"),
        ("calendrier", "Calendrier"),
        ("equipe", "Équipe mobilisée"),
    ),
    "rapport_final": (("synthese", "Synthèse"), ("preconisations", "Préconisations")),
}
PARTIES_DU_LIVRET = (
    ("edito", "Éditorial"),
    ("temoignages", "Témoignages"),
    ("enseignements", "Enseignements"),
    ("perspectives", "Perspectives"),
)
VERSIONS_DU_GRAND = 20
COMMENTAIRES_DU_GRAND = 80
ACTIONS_DU_GRAND = 150
# The feuille de route's version 1 froze this many of the draft's actions.
ACTIONS_DE_LA_VERSION_1 = 140
SOURCES = ("etat_detr", "etat_dsil", "etat_fonds_vert", "region", "departement", "epci", "europe")
PHRASES = (
    "Les sessions réunissent les élus, les services et les habitants du territoire.",
    "Chaque session prépare la suivante par un compte-rendu validé par le service pilote.",
    "Le diagnostic part des données du territoire et des entretiens menés en amont.",
    "Les propositions sont classées par thème et par priorité avec les participants.",
    "La feuille de route reprend les actions retenues, leur porteur et leur financement.",
    "Un comité de suivi se réunit entre les sessions pour arbitrer les choix.",
)
DEMANDES = (
    "Précisez le rôle de chaque membre du groupement pendant les sessions.",
    "Le calendrier doit tenir compte des conseils municipaux de mars.",
    "Ajoutez les modalités de concertation avec les habitants.",
    "La méthode d'animation de la session 2 reste trop générale.",
)
REPONSE = "C'est corrigé dans cette version."


def _uuid(rng):
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _moment(jour, jours, maintenant):
    """`jours` after the morning of `jour`, never later than an hour ago."""
    quand = datetime.datetime.combine(jour, datetime.time(10), tzinfo=datetime.UTC)
    return min(quand + datetime.timedelta(days=jours), maintenant - datetime.timedelta(hours=1))


def _texte(rng, n):
    return " ".join(rng.choice(PHRASES) for _ in range(n))


def _contenu_ecrit(rng, type, prevues, numero):
    """What a dépôt of the note or the rapport freezes (livrables.contenus.contenu_actuel):
    its parts with their texts; the note's calendar and team as their readable text, table
    and data (selectors.redaction.contenu_redige). Each version adds a sentence."""
    from ateliers.models import EtapePrevue
    from comptes.dates import date_longue

    parties = []
    for cle, titre in PARTIES[type]:
        partie = {"cle": cle, "titre": titre, "texte": "", "texte_assemble": ""}
        if cle == "calendrier":
            etapes = [(str(lib), prevues[n]) for n, lib in EtapePrevue.Nature.choices]
            partie |= {
                "texte_assemble": "\n".join(f"{lib} : {date_longue(j)}" for lib, j in etapes),
                "tableau": {
                    "entetes": ["Étape", "Date prévue", "Commentaire du groupement"],
                    "lignes": [[lib, date_longue(j), ""] for lib, j in etapes],
                },
                "lignes": [
                    {"nature": n, "date": prevues[n].isoformat(), "commentaire": ""}
                    for n, _ in EtapePrevue.Nature.choices
                ],
            }
        elif cle == "equipe":
            partie |= {
                "tableau": {
                    "entetes": ["Membre du groupement", "Compétences", "Rôle dans l'atelier"],
                    "lignes": [],
                },
                "lignes": [],
            }
        else:
            partie["texte"] = _texte(rng, 4 + numero)
        parties.append(partie)
    return {"parties": parties}


def _plan(rng, etat, redige):
    """The versions of a livrable in `etat`: how many, their mode, and per version the
    comments it received (sent or not)."""
    if etat in ("depose", "corrections_demandees"):
        nombre = rng.choices((1, 2), (0.7, 0.3))[0]
    else:
        nombre = rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0]
    versions = []
    for numero in range(1, nombre + 1):
        derniere = numero == nombre
        if not derniere or etat == "corrections_demandees":
            commentaires, envoyes = rng.randint(1, 3), True
        elif etat == "depose":
            commentaires, envoyes = rng.randint(0, 2), False
        else:
            commentaires, envoyes = 0, False
        versions.append(
            {
                "numero": numero,
                "redige": redige,
                "commentaires": commentaires,
                "envoyes": envoyes,
                "avis": derniere and etat in ("depose", "valide") and rng.random() < 0.4,
            }
        )
    return versions


def construire_livrables(rng):
    """Build the livrables of every atelier whose cadrage is open, in bulk, then the heavy
    rows of the atelier every role sees; return the number of livrables and of versions."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count, Min
    from django.utils import timezone

    from ateliers.models import Atelier, calendrier_propose
    from comptes.models import Utilisateur
    from documents.models import FichierDepose
    from livrables.models import (
        ETAPE_DU_TYPE,
        Avis,
        Cloture,
        Commentaire,
        Livrable,
        PartieRedigee,
        TypeLivrable,
        VersionLivrable,
    )
    from marches.models import Tranche

    maintenant = timezone.now()
    comptes = {
        role: Utilisateur.objects.get(email=f"{role}@banc.test")
        for role in ("ddt", "collectivite", "dgaln", "groupement")
    }
    grand = Atelier.objects.annotate(lignes=Count("journal")).order_by("-lignes").first()
    ateliers = list(
        Atelier.objects.filter(phase__in=PAR_PHASE, cadrage__isnull=False)
        .exclude(pk=grand.pk)
        .annotate(porteuse=Min("collectivites"))
        .only("pk", "phase", "debut_accompagnement")
        .order_by("pk")
    )

    livrables, plans = [], []
    for a in ateliers:
        prevues = calendrier_propose(a.debut_accompagnement, 12)
        for type, parts in PAR_PHASE[a.phase].items():
            etat = rng.choices(list(parts), list(parts.values()))[0]
            if not etat:
                continue
            redige = type in REDIGEABLES and rng.random() < 0.5
            versions = _plan(rng, etat, redige)
            jour = prevues[ETAPE_DU_TYPE[type]]
            # Deposited around its planned date, a fortnight between versions.
            for v in versions:
                v["le"] = _moment(jour, 14 * (v["numero"] - len(versions)) - 3, maintenant)
            valide = etat == "valide"
            livre = type == TypeLivrable.LIVRET and (valide or rng.random() < 0.5)
            livrables.append(
                Livrable(
                    atelier_id=a.pk,
                    type=type,
                    statut=etat,
                    statut_depuis=versions[-1]["le"],
                    valide_le=_moment(jour, 7, maintenant) if valide else None,
                    valide_par=comptes["ddt"] if valide else None,
                    accord_dgaln_le=_moment(jour, 5, maintenant) if livre else None,
                    accord_dgaln_par=comptes["dgaln"] if livre else None,
                    publiable=a.phase == "cloture" and type in ("feuille_route", "livret"),
                )
            )
            plans.append((a, prevues, versions))
    livrables = Livrable.objects.bulk_create(livrables, batch_size=5000)

    type_livrable = ContentType.objects.get_for_model(Livrable)
    fichiers, lignes = [], []
    for livrable, (a, prevues, versions) in zip(livrables, plans, strict=True):
        for v in versions:
            fichier = None
            if not v["redige"]:
                fichier = FichierDepose(
                    uuid=_uuid(rng),
                    nom_original=f"{livrable.type}_v{v['numero']}.pdf",
                    extension=".pdf",
                    taille=rng.randint(200_000, 4_000_000),
                    type_contenu="application/pdf",
                    sha256=f"{rng.getrandbits(256):064x}",
                    depose_par=comptes["groupement"],
                    depose_le=v["le"],
                    proprietaire_type=type_livrable,
                    proprietaire_id=str(livrable.pk),
                )
                fichier.fichier.name = f"fichiers/{fichier.uuid.hex[:2]}/{fichier.uuid.hex}.pdf"
                fichiers.append(fichier)
            lignes.append((livrable, a, prevues, v, fichier))
    FichierDepose.objects.bulk_create(fichiers, batch_size=5000)
    versions = VersionLivrable.objects.bulk_create(
        (
            VersionLivrable(
                livrable=livrable,
                numero=v["numero"],
                mode="redige" if v["redige"] else "fichier",
                fichier=fichier,
                contenu=_contenu_ecrit(rng, livrable.type, prevues, v["numero"])
                if v["redige"]
                else {},
                message="Version déposée pour relecture." if v["numero"] == 1 else REPONSE,
                deposee_le=v["le"],
                deposee_par=comptes["groupement"],
            )
            for livrable, a, prevues, v, fichier in lignes
        ),
        batch_size=5000,
    )

    commentaires, avis = [], []
    for rang, (version, (livrable, a, _, v, _)) in enumerate(zip(versions, lignes, strict=True)):
        suivante = versions[rang + 1] if rang + 1 < len(versions) else None
        repondu = v["envoyes"] and suivante is not None and suivante.livrable_id == livrable.pk
        cles = [cle for cle, _ in PARTIES.get(livrable.type, ())] if v["redige"] else []
        for n in range(v["commentaires"]):
            commentaires.append(
                Commentaire(
                    version=version,
                    partie=cles[n % len(cles)] if cles else "",
                    page=None if cles else n + 1,
                    texte=DEMANDES[n % len(DEMANDES)],
                    auteur=comptes["ddt"],
                    cree_le=v["le"] + datetime.timedelta(hours=2 + n),
                    envoye=v["envoyes"],
                    reponse=REPONSE if repondu else "",
                    repondu_le=suivante.deposee_le if repondu else None,
                    repondu_dans=suivante if repondu else None,
                )
            )
        if v["avis"] and a.porteuse:
            avis.append(
                Avis(
                    version=version,
                    collectivite_id=a.porteuse,
                    sens=rng.choice(("favorable", "favorable", "reserves")),
                    texte="Le territoire s'y retrouve.",
                    auteur=comptes["collectivite"],
                    donne_le=v["le"] + datetime.timedelta(days=2),
                )
            )
    Commentaire.objects.bulk_create(commentaires, batch_size=5000)
    Avis.objects.bulk_create(avis, batch_size=5000)
    ecrites = [(version, ligne) for version, ligne in zip(versions, lignes, strict=True)]
    _documents(rng, [(ver, lv) for ver, (lv, _, _, v, _) in ecrites if v["redige"]])

    # The draft the groupement keeps between versions: the last version's parts.
    derniere = {}
    for version, (livrable, *_rest) in ecrites:
        if version.mode == "redige":
            derniere[livrable.pk] = version
    PartieRedigee.objects.bulk_create(
        (
            PartieRedigee(
                livrable_id=pk,
                cle=p["cle"],
                titre=p["titre"],
                ordre=ordre,
                texte=p["texte"],
                modifie_le=version.deposee_le,
                modifie_par=comptes["groupement"],
            )
            for pk, version in derniere.items()
            for ordre, p in enumerate(version.contenu["parties"])
        ),
        batch_size=5000,
    )
    Cloture.objects.bulk_create(
        Cloture(
            atelier_id=a.pk,
            statut="prononcee",
            prononcee_le=_moment(
                calendrier_propose(a.debut_accompagnement, 12)["livret_capitalisation"],
                20,
                maintenant,
            ),
            prononcee_par=comptes["ddt"],
        )
        for a in ateliers
        if a.phase == "cloture"
    )

    # The marchés' builder made the tranche of each atelier's next milestone due: not before
    # its livrables are validated.
    valides = Livrable.objects.filter(statut="valide")
    note_en_attente = Atelier.objects.filter(phase="cadrage").exclude(
        pk__in=valides.filter(type="note_cadrage").values("atelier_id")
    )
    finaux = (
        valides.exclude(type="note_cadrage")
        .order_by()
        .values("atelier_id")
        .annotate(n=Count("pk"))
        .filter(n=4)
        .values("atelier_id")
    )
    finaux_en_attente = Atelier.objects.filter(phase="restitution").exclude(pk__in=finaux)
    for jalon, en_attente in (
        ("note_cadrage", note_en_attente),
        ("livrables_finaux", finaux_en_attente),
    ):
        Tranche.objects.filter(
            jalon=jalon, statut="exigible", execution__marche__atelier__in=en_attente
        ).update(statut="prevue", exigible_le=None)

    _grand(rng, grand, comptes, maintenant)
    return Livrable.objects.count(), VersionLivrable.objects.count()


def _documents(rng, versions):
    """The PDF rendered from each written version (`version_rendre`), ready."""
    from django.contrib.contenttypes.models import ContentType

    from documents.models import Document
    from livrables.models import VersionLivrable
    from livrables.pdf import GABARITS

    type_version = ContentType.objects.get_for_model(VersionLivrable)
    documents = []
    for version, livrable in versions:
        document = Document(
            uuid=_uuid(rng),
            source_type=type_version,
            source_id=str(version.pk),
            gabarit=GABARITS[livrable.type],
            contexte="livrables.pdf.contexte_version",
            titre=f"{livrable.get_type_display()} — version {version.numero}",
            version_source=str(version.numero),
            statut="pret",
            taille=rng.randint(80_000, 900_000),
            sha256=f"{rng.getrandbits(256):064x}",
            nombre_pages=rng.randint(4, 30),
            duree_rendu=rng.uniform(1, 6),
            demande_le=version.deposee_le,
            commence_le=version.deposee_le,
            termine_le=version.deposee_le + datetime.timedelta(seconds=8),
        )
        document.fichier.name = f"documents/{document.uuid.hex[:2]}/{document.uuid.hex}.pdf"
        documents.append(document)
    Document.objects.bulk_create(documents, batch_size=5000)


def _fichier(rng, *, nom, type_contenu, proprietaire, par, le):
    from django.contrib.contenttypes.models import ContentType

    from documents.models import FichierDepose

    fichier = FichierDepose(
        uuid=_uuid(rng),
        nom_original=nom,
        extension=nom[nom.rindex(".") :],
        taille=rng.randint(200_000, 4_000_000),
        type_contenu=type_contenu,
        sha256=f"{rng.getrandbits(256):064x}",
        depose_par=par,
        depose_le=le,
        proprietaire_type=ContentType.objects.get_for_model(proprietaire),
        proprietaire_id=str(proprietaire.pk),
    )
    fichier.fichier.name = f"fichiers/{fichier.uuid.hex[:2]}/{fichier.uuid.hex}{fichier.extension}"
    fichier.save()
    return fichier


def _grand(rng, grand, comptes, maintenant):
    """The heavy rows of the atelier every role sees, each version frozen from the draft by
    `contenu_actuel`, as `version_deposer` does."""
    from livrables.contenus import contenu_actuel
    from livrables.models import Avis, Commentaire, Livrable, PartieRedigee, VersionLivrable

    debut = grand.debut_accompagnement
    porteuse = grand.collectivites.order_by("pk").first()
    groupement, ddt = comptes["groupement"], comptes["ddt"]

    # The note de cadrage: a PDF first, then 19 versions written in the portal, each answering
    # the comments on the one before; validated at the 20th.
    quand = [_moment(debut, 12 + 2 * n, maintenant) for n in range(VERSIONS_DU_GRAND)]
    note = Livrable.objects.create(
        atelier=grand,
        type="note_cadrage",
        statut="valide",
        statut_depuis=quand[-1] + datetime.timedelta(hours=1),
        valide_le=quand[-1] + datetime.timedelta(hours=1),
        valide_par=ddt,
    )
    phrases = [rng.choice(PHRASES) for _ in range(8)]
    methodologie = PartieRedigee.objects.create(
        livrable=note, cle="methodologie", titre="Méthodologie", ordre=0, modifie_par=groupement
    )
    calendrier = PartieRedigee.objects.create(
        livrable=note,
        cle="calendrier",
        titre="Calendrier",
        ordre=1,
        donnees={"commentaires": {}},
        modifie_par=groupement,
    )
    PartieRedigee.objects.create(
        livrable=note,
        cle="equipe",
        titre="Équipe mobilisée",
        ordre=2,
        donnees={"membres": {}},
        modifie_par=groupement,
    )
    versions = []
    for numero, le in enumerate(quand, start=1):
        fichier, contenu = None, {}
        if numero == 1:
            fichier = _fichier(
                rng,
                nom="note_cadrage_v1.pdf",
                type_contenu="application/pdf",
                proprietaire=note,
                par=groupement,
                le=le,
            )
        else:
            phrases[rng.randrange(len(phrases))] = rng.choice(DEMANDES).replace(
                "Précisez", "Nous précisons"
            )
            phrases.append(rng.choice(PHRASES))
            methodologie.texte = " ".join(phrases)
            methodologie.save(update_fields=["texte"])
            calendrier.donnees["commentaires"][f"session_{numero % 3 + 1}"] = (
                f"Date confirmée avec la commune (version {numero})."
            )
            calendrier.save(update_fields=["donnees"])
            contenu = contenu_actuel(note)
        versions.append(
            VersionLivrable.objects.create(
                livrable=note,
                numero=numero,
                mode="fichier" if fichier else "redige",
                fichier=fichier,
                contenu=contenu,
                message=REPONSE if numero > 1 else "Première version de la note de cadrage.",
                deposee_le=le,
                deposee_par=groupement,
            )
        )
    _documents(rng, [(v, note) for v in versions if v.mode == "redige"])
    # 80 comments over the 19 versions sent back: five on the first four, four on the others.
    par_version = [5] * 4 + [4] * (VERSIONS_DU_GRAND - 5)
    assert sum(par_version) == COMMENTAIRES_DU_GRAND
    commentaires = []
    for version, suivante, nombre in zip(versions, versions[1:], par_version, strict=False):
        for n in range(nombre):
            ecrite = version.mode == "redige"
            commentaires.append(
                Commentaire(
                    version=version,
                    partie=("methodologie", "calendrier", "")[n % 3] if ecrite else "",
                    page=None if ecrite else n + 1,
                    texte=DEMANDES[n % len(DEMANDES)],
                    auteur=ddt,
                    cree_le=version.deposee_le + datetime.timedelta(minutes=10 + n),
                    envoye=True,
                    reponse=REPONSE,
                    repondu_le=suivante.deposee_le,
                    repondu_dans=suivante,
                )
            )
    Commentaire.objects.bulk_create(commentaires)
    Avis.objects.bulk_create(
        Avis(
            version=versions[numero - 1],
            collectivite=porteuse,
            sens=sens,
            texte="La note reprend les attentes des élus.",
            auteur=comptes["collectivite"],
            donne_le=versions[numero - 1].deposee_le + datetime.timedelta(minutes=30),
        )
        for numero, sens in ((10, "reserves"), (VERSIONS_DU_GRAND, "favorable"))
    )

    _feuille(rng, grand, porteuse, comptes, maintenant)

    # The livret, not deposited yet: the groupement's four parts and two images.
    livret = Livrable.objects.create(atelier=grand, type="livret")
    PartieRedigee.objects.bulk_create(
        PartieRedigee(
            livrable=livret,
            cle=cle,
            titre=titre,
            ordre=ordre,
            texte=_texte(rng, 12),
            modifie_par=groupement,
        )
        for ordre, (cle, titre) in enumerate(PARTIES_DU_LIVRET, start=1)
    )
    from livrables.models import ImageLivret

    for n, partie in enumerate(("temoignages", "perspectives"), start=1):
        ImageLivret.objects.create(
            livrable=livret,
            fichier=_fichier(
                rng,
                nom=f"photo_{n}.jpg",
                type_contenu="image/jpeg",
                proprietaire=livret,
                par=groupement,
                le=maintenant,
            ),
            partie=partie,
            legende=f"Atelier de la session {n}",
            texte_alternatif="Les participants autour de la carte du territoire.",
            deposee_par=groupement,
        )


def _feuille(rng, grand, porteuse, comptes, maintenant):
    """The feuille de route of 150 actions: its version 1 (140 actions) sent back with
    comments, its draft written since (ten more actions, five costs revised)."""
    from candidatures.models import Thematique
    from livrables.contenus import contenu_actuel
    from livrables.models import (
        Action,
        Axe,
        Commentaire,
        Financement,
        Livrable,
        Objectif,
        VersionLivrable,
    )

    le = _moment(grand.debut_accompagnement, 120, maintenant)
    feuille = Livrable.objects.create(
        atelier=grand,
        type="feuille_route",
        statut="corrections_demandees",
        statut_depuis=le + datetime.timedelta(days=3),
    )
    Objectif.objects.bulk_create(
        Objectif(livrable=feuille, intitule=f"Objectif {n} du territoire", ordre=n)
        for n in range(1, 5)
    )
    axes = Axe.objects.bulk_create(
        Axe(livrable=feuille, intitule=f"Axe {n} : {PHRASES[n - 1][:60]}", ordre=n)
        for n in range(1, 7)
    )
    themes = list(Thematique.objects.order_by("pk")[:8])

    def actions(numeros):
        faites = Action.objects.bulk_create(
            Action(
                livrable=feuille,
                numero=i,
                axe=axes[i % len(axes)],
                ordre=i // len(axes),
                titre=f"Action {i} : {rng.choice(PHRASES)[:80]}",
                description=_texte(rng, 2),
                thematique=rng.choice(themes),
                priorite=rng.choice((1, 2, 3)),
                porteur=porteuse if i % 3 == 0 else None,
                porteur_nom="" if i % 3 == 0 else f"Syndicat mixte {i % 7}",
                partenaires="Commune\nDépartement",
                cout_estime=Decimal(rng.randrange(20, 900) * 1000),
                debut=datetime.date(2027, 1 + i % 12, 1) if i % 3 != 2 else None,
                fin=datetime.date(2028, 1 + i % 12, 28) if i % 3 != 2 else None,
                horizon=("court", "moyen", "long")[i % 3] if i % 3 == 2 else "",
                indicateurs="Nombre de logements\nSurface désimperméabilisée",
                statut=rng.choice(("a_engager", "engagee", "realisee")),
            )
            for i in numeros
        )
        Financement.objects.bulk_create(
            Financement(
                action=a,
                source=source,
                montant=(a.cout_estime * Decimal(rng.randint(10, 30)) / 100).quantize(1),
                ordre=ordre,
            )
            for a in faites
            for ordre, source in enumerate(rng.sample(SOURCES, rng.randint(1, 3)))
        )

    actions(range(1, ACTIONS_DE_LA_VERSION_1 + 1))
    version = VersionLivrable.objects.create(
        livrable=feuille,
        numero=1,
        mode="redige",
        contenu=contenu_actuel(feuille),
        message="Première version du plan d'action.",
        deposee_le=le,
        deposee_par=comptes["groupement"],
    )
    _documents(rng, [(version, feuille)])
    Commentaire.objects.bulk_create(
        Commentaire(
            version=version,
            texte=DEMANDES[n % len(DEMANDES)],
            auteur=comptes["ddt"],
            cree_le=le + datetime.timedelta(days=2, minutes=n),
            envoye=True,
        )
        for n in range(6)
    )
    actions(range(ACTIONS_DE_LA_VERSION_1 + 1, ACTIONS_DU_GRAND + 1))
    for action in Action.objects.filter(livrable=feuille, numero__lte=5):
        action.cout_estime += 10_000
        action.save(update_fields=["cout_estime"])


def pages_livrables():
    """The livrables' pages of the atelier every role sees, by name."""
    from django.db.models import Count

    from ateliers.models import Atelier

    grand = Atelier.objects.annotate(lignes=Count("journal")).order_by("-lignes").first()
    base = f"/livrables/atelier/{grand.pk}/"
    return {
        "livrables de l'atelier": base,
        f"livrable ({VERSIONS_DU_GRAND} versions, {COMMENTAIRES_DU_GRAND} commentaires)": (
            f"{base}note_cadrage/"
        ),
        f"feuille de route ({ACTIONS_DU_GRAND} actions)": f"{base}feuille_route/plan/",
        "feuille de route, ses versions": f"{base}feuille_route/",
        "livret": f"{base}livret/redaction/",
    }
