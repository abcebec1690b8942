"""What several checks say: numbers and lists as the French messages write them, and the
refusals that more than one kind of file can earn."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from documents.verification import bornes
from documents.verification.formats import Format


def decimal(nombre: float) -> str:
    return f"{nombre:.1f}".removesuffix(".0").replace(".", ",")


def en_mo(octets: int) -> str:
    return decimal(octets / bornes.MO)


def en_millions(nombre: int) -> str:
    return decimal(nombre / 1_000_000)


def entier(nombre: int) -> str:
    return f"{nombre:,}".replace(",", "\u202f")


def enumerer(formats: Iterable[Format]) -> str:
    libelles = [f.libelle for f in formats]
    if len(libelles) == 1:
        return libelles[0]
    return f"{', '.join(libelles[:-1])} ou {libelles[-1]}"


def polyglotte() -> ValidationError:
    return ValidationError(
        "Ce fichier cache un autre format (page web, archive ou données ajoutées à la fin) : "
        "il ne peut pas être accepté. Enregistrez-le à nouveau depuis le logiciel qui l'a "
        "produit, puis déposez-le.",
        code="polyglotte",
    )


def bombe() -> ValidationError:
    return ValidationError(
        "Ce fichier contient des données compressées démesurées (une « bombe de "
        "décompression ») : il ne peut pas être accepté.",
        code="bombe",
    )
