"""Every main page of the portal, for each role, timed against the Django admin's Atelier
changelist in the same run, at 10 000 ateliers on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_perf_bench \\
        .venv/bin/python benchmarks/pages.py [--rounds 30] [--reconstruire]

The data (10 000 ateliers in every phase, about 8 300 candidatures with their note, about
75 000 journal lines, one atelier with a 1 500-line journal) is built with bulk_create the first
time, and kept: a row in the table `banc_pages_version` says which version of this builder made
it, and a new version rebuilds it (as does --reconstruire). Each round times, with the Django
test Client (one login per role), the admin changelist and then every page of one role, role
after role (roles and pages in a new order each round), so that the admin and the pages see
the same load. The table written between the markers of benchmarks/README.md gives each
page's p95, its ratio to the admin changelist's p95 of the same run (and the same for the
medians), and its number of SQL queries (CaptureQueriesContext, one extra request).
"""

import argparse
import datetime
import gc
import math
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
README = Path(__file__).resolve().parent / "README.md"
DEBUT, FIN = "<!-- pages:debut -->", "<!-- pages:fin -->"

# Bump when the data built below changes: the next run rebuilds the database.
VERSION_DONNEES = "4"
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


def _django():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL doit désigner une base PostgreSQL (la base du banc, pas la vôtre).")
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "false")
    import logging

    import django

    django.setup()
    # The roles' 403 and 404, met while listing their pages, are expected here.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # One PBKDF2 round per user created is all the password costs here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _version_en_base():
    from django.db import connection

    with connection.cursor() as c:
        c.execute("CREATE TABLE IF NOT EXISTS banc_pages_version (version text NOT NULL)")
        c.execute("SELECT version FROM banc_pages_version")
        ligne = c.fetchone()
    return ligne[0] if ligne else None


def _ecrire_version():
    from django.db import connection

    _version_en_base()
    with connection.cursor() as c:
        c.execute("DELETE FROM banc_pages_version")
        c.execute("INSERT INTO banc_pages_version VALUES (%s)", [VERSION_DONNEES])


def _vider():
    """Drop every table of the bench database, then migrate it anew."""
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as c:
        c.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


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
    debut = time.monotonic()
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
            accompagne = list(REPARTITION).index(phase) >= list(REPARTITION).index("marche")
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
    with connection.cursor() as c:
        c.execute("ANALYZE")
    _ecrire_version()
    print(
        f"Données construites en {time.monotonic() - debut:.0f} s : "
        f"{Atelier.objects.count()} ateliers, {Candidature.objects.count()} candidatures, "
        f"{Evenement.objects.count()} lignes de journal.",
        flush=True,
    )


def _pages():
    """Each role's client (logged in once) and the pages it times, by name."""
    from django.db.models import Count
    from django.test import Client

    from ateliers.models import Atelier
    from comptes.models import Utilisateur
    from territoires.models import Departement

    grand = (
        Atelier.objects.annotate(lignes=Count("journal"))
        .filter(lignes__gte=JOURNAL_LONG)
        .values_list("pk", flat=True)
        .first()
    )
    ddt = Utilisateur.objects.get(email="ddt@banc.test")
    departement = Departement.objects.get(organisations__adhesions__utilisateur=ddt).code
    communs = {
        "accueil": "/",
        "ateliers": "/ateliers/",
        "ateliers, département": f"/ateliers/?departement={departement}",
        "ateliers, phase": "/ateliers/?phase=session_1",
        "ateliers, recherche": "/ateliers/?q=Figeac",
        "à traiter": "/ateliers/?a_traiter=on",
        "pré-candidatures": "/ateliers/?phase=pre_candidature",
        "atelier (journal de 1 500 lignes)": f"/ateliers/{grand}/",
        "dossier": f"/candidatures/{grand}/dossier/",
        "partie de la note": f"/candidatures/{grand}/note/objet/",
    }
    dgaln = {
        "file d'instruction": "/candidatures/a-instruire/",
        "cohorte": "/candidatures/cohorte/",
    }
    roles = {}
    for role in ("ddt", "dreal", "collectivite", "dgaln", "groupement", "admin"):
        client = Client()
        client.force_login(Utilisateur.objects.get(email=f"{role}@banc.test"))
        pages = {**communs, **(dgaln if role in ("dgaln", "admin") else {})}
        ouvertes = {}
        for nom, url in pages.items():
            statut = client.get(url).status_code
            if statut == 200:
                ouvertes[nom] = url
        roles[role] = (client, ouvertes)
    return roles


def _p95(valeurs):
    rangees = sorted(valeurs)
    return rangees[max(0, math.ceil(0.95 * len(rangees)) - 1)]


