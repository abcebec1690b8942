"""Checks on every request, before any view reads it."""

from django.core.exceptions import BadRequest


class OctetNulMiddleware:
    """Refuse with a 400 a request whose address holds a NUL byte (%00): no page can use one,
    and PostgreSQL refuses it in any text parameter, so a filter of the admin or of a page that
    passed it on raised a 500 (issue 13). Form fields refuse it in what is posted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in cle or any("\x00" in valeur for valeur in valeurs)
            for cle, valeurs in request.GET.lists()
        ):
            raise BadRequest("Adresse contenant un octet nul.")
        return self.get_response(request)
