"""End-to-end tests: Playwright drives Debian's Chromium against the live test server.

Every page a test visits goes through `verifier_page`, which runs axe-core and fails on any
accessibility violation; the browser console is watched for CSP violations and errors.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests themselves (fixtures, checks) are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
MOT_DE_PASSE = "motdepasse-de-test-e2e"


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


@pytest.fixture
def verifier_page(page, console_errors):
    """Check the current page with axe-core; fails on any violation, with the report."""

    def verifier():
        page.wait_for_load_state("load")
        results = _axe.run(page)
        assert results.violations_count == 0, (
            f"{page.url} : {results.violations_count} violation(s) d'accessibilité\n"
            + results.generate_report()
        )

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
