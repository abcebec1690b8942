"""Ce dont les étapes de la démo ont besoin : le compte qui agit pour une organisation, des PDF
d'une ligne tenant lieu des pièces, des photos de paysage tenant lieu de celles des sessions, le
membre du jury d'une collectivité."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from ateliers.management.commands.charger_demo import MOT_DE_PASSE
from comptes.models import Adhesion, Organisation, Utilisateur
from marches.demo.donnees import (
    PORTEUR_ANALYSE,
)


def agent_de(organisation: str) -> Utilisateur | None:
    """The demo account that acts for this organisation."""
    return (
        Utilisateur.objects.filter(adhesions__organisation__nom=organisation).order_by("pk").first()
    )


def pdf_demo(ligne: str) -> bytes:
    """A one-page PDF whose only line is `ligne`: the demo's stand-in for DGALN's document."""
    texte = ligne.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(")
    texte = texte.replace(b")", b"\\)")
    auteur = PdfWriter()
    page = auteur.add_blank_page(595, 842)
    police = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): auteur._add_object(police)})}
    )
    contenu = DecodedStreamObject()
    contenu.set_data(b"BT /F1 12 Tf 72 770 Td (" + texte + b") Tj ET")
    page[NameObject("/Contents")] = auteur._add_object(contenu)
    sortie = io.BytesIO()
    auteur.write(sortie)
    return sortie.getvalue()


def photo_demo(
    graine: int, largeur: int = 900, hauteur: int = 600, *, format_: str = "JPEG"
) -> bytes:
    """A landscape-like picture (a sky, hills, a grain) that weighs like a photo: the demo's
    stand-in for the photos of a session or of a livret; the same `graine`, the same picture."""
    hasard = random.Random(graine)  # noqa: S311 (a picture, no secret)
    photo = Image.new("RGB", (largeur, hauteur), (110 + graine % 40, 165, 215))
    dessin = ImageDraw.Draw(photo)
    for plan, teinte in enumerate([(95, 140, 80), (70, 120, 60), (50, 95, 45)]):
        base = int(hauteur * (0.45 + 0.15 * plan))
        crete = [(0, hauteur)]
        for x in range(0, largeur + 60, 60):
            crete.append((x, base - hasard.randint(0, hauteur // 8)))
        crete.append((largeur, hauteur))
        dessin.polygon(crete, fill=teinte)
    grain = Image.frombytes("L", (largeur, hauteur), hasard.randbytes(largeur * hauteur))
    photo = Image.blend(photo, grain.convert("RGB"), 0.12).filter(ImageFilter.SMOOTH)
    tampon = io.BytesIO()
    photo.save(tampon, format=format_, quality=82)
    return tampon.getvalue()


def piece(nom: str, titre: str, groupement: str) -> SimpleUploadedFile:
    """A piece of an offer, as the groupement sent it on PLACE: a one-page PDF."""
    return SimpleUploadedFile(
        f"{nom}.pdf", pdf_demo(f"{titre} — {groupement}"), content_type="application/pdf"
    )


def porteur_du_jury(atelier):
    """The collectivité's demo account of an atelier (fictional person)."""
    email, prenom, nom = PORTEUR_ANALYSE
    user, cree = Utilisateur.objects.get_or_create(
        email=email, defaults={"prenom": prenom, "nom": nom}
    )
    if cree:
        user.set_password(MOT_DE_PASSE)
        user.save(update_fields=["password"])
    Adhesion.objects.get_or_create(
        utilisateur=user,
        organisation=atelier.collectivites.order_by("pk").first(),
        defaults={"fonction": "Chargée de mission habitat"},
    )
    return user


def compte_de(
    organisation: Organisation | None, prefixe: str, prenom: str, fonction: str
) -> Utilisateur:
    """The demo account that acts for this organisation: its own when the demo has one, a
    fictional person otherwise (a collectivité's chargée de mission, a fictional team's head)."""
    if organisation is None:
        raise ValueError("L'atelier de démonstration n'a pas cette organisation.")
    agent = agent_de(organisation.nom)
    if agent is not None:
        return agent
    user, cree = Utilisateur.objects.get_or_create(
        email=f"{prefixe}.{organisation.pk}@demo.atelier-local.test",
        defaults={"prenom": prenom, "nom": "Démo"},
    )
    if cree:
        user.set_password(MOT_DE_PASSE)
        user.save(update_fields=["password"])
    Adhesion.objects.get_or_create(
        utilisateur=user, organisation=organisation, defaults={"fonction": fonction}
    )
    return user
