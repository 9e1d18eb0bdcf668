""""Où en est ma demande ?": where a request is, from the reference on its receipt.

A reference is not a password: whoever holds a receipt may ask, so only a status is ever
told (received, in progress and by which service, done, rejected), never what the
request says. The lookup first asks this terminal's queue (a request still waiting here
has not reached the town hall, and the back office does not know it yet), then the back
office, which any terminal of the commune may ask, since a resident may come back to
another one. Everything that can go wrong ends in an answer the resident can act on.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from kiosk.i18n import _

_log = logging.getLogger(__name__)
MAX_SERVICE_NAME = 80  # characters of the name of the service in charge
MAX_NOTE = 200  # characters of an agent's public note (Open311 ``status_notes``)


class Status(enum.Enum):
    """Where the back office says a request is (docs/api/openapi.yaml, RequestStatus)."""

    RECEIVED = "received"  # arrived; nobody has opened it yet
    IN_PROGRESS = "in_progress"  # a service works on it
    DONE = "done"
    REJECTED = "rejected"  # the town hall will not act on it


@dataclass(frozen=True)
class RequestStatus:
    """The back office's answer: the status, the service in charge if any, and when."""

    status: Status
    service: str | None = None
    updated_at: str | None = None
    note: str | None = None  # a note the back office publishes with the status


def one_line(value: object, limit: int) -> str | None:
    """``value`` as one printable line of at most ``limit`` characters, or None (not
    text, empty, or holding control characters: it is shown and spoken as it is)."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text if 0 < len(text) <= limit and text.isprintable() else None


@dataclass(frozen=True)
class Link:
    """What a terminal keeps of a request it delivered to a back office that does not
    know the kiosk's references (w.c.s., Open311): the démarche and the back office's id
    (an Open311 ``token:…`` until the server gives the id)."""

    demarche_id: str
    remote_reference: str


class UnknownReferenceError(LookupError):
    """The back office knows no request with this reference."""


class StatusUnavailableError(RuntimeError):
    """The back office could not be asked, or gave no usable answer (technical detail)."""


@runtime_checkable
class StatusSource(Protocol):
    """A back office that can tell a request's status (``HttpApiConnector``)."""

    def request_status(self, reference: str) -> RequestStatus:
        """The status; raises ``UnknownReferenceError`` or ``StatusUnavailableError``."""
        ...


class Local(enum.Enum):
    """What this terminal's queue knows of a reference."""

    NOT_HERE = "not_here"  # never stored here, or delivered so long ago it is forgotten
    WAITING = "waiting"  # stored here, not yet delivered
    SET_ASIDE = "set_aside"  # the back office refused it, or it expired: a person must see
    DELIVERED = "delivered"  # left this terminal: the back office knows where it is


class Outcome(enum.Enum):
    """Every answer the resident may get that is not a back-office status."""

    WAITING_HERE = "waiting_here"
    SET_ASIDE = "set_aside"
    UNKNOWN = "unknown"
    UNREACHABLE = "unreachable"


@runtime_checkable
class LinkedStatusSource(Protocol):
    """A back office asked by its own id (``WcsConnector``, ``Open311Connector``)."""

    def complete_link(self, link: Link) -> Link:
        """``link`` with the back office's final id when it has one by now (an Open311
        token resolved); ``link`` itself otherwise. Never raises."""
        ...

    def linked_status(self, link: Link) -> RequestStatus:
        """The status; raises ``UnknownReferenceError`` or ``StatusUnavailableError``."""
        ...


class ByLink:
    """A ``StatusSource`` made of a linked source and the link this terminal kept for the
    reference asked about (None: this terminal delivered no such request, and only the
    terminal that sent a request knows its back-office id)."""

    def __init__(
        self, source: LinkedStatusSource, link: Link | None, item_id: str | None = None
    ) -> None:
        self._source = source
        self.item_id = item_id  # the terminal's item the link was kept for
        self.kept = link  # as the terminal keeps it
        self.link = link  # completed by ``request_status`` (a token resolved)

    def request_status(self, reference: str) -> RequestStatus:
        if self.link is None:
            raise UnknownReferenceError(reference)
        self.link = self._source.complete_link(self.link)
        return self._source.linked_status(self.link)


Answer = RequestStatus | Outcome
_ANSWERED_HERE = {Local.WAITING: Outcome.WAITING_HERE, Local.SET_ASIDE: Outcome.SET_ASIDE}


def look_up(
    reference: str, local: Callable[[str], Local], source: StatusSource | None
) -> Answer:
    """The answer for a reference already in its written form (``normalise_reference``).

    ``local`` reads this terminal's queue; ``source`` is None when no back office that
    tells statuses is configured. Blocks for the back office's answer, bounded by its
    deadline: call it off the GUI thread.
    """
    here = local(reference)
    if here in _ANSWERED_HERE:
        return _ANSWERED_HERE[here]
    if source is None:
        return Outcome.UNREACHABLE if here is Local.DELIVERED else Outcome.UNKNOWN
    try:
        return source.request_status(reference)
    except UnknownReferenceError:
        # Delivered from here but unknown there: the back office lost or renamed it;
        # the resident is told what to do either way.
        if here is Local.DELIVERED:
            _log.warning("a request delivered from this terminal is unknown to the back office")
        return Outcome.UNKNOWN
    except StatusUnavailableError as problem:
        _log.info("status not available: %s", problem)
    except Exception as error:  # a broken back office must not leave the resident waiting
        _log.warning("status lookup failed: %s", type(error).__name__)
    return Outcome.UNREACHABLE


def describe(answer: Answer) -> str:
    """The answer in plain words (FALC), shown and spoken as it is."""
    if isinstance(answer, RequestStatus):
        return _describe_status(answer)
    return {
        Outcome.WAITING_HERE: _(
            "Votre demande attend sur la borne. Elle partira dès que possible."
        ),
        Outcome.SET_ASIDE: _(
            "Votre demande n'est pas partie. Demandez à l'accueil, avec votre reçu."
        ),
        Outcome.UNKNOWN: _(
            "Nous ne trouvons pas cette demande. Vérifiez le numéro sur votre reçu."
        ),
        Outcome.UNREACHABLE: _(
            "La borne ne peut pas joindre la mairie pour le moment. "
            "Réessayez plus tard ou demandez à l'accueil."
        ),
    }[answer]


def _describe_status(answer: RequestStatus) -> str:
    text = _describe_state(answer)
    if answer.note:
        text += " " + _("La mairie ajoute : {note}").format(note=answer.note)
    return text


def _describe_state(answer: RequestStatus) -> str:
    if answer.status is Status.RECEIVED:
        return _(
            "Votre demande est bien arrivée à la mairie. Personne ne l'a encore ouverte."
        )
    if answer.status is Status.IN_PROGRESS:
        if answer.service:
            return _("Votre demande est en cours. Le service {service} s'en occupe.").format(
                service=answer.service
            )
        return _("Votre demande est en cours. Un service de la mairie s'en occupe.")
    if answer.status is Status.DONE:
        return _("Votre demande est terminée.")
    return _("La mairie ne peut pas donner suite à votre demande. Demandez à l'accueil.")
