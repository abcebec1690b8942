"""The portal's real livret de capitalisation (about forty pages) rendered by WeasyPrint in a
warm process of its own and by the portal's pipeline (Document, Celery task, storage, database),
with both times, their ratio and the pipeline worker's peak memory.

    .venv/bin/python benchmarks/pdf_pipeline.py [--runs 5] [--garder] [--sans-readme]
    DATABASE_URL=postgres://… REDIS_URL=redis://…/6 .venv/bin/python benchmarks/pdf_pipeline.py

Both sides render the same HTML (templates/pdf/livrables/livret.html, with the context that
livrables.pdf.contexte_version gives a deposited version of a demonstration atelier's livret
built by benchmarks/livret_demo.py: photos and images stored as checked uploads) with the same
stylesheets, fonts, images and options (PDF/A-3u, tagged), each in a long-lived process that
has rendered the livret once before the runs counted
(warm-up): so neither pays for starting Python or decoding fonts, and the ratio measures what the
pipeline adds or saves around WeasyPrint's own work.

- **WeasyPrint, warm**: a process that imports WeasyPrint, keeps one FontConfiguration, and
  renders `HTML(filename=livret.html)` (static and media files through file:// URLs) each time
  it is asked.
- **Pipeline**: with DATABASE_URL and REDIS_URL set, a real Celery worker (prefork, one child,
  queue `pdf`) on that PostgreSQL database and Redis, fed by `document_rendre.delay()`; the time
  runs from the enqueue to the row read back PRET, and the memory is the worker child's peak
  (VmHWM). Without them, a worker-like process runs the task in-process (`apply()`) on a
  throwaway SQLite database, and the memory is that process's ru_maxrss.

Runs are interleaved, in alternating order, so that both sides see the same load. The result is
printed as one line `pipeline/weasyprint_warm = X.XX` and, unless --sans-readme, added as a row
of the table in benchmarks/README.md with the machine and its load.
"""

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BANC_DIR = Path(__file__).resolve().parent
README = BANC_DIR / "README.md"
GABARIT = "pdf/livrables/livret.html"
CONTEXTE = "livrables.pdf.contexte_version"
TITRE = "Livret de capitalisation — version 1"
OPTIONS = {"pdf_variant": "pdf/a-3u", "pdf_tags": True}
# The table of results in README.md lies between these two lines.
DEBUT_TABLE = "<!-- pdf_pipeline.py : début du tableau -->"
FIN_TABLE = "<!-- pdf_pipeline.py : fin du tableau -->"
CIBLE_RAPPORT = 0.85
# The worker child's peak before the collector was paused (issue 13); the target is ±10 %.
MEMOIRE_REFERENCE_MO = 197


def _avec_services():
    return bool(os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))


