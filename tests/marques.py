"""Marks shared by test modules."""

import os

import pytest

# A test that sends a task through Redis to a real worker (the worker_celery fixture).
AVEC_WORKER_REDIS = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="REDIS_URL absent : ce test exige un vrai broker Redis (CI : bash .ci/run)",
    ),
]

# A test of what only PostgreSQL does (row locks, triggers).
SUR_POSTGRES = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="DATABASE_URL absent : ce test exige PostgreSQL (CI : bash .ci/run)",
    ),
]


def sur_postgres(test):
    """The SUR_POSTGRES marks on one test of a module that runs on SQLite too."""
    for marque in SUR_POSTGRES:
        test = marque(test)
    return test


# A render that goes through a real worker when the suite has Redis (CI), in-process otherwise:
# the worker_celery fixture is then asked by the test itself (tests/livrables/test_livret_pdf.py).
PAR_LE_WORKER_SI_REDIS = (
    [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
    if os.environ.get("REDIS_URL")
    else [pytest.mark.django_db]
)
