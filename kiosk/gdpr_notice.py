"""What the "Vos données" screen says to the resident (RGPD articles 12 and 13), in FALC,
filled from the commune's ``[gdpr]`` and ``[queue]`` configuration (docs/gdpr.md).

Free of Qt: the card (``ui.gdpr_notice``) shows these sections and the narrator reads
``spoken``. What the commune wrote in its configuration is shown as written (French);
what it left empty is said by the software's own sentences, translated.
"""

from __future__ import annotations

from typing import NamedTuple

from kiosk.config import GdprSection, QueueSection
from kiosk.i18n import _, ngettext, with_commune

CNIL_COMPLAINT = "www.cnil.fr/plaintes"
CNIL_ADDRESS = "CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07"


class NoticeSection(NamedTuple):
    """One question of the notice and its answer."""

    heading: str
    text: str


def _days(count: int) -> str:
    return ngettext("{n} jour", "{n} jours", count).format(n=count)


def gdpr_notice(gdpr: GdprSection, queue: QueueSection, commune: str) -> tuple[NoticeSection, ...]:
    """The notice's sections, in the order a resident asks them."""
    controller = gdpr.controller or with_commune(_("La mairie de {commune}."), commune)
    purpose = gdpr.purpose or _("Envoyer votre demande à la mairie, puis la suivre.")
    basis = gdpr.legal_basis or _(
        "La mairie fait une mission de service public. C'est l'article 6.1.e du RGPD."
    )
    recipients = gdpr.recipients or _(
        "Les agents de la mairie qui traitent votre demande. Personne d'autre."
    )
    dpo = (
        _("Le délégué à la protection des données : {contact}.").format(contact=gdpr.dpo_contact)
        if gdpr.dpo_contact
        else _("Demandez à l'accueil de la mairie comment joindre son délégué "
               "à la protection des données.")
    )
    retention = " ".join((
        _("Votre demande attend sur la borne {days} au plus, le temps de partir.").format(
            days=_days(queue.retention_days)),
        _("Après l'envoi, la borne garde seulement le numéro de votre demande, {days}.").format(
            days=_days(queue.status_link_days)),
        _("Le journal de la borne garde ce numéro {days}.").format(
            days=_days(gdpr.journal_days)),
        _("Les chiffres de la borne ne disent rien sur vous. Ils sont gardés {days}.").format(
            days=_days(gdpr.statistics_days)),
    ))
    return (
        NoticeSection(_("Qui est responsable ?"), controller),
        NoticeSection(_("Pourquoi ?"), purpose),
        NoticeSection(_("Quelle règle le permet ?"), basis),
        NoticeSection(_("Qui voit vos réponses ?"), recipients),
        NoticeSection(_("Combien de temps ?"), retention),
        NoticeSection(_("Vos droits"), _(
            "Vous pouvez voir vos données, les corriger, ou demander de les effacer. "
            "Vous pouvez aussi refuser qu'elles servent. "
            "Demandez-le à la mairie, avec le numéro de votre reçu."
        )),
        NoticeSection(_("Une question ?"), dpo),
        NoticeSection(_("Pas content de la réponse ?"), _(
            "Vous pouvez vous plaindre à la CNIL. Sur internet : {site}. Par courrier : {address}."
        ).format(site=CNIL_COMPLAINT, address=CNIL_ADDRESS)),
    )


def notice_title() -> str:
    return _("Vos données")


def spoken(sections: tuple[NoticeSection, ...]) -> str:
    """What audio mode reads: the title, then each question and its answer."""
    return " ".join((notice_title(), *(f"{s.heading} {s.text}" for s in sections)))
