"""The client's address for the login lockout, read through the proxies the portal trusts."""

import ipaddress

from django.conf import settings


def adresse_client(request) -> str | None:
    """The address that the outermost trusted proxy saw, so a lockout is keyed on the person
    and not on the proxy everyone shares; without a trusted proxy, the connection's address.

    Each proxy appends to X-Forwarded-For the address it received the connection from, so
    with N trusted proxies the client is the Nth entry from the right; whatever the client wrote
    further left is its own claim and is ignored. A header shorter than N entries, or an entry
    that is not an address, means the request did not come through the proxies: the
    connection's address is used.
    """
    adresse = request.META.get("REMOTE_ADDR")
    proxies = settings.PROXIES_DE_CONFIANCE
    if not proxies:
        return adresse
    entrees = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entrees = [e for e in entrees if e]
    if len(entrees) < proxies:
        return adresse
    try:
        return str(ipaddress.ip_address(entrees[-proxies]))
    except ValueError:
        return adresse
