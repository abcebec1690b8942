"""Fixtures shared by the whole suite."""

from pathlib import Path

import pytest
from django.conf import settings

from config.celery import app as celery_app

PROJECT_DIRS = tuple(
    str(settings.BASE_DIR / d)
    for d in (
        "templates",
        "territoires",
        "comptes",
        "documents",
        "ateliers",
        "candidatures",
        "marches",
        "livrables",
    )
)


class _UndefinedInOurTemplates(str):
    """string_if_invalid that fails the test for a variable missing in one of our templates.

    Third-party templates (django-dsfr, the admin) rely on missing variables with `default`,
    so only ours are held to the rule.
    """

    def __contains__(self, key):
        return key == "%s"

    def __mod__(self, var):
        import inspect

        for frame_info in inspect.stack()[1:]:
            if frame_info.function != "render":
                continue
            origin = getattr(frame_info.frame.f_locals.get("self"), "origin", None)
            if origin is not None:
                name = str(getattr(origin, "name", origin))
                if name.startswith(PROJECT_DIRS) and not name.startswith(
                    str(Path(".venv").resolve())
                ):
                    pytest.fail(f"Variable de gabarit indéfinie « {var} » dans {name}")
                return ""
        return ""


@pytest.fixture(autouse=True, scope="session")
def _variables_de_gabarit_strictes():
    options = settings.TEMPLATES[0]["OPTIONS"]
    previous = options.get("string_if_invalid", "")
    options["string_if_invalid"] = _UndefinedInOurTemplates("")
    from django.template import engines

    for engine in engines.all():
        engine.engine.string_if_invalid = options["string_if_invalid"]
    yield
    options["string_if_invalid"] = previous


@pytest.fixture(autouse=True)
def _hachage_rapide(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _taches_en_processus(request):
    """Run Celery tasks in-process, except in tests that bring a real worker."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _cache_vide():
    from django.core.cache import cache

    cache.clear()
    yield
