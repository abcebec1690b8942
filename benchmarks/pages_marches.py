"""The marchés of the pages' benchmark (benchmarks/pages.py), built with bulk_create once the
ateliers are (pages_donnees): an accord-cadre in force whose titulaires are the benchmark's
groupements, one live marché per atelier in phase marché or later, in a state that fits its
phase, with its CCTP, consultations, offers, marks and, once notified, its attribution and
money; and the marchés' pages each role times.

bulk_create writes no simple_history rows (the CCTP parts' and the marks' history): the pages
timed here read the current rows, not their history."""

import datetime
from decimal import Decimal

from pages_marches_offres import construire_offres

NOTIFIEES = ("cadrage", "session_1", "session_2", "session_3", "restitution", "cloture")
# A marché in phase marché is being prepared, consulted or analysed, a third each.
EN_COURS = ("en_preparation", "en_consultation", "en_analyse")
# The grid of the CCTP (marches.selectors.cctp.GRILLE_PAR_DEFAUT): valeur technique in three
# marked sub-criteria, and the price.
SOUS_CRITERES = (
    ("Méthodologie", Decimal(30)),
    ("Compréhension des enjeux", Decimal(15)),
    ("Composition de l'équipe", Decimal(15)),
)
MOTIF_SANS_SUITE = "Le périmètre de l'atelier a changé : le CCTP est à réécrire."
SIRET_ACHETEUR = "11000990000017"
# Days from the opening of a marché to its entry in its state: published 5 days after, closed
# 21 days after that, notified three months after the opening.
DANS_L_ETAT = {"en_preparation": 0, "en_consultation": 5, "en_analyse": 26, "notifie": 90}


def _jours(n):
    return datetime.timedelta(days=n)


def _contenu_cctp(intitule, communes):
    """Every part of a CCTP, complete: the programme's defaults and the atelier's words."""
    from marches.models import PARTIES
    from marches.selectors.cctp import PAR_DEFAUT

    propres = {
        "objet": {
            "objet": f"Accompagnement de l'{intitule}"[:250],
            "problematique": f"Quelle stratégie d'aménagement pour {communes} ?",
            "contexte": "Un territoire en transition, des documents d'urbanisme à revoir.",
            "enjeux": "Risques, ressources en eau, mobilités, habitat.",
            "thematiques": "Transitions territoriales",
        },
        "territoire": {
            "echelle": "Intercommunale",
            "perimetre": communes,
            "description": f"Les communes de {communes} et leur bassin de vie.",
        },
        "objectifs": {
            "objectifs": "Partager un diagnostic.\nConstruire une stratégie.\nÉcrire une "
            "feuille de route.",
            "resultats": "Une feuille de route partagée par les élus.",
            "questions": "Quelles actions prioritaires ?",
        },
        "acteurs": {
            "maitrise_ouvrage": "Le service pilote et les collectivités porteuses.",
            "acteurs": "Élus, services, habitants, acteurs économiques.",
        },
        "ressources": {"complements": "Le SCOT, le PLUi, les études de risques.", "documents": []},
        "duree": {"duree_mois": 12, "calendrier": "Trois sessions sur douze mois."},
    }
    return {p.slug: {**PAR_DEFAUT.get(p.slug, {}), **propres.get(p.slug, {})} for p in PARTIES}


