"""Pré-candidature, then the candidature: what the porteurs tell DGALN about their atelier."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from ateliers.models import Atelier
from documents.models import FichierDepose

DEPOSER = "candidatures.deposer_candidature"
INSTRUIRE = "candidatures.instruire_candidature"


class Thematique(models.Model):
    """A theme an atelier can treat: the programme's controlled list, kept by the admins."""

    class Famille(models.TextChoices):
        TERRITORIALES = "territoriales", "Transitions territoriales et urbaines"
        SOCIETALES = "societales", "Transitions culturelles, sociales, économiques et civiques"
        ENVIRONNEMENTALES = "environnementales", "Transitions environnementales et énergétiques"

    code = models.SlugField("code", max_length=60, unique=True)
    libelle = models.CharField("libellé", max_length=200)
    famille = models.CharField("famille", max_length=20, choices=Famille.choices)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    active = models.BooleanField("proposée", default=True)

    class Meta:
        verbose_name = "thématique"
        ordering = ["ordre", "libelle"]

    def __str__(self):
        return self.libelle


class PreCandidature(models.Model):
    """The first contact: why the territory wants an atelier, before DGALN confirms it."""

    atelier = models.OneToOneField(
        Atelier, verbose_name="atelier", on_delete=models.CASCADE, related_name="precandidature"
    )
    intention = models.TextField(
        "intention",
        max_length=3000,
        help_text="En quelques lignes : la question que le territoire se pose, ce qu'il attend "
        "d'un atelier et pourquoi maintenant. 3 000 caractères au plus.",
    )
    thematiques = models.ManyToManyField(
        Thematique, verbose_name="thématiques", related_name="precandidatures"
    )
    cree_le = models.DateTimeField("ouverte le", auto_now_add=True)

    class Meta:
        verbose_name = "pré-candidature"

    def __str__(self):
        return f"Pré-candidature — {self.atelier}"


class Contact(models.Model):
    """A person to talk to about the pré-candidature (not necessarily a portal user)."""

    precandidature = models.ForeignKey(
        PreCandidature, on_delete=models.CASCADE, related_name="contacts"
    )
    nom = models.CharField("prénom et nom", max_length=150)
    fonction = models.CharField("fonction", max_length=150, blank=True)
    organisation = models.CharField("organisation", max_length=200)
    email = models.EmailField("adresse électronique")
    telephone = models.CharField("téléphone", max_length=30, blank=True)

    class Meta:
        verbose_name = "contact"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.nom} ({self.organisation})"


class Candidature(ConcurrentTransitionMixin, models.Model):
    """The note d'opportunité valant candidature and its courriers, opened when DGALN confirms
    the opportunity; written by every member of the porteur organisations until the dépôt."""

    class Statut(models.TextChoices):
        EN_REDACTION = "en_redaction", "En rédaction"
        DEPOSEE = "deposee", "Déposée"
        EN_INSTRUCTION = "en_instruction", "En instruction"

    atelier = models.OneToOneField(
        Atelier, verbose_name="atelier", on_delete=models.CASCADE, related_name="candidature"
    )
    statut = FSMField(
        "statut",
        max_length=20,
        choices=Statut.choices,
        default=Statut.EN_REDACTION,
        protected=True,
    )
    cree_le = models.DateTimeField("ouverte le", auto_now_add=True)

    class Meta:
        verbose_name = "candidature"

    def __str__(self):
        return f"Candidature — {self.atelier}"

    @property
    def modifiable(self):
        return self.statut == self.Statut.EN_REDACTION

    @transition(
        field=statut,
        source=Statut.EN_REDACTION,
        target=Statut.DEPOSEE,
        permission=DEPOSER,
        conditions=[lambda candidature: candidature.complete],
        custom={
            "journal": "Dossier de candidature déposé",
            "libelle": "Déposer la candidature",
            "consequence": "La candidature sera transmise à la DGALN et ne sera plus modifiable.",
        },
    )
    def deposer(self):
        """The porteurs send the complete dossier (every part, the three signed letters) to
        DGALN; the note can no longer be changed."""

    @transition(
        field=statut,
        source=Statut.DEPOSEE,
        target=Statut.EN_INSTRUCTION,
        permission=INSTRUIRE,
        custom={
            "journal": "Candidature prise en charge par la DGALN",
            "libelle": "Prendre en charge",
            "consequence": "La DGALN commence l'analyse de l'éligibilité du dossier.",
        },
    )
    def instruire(self):
        """DGALN takes the deposited dossier in hand to review its eligibility."""

    @property
    def complete(self):
        """Every part of the note complete and the three signed letters downloadable."""
        from candidatures.selectors import pieces_manquantes

        return not pieces_manquantes(self)


