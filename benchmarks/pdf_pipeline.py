"""The same ~40-page livret rendered twice: by the raw `weasyprint` command line, then by the
portal's pipeline (Document, Celery task in-process, storage, database), with both times, their
ratio and the pipeline process's peak memory.

    .venv/bin/python benchmarks/pdf_pipeline.py [--runs 3] [--garder]

Everything happens in a temporary folder: a throwaway SQLite database, MEDIA_ROOT, the HTML
given to the command line and the PDFs. Both renders use the same HTML (templates/pdf/base.html
extended by benchmarks/gabarit_livret.html), the same stylesheet, fonts and images, and the same
options (PDF/A-3u, tagged). No network: the command line reads files through file:// URLs.

Three processes are measured apart, so that each figure belongs to one of them:
- `--etape preparer`: migrates the database, creates the atelier, writes the command line's HTML;
- each `weasyprint` run: a new process, as the command line is used;
- `--etape pipeline`: a worker-like process that sets Django up once, then renders one document
  through the task each time it is asked; its peak memory (ru_maxrss) is the worker's.
The command line and pipeline runs are interleaved, so that both see the same load.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BANC_DIR = Path(__file__).resolve().parent
GABARIT = "gabarit_livret.html"
TITRE = "Livret de capitalisation"
INTITULE = "Vallée de la Dordogne et Causses du Quercy"


def _django(dossier):
    """Set Django up on the throwaway database, with the benchmark's template folder."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{dossier / 'banc.sqlite3'}",
            "MEDIA_ROOT": str(dossier / "media"),
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    for variable in ("REDIS_URL", "SECRET_KEY"):
        os.environ.pop(variable, None)
    sys.path.insert(0, str(BASE_DIR))
    import django
    from django.conf import settings

    settings.TEMPLATES[0]["DIRS"].append(BANC_DIR)
    django.setup()


def etape_preparer(dossier):
    _django(dossier)
    from django.contrib.staticfiles import finders
    from django.core.management import call_command
    from django.template.loader import render_to_string

    from ateliers.models import Atelier
    from documents.models import Document

    call_command("migrate", verbosity=0, interactive=False)
    atelier = Atelier.objects.create(intitule=INTITULE)

    # A folder laid out like STATIC_ROOT for the two static prefixes the livret uses.
    miroir = dossier / "miroir" / "static"
    miroir.mkdir(parents=True)
    (miroir / "css").symlink_to(BASE_DIR / "static" / "css")
    police = Path(finders.find("dsfr/dist/fonts/Marianne-Regular.woff2"))
    (miroir / "dsfr").symlink_to(police.parents[2])

    html = render_to_string(
        GABARIT, {"objet": atelier, "document": Document(titre=TITRE, version_source="cli")}
    )
    html = html.replace('="/static/', f'="{miroir.as_uri()}/')
    (dossier / "livret.html").write_text(html, encoding="utf-8")
    print(json.dumps({"atelier_id": atelier.pk}))


def _envoyer(donnees):
    print(json.dumps(donnees), flush=True)


def etape_pipeline(dossier, atelier_id):
    """A worker-like process: Django and Celery set up once, then one render per line read."""
    _django(dossier)
    from django.contrib.contenttypes.models import ContentType

    from ateliers.models import Atelier
    from documents.models import Document
    from documents.tasks import document_rendre

    _envoyer({"maxrss_ko": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss})
    for ligne in sys.stdin:
        document = Document.objects.create(
            source_type=ContentType.objects.get_for_model(Atelier),
            source_id=str(atelier_id),
            gabarit=GABARIT,
            titre=TITRE,
            version_source=f"banc-{ligne.strip()}",
        )
        debut = time.perf_counter()
        document_rendre.apply(kwargs={"document_id": document.pk})
        duree = time.perf_counter() - debut
        document.refresh_from_db()
        if document.statut != Document.Statut.PRET:
            raise SystemExit(f"Rendu en échec : {document.erreur}")
        _envoyer(
            {
                "duree": duree,
                "duree_rendu": document.duree_rendu,
                "pages": document.nombre_pages,
                "taille": document.taille,
            }
        )
    _envoyer({"maxrss_ko": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss})


def _lancer(commande, **kwargs):
    """Run a child process; return its wall time, peak memory (KiB) and output."""
    debut = time.perf_counter()
    processus = subprocess.Popen(commande, stdout=subprocess.PIPE, text=True, **kwargs)  # noqa: S603
    sortie = processus.stdout.read()
    _, statut, usage = os.wait4(processus.pid, 0)
    duree = time.perf_counter() - debut
    processus.returncode = os.waitstatus_to_exitcode(statut)
    if processus.returncode:
        raise SystemExit(f"Échec ({processus.returncode}) : {' '.join(map(str, commande))}")
    return duree, usage.ru_maxrss, sortie


