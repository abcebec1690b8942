"""The data of the pages' benchmark (benchmarks/pages.py): 10 000 ateliers spread over the
phases and the départements, their pré-candidatures, candidatures with their note, versions
and decisions, their journal, one user per role; built with bulk_create."""

import datetime
import random

# Bump when the data built below changes: the next run rebuilds the database.
VERSION_DONNEES = "8"
NOMBRE_ATELIERS = 10_000
JOURNAL_LONG = 1_500
GRAINE = 13

# Share of the ateliers in each phase (sums to 1): most are past the candidature.
REPARTITION = {
    "pre_candidature": 0.12,
    "candidature": 0.10,
    "instruction": 0.08,
    "eligible": 0.07,
    "marche": 0.08,
    "cadrage": 0.07,
    "session_1": 0.07,
    "session_2": 0.07,
    "session_3": 0.07,
    "restitution": 0.07,
    "cloture": 0.10,
    "non_eligible": 0.04,
    "abandonne": 0.06,
}
# Journal lines of an atelier, by phase: one per step it went through, plus sessions and files.
LIGNES_PAR_PHASE = {
    "pre_candidature": 1,
    "candidature": 4,
    "instruction": 5,
    "eligible": 6,
    "marche": 7,
    "cadrage": 7,
    "session_1": 8,
    "session_2": 9,
    "session_3": 11,
    "restitution": 12,
    "cloture": 18,
    "non_eligible": 5,
    "abandonne": 3,
}
MOTS = [
    "vallée",
    "littoral",
    "plateau",
    "bocage",
    "montagne",
    "causse",
    "estuaire",
    "bassin",
    "coteaux",
    "marais",
    "plaine",
    "forêt",
    "piémont",
    "delta",
    "presqu'île",
    "canal",
    "lagune",
    "garrigue",
    "bourg",
    "faubourg",
]
LIEUX = [
    "Saint-Martin",
    "Villeneuve",
    "Beaumont",
    "Montreuil",
    "Fontaine",
    "Roche",
    "Belleville",
    "Chaumont",
    "Mirande",
    "Châteauneuf",
    "Rivière",
    "Lavaur",
    "Sarlat",
    "Figeac",
    "Millau",
    "Dinan",
    "Vitré",
    "Brioude",
    "Tulle",
    "Autun",
]


def _texte(rng, mots=40):
    return " ".join(rng.choice(MOTS + LIEUX) for _ in range(mots)).capitalize() + "."


