"""Mediator mode without Qt: accounts and PIN lockout, the resident's consent, the visit.

``kiosk.mediator.accounts``: ``MediatorRegistry`` (mediators.sqlite3) and ``AuthResult``;
``kiosk.mediator.lockout``: how long five wrong PINs lock an account;
``kiosk.mediator.consent``: the ``Consent`` record attached to a submission;
``kiosk.mediator.visit``: ``MediatorVisit``, the state the screens render;
``kiosk.mediator.roster``: the commune's roster from the receiver, checked;
``kiosk.mediator.console_sync``: that roster merged into the registry at each poll.
"""
