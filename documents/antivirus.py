"""A small clamd client: streams a file to clamd (INSTREAM) and reads its verdict.

The address comes from settings.DOCUMENTS_CLAMD: a unix socket path ("/run/clamav/clamd.ctl",
or "unix:///run/clamav/clamd.ctl") or "tcp://host:3310".
"""

import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

__all__ = ["AntivirusErreur", "AntivirusIndisponible", "Verdict", "analyser"]

DELAI_CONNEXION = 5
# clamd answers only once it has read and scanned the whole stream.
DELAI_ANALYSE = 120
TAILLE_MORCEAU = 64 * 1024
REPONSE_MAX = 4096


class AntivirusIndisponible(ConnectionError):
    """clamd could not be reached or did not answer in time: try again later."""


class AntivirusErreur(RuntimeError):
    """clamd answered with an error (file too large for its StreamMaxLength, bad command)."""


@dataclass(frozen=True)
class Verdict:
    sain: bool
    detail: str


def analyser(flux, *, adresse=None, delai=None) -> Verdict:
    """Scan the bytes of `flux` with clamd and return its verdict; raises AntivirusIndisponible
    when clamd cannot be reached or is too slow, AntivirusErreur when it refuses the stream."""
    adresse = adresse or settings.DOCUMENTS_CLAMD
    try:
        with _connecter(adresse) as connexion:
            connexion.settimeout(delai or DELAI_ANALYSE)
            try:
                connexion.sendall(b"zINSTREAM\0")
                while morceau := flux.read(TAILLE_MORCEAU):
                    connexion.sendall(struct.pack(">I", len(morceau)) + morceau)
                connexion.sendall(struct.pack(">I", 0))
            except (BrokenPipeError, ConnectionResetError):
                # clamd closes the connection once a stream passes its StreamMaxLength,
                # after writing why: the answer below says so.
                pass
            reponse = _lire_reponse(connexion)
    except OSError as exc:
        raise AntivirusIndisponible(f"clamd injoignable à {adresse} : {exc}") from exc
    if not reponse:
        raise AntivirusIndisponible(f"clamd à {adresse} a fermé la connexion sans répondre")
    return _verdict(reponse)


def _connecter(adresse):
    if adresse.startswith("tcp://"):
        morceaux = urlsplit(adresse)
        return socket.create_connection(
            (morceaux.hostname, morceaux.port or 3310), timeout=DELAI_CONNEXION
        )
    connexion = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connexion.settimeout(DELAI_CONNEXION)
    try:
        connexion.connect(adresse.removeprefix("unix://"))
    except OSError:
        connexion.close()
        raise
    return connexion


def _lire_reponse(connexion):
    reponse = b""
    while not reponse.endswith(b"\0") and len(reponse) < REPONSE_MAX:
        morceau = connexion.recv(REPONSE_MAX)
        if not morceau:
            break
        reponse += morceau
    return reponse.rstrip(b"\0").decode("utf-8", "replace").strip()


def _verdict(reponse):
    resultat = reponse.partition(": ")[2] if reponse.startswith("stream:") else reponse
    if resultat == "OK":
        return Verdict(sain=True, detail="")
    if resultat.endswith(" FOUND"):
        return Verdict(sain=False, detail=resultat.removesuffix(" FOUND"))
    raise AntivirusErreur(f"réponse de clamd : {reponse}")