def _pages(chemin):
    from pypdf import PdfReader

    return len(PdfReader(chemin).pages)


def _mo(kio):
    return kio / 1024


def orchestrer(runs, garder):
    dossier = Path(tempfile.mkdtemp(prefix="banc-pdf-"))
    soi = [sys.executable, __file__, "--dossier", str(dossier)]
    weasyprint = Path(sys.executable).parent / "weasyprint"
    cli, cli_memoire, mesures = [], [], []
    try:
        _, _, sortie = _lancer([*soi, "--etape", "preparer"])
        atelier_id = json.loads(sortie)["atelier_id"]
        demarrage, _, _ = _lancer([sys.executable, "-c", "import weasyprint"])
        worker = subprocess.Popen(  # noqa: S603
            [*soi, "--etape", "pipeline", "--atelier", str(atelier_id)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        avant = json.loads(worker.stdout.readline())

        def par_la_ligne_de_commande(numero):
            duree, memoire, _ = _lancer(
                [
                    weasyprint,
                    "--pdf-variant",
                    "pdf/a-3u",
                    "--pdf-tags",
                    dossier / "livret.html",
                    dossier / f"cli-{numero}.pdf",
                ]
            )
            cli.append(duree)
            cli_memoire.append(memoire)

        def par_le_pipeline(numero):
            worker.stdin.write(f"{numero}\n")
            worker.stdin.flush()
            mesures.append(json.loads(worker.stdout.readline()))

        # Interleaved, in alternating order: both sides see the same load on the machine.
        for numero in range(runs):
            premier, second = par_la_ligne_de_commande, par_le_pipeline
            if numero % 2:
                premier, second = second, premier
            premier(numero)
            second(numero)
        worker.stdin.close()
        apres = json.loads(worker.stdout.readline())
        if worker.wait():
            raise SystemExit("Le processus du pipeline a échoué.")
        pages_cli = _pages(dossier / "cli-0.pdf")
    finally:
        if garder:
            print(f"Fichiers gardés dans {dossier}")
        else:
            shutil.rmtree(dossier, ignore_errors=True)

    pipeline = {
        "mesures": mesures,
        "maxrss_avant_ko": avant["maxrss_ko"],
        "maxrss_ko": apres["maxrss_ko"],
    }
    durees = [m["duree"] for m in pipeline["mesures"]]
    median_cli, median_pipeline = statistics.median(cli), statistics.median(durees)
    pages = pipeline["mesures"][0]["pages"]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} processeurs, {os.uname().machine}")
    print(f"Livret : {pages} pages (ligne de commande : {pages_cli} pages)")
    print(f"Ligne de commande weasyprint, {runs} processus :")
    print("  durées      : " + ", ".join(f"{d:.2f} s" for d in cli))
    print(f"  médiane     : {median_cli:.2f} s (dont ~{demarrage:.2f} s pour importer weasyprint)")
    print(f"  mémoire max : {_mo(max(cli_memoire)):.0f} Mo")
    print(f"Pipeline du portail (tâche + stockage + base), {runs} rendus dans un même processus :")
    print("  durées      : " + ", ".join(f"{d:.2f} s" for d in durees))
    print(f"  médiane     : {median_pipeline:.2f} s (premier rendu, à froid : {durees[0]:.2f} s)")
    surcout = statistics.median(m["duree"] - m["duree_rendu"] for m in pipeline["mesures"])
    print(f"  hors rendu  : {surcout:.2f} s (tâche, verrous, stockage, SHA-256, base)")
    print(
        f"  mémoire max : {_mo(pipeline['maxrss_ko']):.0f} Mo "
        f"(Django et Celery chargés, avant rendu : {_mo(pipeline['maxrss_avant_ko']):.0f} Mo)"
    )
    print(f"Rapport pipeline / ligne de commande (médianes) : {median_pipeline / median_cli:.2f}")
    print(f"Rapport au premier rendu du worker (à froid)     : {durees[0] / median_cli:.2f}")
    cibles = median_pipeline / median_cli <= 1.15 and _mo(pipeline["maxrss_ko"]) <= 300
    print("Cibles (rapport ≤ 1,15 ; mémoire ≤ 300 Mo) : " + ("tenues" if cibles else "MANQUÉES"))
    return 0 if cibles else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--garder", action="store_true", help="garder le dossier temporaire")
    parser.add_argument("--etape", choices=["preparer", "pipeline"], help=argparse.SUPPRESS)
    parser.add_argument("--dossier", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--atelier", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.etape == "preparer":
        return etape_preparer(arguments.dossier)
    if arguments.etape == "pipeline":
        return etape_pipeline(arguments.dossier, arguments.atelier)
    return orchestrer(arguments.runs, arguments.garder)


if __name__ == "__main__":
    sys.exit(main())
