"""The running kiosk, on top of every other package: the composition root that builds it
(``app``), the Qt adapters that show the visit and pass its intents on (``guide``,
``mediation``, ``narration``, ``delivery``, ``status_desk``, ``backoffice_link``), and the
``kiosk`` command line (``cli``, ``commands``). See docs/development.md, "The layers"."""
