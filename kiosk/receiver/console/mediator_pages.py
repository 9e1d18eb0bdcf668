"""The console's *Médiateurs* page: the commune's mediator accounts, for administrators.

Create (name, PIN typed twice), disable, lift a lockout, and the number of days without
use after which an account is disabled. A form in error is shown again with the error
beside its field and what was typed, except the PIN, which is never sent back.

Disabling is for good (terminals never enable a disabled account again), so it takes two
steps, both without script: *Désactiver* opens a page that says what will happen, and
only its *Oui, désactiver* form (``confirmation=oui``) disables. *Lever le blocage* is
offered only for an account that a terminal reports locked.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kiosk.receiver.console import mediators
from kiosk.receiver.console.mediator_store import DAY_SECONDS, MediatorAccount, MediatorLock
from kiosk.receiver.console.store import ConsoleStore

if TYPE_CHECKING:
    from kiosk.receiver.console.web import Staff

PATH = "/mediateurs"
DONE_MESSAGES = {
    "cree": "Médiateur créé. Les bornes le proposent à leur prochain relevé (15 minutes au plus"
            " par défaut).",
    "desactive": "Médiateur désactivé. Les bornes le refusent à leur prochain relevé.",
    "debloque": "Blocage levé. Les bornes le lèvent à leur prochain relevé.",
    "expiration": "Délai enregistré.",
}
DISABLED_LABELS = {"console": "Désactivé", "expired": "Désactivé (inutilisé trop longtemps)"}

Render = Callable[..., Response]


def _when(stamp: float | None) -> str:
    return "jamais" if stamp is None else time.strftime("%d/%m/%Y %H:%M", time.localtime(stamp))


def _since(stamp: float, now: float) -> str:
    """``14:32`` today, else ``le 02/12/2026 à 14:32``."""
    moment, today = time.localtime(stamp), time.localtime(now)
    if moment[:3] == today[:3]:
        return time.strftime("%H:%M", moment)
    return time.strftime("le %d/%m/%Y à %H:%M", moment)


def _lock_lines(locks: list[MediatorLock], now: float) -> list[str]:
    return [f"Bloqué sur : {lock.terminal_id} depuis {_since(lock.since, now)}"
            for lock in locks]


class MediatorPages:
    """The page and its forms; ``render(request, staff, template, context, status=)`` is
    the console's, ``prefix`` its path prefix."""

    def __init__(self, store: ConsoleStore, render: Render, prefix: str) -> None:
        self.store = store
        self._render = render
        self.path = prefix + PATH

    def page(
        self, request: Request, staff: Staff, *, values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None, status: int = 200,
    ) -> Response:
        mediators.expire_stale(self.store)
        days = mediators.expiry_days(self.store)
        now = time.time()
        locks = mediators.locks_by_account(self.store, now)
        rows = [self._row(account, days, _lock_lines(locks.get(account.id, []), now))
                for account in self.store.mediators()]
        values = {"name": "", "days": str(days)} | (values or {})
        return self._render(request, staff, "mediators.html", {
            "title": "Médiateurs", "rows": rows, "values": values, "errors": errors or {},
            "done": DONE_MESSAGES.get(request.query_params.get("fait", ""), ""),
            "days": days, "here": self.path,
        }, status=status)

    @staticmethod
    def _row(account: MediatorAccount, days: int, locked: list[str]) -> dict[str, Any]:
        state = ("Actif" if not account.disabled
                 else DISABLED_LABELS.get(account.disabled_reason or "", "Désactivé"))
        expires = None if account.disabled else account.idle_since + days * DAY_SECONDS
        return {"account": account, "state": state, "last_used": _when(account.last_used_at),
                "expires": "" if expires is None else _when(expires),
                "locked": [] if account.disabled else locked}

    async def show(self, request: Request, staff: Staff) -> Response:
        return self.page(request, staff)

    async def create(self, request: Request, staff: Staff) -> Response:
        form = await request.form(max_files=0, max_fields=20)
        name = str(form.get("name", ""))
        values = {"name": name.strip()}
        try:
            pin = mediators.checked_pin(str(form.get("pin", "")), str(form.get("pin2", "")))
            mediators.checked_name(name)
            # scrypt off the event loop; the store stays on it (one connection, one thread).
            pin_hash = await run_in_threadpool(mediators.hashed_pin, pin)
            mediators.create_mediator(self.store, name, pin_hash, staff.name)
        except mediators.MediatorFormError as problem:
            errors = {problem.field: str(problem)}
            if problem.field != "name":
                try:
                    mediators.checked_name(name)
                except mediators.MediatorFormError as bad_name:
                    errors["name"] = str(bad_name)
            return self.page(request, staff, values=values, errors=errors, status=400)
        return self._done("cree")

    async def confirm_disable(self, request: Request, staff: Staff) -> Response:
        """The first step: what disabling does, and the two answers."""
        account = self.store.mediator(request.path_params["mediator_id"])
        if account is None or account.disabled:
            return self._not_found(request, staff)
        return self._render(request, staff, "mediator_disable.html", {
            "title": f"Désactiver {account.name} ?", "account": account, "here": self.path,
        })

    async def disable(self, request: Request, staff: Staff) -> Response:
        """The second step; a form without ``confirmation=oui`` (not the confirmation
        page's) only leads to that page."""
        form = await request.form(max_files=0, max_fields=20)
        account = self.store.mediator(request.path_params["mediator_id"])
        if account is not None and form.get("confirmation") != "oui":
            return RedirectResponse(f"{self.path}/{account.id}/desactiver", 303,
                                    headers={"Cache-Control": "no-store"})
        return self._change(request, staff, mediators.disable_mediator, "desactive")

    async def reset(self, request: Request, staff: Staff) -> Response:
        return self._change(request, staff, mediators.reset_lockout, "debloque")

    async def set_expiry(self, request: Request, staff: Staff) -> Response:
        form = await request.form(max_files=0, max_fields=20)
        text = str(form.get("days", ""))
        try:
            days = mediators.checked_expiry(text)
        except mediators.MediatorFormError as problem:
            return self.page(request, staff, values={"days": text.strip()},
                             errors={problem.field: str(problem)}, status=400)
        mediators.set_expiry_days(self.store, days, staff.name)
        return self._done("expiration")

    def _change(
        self, request: Request, staff: Staff, change: Callable[[ConsoleStore, str, str], bool],
        done: str,
    ) -> Response:
        if not change(self.store, request.path_params["mediator_id"], staff.name):
            return self._not_found(request, staff)
        return self._done(done)

    def _not_found(self, request: Request, staff: Staff) -> Response:
        return self._render(request, staff, "error.html", {
            "title": "Médiateur introuvable",
            "message": "Aucun médiateur actif ne porte cet identifiant.",
        }, status=404)

    def _done(self, what: str) -> Response:
        return RedirectResponse(f"{self.path}?fait={what}", 303,
                                headers={"Cache-Control": "no-store"})

    def routes(self) -> list[tuple[str, str, Callable[[Request, Staff], Awaitable[Response]]]]:
        """(method, path, handler) of the page and its forms."""
        return [
            ("GET", self.path, self.show),
            ("POST", self.path, self.create),
            ("POST", self.path + "/expiration", self.set_expiry),
            ("GET", self.path + "/{mediator_id}/desactiver", self.confirm_disable),
            ("POST", self.path + "/{mediator_id}/desactiver", self.disable),
            ("POST", self.path + "/{mediator_id}/debloquer", self.reset),
        ]
