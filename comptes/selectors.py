"""Who a user is in the programme: their organisations, roles and the territory they cover."""

from collections.abc import Iterable
from dataclasses import dataclass, field

import rules

from comptes.models import AnyUser, MembreGroupement, Organisation, Role


def a_le_droit(user: AnyUser, permission: str) -> bool:
    """`user.has_perm(permission)` for a permission declared with rules, without Django's
    ModelBackend: asked for a permission without an object that it refuses, that backend
    reads the user's model permissions, two queries on every page."""
    if not user.is_active:
        return False
    return bool(user.is_superuser or rules.has_perm(permission, user))


@dataclass(frozen=True)
class Profil:
    """A user's organisations, read once per request and kept on the user object."""

    organisations: tuple[Organisation, ...] = ()
    est_admin: bool = False
    ids_par_role: dict[str, frozenset[int]] = field(default_factory=dict)
    departements: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(role for role, ids in self.ids_par_role.items() if ids)

    def ids(self, role: str) -> frozenset[int]:
        return self.ids_par_role.get(role, frozenset())

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(o.pk for o in self.organisations)

    @property
    def est_dgaln(self) -> bool:
        return Role.DGALN in self.roles

    @property
    def est_service_etat(self) -> bool:
        return Role.SERVICE_ETAT in self.roles

    @property
    def est_collectivite(self) -> bool:
        return Role.COLLECTIVITE in self.roles

    @property
    def est_groupement(self) -> bool:
        return Role.GROUPEMENT in self.roles

    @property
    def est_operateur(self) -> bool:
        return Role.OPERATEUR in self.roles


PROFIL_ANONYME = Profil()


def profil(user: AnyUser | None) -> Profil:
    """The user's Profil, computed with one query and cached on the user for the request."""
    if user is None or not user.is_authenticated:
        return PROFIL_ANONYME
    cached = getattr(user, "_profil", None)
    if cached is not None:
        return cached
    organisations = tuple(Organisation.objects.filter(adhesions__utilisateur=user).order_by("nom"))
    ids_par_role: dict[str, set[int]] = {}
    for organisation in organisations:
        ids_par_role.setdefault(organisation.role, set()).add(organisation.pk)
    user._profil = Profil(
        organisations=organisations,
        est_admin=user.is_staff,
        ids_par_role={role: frozenset(ids) for role, ids in ids_par_role.items()},
        departements=frozenset(
            o.departement_id
            for o in organisations
            if o.type == Organisation.Type.DDT and o.departement_id
        ),
        regions=frozenset(
            o.region_id for o in organisations if o.type == Organisation.Type.DREAL and o.region_id
        ),
    )
    return user._profil


def courriels_membres(organisations: Iterable[Organisation | int]) -> list[str]:
    """The e-mail addresses of the active members of these organisations, each once."""
    from comptes.models import Utilisateur

    return list(
        Utilisateur.objects.filter(is_active=True, organisations__in=organisations)
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def courriels_dgaln() -> list[str]:
    """The addresses of DGALN's agents, who hear of every new pré-candidature."""
    return courriels_membres(Organisation.objects.filter(type=Organisation.Type.DGALN))


def membres_du_groupement(groupement_id: int | None) -> list[MembreGroupement]:
    """The firms of a groupement, its mandataire first then its co-traitants in their order."""
    if groupement_id is None:
        return []
    return list(
        MembreGroupement.objects.filter(groupement_id=groupement_id).order_by(
            "-role", "ordre", "nom"
        )
    )
