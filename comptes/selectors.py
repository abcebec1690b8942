"""Who a user is in the programme: their organisations, roles and the territory they cover."""

from dataclasses import dataclass, field

from comptes.models import Organisation, Role


@dataclass(frozen=True)
class Profil:
    """A user's organisations, read once per request and kept on the user object."""

    organisations: tuple = ()
    est_admin: bool = False
    ids_par_role: dict = field(default_factory=dict)
    departements: frozenset = frozenset()
    regions: frozenset = frozenset()

    @property
    def roles(self):
        return frozenset(role for role, ids in self.ids_par_role.items() if ids)

    def ids(self, role):
        return self.ids_par_role.get(role, frozenset())

    @property
    def organisation_ids(self):
        return frozenset(o.pk for o in self.organisations)

    @property
    def est_dgaln(self):
        return Role.DGALN in self.roles

    @property
    def est_service_etat(self):
        return Role.SERVICE_ETAT in self.roles

    @property
    def est_collectivite(self):
        return Role.COLLECTIVITE in self.roles

    @property
    def est_groupement(self):
        return Role.GROUPEMENT in self.roles

    @property
    def est_operateur(self):
        return Role.OPERATEUR in self.roles


PROFIL_ANONYME = Profil()


def profil(user):
    """The user's Profil, computed with one query and cached on the user for the request."""
    if user is None or not user.is_authenticated:
        return PROFIL_ANONYME
    cached = getattr(user, "_profil", None)
    if cached is not None:
        return cached
    organisations = tuple(Organisation.objects.filter(adhesions__utilisateur=user).order_by("nom"))
    ids_par_role = {}
    for organisation in organisations:
        ids_par_role.setdefault(organisation.role, set()).add(organisation.pk)
    user._profil = Profil(
        organisations=organisations,
        est_admin=user.is_staff,
        ids_par_role={role: frozenset(ids) for role, ids in ids_par_role.items()},
        departements=frozenset(
            o.departement_id for o in organisations if o.type == Organisation.Type.DDT
        ),
        regions=frozenset(o.region_id for o in organisations if o.type == Organisation.Type.DREAL),
    )
    return user._profil


def courriels_membres(organisations):
    """The e-mail addresses of the active members of these organisations, each once."""
    from comptes.models import Utilisateur

    return list(
        Utilisateur.objects.filter(is_active=True, organisations__in=organisations)
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def courriels_dgaln():
    """The addresses of DGALN's agents, who hear of every new pré-candidature."""
    return courriels_membres(Organisation.objects.filter(type=Organisation.Type.DGALN))
