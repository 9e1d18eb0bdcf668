"""The list of démarches offers every démarche of the catalog."""

from __future__ import annotations

import dataclasses


def test_a_demarche_in_no_listed_category_is_still_offered(make_kiosk, monkeypatch):
    kiosk = make_kiosk()
    catalog = kiosk.catalog()
    monkeypatch.setattr(
        kiosk.catalogs, "current", dataclasses.replace(catalog, categories=catalog.categories[1:])
    )
    kiosk.start_visit()
    offered = kiosk.guide.demarches.spoken_text()
    hidden_before = [d for d in catalog.demarches if d.category == catalog.categories[0].id]
    assert hidden_before
    assert all(d.title.fr in offered for d in hidden_before)