def mesurer(rounds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    roles = _pages()
    admin_client = roles["admin"][0]
    admin_url = "/admin/ateliers/atelier/"
    assert admin_client.get(admin_url).status_code == 200
    requetes = {}
    for role, (client, pages) in roles.items():
        for nom, url in pages.items():
            with CaptureQueriesContext(connection) as capture:
                client.get(url)
            requetes[(role, nom)] = len(capture.captured_queries)
    with CaptureQueriesContext(connection) as capture:
        admin_client.get(admin_url)
    requetes_admin = len(capture.captured_queries)

    def chrono(client, url):
        # Garbage of the previous requests is collected before the clock starts: otherwise a
        # full pass lands on whichever page comes next, and with 30 samples a page's p95 is
        # its second worst time, while the admin's (180 samples) absorbs such passes.
        gc.collect()
        debut = time.perf_counter()
        reponse = client.get(url)
        duree = time.perf_counter() - debut
        assert reponse.status_code == 200, (url, reponse.status_code)
        return duree

    temps = {cle: [] for cle in requetes}
    temps_admin = []
    # A new order every round: in a fixed one, the garbage collector's full passes (one
    # every so many allocations) fell on the same two pages every round.
    ordre = random.Random(GRAINE)  # noqa: S311 (an order, no secret)
    for n in range(rounds):
        for role in ordre.sample(list(roles), len(roles)):
            client, pages = roles[role]
            temps_admin.append(chrono(admin_client, admin_url))
            for nom in ordre.sample(list(pages), len(pages)):
                temps[(role, nom)].append(chrono(client, pages[nom]))
        print(f"tour {n + 1}/{rounds}", flush=True)
    admin_p95, admin_p50 = _p95(temps_admin), statistics.median(temps_admin)
    lignes = [
        (
            role,
            nom,
            _p95(t),
            _p95(t) / admin_p95,
            requetes[(role, nom)],
            statistics.median(t) / admin_p50,
        )
        for (role, nom), t in temps.items()
    ]
    return (admin_p95, admin_p50), requetes_admin, lignes


def _machine():
    memoire = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SHOW server_version")
        pg = c.fetchone()[0]
    return (
        f"nproc {len(os.sched_getaffinity(0))}, "
        f"{int(memoire) / 1024 / 1024:.0f} GB RAM, Python {platform.python_version()}, "
        f"PostgreSQL {pg}"
    )


def _charge():
    """What `uptime` says: time since boot and load average."""
    depuis = float(Path("/proc/uptime").read_text().split()[0])
    charges = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"up {datetime.timedelta(seconds=int(depuis))}, load average: {charges}"


def ecrire(admin, requetes_admin, lignes, *, rounds, charge_avant, charge_apres):
    from ateliers.models import Atelier, Evenement
    from candidatures.models import Candidature

    admin_p95, admin_p50 = admin
    depassent = [ligne for ligne in lignes if ligne[3] > 1.0]
    tableau = [
        DEBUT,
        f"Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {rounds} rounds, "
        f"{Atelier.objects.count()} ateliers, {Candidature.objects.count()} candidatures, "
        f"{Evenement.objects.count()} journal lines.",
        "",
        f"Machine: {_machine()}.",
        f"Load before: `{charge_avant}`; after: `{charge_apres}`.",
        "",
        f"Admin Atelier changelist (`/admin/ateliers/atelier/`, superuser): p95 "
        f"**{admin_p95 * 1000:.0f} ms** (median {admin_p50 * 1000:.0f} ms), "
        f"{requetes_admin} queries.",
        "",
        "| role | page | p95 | p95 / admin p95 | median / admin median | queries |",
        "|---|---|---|---|---|---|",
        *(
            f"| {role} | {nom} | {p95 * 1000:.0f} ms | {'**' if ratio > 1 else ''}"
            f"{ratio:.2f}{'**' if ratio > 1 else ''} | {median:.2f} | {nombre} |"
            for role, nom, p95, ratio, nombre, median in lignes
        ),
        "",
        f"Worst p95 ratio: **{max(ligne[3] for ligne in lignes):.2f}**; pages above 1.0: "
        + (", ".join(f"{r} / {n} ({x:.2f})" for r, n, _, x, *_ in depassent) or "none")
        + ".",
        FIN,
    ]
    texte = README.read_text()
    bloc = "\n".join(tableau)
    if DEBUT in texte:
        texte = re.sub(re.escape(DEBUT) + ".*?" + re.escape(FIN), lambda _: bloc, texte, flags=re.S)
    else:
        texte = texte.rstrip("\n") + "\n\n" + bloc + "\n"
    README.write_text(texte)
    print(bloc)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--reconstruire", action="store_true")
    parser.add_argument("--sans-ecrire", action="store_true", help="print, leave the README")
    args = parser.parse_args()
    _django()
    from django.core.management import call_command

    if args.reconstruire or _version_en_base() != VERSION_DONNEES:
        _vider()
        construire()
    else:
        call_command("migrate", verbosity=0)
        from django.db import connection

        with connection.cursor() as c:
            c.execute("ANALYZE")
    charge_avant = _charge()
    admin, requetes_admin, lignes = mesurer(args.rounds)
    charge_apres = _charge()
    if args.sans_ecrire:
        for ligne in lignes:
            print(*ligne)
        print("admin", *admin, requetes_admin)
    else:
        ecrire(
            admin,
            requetes_admin,
            lignes,
            rounds=args.rounds,
            charge_avant=charge_avant,
            charge_apres=charge_apres,
        )


if __name__ == "__main__":
    main()
