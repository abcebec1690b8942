"""Demo data: one account per role, the 2019 accord-cadre's three groupements and eleven ateliers.

Organisations and territories are real (public information); every person is fictional.
Running it twice changes nothing: accounts, organisations and ateliers are looked up first.
"""

from datetime import timedelta

import pgtrigger
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ateliers.models import Atelier, Evenement
from comptes.models import Adhesion, MembreGroupement, Organisation, Utilisateur
from territoires.models import EPCI, Departement, Region

MOT_DE_PASSE = "demo-atelier-local"

GROUPEMENTS = {
    "Groupement 1 — Alphaville": [
        ("Alphaville", "mandataire", "programmation urbaine"),
        ("Zéro Carbone Architectes", "co_traitant", "architecture"),
        ("Bassinet Turquin Paysage", "co_traitant", "paysage, graphisme"),
        ("Urban Eco", "co_traitant", "écologie, environnement, risques"),
        ("Roland Ribi & Associés", "co_traitant", "mobilité"),
        ("Les sismographes", "co_traitant", "photographie"),
    ],
    "Groupement 2 — Altitude 35": [
        ("Altitude 35", "mandataire", "paysage, aménagement, urbanisme"),
        ("Belvédère", "co_traitant", "urbanisme, organisation, prospective"),
        ("Une Autre Ville", "co_traitant", "développement durable, environnement, énergie"),
    ],
    "Groupement 3 — INterland": [
        (
            "INterland",
            "mandataire",
            "aménagement, urbanisme, patrimoine, animation, graphisme, expertise d'usages",
        ),
        ("Caudex", "co_traitant", "paysage, espace public"),
        ("Egis Conseil", "co_traitant", "environnement, énergie, économie, tourisme"),
        ("Blezat Consulting", "co_traitant", "agriculture, alimentation"),
        ("Transitec", "co_traitant", "mobilité"),
        ("Papilloud Bénédicte", "co_traitant", "design, communication, graphisme"),
        ("Selas Fiducial Legal by Lamy", "co_traitant", "droit"),
    ],
}

# (e-mail, prénom, nom, rôle affiché, organisation, fonction) — fictional people.
COMPTES = [
    (
        "collectivite@demo.atelier-local.test",
        "Élodie",
        "Marchal",
        "Collectivité",
        "CA Fougères Agglomération",
        "Directrice de l'aménagement",
    ),
    (
        "ddt@demo.atelier-local.test",
        "Thomas",
        "Le Guennec",
        "DDT(M)",
        "DDTM d'Ille-et-Vilaine",
        "Chef du service aménagement",
    ),
    (
        "dreal@demo.atelier-local.test",
        "Sophie",
        "Bernier",
        "DREAL",
        "DREAL Bretagne",
        "Chargée de mission planification",
    ),
    (
        "dgaln@demo.atelier-local.test",
        "Julien",
        "Perret",
        "DGALN",
        "DGALN — bureau AD1",
        "Chargé de mission Ateliers des territoires",
    ),
    (
        "groupement@demo.atelier-local.test",
        "Claire",
        "Vasseur",
        "Groupement",
        "Groupement 1 — Alphaville",
        "Cheffe de projet",
    ),
]
ADMIN = ("admin@demo.atelier-local.test", "Marc", "Fontaine", "Administrateur")

SERVICES = [
    ("DDTM d'Ille-et-Vilaine", Organisation.Type.DDT, "35"),
    ("DDTM de la Manche", Organisation.Type.DDT, "50"),
    ("DDTM des Pyrénées-Atlantiques", Organisation.Type.DDT, "64"),
    ("DDTM des Bouches-du-Rhône", Organisation.Type.DDT, "13"),
    ("DDT du Doubs", Organisation.Type.DDT, "25"),
    ("DDT de la Loire", Organisation.Type.DDT, "42"),
    ("DDTM de l'Hérault", Organisation.Type.DDT, "34"),
    ("DDTM du Nord", Organisation.Type.DDT, "59"),
]