def _django(dossier, *, services):
    """Set Django up on the configured PostgreSQL and Redis (`services`), or on a throwaway
    SQLite database with tasks run in-process; uploads go to the benchmark's folder."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "MEDIA_ROOT": str(dossier / "media"),
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("SECRET_KEY", None)
    if not services:
        os.environ["DATABASE_URL"] = f"sqlite:///{dossier / 'banc.sqlite3'}"
        os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def _envoyer(donnees):
    print(json.dumps(donnees), flush=True)


def _maxrss():
    return {"maxrss_ko": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def etape_preparer(dossier, services):
    _django(dossier, services=services)
    from django.contrib.staticfiles import finders
    from django.core.management import call_command
    from django.template.loader import render_to_string
    from livret_demo import INTITULE, version_de_demonstration

    from ateliers.models import Atelier
    from documents.models import Document
    from livrables.pdf import contexte_version

    call_command("migrate", verbosity=0, interactive=False)
    atelier = Atelier.objects.create(intitule=INTITULE)
    version = version_de_demonstration(atelier)

    # A folder laid out like STATIC_ROOT for the two static prefixes the livret uses.
    miroir = dossier / "miroir" / "static"
    miroir.mkdir(parents=True)
    (miroir / "css").symlink_to(BASE_DIR / "static" / "css")
    police = Path(finders.find("dsfr/dist/fonts/Marianne-Regular.woff2"))
    (miroir / "dsfr").symlink_to(police.parents[2])

    html = render_to_string(
        GABARIT,
        {
            **contexte_version(version),
            "document": Document(titre=TITRE, version_source="chaud"),
            "annexes": [],
        },
    )
    html = html.replace('="/static/', f'="{miroir.as_uri()}/')
    html = html.replace('="/media/', f'="{(dossier / "media").as_uri()}/')
    (dossier / "livret.html").write_text(html, encoding="utf-8")
    _envoyer({"version_id": version.pk})


def etape_weasyprint(dossier):
    """WeasyPrint alone, warm: imported once, one FontConfiguration, one render per line."""
    import warnings

    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    warnings.simplefilter("ignore", ResourceWarning)
    polices = FontConfiguration()
    _envoyer(_maxrss())
    for ligne in sys.stdin:
        debut, cpu = time.perf_counter(), time.process_time()
        rendu = HTML(filename=dossier / "livret.html").render(font_config=polices, **OPTIONS)
        rendu.write_pdf(dossier / f"chaud-{ligne.strip()}.pdf", **OPTIONS)
        _envoyer(
            {
                "duree": time.perf_counter() - debut,
                "cpu": time.process_time() - cpu,
                "pages": len(rendu.pages),
            }
        )
    _envoyer(_maxrss())


def _nouveau_document(version_id, numero):
    from django.contrib.contenttypes.models import ContentType

    from documents.models import Document
    from livrables.models import VersionLivrable

    return Document.objects.create(
        source_type=ContentType.objects.get_for_model(VersionLivrable),
        source_id=str(version_id),
        gabarit=GABARIT,
        contexte=CONTEXTE,
        titre=TITRE,
        version_source=f"banc-{time.time_ns()}-{numero}",
    )


def _resultat(document, duree):
    from documents.models import Document

    document.refresh_from_db()
    if document.statut != Document.Statut.PRET:
        raise SystemExit(f"Rendu en échec : {document.erreur}")
    return {
        "duree": duree,
        "duree_rendu": document.duree_rendu,
        "pages": document.nombre_pages,
        "taille": document.taille,
    }


def etape_pipeline(dossier, version_id):
    """Without services: a worker-like process runs the task in-process, one per line read."""
    _django(dossier, services=False)
    from documents.tasks import document_rendre

    _envoyer(_maxrss())
    for ligne in sys.stdin:
        document = _nouveau_document(version_id, ligne.strip())
        debut, cpu = time.perf_counter(), time.process_time()
        document_rendre.apply(kwargs={"document_id": document.pk})
        resultat = _resultat(document, time.perf_counter() - debut)
        _envoyer({**resultat, "cpu": time.process_time() - cpu})
    _envoyer(_maxrss())


def etape_worker(dossier):
    """A real Celery worker on the configured Redis and PostgreSQL: queue pdf, one child."""
    _django(dossier, services=True)
    from config.celery import app

    app.worker_main(
        [
            "worker",
            "-Q",
            "pdf",
            "-P",
            "prefork",
            "-c",
            "1",
            "-l",
            "WARNING",
            "-n",
            f"banc-pdf-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )


def etape_client(dossier, version_id):
    """Enqueue one render per line read and wait for its row to be PRET."""
    _django(dossier, services=True)
    from documents.models import Document
    from documents.tasks import document_rendre

    _envoyer({})
    for ligne in sys.stdin:
        document = _nouveau_document(version_id, ligne.strip())
        debut = time.perf_counter()
        document_rendre.delay(document_id=document.pk)
        while Document.objects.filter(
            pk=document.pk, statut__in=[Document.Statut.DEMANDE, Document.Statut.EN_COURS]
        ).exists():
            # Polled gently: a tight loop of queries would take CPU from the worker on 2 cores.
            time.sleep(0.05)
        _envoyer(_resultat(document, time.perf_counter() - debut))


class Processus:
    """A child process spoken to one JSON line at a time."""

    def __init__(self, commande, **kwargs):
        self.popen = subprocess.Popen(  # noqa: S603
            commande, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, **kwargs
        )

    def lire(self):
        ligne = self.popen.stdout.readline()
        if not ligne:
            raise SystemExit(f"Le processus {self.popen.args[-3:]} s'est arrêté.")
        return json.loads(ligne)

    def demander(self, numero):
        self.popen.stdin.write(f"{numero}\n")
        self.popen.stdin.flush()
        return self.lire()

    def finir(self, *, dernier=True):
        """Close its input; its last line (its peak memory), if it writes one."""
        self.popen.stdin.close()
        resultat = self.lire() if dernier else {}
        if self.popen.wait():
            raise SystemExit(f"Le processus {self.popen.args[-3:]} a échoué.")
        return resultat


def _enfants(pid):
    enfants = []
    for entree in Path("/proc").iterdir():
        if entree.name.isdigit():
            try:
                champs = (entree / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(champs[1]) == pid:
                enfants.append(int(entree.name))
    return enfants


def _pic_memoire_ko(pid):
    """VmHWM (peak resident set) of a live process, in KiB."""
    for ligne in Path(f"/proc/{pid}/status").read_text().splitlines():
        if ligne.startswith("VmHWM:"):
            return int(ligne.split()[1])
    raise SystemExit(f"VmHWM introuvable pour {pid}")


def _cpu_s(pid):
    """User + system CPU time of a live process, in seconds."""
    champs = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(champs[11]) + int(champs[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_stable(pid):
    """The CPU time of `pid` once it has stopped growing (its task's postrun is over)."""
    precedent = _cpu_s(pid)
    while True:
        time.sleep(0.5)
        actuel = _cpu_s(pid)
        if actuel == precedent:
            return actuel
        precedent = actuel


def _machine():
    memoire = next(
        int(ligne.split()[1])
        for ligne in Path("/proc/meminfo").read_text().splitlines()
        if ligne.startswith("MemTotal:")
    )
    return f"{os.cpu_count()} CPU, {memoire / 1024**2:.0f} Go"


def _charge():
    return "/".join(f"{c:.1f}".replace(".", ",") for c in os.getloadavg())


def _mo(kio):
    return kio / 1024


def _s(secondes):
    return f"{secondes:.2f}".replace(".", ",") + " s"


def orchestrer(runs, garder, readme):
    services = _avec_services()
    dossier = Path(tempfile.mkdtemp(prefix="banc-pdf-"))
    soi = [sys.executable, __file__, "--dossier", str(dossier)]
    charge_avant = _charge()
    worker = None
    try:
        preparer = Processus([*soi, "--etape", "preparer", *(["--services"] if services else [])])
        version_id = preparer.lire()["version_id"]
        preparer.finir(dernier=False)
        chaud = Processus([*soi, "--etape", "weasyprint"])
        chaud_avant = chaud.lire()
        if services:
            worker = subprocess.Popen(  # noqa: S603
                [*soi, "--etape", "worker"], stdin=subprocess.DEVNULL
            )
            pipeline = Processus([*soi, "--etape", "client", "--version", str(version_id)])
        else:
            pipeline = Processus([*soi, "--etape", "pipeline", "--version", str(version_id)])
        pipeline_avant = pipeline.lire()

        # One render each first, not counted: fonts decoded, templates compiled, collector frozen.
        echauffement = {"chaud": chaud.demander("echauffement"), "pipeline": None}
        echauffement["pipeline"] = pipeline.demander("echauffement")
        enfant = None
        if services:
            enfants = _enfants(worker.pid)
            if len(enfants) != 1:
                raise SystemExit(f"Un seul processus enfant attendu pour le worker : {enfants}")
            enfant = enfants[0]
        chauds, mesures = [], []
        # The worker child's CPU time is read before each of its renders and once it is idle at
        # the end: each interval holds one render and its postrun collection, and the child
        # sleeps while the other side renders.
        lectures_cpu = []

        def par_le_pipeline(numero):
            if enfant is not None:
                lectures_cpu.append(_cpu_stable(enfant))
            mesures.append(pipeline.demander(numero))

        for numero in range(runs):
            cotes = [lambda n: chauds.append(chaud.demander(n)), par_le_pipeline]
            for cote in cotes[:: -1 if numero % 2 else 1]:
                cote(numero)
        if enfant is not None:
            lectures_cpu.append(_cpu_stable(enfant))
            for mesure, avant, apres in zip(mesures, lectures_cpu, lectures_cpu[1:], strict=False):
                mesure["cpu"] = apres - avant
            pipeline_memoire = _pic_memoire_ko(enfant)
            pipeline.finir(dernier=False)
        else:
            pipeline_memoire = pipeline.finir()["maxrss_ko"]
        chaud_memoire = chaud.finir()["maxrss_ko"]
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
        if garder:
            print(f"Fichiers gardés dans {dossier}")
        else:
            shutil.rmtree(dossier, ignore_errors=True)
    charge_apres = _charge()

    durees_chaud, durees = [m["duree"] for m in chauds], [m["duree"] for m in mesures]
    median_chaud, median_pipeline = statistics.median(durees_chaud), statistics.median(durees)
    rapport = median_pipeline / median_chaud
    cpu_chaud = statistics.median(m["cpu"] for m in chauds)
    cpu_pipeline = statistics.median(m["cpu"] for m in mesures)
    rapport_cpu = cpu_pipeline / cpu_chaud
    mode = "worker Celery, Redis, PostgreSQL" if services else "tâche dans le processus, SQLite"
    print(f"Python {sys.version.split()[0]}, {_machine()}, charge {charge_avant} → {charge_apres}")
    print(f"Livret : {mesures[0]['pages']} pages ; pipeline : {mode}")
    print(f"WeasyPrint dans un processus chaud, {runs} rendus après un d'échauffement :")
    print(
        f"  durées      : {', '.join(_s(d) for d in durees_chaud)} (échauffement "
        f"{_s(echauffement['chaud']['duree'])})"
    )
    print(f"  médiane     : {_s(median_chaud)} (temps CPU : {_s(cpu_chaud)})")
    print(
        f"  mémoire max : {_mo(chaud_memoire):.0f} Mo "
        f"(avant rendu : {_mo(chaud_avant['maxrss_ko']):.0f} Mo)"
    )
    print(f"Pipeline du portail, {runs} rendus après un d'échauffement :")
    print(
        f"  durées      : {', '.join(_s(d) for d in durees)} (échauffement "
        f"{_s(echauffement['pipeline']['duree'])})"
    )
    quel_cpu = "de l'enfant du worker, collecte comprise" if services else "du processus"
    print(f"  médiane     : {_s(median_pipeline)} (temps CPU {quel_cpu} : {_s(cpu_pipeline)})")
    surcout = statistics.median(m["duree"] - m["duree_rendu"] for m in mesures)
    print(f"  hors rendu  : {_s(surcout)} (file, tâche, verrous, stockage, SHA-256, base)")
    quoi = "enfant du worker (VmHWM)" if services else "processus (ru_maxrss)"
    if not services:
        print(f"  avant rendu : {_mo(pipeline_avant['maxrss_ko']):.0f} Mo")
    print(f"  mémoire max : {_mo(pipeline_memoire):.0f} Mo, {quoi}")
    memoire_tenue = abs(_mo(pipeline_memoire) - MEMOIRE_REFERENCE_MO) <= MEMOIRE_REFERENCE_MO / 10
    tenues = rapport <= CIBLE_RAPPORT and (memoire_tenue or not services)
    print(f"Rapport des temps CPU (médianes) : {rapport_cpu:.2f}")
    print(f"pipeline/weasyprint_warm = {rapport:.2f}")
    if readme:
        _ecrire_readme(
            f"| {date.today().isoformat()} | {mode} | {runs} | {_s(median_chaud)} "
            f"| {_s(median_pipeline)} | **{rapport:.2f}** | {_s(cpu_chaud)} "
            f"| {_s(cpu_pipeline)} | **{rapport_cpu:.2f}**"
            + f" | {_mo(pipeline_memoire):.0f} Mo | {_mo(chaud_memoire):.0f} Mo "
            f"| {_machine()} | {charge_avant} → {charge_apres} |"
        )
    return 0 if tenues else 1


def _ecrire_readme(ligne):
    """Add this run's row to the table of the PDF section, between its two marker lines."""
    texte = README.read_text(encoding="utf-8")
    debut, fin = texte.index(DEBUT_TABLE), texte.index(FIN_TABLE)
    tableau = texte[debut + len(DEBUT_TABLE) : fin].strip("\n")
    README.write_text(
        f"{texte[:debut]}{DEBUT_TABLE}\n{tableau}\n{ligne}\n{texte[fin:]}", encoding="utf-8"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--garder", action="store_true", help="garder le dossier temporaire")
    parser.add_argument("--sans-readme", action="store_true", help="ne pas écrire le README")
    parser.add_argument(
        "--etape",
        choices=["preparer", "weasyprint", "pipeline", "worker", "client"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--services", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dossier", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--version", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    etapes = {
        "preparer": lambda: etape_preparer(arguments.dossier, arguments.services),
        "weasyprint": lambda: etape_weasyprint(arguments.dossier),
        "pipeline": lambda: etape_pipeline(arguments.dossier, arguments.version),
        "worker": lambda: etape_worker(arguments.dossier),
        "client": lambda: etape_client(arguments.dossier, arguments.version),
    }
    if arguments.etape:
        return etapes[arguments.etape]()
    return orchestrer(arguments.runs, arguments.garder, readme=not arguments.sans_readme)


if __name__ == "__main__":
    sys.exit(main())