def construire_marches(rng):
    """The accords-cadres, then for each atelier past its eligibility its marché (and, for
    some, an earlier one classed without follow-up), its CCTP, rounds, offers and money."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from ateliers.models import Atelier, Evenement
    from comptes.models import Organisation, Utilisateur
    from marches.models import (
        PARTIES,
        AccordCadre,
        CodeMarche,
        Consultation,
        Critere,
        MarcheSubsequent,
        PartieCctp,
        TitulaireAccordCadre,
        VersionCctp,
    )

    T, S = Organisation.Type, MarcheSubsequent.Statut
    maintenant = timezone.now()
    groupements = list(Organisation.objects.filter(type=T.GROUPEMENT).order_by("pk"))
    dgaln = Organisation.objects.get(type=T.DGALN)
    pilote = Utilisateur.objects.get(email="ddt@banc.test")
    ddt = pilote.adhesions.get().organisation
    porteuse = Utilisateur.objects.get(email="collectivite@banc.test").adhesions.get().organisation
    auteurs = list(Utilisateur.objects.order_by("pk"))

    with transaction.atomic():
        ancien, courant = AccordCadre.objects.bulk_create(
            AccordCadre(
                reference=f"DHUP-AD1-{reference}-AT",
                intitule=f"Accompagnement des Ateliers des territoires ({debut.year}-{fin.year})",
                acheteur=dgaln,
                siret_acheteur=SIRET_ACHETEUR,
                date_debut=debut,
                date_fin=fin,
            )
            for reference, debut, fin in (
                (2019, datetime.date(2019, 11, 1), datetime.date(2023, 10, 31)),
                (2023, datetime.date(2024, 1, 1), datetime.date(2027, 12, 31)),
            )
        )
        TitulaireAccordCadre.objects.bulk_create(
            [
                *(
                    TitulaireAccordCadre(
                        accord_cadre=ancien,
                        groupement=g,
                        date_notification=datetime.date(2019, 10, 24),
                    )
                    for g in groupements[:3]
                ),
                *(
                    TitulaireAccordCadre(
                        accord_cadre=courant,
                        groupement=g,
                        date_notification=datetime.date(2023, 12, 18),
                        siret_mandataire=f"{90000000000000 + i:014d}",
                    )
                    for i, g in enumerate(groupements)
                ),
            ]
        )

        # The atelier in phase marché whose offers the DDT and the collectivité analyse.
        en_marche = list(
            Atelier.objects.filter(phase="marche").order_by("pk").values_list("pk", flat=True)
        )
        analysee = en_marche[EN_COURS.index("en_analyse")]
        Atelier.objects.filter(pk=analysee).update(service_pilote=ddt)
        Atelier.collectivites.through.objects.get_or_create(
            atelier_id=analysee, organisation_id=porteuse.pk
        )
        ateliers = list(
            Atelier.objects.filter(phase__in=["marche", *NOTIFIEES])
            .order_by("pk")
            .values("pk", "phase", "intitule", "communes", "groupement_id", "service_pilote_id")
        )

        rang_en_marche = {pk: i for i, pk in enumerate(en_marche)}
        marches, plans = [], []
        for a in ateliers:
            notifie = a["phase"] in NOTIFIEES
            if notifie:
                recul = 60 * (NOTIFIEES.index(a["phase"]) + 1) + a["pk"] % 60
                statut = S.NOTIFIE
                ouvert = maintenant - _jours(recul + 90)
            else:
                rang = rang_en_marche[a["pk"]] % len(EN_COURS)
                statut = EN_COURS[rang]
                ouvert = maintenant - _jours((10, 20, 45)[rang] + a["pk"] % 30)
            numero = 1
            objet = f"Accompagnement de l'{a['intitule']}"[:250]
            if a["pk"] % (25 if notifie else 8) == 0:
                # An earlier marché classed without follow-up, before this one was opened.
                marches.append(
                    MarcheSubsequent(
                        atelier_id=a["pk"],
                        numero=1,
                        accord_cadre=courant,
                        objet=objet,
                        statut=S.SANS_SUITE,
                        statut_depuis=ouvert - _jours(5),
                        ouvert_le=ouvert - _jours(90),
                        motif_sans_suite=MOTIF_SANS_SUITE,
                    )
                )
                plans.append((a, S.SANS_SUITE, ouvert - _jours(90)))
                numero = 2
            marches.append(
                MarcheSubsequent(
                    atelier_id=a["pk"],
                    numero=numero,
                    accord_cadre=courant,
                    objet=objet,
                    statut=statut,
                    statut_depuis=ouvert + _jours(DANS_L_ETAT[statut]),
                    ouvert_le=ouvert,
                    ouvert_par=pilote if a["service_pilote_id"] == ddt.pk else None,
                    attributaire_id=a["groupement_id"] if notifie else None,
                    notifie_le=(ouvert + _jours(90)).date() if notifie else None,
                )
            )
            plans.append((a, statut, ouvert))
        marches = MarcheSubsequent.objects.bulk_create(marches, batch_size=2000)

        parties = []
        for m, (a, _, ouvert) in zip(marches, plans, strict=True):
            contenus = _contenu_cctp(a["intitule"], a["communes"])
            parties.extend(
                PartieCctp(
                    marche=m,
                    slug=p.slug,
                    contenu=contenus[p.slug],
                    version=1 + (m.pk + i) % 3,
                    modifie_le=ouvert + _jours(2),
                    modifie_par=pilote,
                )
                for i, p in enumerate(PARTIES)
            )
        PartieCctp.objects.bulk_create(parties, batch_size=5000)

        # A round for every marché published: all but those in preparation, and half of
        # those classed without follow-up.
        publies = [
            (m, a, statut, ouvert)
            for m, (a, statut, ouvert) in zip(marches, plans, strict=True)
            if statut != S.EN_PREPARATION and not (statut == S.SANS_SUITE and m.pk % 2)
        ]
        consultations = []
        for m, _, statut, ouvert in publies:
            publiee = ouvert + _jours(5)
            if statut == S.EN_CONSULTATION:
                limite = maintenant + _jours(1 + m.pk % 20)
            else:
                limite = publiee + _jours(21)
            consultations.append(
                Consultation(
                    marche=m,
                    reference_place=f"{publiee:%Y}-BANC-AL-{m.pk:05d}",
                    publiee_le=publiee.date(),
                    date_limite=limite,
                    close_le=None if statut == S.EN_CONSULTATION else limite,
                    cree_le=publiee,
                    cree_par=pilote,
                )
            )
        consultations = Consultation.objects.bulk_create(consultations, batch_size=2000)
        Consultation.consultes.through.objects.bulk_create(
            (
                Consultation.consultes.through(consultation_id=c.pk, organisation_id=g.pk)
                for c in consultations
                for g in groupements
            ),
            batch_size=10000,
        )

        # Version 1 of each round's CCTP, and a rectificatif (version 2) for one in ten.
        versions = []
        for c, (m, a, _, _) in zip(consultations, publies, strict=True):
            contenu = {
                "parties": [
                    {"slug": p.slug, "titre": p.titre, "valeurs": valeurs}
                    for p, valeurs in zip(
                        PARTIES, _contenu_cctp(a["intitule"], a["communes"]).values(), strict=True
                    )
                ]
            }
            for numero in range(1, 3 if c.pk % 10 == 0 else 2):
                versions.append(
                    VersionCctp(
                        marche=m,
                        consultation=c,
                        numero=numero,
                        contenu=contenu,
                        rectificatif="" if numero == 1 else "Calendrier des sessions précisé.",
                        publiee_le=c.cree_le + _jours(numero - 1),
                        publiee_par=pilote,
                    )
                )
        versions = VersionCctp.objects.bulk_create(versions, batch_size=2000)
        derniere = {v.consultation_id: v for v in versions}
        parents = Critere.objects.bulk_create(
            (
                Critere(version=v, libelle=libelle, poids=poids, est_prix=prix, ordre=ordre)
                for v in versions
                for libelle, poids, prix, ordre in (
                    ("Valeur technique", Decimal(60), False, 1),
                    ("Prix", Decimal(40), True, 5),
                )
            ),
            batch_size=5000,
        )
        technique = {c.version_id: c for c in parents if not c.est_prix}
        sous = Critere.objects.bulk_create(
            (
                Critere(
                    version_id=v.pk, parent=technique[v.pk], libelle=libelle, poids=poids, ordre=i
                )
                for v in versions
                for i, (libelle, poids) in enumerate(SOUS_CRITERES, start=2)
            ),
            batch_size=5000,
        )
        notes_de = {}
        for c in sous:
            notes_de.setdefault(c.version_id, []).append(c)

        construire_offres(
            rng,
            publies=publies,
            consultations=consultations,
            derniere=derniere,
            notes_de=notes_de,
            groupements=groupements,
            marches=marches,
            pilote=pilote,
        )

        # The journal lines of the marchés, as their transitions write them.
        type_marche = ContentType.objects.get_for_model(MarcheSubsequent)
        etapes = {
            S.EN_PREPARATION: [("ouvrir", "marche.ouvert", "nouveau", "en_preparation")],
            S.EN_CONSULTATION: [("publier", "marche.publie", "en_preparation", "en_consultation")],
            S.EN_ANALYSE: [
                ("clore_consultation", "marche.consultation_close", "en_consultation", "en_analyse")
            ],
            S.NOTIFIE: [
                ("attribuer", "marche.attribue", "en_analyse", "attribue"),
                ("notifier", "marche.notifie", "attribue", "notifie"),
            ],
            S.SANS_SUITE: [
                ("classer_sans_suite", "marche.sans_suite", "en_preparation", "sans_suite")
            ],
        }
        suite = [S.EN_PREPARATION, S.EN_CONSULTATION, S.EN_ANALYSE, S.NOTIFIE]
        lignes = []
        for m, (a, statut, ouvert) in zip(marches, plans, strict=True):
            parcours = (
                suite[: suite.index(statut) + 1]
                if statut in suite
                else [S.EN_PREPARATION, S.SANS_SUITE]
            )
            pas = [e for etape in parcours for e in etapes[etape]]
            for n, (transition, code, avant, apres) in enumerate(pas):
                lignes.append(
                    Evenement(
                        date=min(ouvert + _jours(20 * n), maintenant),
                        atelier_id=a["pk"],
                        par=rng.choice(auteurs),
                        organisation_id=a["service_pilote_id"],
                        objet_type=type_marche,
                        objet_id=str(m.pk),
                        objet_libelle=m.objet,
                        libelle=CodeMarche(code).label,
                        transition=transition,
                        code=code,
                        etat_avant=avant,
                        etat_apres=apres,
                    )
                )
        Evenement.objects.bulk_create(lignes, batch_size=5000)
        with connection.cursor() as c:
            # The pilot services publish their marchés' données essentielles under their SIRET.
            c.execute(
                "UPDATE comptes_organisation SET siret = (13000000000000 + id)::text "
                "WHERE type IN (%s, %s)",
                [T.DDT, T.DREAL],
            )
            # The accompagnement starts the day its marché is notified.
            c.execute(
                "UPDATE ateliers_atelier a SET debut_accompagnement = m.notifie_le "
                "FROM marches_marchesubsequent m WHERE m.atelier_id = a.id AND m.statut = 'notifie'"
            )


def pages_marches():
    """The marchés' pages, by name: every role times those it may open (200)."""
    from django.db.models import Count

    from ateliers.models import Atelier
    from comptes.models import Utilisateur
    from marches.models import MarcheSubsequent

    ddt = Utilisateur.objects.get(email="ddt@banc.test").adhesions.get().organisation
    porteuse = Utilisateur.objects.get(email="collectivite@banc.test").adhesions.get().organisation
    grand = Atelier.objects.annotate(lignes=Count("journal")).order_by("-lignes").first()
    notifie = MarcheSubsequent.objects.get(atelier=grand, statut="notifie")
    analyse = (
        MarcheSubsequent.objects.filter(
            statut="en_analyse", atelier__service_pilote=ddt, atelier__collectivites=porteuse
        )
        .order_by("pk")
        .first()
    )
    return {
        "marchés": "/marches/",
        "marchés, état": "/marches/?statut=en_analyse",
        "marché notifié (paiements)": f"/marches/{notifie.pk}/",
        "marché en analyse (offres)": f"/marches/{analyse.pk}/",
        "analyse des offres": f"/marches/{analyse.pk}/analyse/",
        "finances nationales": "/marches/finances/",
        "DECP": "/marches/decp/",
        "mes consultations": "/marches/consultations/",
        "accords-cadres": "/marches/accords-cadres/",
    }