# The steps of an atelier's whole life, in their order.
PARCOURS = [
    "confirmer_opportunite",
    "deposer",
    "declarer_eligible",
    "lancer_marche",
    "demarrer_cadrage",
    "demarrer_session_1",
    "demarrer_session_2",
    "demarrer_session_3",
    "demarrer_restitution",
    "cloturer",
]


def jusqua(etape: str) -> list[str]:
    """The steps of the lifecycle up to `etape`, the last one a demo atelier took."""
    return PARCOURS[: PARCOURS.index(etape) + 1]


# (intitulé, EPCI SIREN, service pilote, the steps it went through, groupement, months ago);
# charger_demo_candidatures takes each through the services of the stage that owns the step.
ATELIERS = [
    (
        "Rennes Métropole : faire vivre la ceinture verte",
        "243500139",
        "DDTM d'Ille-et-Vilaine",
        [],
        None,
        1,
    ),
    (
        "Fougères Agglomération : une ville moyenne entre bocage et industrie",
        "200072452",
        "DDTM d'Ille-et-Vilaine",
        jusqua("confirmer_opportunite"),
        None,
        3,
    ),
    (
        "Lorient Agglomération face au recul du trait de côte",
        "200042174",
        "DREAL Bretagne",
        jusqua("deposer"),
        None,
        4,
    ),
    (
        "Pays Basque : habiter l'intérieur",
        "200067106",
        "DDTM des Pyrénées-Atlantiques",
        jusqua("lancer_marche"),
        None,
        6,
    ),
    (
        "Vitré Communauté : des bourgs vivants entre deux métropoles",
        "200039022",
        "DDTM d'Ille-et-Vilaine",
        jusqua("lancer_marche"),
        None,
        5,
    ),
    (
        "Arles-Crau-Camargue : vivre avec l'eau",
        "241300417",
        "DDTM des Bouches-du-Rhône",
        jusqua("demarrer_session_2"),
        "Groupement 1 — Alphaville",
        10,
    ),
    (
        "Grand Besançon : transformer les zones d'activités",
        "242500361",
        "DDT du Doubs",
        jusqua("cloturer"),
        # Its marché was opened 18 months ago, under the 2024-2027 accord-cadre: a titulaire of
        # that one (the demo's fictional team, charger_demo_marches), not one of 2019's.
        "Groupement 5 — Équipe démo Piémont (fictif)",
        18,
    ),
    (
        "Cotentin : accueillir les grands chantiers sans perdre le littoral",
        "200067205",
        "DDTM de la Manche",
        jusqua("demarrer_cadrage"),
        "Groupement 1 — Alphaville",
        3,
    ),
    (
        "Roannais Agglomération : un territoire textile qui se réinvente",
        "200035731",
        "DDT de la Loire",
        jusqua("demarrer_session_1"),
        "Groupement 1 — Alphaville",
        5,
    ),
    (
        "Sète Agglopôle Méditerranée : habiter entre la mer et l'étang de Thau",
        "200066355",
        "DDTM de l'Hérault",
        jusqua("demarrer_session_3"),
        "Groupement 1 — Alphaville",
        9,
    ),
    (
        "Dunkerque : accueillir la réindustrialisation, loger ses salariés",
        "245900428",
        "DDTM du Nord",
        jusqua("demarrer_restitution"),
        "Groupement 1 — Alphaville",
        11,
    ),
]