class PartieNote(models.Model):
    """One part of the note d'opportunité: saved as a draft whatever its completeness, and
    versioned so that two people saving the same part never overwrite each other silently."""

    # The fields a part needs to be complete, with the label shown in « n champs manquants ».
    REQUIS = ()

    candidature = models.OneToOneField(Candidature, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField("version", default=0)
    modifie_le = models.DateTimeField("modifiée le", null=True, blank=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifiée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def manquants(self):
        """The labels of the required fields still empty."""
        vides = []
        for nom in self.REQUIS:
            champ = self._meta.get_field(nom)
            valeur = getattr(self, nom)
            if champ.many_to_many:
                vide = self.pk is None or not valeur.exists()
            else:
                vide = not (valeur.strip() if isinstance(valeur, str) else valeur)
            if vide:
                vides.append(champ.verbose_name)
        return vides


class Objet(PartieNote):
    """Section 3 — l'objet : what the atelier is about."""

    REQUIS = ("titre", "thematiques", "problematique", "enjeux")

    candidature = models.OneToOneField(Candidature, on_delete=models.CASCADE, related_name="objet")
    titre = models.CharField(
        "titre de l'atelier",
        max_length=200,
        blank=True,
        help_text="Court et parlant : il figurera sur tous les documents de l'atelier. "
        "200 caractères au plus.",
    )
    thematiques = models.ManyToManyField(
        Thematique, verbose_name="thématiques", blank=True, related_name="objets"
    )
    problematique = models.TextField(
        "problématique",
        max_length=5000,
        blank=True,
        help_text="La question que le territoire se pose et que l'atelier doit éclairer : la "
        "DGALN y cherche une stratégie d'aménagement à construire, pas une étude de plus. "
        "5 000 caractères au plus.",
    )
    enjeux = models.TextField(
        "enjeux",
        max_length=5000,
        blank=True,
        help_text="Ce qui est en jeu pour le territoire : secteur, échelle, problèmes à "
        "résoudre, acteurs concernés. 5 000 caractères au plus.",
    )
    contexte = models.TextField(
        "contexte législatif ou réglementaire",
        max_length=5000,
        blank=True,
        help_text="Facultatif : les lois ou documents qui encadrent la démarche (loi Climat et "
        "résilience, accélération des énergies renouvelables, PPA…). 5 000 caractères au plus.",
    )

    history = HistoricalRecords(m2m_fields=[thematiques])

    class Meta:
        verbose_name = "section 3 — l'objet"

    def __str__(self):
        return "Section 3 — L'objet"


def _texte(nom, *, max_length=5000, aide="", **kwargs):
    """An optional long text of a part, its limit written in its help text."""
    limite = f"{max_length:,}".replace(",", "\u202f")
    return models.TextField(
        nom,
        max_length=max_length,
        blank=True,
        help_text=f"{aide} {limite} caractères au plus.".strip(),
        **kwargs,
    )


def _ligne(nom, *, max_length=200, aide="", **kwargs):
    """An optional one-line text of a part."""
    return models.CharField(nom, max_length=max_length, blank=True, help_text=aide, **kwargs)


def _bloc(nom, aide):
    """A repeatable block of a part: a list of rows, each a dict of the row form's fields."""
    return models.JSONField(nom, default=list, blank=True, help_text=aide)


class Porteurs(PartieNote):
    """Section 1 — les porteurs : who carries the atelier, and who to call."""

    REQUIS = ("collectivites", "service_pilote", "referent_etat", "referent_etat_courriel")

    candidature = models.OneToOneField(
        Candidature, on_delete=models.CASCADE, related_name="porteurs"
    )
    collectivites = _bloc(
        "collectivités porteuses",
        "Chaque collectivité qui porte l'atelier : elle signe la lettre de soutien et prend en "
        "charge la logistique des sessions. Une ligne par collectivité.",
    )
    service_pilote = _ligne(
        "service de l'État pilote",
        aide="La DDT(M) ou la DREAL qui pilote l'atelier et sera titulaire du marché subséquent.",
    )
    referent_etat = _ligne(
        "référent du service de l'État (prénom et nom)",
        max_length=150,
        aide="La personne qui suivra l'atelier au quotidien pendant 10 à 15 mois.",
    )
    referent_etat_fonction = _ligne("fonction du référent", max_length=150)
    referent_etat_courriel = models.EmailField(
        "adresse électronique du référent", blank=True, max_length=254
    )
    referent_etat_telephone = _ligne("téléphone du référent", max_length=30)
    operateur = _ligne(
        "opérateur de l'État associé",
        aide="Facultatif : établissement public foncier, agence de l'eau, Cerema… s'il "
        "s'associe à l'atelier.",
    )
    operateur_referent = _ligne(
        "référent de l'opérateur", max_length=150, aide="Prénom, nom et adresse électronique."
    )
    partenaires = _bloc(
        "autres partenaires",
        "Facultatif : PNR, agence d'urbanisme, CAUE, chambre consulaire… associés à la démarche.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "section 1 — les porteurs"

    def __str__(self):
        return "Section 1 — Les porteurs"


class Courrier(models.Model):
    """A signed letter of the dossier, uploaded as a PDF. A new upload replaces the letter of
    its type; the replaced one is kept, dated, with its file."""

    class Type(models.TextChoices):
        SOUTIEN_COLLECTIVITES = (
            "soutien_collectivites",
            "Lettre de soutien de la ou des collectivités",
        )
        SOUTIEN_PREFET = "soutien_prefet", "Lettre de soutien du préfet ou du sous-préfet"
        ENGAGEMENT_SERVICE = (
            "engagement_service",
            "Lettre d'engagement du service de l'État pilote",
        )

    candidature = models.ForeignKey(
        Candidature, verbose_name="candidature", on_delete=models.CASCADE, related_name="courriers"
    )
    type = models.CharField("courrier", max_length=30, choices=Type.choices)
    fichier = models.ForeignKey(
        FichierDepose, verbose_name="fichier signé", on_delete=models.PROTECT, related_name="+"
    )
    depose_le = models.DateTimeField("déposé le", default=timezone.now)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    remplace_le = models.DateTimeField("remplacé le", null=True, blank=True)

    class Meta:
        verbose_name = "courrier signé"
        verbose_name_plural = "courriers signés"
        ordering = ["candidature", "type", "-depose_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidature", "type"],
                condition=Q(remplace_le__isnull=True),
                name="courrier_un_actuel_par_type",
            )
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.fichier.nom_original}"


EXPLICATIONS_COURRIERS = {
    Courrier.Type.SOUTIEN_COLLECTIVITES: "Signée par l'élu de chaque collectivité porteuse, "
    "qui s'engage à prendre en charge la logistique des sessions.",
    Courrier.Type.SOUTIEN_PREFET: "Signée par le préfet ou le sous-préfet, adressée à la "
    "sous-direction de l'Aménagement durable (AD1, DHUP, DGALN).",
    Courrier.Type.ENGAGEMENT_SERVICE: "Signée par la direction de la DDT(M) ou de la DREAL, "
    "qui s'engage à porter l'atelier pendant 10 à 12 mois.",
}


class VersionCandidature(models.Model):
    """One deposited version of the dossier, frozen: every part of the note as it was read,
    and the signed letters sent with it. A new dépôt (after compléments) adds the next one."""

    candidature = models.ForeignKey(
        Candidature, verbose_name="candidature", on_delete=models.CASCADE, related_name="versions"
    )
    numero = models.PositiveIntegerField("numéro")
    depose_le = models.DateTimeField("déposée le", default=timezone.now)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contenu = models.JSONField("contenu", encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "version déposée de la candidature"
        verbose_name_plural = "versions déposées des candidatures"
        ordering = ["candidature", "-numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidature", "numero"], name="version_candidature_unique"
            )
        ]

    def __str__(self):
        return f"{self.candidature} — version {self.numero}"


