"""Every main page of the portal, for each role, timed against the Django admin's Atelier
changelist in the same run, at 10 000 ateliers on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_perf_bench \\
        .venv/bin/python benchmarks/pages.py [--rounds 30] [--reconstruire]

The data (10 000 ateliers in every phase, about 8 400 candidatures with their note, one
atelier with a 1 500-line journal: pages_donnees.py; about 5 600 marchés with their CCTP,
consultations, offers, marks and money: pages_marches.py; the accompagnement's cadrages,
calendars, sessions and inter-ateliers: pages_accompagnement.py; about 11 700 livrables and
17 000 versions, with a note de cadrage of 20 versions and 80 comments, a feuille de route of
150 actions and a livret for the atelier every role sees: pages_livrables.py) is built with
bulk_create the first time, and kept: a row in the table `banc_pages_version` says which
version of this builder made it, and a new version rebuilds it (as does --reconstruire). Each
round times, with the Django test Client (one login per role), the admin changelist and then
every page of one role, role after role (roles and pages in a new order each round), so that
the admin and the pages see the same load. The table written between the markers of
benchmarks/README.md gives each page's p95, its ratio to the admin changelist's p95 of the
same run (and the same for the medians), and its number of SQL queries
(CaptureQueriesContext, one extra request).
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

from pages_accompagnement import construire_accompagnement, pages_accompagnement
from pages_donnees import GRAINE, JOURNAL_LONG, VERSION_DONNEES, construire
from pages_livrables import construire_livrables, pages_livrables
from pages_marches import construire_marches, pages_marches

BASE_DIR = Path(__file__).resolve().parent.parent
README = Path(__file__).resolve().parent / "README.md"
DEBUT, FIN = "<!-- pages:debut -->", "<!-- pages:fin -->"


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


def _construire():
    """Build the data in bulk (pages_donnees), then analyse the tables for the planner."""
    from django.db import connection

    from ateliers.models import Atelier, Evenement, Session
    from candidatures.models import Candidature
    from marches.models import MarcheSubsequent, Offre
    from portail.faits import faits_recalculer

    debut = time.monotonic()
    construire()
    construire_marches(random.Random(GRAINE))  # noqa: S311 (reproducible data, no secret)
    leves, _ = construire_accompagnement(random.Random(GRAINE))  # noqa: S311
    livrables, versions = construire_livrables(random.Random(GRAINE))  # noqa: S311
    faits_recalculer()  # bulk_create sends no signal
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")
    _ecrire_version()
    print(
        f"Données construites en {time.monotonic() - debut:.0f} s : "
        f"{Atelier.objects.count()} ateliers, {Candidature.objects.count()} candidatures, "
        f"{Evenement.objects.count()} lignes de journal, "
        f"{MarcheSubsequent.objects.count()} marchés, {Offre.objects.count()} offres, "
        f"{Session.objects.count()} sessions, {leves} alertes, {livrables} livrables, "
        f"{versions} versions de livrables.",
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
    marches = {**pages_marches(), **pages_accompagnement(), **pages_livrables()}
    roles = {}
    for role in ("ddt", "dreal", "collectivite", "dgaln", "groupement", "admin"):
        client = Client()
        client.force_login(Utilisateur.objects.get(email=f"{role}@banc.test"))
        pages = {**communs, **(dgaln if role in ("dgaln", "admin") else {}), **marches}
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
        _construire()
    else:
        call_command("migrate", verbosity=0)
        from django.db import connection

        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")
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
