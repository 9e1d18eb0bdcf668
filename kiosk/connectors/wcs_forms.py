"""The w.c.s. forms of a catalog: each mapped démarche's ``WcsTarget`` as a ``WcsForm``.

The catalog's reader has already checked everything the connector checks again (slugs,
varnames, one answer per field), so building them cannot fail for a loaded catalog.
"""

from __future__ import annotations

from types import MappingProxyType

from kiosk.catalog.model import Catalog, WcsTarget
from kiosk.connectors.wcs import WcsField, WcsForm


def wcs_form(target: WcsTarget) -> WcsForm:
    """One démarche's w.c.s. form."""
    return WcsForm(
        slug=target.formdef,
        fields=MappingProxyType({
            question_id: WcsField(field.varname, field.values)
            for question_id, field in target.fields.items()
        }),
        uuid_varname=target.uuid_varname,
        ignored=target.ignore,
        draft=target.franceconnect,
    )


def wcs_forms(catalog: Catalog) -> dict[str, WcsForm]:
    """Démarche id -> its w.c.s. form, for every démarche the catalog maps to w.c.s."""
    return {
        demarche.id: wcs_form(demarche.backoffices.wcs)
        for demarche in catalog.demarches
        if demarche.backoffices.wcs is not None
    }