class Message(models.Model):
    """A message of the thread between DGALN and the porteurs about a candidature; its
    attachments are checked uploads owned by the message."""

    candidature = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="messages")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "comptes.Organisation",
        verbose_name="au titre de",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    de_la_dgaln = models.BooleanField("envoyé par la DGALN")
    texte = models.TextField("message", max_length=5000)
    envoye_le = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "message"
        ordering = ["envoye_le", "pk"]

    def __str__(self):
        return f"Message du {self.envoye_le:%d/%m/%Y}"


class Annotation(models.Model):
    """A private note of DGALN on a candidature: never shown to the porteurs."""

    candidature = models.ForeignKey(
        Candidature, on_delete=models.CASCADE, related_name="annotations"
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    texte = models.TextField("annotation", max_length=5000)
    cree_le = models.DateTimeField("écrite le", default=timezone.now)

    class Meta:
        verbose_name = "annotation interne"
        verbose_name_plural = "annotations internes"
        ordering = ["-cree_le", "-pk"]

    def __str__(self):
        return f"Annotation du {self.cree_le:%d/%m/%Y}"


class DemandeAvis(models.Model):
    """DGALN asks a named colleague (DGALN or a State service) for an opinion on a dossier; the
    opinion is kept with the dossier, seen by DGALN and its author only."""

    candidature = models.ForeignKey(
        Candidature, on_delete=models.CASCADE, related_name="demandes_avis"
    )
    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="expert sollicité",
        on_delete=models.PROTECT,
        related_name="demandes_avis",
    )
    question = models.TextField("question posée", max_length=3000)
    demande_le = models.DateTimeField("demandé le", default=timezone.now)
    avis = models.TextField("avis", max_length=10000, blank=True)
    rendu_le = models.DateTimeField("rendu le", null=True, blank=True)

    class Meta:
        verbose_name = "demande d'avis"
        verbose_name_plural = "demandes d'avis"
        ordering = ["-demande_le", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rendu_le__isnull=True) | ~models.Q(avis=""),
                name="avis_rendu_non_vide",
            )
        ]

    def __str__(self):
        return f"Avis demandé à {self.expert}"

    @property
    def rendu(self):
        return self.rendu_le is not None
