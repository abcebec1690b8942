"""Query-count pins: a page asks the database the same number of times whatever the number
of rows it shows, so each pin measures it at N and 2N rows and asserts equality."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def nombre_de_requetes(client, url, data=None):
    """The SQL queries of one GET of `url`, once a first GET has filled the per-process caches
    (content types, the session's renewal)."""
    assert client.get(url, data).status_code == 200
    with CaptureQueriesContext(connection) as requetes:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(requetes.captured_queries)