def construire():
    """Build the 10 000 ateliers and everything around them, in bulk."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from ateliers.models import Atelier, Evenement
    from candidatures.models import (
        Candidature,
        Decision,
        Objet,
        PreCandidature,
        Thematique,
        VersionCandidature,
    )
    from candidatures.parties import PARTIES
    from candidatures.selectors import contenu_du_dossier
    from comptes.models import Adhesion, Organisation, Utilisateur
    from territoires.models import Departement, Region

    rng = random.Random(GRAINE)  # noqa: S311 (reproducible data, no secret)
    call_command("charger_referentiels", verbosity=0)
    regions = list(Region.objects.order_by("code"))
    departements = list(Departement.objects.select_related("region").order_by("code"))
    # Populous départements carry more ateliers: weights from a fixed Zipf-like spread.
    poids = [1 / (1 + (i * 37 % len(departements)) ** 0.6) for i in range(len(departements))]
    thematiques = list(Thematique.objects.all())
    T = Organisation.Type

    with transaction.atomic():
        ddt = {
            d.code: o
            for d, o in zip(
                departements,
                Organisation.objects.bulk_create(
                    Organisation(nom=f"DDT {d.nom}", type=T.DDT, departement=d)
                    for d in departements
                ),
                strict=True,
            )
        }
        dreal = {
            r.code: o
            for r, o in zip(
                regions,
                Organisation.objects.bulk_create(
                    Organisation(nom=f"DREAL {r.nom}", type=T.DREAL, region=r) for r in regions
                ),
                strict=True,
            )
        }
        dgaln = Organisation.objects.create(nom="DGALN", type=T.DGALN)
        groupements = Organisation.objects.bulk_create(
            Organisation(nom=f"Groupement {i}", type=T.GROUPEMENT) for i in range(40)
        )
        operateurs = Organisation.objects.bulk_create(
            Organisation(nom=f"Opérateur {i}", type=T.OPERATEUR) for i in range(6)
        )
        collectivites = Organisation.objects.bulk_create(
            Organisation(
                nom=f"{rng.choice(['Commune de', 'Communauté de communes de'])} "
                f"{rng.choice(LIEUX)} {i}",
                type=rng.choice([T.COMMUNE, T.EPCI, T.SYNDICAT]),
                siren=f"{200000000 + i}",
                departement=rng.choices(departements, poids)[0],
            )
            for i in range(4000)
        )
        par_departement = {}
        for c in collectivites:
            par_departement.setdefault(c.departement_id, []).append(c)

        phases = [p for p, part in REPARTITION.items() for _ in range(round(part * 1000))]
        maintenant = timezone.now()
        ateliers, liens_dep, liens_coll = [], [], []
        for i in range(NOMBRE_ATELIERS):
            dep = rng.choices(departements, poids)[0]
            phase = phases[i % len(phases)]
            pilote = ddt[dep.code] if rng.random() < 0.8 else dreal[dep.region_id]
            # The groupement comes with the notification of the marché, at the cadrage.
            accompagne = list(REPARTITION).index(phase) >= list(REPARTITION).index("cadrage")
            sorti = phase in ("non_eligible", "abandonne")
            ateliers.append(
                Atelier(
                    intitule=f"Atelier {rng.choice(MOTS)} de {rng.choice(LIEUX)} {i}",
                    communes=", ".join(rng.sample(LIEUX, 3)),
                    service_pilote=pilote,
                    operateur=rng.choice(operateurs) if rng.random() < 0.2 else None,
                    groupement=rng.choice(groupements) if accompagne and not sorti else None,
                    phase=phase,
                    phase_avant_sortie="candidature" if sorti else "",
                    motif_sortie="Le territoire renonce." if sorti else "",
                )
            )
            deps = [dep] + ([rng.choice(departements)] if rng.random() < 0.1 else [])
            liens_dep.append({d.code for d in deps})
            voisines = par_departement.get(dep.code) or collectivites
            liens_coll.append({c.pk for c in rng.sample(voisines, min(len(voisines), 2))})
        ateliers = Atelier.objects.bulk_create(ateliers, batch_size=2000)
        Atelier.departements.through.objects.bulk_create(
            Atelier.departements.through(atelier_id=a.pk, departement_id=code)
            for a, codes in zip(ateliers, liens_dep, strict=True)
            for code in codes
        )
        Atelier.collectivites.through.objects.bulk_create(
            Atelier.collectivites.through(atelier_id=a.pk, organisation_id=pk)
            for a, pks in zip(ateliers, liens_coll, strict=True)
            for pk in pks
        )
        with connection.cursor() as c:
            # Opened over seven years; auto_now_add set them all to now.
            c.execute(
                "UPDATE ateliers_atelier SET cree_le = %s - (id * 7919 %% 2555) * interval "
                "'1 day', phase_depuis = %s - (id * 31 %% 300) * interval '1 day'",
                [maintenant, maintenant],
            )

        # Each stage's state goes with the atelier's phase (tests/candidatures/test_etapes.py).
        PreCandidature.objects.bulk_create(
            PreCandidature(
                atelier=a,
                intention=_texte(rng, 60),
                statut="en_attente"
                if a.phase == "pre_candidature"
                else "abandonnee"
                if a.phase == "abandonne" and a.pk % 3
                else "confirmee",
            )
            for a in ateliers
        )
        statuts = {
            "candidature": ["en_redaction"],
            "instruction": ["deposee", "en_instruction", "complements_demandes"],
            "non_eligible": ["non_eligible"],
            "abandonne": ["abandonnee"],
        }
        avec_candidature = [
            a
            for a in ateliers
            if a.phase not in ("pre_candidature",) and not (a.phase == "abandonne" and a.pk % 3)
        ]
        candidatures = Candidature.objects.bulk_create(
            (
                Candidature(
                    atelier=a,
                    statut=rng.choice(statuts.get(a.phase, ["eligible"])),
                    complements=["objet"] if a.phase == "instruction" else [],
                )
                for a in avec_candidature
            ),
            batch_size=2000,
        )
        for partie in PARTIES:
            champs = {
                f.name
                for f in partie.modele._meta.concrete_fields
                if f.get_internal_type() == "TextField"
            }
            partie.modele.objects.bulk_create(
                (
                    partie.modele(
                        candidature=c,
                        version=1,
                        modifie_le=maintenant,
                        # Some notes are written out, the others barely started.
                        **{n: _texte(rng, 80) for n in champs if c.pk % 3 == 0},
                    )
                    for c in candidatures
                ),
                batch_size=2000,
            )
        Objet.objects.update(titre="Titre de la note")
        Objet.thematiques.through.objects.bulk_create(
            Objet.thematiques.through(objet_id=o, thematique_id=rng.choice(thematiques).pk)
            for o in Objet.objects.values_list("pk", flat=True)
        )
        deposees = [c for c in candidatures if c.statut != "en_redaction"]
        contenu_vide = {"titre": "", "parties": [], "courriers": []}
        versions = []
        for c in deposees:
            depot = maintenant - datetime.timedelta(days=(c.pk * 13) % 900 + 20)
            versions.append(
                VersionCandidature(candidature=c, numero=1, depose_le=depot, contenu=contenu_vide)
            )
            if c.pk % 4 == 0:
                versions.append(
                    VersionCandidature(
                        candidature=c,
                        numero=2,
                        depose_le=depot + datetime.timedelta(days=15),
                        contenu=contenu_vide,
                    )
                )
        VersionCandidature.objects.bulk_create(versions, batch_size=2000)
        Decision.objects.bulk_create(
            (
                Decision(
                    candidature=c,
                    numero=1,
                    eligible=c.statut == "eligible",
                    motivation=_texte(rng, 30),
                    date_decision=(maintenant - datetime.timedelta(days=(c.pk * 13) % 900)).date(),
                )
                for c in deposees
                if c.statut in ("eligible", "non_eligible")
            ),
            batch_size=2000,
        )

        # The atelier whom every role sees, with its 1 500-line journal.
        pilote_dep = departements[0]
        rang = next(
            i
            for i, a in enumerate(ateliers)
            if a.phase == "session_2" and pilote_dep.code in liens_dep[i]
        )
        grand = ateliers[rang]
        Atelier.objects.filter(pk=grand.pk).update(
            service_pilote=ddt[pilote_dep.code], groupement=groupements[0]
        )
        porteuse = Organisation.objects.get(pk=sorted(liens_coll[rang])[0])

        personnes = {
            "ddt": ("ddt@banc.test", ddt[pilote_dep.code]),
            "dreal": ("dreal@banc.test", dreal[pilote_dep.region_id]),
            "collectivite": ("collectivite@banc.test", porteuse),
            "dgaln": ("dgaln@banc.test", dgaln),
            "groupement": ("groupement@banc.test", groupements[0]),
        }
        for role, (email, organisation) in personnes.items():
            user = Utilisateur.objects.create_user(
                email, "banc-des-pages", prenom=role.capitalize(), nom="Banc"
            )
            Adhesion.objects.create(utilisateur=user, organisation=organisation)
        admin = Utilisateur.objects.create_superuser(
            "admin@banc.test", "banc-des-pages", prenom="Admin", nom="Banc"
        )
        auteurs = list(Utilisateur.objects.all())

        type_atelier = ContentType.objects.get_for_model(Atelier)
        lignes = []
        for a in ateliers:
            nombre = JOURNAL_LONG if a.pk == grand.pk else LIGNES_PAR_PHASE[a.phase]
            for n in range(nombre):
                lignes.append(
                    Evenement(
                        date=maintenant - datetime.timedelta(days=(a.pk * 7 + n) % 2555, hours=n),
                        atelier=a,
                        par=rng.choice(auteurs),
                        organisation=a.service_pilote,
                        objet_type=type_atelier,
                        objet_id=str(a.pk),
                        objet_libelle=a.intitule[:255],
                        libelle=rng.choice(
                            ["Session tenue", "Document déposé", "Message envoyé", "Phase changée"]
                        ),
                        transition="",
                        code="atelier.phase_suivie",
                        commentaire=_texte(rng, 12) if n % 5 == 0 else "",
                    )
                )
        Evenement.objects.bulk_create(lignes, batch_size=5000)

        candidature = Candidature.objects.get(atelier=grand)
        VersionCandidature.objects.filter(candidature=candidature).update(
            contenu=contenu_du_dossier(candidature, [])
        )
        del admin
