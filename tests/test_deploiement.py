"""Production settings, checked in a subprocess started with a production environment.

Setting SECRET_KEY switches the portal to production (docs/decisions/0003-mode-production.md);
these tests start Django with the variables docker-compose.yml passes and check that
`check --deploy` has nothing to say and that a real page carries the security headers.
"""

import json
import os
import re
import secrets
import string
import subprocess
import sys
from http.cookies import SimpleCookie

import pytest
from django.conf import settings

HOTE = "atelier-local.example.gouv.fr"
PAGE_CONNEXION = "/compte/connexion/"
UN_AN = 365 * 24 * 3600


def environnement_production(tmp_path):
    """The environment of a production process, with a random 60-character SECRET_KEY."""
    # Only what a process needs to start: nothing of the test run leaks in (the e2e tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, CI sets DATABASE_URL and REDIS_URL).
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(60)),
        ALLOWED_HOSTS=HOTE,
        PORTAIL_URL=f"https://{HOTE}",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        EMAIL_URL="smtp://localhost:25",
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


@pytest.fixture
def env_production(tmp_path):
    return environnement_production(tmp_path)


def lancer(args, env, timeout=180):
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py, no shell
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_check_deploy_sans_aucun_avertissement(env_production):
    proc = lancer(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env_production)
    sortie = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"check --deploy a échoué :\n{sortie}"
    assert "WARNINGS" not in sortie, sortie
    assert not re.search(r"^\S*\?: ", sortie, re.MULTILINE), sortie
    assert "System check identified no issues" in sortie, sortie


# Runs in the production subprocess: builds the schema in the temporary SQLite file, then asks
# for the login page over HTTPS with the allowed host, and prints what came back as JSON.
# Static files are collected at image build (Dockerfile); here the plain storage stands in for
# the hashed manifest, which has no bearing on the headers.
SCRIPT_EN_TETES = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client, override_settings
from django.conf import settings

call_command("migrate", verbosity=0, interactive=False)
storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    reponse = Client(HTTP_HOST=sys.argv[1]).get(sys.argv[2], secure=True)
print("RESULTAT " + json.dumps({
    "statut": reponse.status_code,
    "en_tetes": dict(reponse.headers),
    "cookies": [morsel.OutputString() for morsel in reponse.cookies.values()],
}))
"""


@pytest.fixture(scope="module")
def reponse_production(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    env = environnement_production(tmp_path)
    proc = lancer(["-c", SCRIPT_EN_TETES, HOTE, PAGE_CONNEXION], env)
    lignes = [ligne for ligne in proc.stdout.splitlines() if ligne.startswith("RESULTAT ")]
    assert proc.returncode == 0 and lignes, (
        f"la page de connexion n'a pas pu être demandée :\n{proc.stdout}\n{proc.stderr}"
    )
    resultat = json.loads(lignes[-1].removeprefix("RESULTAT "))
    print(json.dumps(resultat, indent=2, ensure_ascii=False))
    assert resultat["statut"] == 200, resultat
    return resultat


def test_en_tetes_de_securite_sur_la_page_de_connexion(reponse_production):
    en_tetes = {k.lower(): v for k, v in reponse_production["en_tetes"].items()}

    hsts = en_tetes.get("strict-transport-security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    assert max_age and int(max_age.group(1)) >= UN_AN, hsts

    csp = en_tetes.get("content-security-policy", "")
    assert "script-src 'self'" in csp, csp
    assert "frame-ancestors 'none'" in csp, csp

    assert en_tetes.get("x-content-type-options") == "nosniff"
    assert en_tetes.get("x-frame-options") == "DENY"


def test_cookies_securises_sur_la_page_de_connexion(reponse_production):
    cookies = SimpleCookie()
    for ligne in reponse_production["cookies"]:
        cookies.load(ligne)
    assert any(nom.endswith("csrftoken") for nom in cookies), (
        f"la page de connexion ne pose pas le cookie CSRF : {reponse_production['cookies']}"
    )
    for nom, morsel in cookies.items():
        assert morsel["secure"], f"cookie {nom} sans Secure"
        assert morsel["httponly"], f"cookie {nom} sans HttpOnly"
        if nom.startswith("__Host-"):
            assert morsel["path"] == "/" and not morsel["domain"], nom


def test_la_production_refuse_de_demarrer_sans_portail_url(env_production):
    del env_production["PORTAIL_URL"]

    proc = lancer(["manage.py", "check"], env_production)

    assert proc.returncode != 0
    assert "ImproperlyConfigured: Définissez PORTAIL_URL" in proc.stderr, proc.stderr


def test_make_run_sert_et_lie_la_meme_adresse():
    """`make run HOST=… PORT=…` serves on that address and the e-mails link to it."""
    proc = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", "HOST=192.0.2.10", "PORT=8123"],  # noqa: S607
        cwd=settings.BASE_DIR,
        env={k: v for k, v in os.environ.items() if k != "PORTAIL_URL"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lancement = [ligne for ligne in proc.stdout.splitlines() if "runserver" in ligne]
    assert lancement, proc.stdout
    assert lancement[-1].endswith("runserver 192.0.2.10:8123"), lancement
    variable = re.match(r"^PORTAIL_URL=(\S+) ", lancement[-1])
    assert variable and variable.group(1) == "http://192.0.2.10:8123", lancement
    # ...and, outside production, that address is served (runserver would answer 400).
    env = {k: v for k, v in os.environ.items() if k not in {"ALLOWED_HOSTS", "SECRET_KEY"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", PORTAIL_URL=variable.group(1))
    hotes = lancer(["-c", "from django.conf import settings; print(settings.ALLOWED_HOSTS)"], env)
    assert "192.0.2.10" in hotes.stdout, hotes.stdout + hotes.stderr
