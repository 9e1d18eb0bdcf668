"""The resident's consent to a mediator acting for them, and what the screen says to get it.

A ``Consent`` is a frozen record: given or refused, when, by whose hand (the mediator's
display name and id), for which démarche, and how the resident answered. Its
``to_metadata()`` goes into ``Submission.consent`` (with ``assisted=True``; channel
``counter``) and travels with the submission to the back office. It never holds a PIN.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from kiosk.domain.submission import Submission
from kiosk.i18n import _

CONSENT_FORMAT = "1"
CHANNEL_COUNTER = "counter"  # filled in at a counter, beside a mediator
SCOPE_THIS_VISIT = "this-visit"


class ConsentMethod(StrEnum):
    """How the resident answered the consent screen."""

    TOUCH = "touch"  # pressed the big button themselves
    SPOKEN = "spoken"  # said it aloud; the mediator pressed the button for them


@dataclass(frozen=True)
class Consent:
    """One answer of the resident to "may this mediator fill in this démarche for you?"."""

    given: bool
    at: str  # ISO 8601 with offset
    mediator_id: str
    mediator_name: str
    demarche_id: str
    method: ConsentMethod

    def to_metadata(self) -> dict[str, str]:
        """The submission's ``consent`` slot: plain strings, no PIN, no resident data."""
        return {
            "format": CONSENT_FORMAT,
            "given": "true" if self.given else "false",
            "at": self.at,
            "mediator_id": self.mediator_id,
            "mediator_name": self.mediator_name,
            "demarche": self.demarche_id,
            "method": self.method.value,
            "channel": CHANNEL_COUNTER,
            "scope": SCOPE_THIS_VISIT,
        }


def attach_consent(submission: Submission, consent: Consent) -> Submission:
    """The submission marked assisted, carrying ``consent``; ValueError if it does not fit."""
    if not consent.given:
        raise ValueError("a refused consent lets the mediator guide only: nothing to attach")
    if consent.demarche_id != submission.demarche_id:
        raise ValueError(f"the consent is for {consent.demarche_id!r}, "
                         f"not {submission.demarche_id!r}")
    return dataclasses.replace(
        submission, assisted=True, consent=MappingProxyType(consent.to_metadata())
    )


@dataclass(frozen=True)
class ConsentPrompt:
    """The consent screen's text, in the current language: shown and spoken as it is."""

    title: str
    sentences: tuple[str, ...]
    accept_label: str
    refuse_label: str

    def spoken(self) -> str:
        """What the speech service reads: the title, the sentences, then both choices."""
        return " ".join((self.title, *self.sentences, self.accept_label, self.refuse_label))


def consent_prompt(mediator_name: str, demarche_title: str) -> ConsentPrompt:
    """The FALC text asking the resident's consent for one démarche, this visit only."""
    return ConsentPrompt(
        title=_("Êtes-vous d'accord ?"),
        sentences=(
            _("{name} peut remplir la démarche avec vous : {title}.").format(
                name=mediator_name, title=demarche_title
            ),
            _("{name} écrit vos réponses à votre place.").format(name=mediator_name),
            _("C'est seulement pour cette démarche, aujourd'hui."),
            _("Vous pouvez dire non. Alors {name} vous explique, et vous remplissez vous-même.")
            .format(name=mediator_name),
        ),
        accept_label=_("Oui, je suis d'accord"),
        refuse_label=_("Non, je remplis moi-même"),
    )
