"""End-to-end tests: Playwright drives Debian's Chromium against the live test server.

Every page a test visits goes through `verifier_page`, which runs axe-core and fails on any
accessibility violation, and keeps the HTML the server sent: at the end of the session the W3C
Nu Html Checker validates all of it in one run (RGAA 8.2) and fails listing the errors per URL.
The browser console is watched for CSP violations and errors.
"""

import json
import os
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests themselves (fixtures, checks) are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
MOT_DE_PASSE = "motdepasse-de-test-e2e"
VNU_JAR = Path(__file__).resolve().parents[2] / "tools/node_modules/vnu-jar/build/dist/vnu.jar"
# The admin's own markup is another helper's work: it joins the gate once it validates.
CHEMINS_NON_VALIDES = ("/admin/",)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    # Reduced motion: the DSFR then opens modals without a fade, so axe never measures
    # contrast halfway through an animation.
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "reduced_motion": "reduce",
    }


@pytest.fixture
def console_errors(page):
    """Console errors seen during the test (CSP violations included); must end empty."""
    errors = []

    def noter(message):
        # The page's own HTTP status (a refused form's 400, a 404 page) is the answer we asked
        # for, not an error; stylesheets, scripts and images failing to load still are.
        document = message.location.get("url", "").split("?")[0] == page.url.split("?")[0]
        # axe-core itself (injected, so without a URL) reads an @import-ed stylesheet (the
        # admin's forms.css) through a <style> of its own, which the page's CSP rightly blocks.
        axe = not message.location.get("url") and message.text.startswith("Applying inline style")
        chargement = document and "Failed to load resource" in message.text
        if message.type == "error" and not (chargement or axe):
            errors.append(message.text)

    page.on("console", noter)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield errors
    assert errors == [], f"Erreurs dans la console du navigateur : {errors}"


_axe = Axe()


def erreurs_vnu(pages):
    """Validate every (url, html) pair with one run of vnu.jar (one JVM start, not one per page);
    returns {url: [message, ...]} for the pages with errors, each message once per URL."""
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} est introuvable : installez-le avec « make install-dev ».")
    with tempfile.TemporaryDirectory(prefix="vnu-") as dossier:
        urls = {}
        for numero, (url, html) in enumerate(pages):
            fichier = Path(dossier) / f"page-{numero:04d}.html"
            fichier.write_text(html, encoding="utf-8")
            urls[fichier.name] = url
        sortie = subprocess.run(  # noqa: S603 - our own files, no shell
            ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *urls],  # noqa: S607
            cwd=dossier,
            capture_output=True,
            text=True,
            check=False,
        )
    try:
        messages = json.loads(sortie.stderr)["messages"]
    except ValueError:
        pytest.fail(f"Le Nu Html Checker n'a pas répondu : {sortie.stderr or sortie.stdout}")
    erreurs = {}
    for message in messages:
        url = urls.get(Path(urlsplit(message.get("url", "")).path).name, "(sans page)")
        erreurs.setdefault(url, {})[
            f"ligne {message.get('lastLine', '?')} : {message['message']}"
        ] = 1
    return {url: list(messages) for url, messages in erreurs.items()}


@pytest.fixture(scope="session")
def pages_a_valider():
    """The HTML of every page checked in this session, validated once at its end."""
    pages = []
    yield pages
    if not pages:
        return
    erreurs = erreurs_vnu(pages)
    assert not erreurs, f"HTML non valide (Nu Html Checker) sur {len(erreurs)} page(s) :\n" + (
        "\n".join(f"{url}\n  " + "\n  ".join(messages) for url, messages in erreurs.items())
    )


@pytest.fixture
def verifier_page(page, console_errors, pages_a_valider):
    """Check the current page with axe-core (fails on any violation, with the report) and keep
    the HTML the server sent for the Nu Html Checker: the DOM after parsing would hide the
    errors the parser repaired, such as a paragraph inside a paragraph."""
    documents = []

    def noter(response):
        if response.request.resource_type == "document" and response.frame == page.main_frame:
            documents.append(response)

    page.on("response", noter)

    def verifier():
        page.wait_for_load_state("load")
        results = _axe.run(page)
        assert results.violations_count == 0, (
            f"{page.url} : {results.violations_count} violation(s) d'accessibilité\n"
            + results.generate_report()
        )
        adresse = page.url.split("#")[0]
        servies = [r for r in documents if r.url == adresse and not 300 <= r.status < 400]
        if servies and not urlsplit(page.url).path.startswith(CHEMINS_NON_VALIDES):
            pages_a_valider.append((page.url, servies[-1].text()))

    return verifier


@pytest.fixture
def connecter(page, live_server, verifier_page):
    """Log in through the login form, as a user would, and land on the home page."""

    def connecter(utilisateur, mot_de_passe=MOT_DE_PASSE):
        page.goto(f"{live_server.url}/compte/connexion/")
        verifier_page()
        page.get_by_label("Adresse électronique").fill(utilisateur.email)
        page.get_by_label("Mot de passe").fill(mot_de_passe)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state("load")
        verifier_page()

    return connecter