class Command(BaseCommand):
    help = "Crée les comptes, organisations et ateliers de démonstration (sans doublon)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Les données de démonstration ne se chargent pas en production.")
        if not Departement.objects.exists():
            raise CommandError("Chargez d'abord les référentiels : manage.py charger_referentiels")
        with transaction.atomic():
            organisations = self._organisations()
            self._comptes(organisations)
        self.stdout.write(
            self.style.SUCCESS(
                f"Démonstration : {len(organisations)} organisations et leurs comptes ; les "
                "ateliers viennent avec charger_demo_candidatures."
            )
        )
        self.stdout.write(f"\nComptes de démonstration (mot de passe : {MOT_DE_PASSE})")
        for email, prenom, nom, role, organisation, _ in COMPTES:
            self.stdout.write(f"  {role:<14} {email:<40} {prenom} {nom}, {organisation}")
        self.stdout.write(f"  {ADMIN[3]:<14} {ADMIN[0]:<40} {ADMIN[1]} {ADMIN[2]} (/admin/)")

    def _organisation(self, nom, type_, **champs):
        organisation, _ = Organisation.objects.get_or_create(
            nom=nom, defaults={"type": type_, **champs}
        )
        return organisation

    def _organisations(self):
        organisations = {}
        organisations["DGALN — bureau AD1"] = self._organisation(
            "DGALN — bureau AD1", Organisation.Type.DGALN
        )
        organisations["DREAL Bretagne"] = self._organisation(
            "DREAL Bretagne", Organisation.Type.DREAL, region=Region.objects.get(code="53")
        )
        for nom, type_, code in SERVICES:
            organisations[nom] = self._organisation(
                nom, type_, departement=Departement.objects.get(code=code)
            )
        for _, siren, *_ in ATELIERS:
            epci = EPCI.objects.get(siren=siren)
            organisations[epci.nom] = self._organisation(
                epci.nom, Organisation.Type.EPCI, siren=siren, departement=epci.departement
            )
        organisations["Agence de l'eau Rhône Méditerranée Corse"] = self._organisation(
            "Agence de l'eau Rhône Méditerranée Corse",
            Organisation.Type.OPERATEUR,
            departement=Departement.objects.get(code="13"),
        )
        for nom, membres in GROUPEMENTS.items():
            groupement = self._organisation(nom, Organisation.Type.GROUPEMENT)
            for ordre, (raison, role, competences) in enumerate(membres):
                MembreGroupement.objects.get_or_create(
                    groupement=groupement,
                    nom=raison,
                    defaults={"role": role, "competences": competences, "ordre": ordre},
                )
            organisations[nom] = groupement
        return organisations

    def _compte(self, email, prenom, nom, **extra):
        user, cree = Utilisateur.objects.get_or_create(
            email=email, defaults={"prenom": prenom, "nom": nom, **extra}
        )
        if cree:
            user.set_password(MOT_DE_PASSE)
            user.save(update_fields=["password"])
        return user

    def _comptes(self, organisations):
        agents = {}
        for email, prenom, nom, _, organisation, fonction in COMPTES:
            user = self._compte(email, prenom, nom)
            Adhesion.objects.get_or_create(
                utilisateur=user,
                organisation=organisations[organisation],
                defaults={"fonction": fonction},
            )
            agents[organisation] = user
        self._compte(ADMIN[0], ADMIN[1], ADMIN[2], is_staff=True, is_superuser=True)
        prenoms = iter(["Yann", "Inès", "Hugo", "Nadia", "Paul", "Léa", "Malo", "Chloé"])
        for nom, *_ in SERVICES:
            if nom not in agents:
                slug = nom.split()[-1].lower().replace("'", "")
                user = self._compte(
                    f"pilote.{slug}@demo.atelier-local.test",
                    next(prenoms),
                    "Pilote",
                )
                Adhesion.objects.get_or_create(utilisateur=user, organisation=organisations[nom])
                agents[nom] = user
        return agents


def etaler_dans_le_temps(atelier, mois):
    """Spread the journal over the months the demo atelier has lived, as a real one would."""
    debut = timezone.now() - timedelta(days=30 * mois)
    evenements = list(Evenement.objects.filter(atelier=atelier).order_by("date", "pk"))
    pas = (timezone.now() - debut) / (len(evenements) + 1)
    for rang, evenement in enumerate(evenements):
        evenement.date = debut + pas * rang
    # The only rewrite of the journal: demo lines are backdated once, as they are written.
    with pgtrigger.ignore("ateliers.Evenement:journal_ajout_seul"):
        Evenement.objects.bulk_update(evenements, ["date"])
    dates = {e.transition: timezone.localdate(e.date) for e in evenements}
    Atelier.objects.filter(pk=atelier.pk).update(
        cree_le=debut,
        phase_depuis=evenements[-1].date,
        debut_accompagnement=dates.get("demarrer_cadrage"),
        fin_accompagnement=dates.get("cloturer"),
    )
