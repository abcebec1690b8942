"""The client's address behind the trusted proxies (the login lockout's key)."""

import pytest
from django.test import RequestFactory

from comptes.adresses import adresse_client


def requete(x_forwarded_for=None):
    entetes = {"REMOTE_ADDR": "10.0.0.1"}
    if x_forwarded_for is not None:
        entetes["HTTP_X_FORWARDED_FOR"] = x_forwarded_for
    return RequestFactory().get("/", **entetes)


@pytest.mark.parametrize(
    ("proxies", "x_forwarded_for", "attendue"),
    [
        (0, "203.0.113.5", "10.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.7, 203.0.113.5", "203.0.113.5"),
        (2, "198.51.100.7, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, None, "10.0.0.1"),
        (2, "203.0.113.5", "10.0.0.1"),
        (1, "pas-une-adresse", "10.0.0.1"),
        (1, "203.0.113.5, ", "203.0.113.5"),
    ],
)
def test_l_adresse_est_celle_que_le_dernier_proxy_de_confiance_a_vue(
    settings, proxies, x_forwarded_for, attendue
):
    settings.PROXIES_DE_CONFIANCE = proxies

    assert adresse_client(requete(x_forwarded_for)) == attendue
