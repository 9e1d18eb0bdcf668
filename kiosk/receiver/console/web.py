"""The console's routes: every page declares the roles that may see it, checked first.

Sessions are server-side (``staff_sessions``): the cookie holds a random token, the
database only its SHA-256. The cookie is HttpOnly, SameSite=Strict, and Secure when the
request came over HTTPS (directly or through a reverse proxy that uvicorn trusts).
Every form carries the session's CSRF token; a POST without the right one is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.templating import Jinja2Templates

from kiosk.domain.reference import normalise_reference
from kiosk.domain.request_status import MAX_SERVICE_NAME
from kiosk.receiver.console import charts, stats, steering
from kiosk.receiver.console.accounts import (
    LOCKOUT_SECONDS,
    MAX_FAILURES,
    ROLE_LABELS,
    AccountError,
    Role,
    authenticate,
    check_name,
    check_password,
    create_account,
    unlock_account,
)
from kiosk.receiver.console.store import ConsoleStore, RequestRow
from kiosk.receiver.storage import STATUSES, Heartbeat

PREFIX = "/console"
SESSION_COOKIE = "console_session"
LOGIN_COOKIE = "console_login"  # the login form's CSRF token (double submit, no session yet)
IDLE_SECONDS = 30 * 60
MAX_SESSION_SECONDS = 12 * 3600
SILENT_SECONDS = 45 * 60  # three missed heartbeats at the default 15 minutes
CLOCK_TOLERANCE = 120  # seconds; the API refuses signatures beyond 300
HEAD = {"Cache-Control": "no-store"}
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
        " frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
STATUS_LABELS = {
    "received": "Reçue",
    "in_progress": "En cours de traitement",
    "done": "Traitée",
    "rejected": "Refusée",
}
QUEUE_LABELS = {  # the kiosk's queue states (offline_queue.store.State), as staff say them
    "pending": "en attente",
    "sending": "en cours d’envoi",
    "retry_wait": "nouvel essai prévu",
    "delivered": "remises",
    "dead": "en échec",
}
PAUSE_ALERTS = {  # a heartbeat's pause_cause (docs/api/openapi.yaml), as staff say it
    None: "En pause : les envois de ce terminal sont arrêtés",
    "credentials": (
        "En pause : la mairie refuse l’accès de ce terminal. "
        "Son identifiant ou son secret est à vérifier (technicien)"
    ),
    "configuration": (
        "En pause : l’adresse de la mairie est mal réglée sur ce terminal (technicien)"
    ),
}
ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.AGENT, Role.ADMIN})
OVERSIGHT = frozenset({Role.ADMIN, Role.DPO})
_HERE = Path(__file__).parent
_templates = Jinja2Templates(directory=_HERE / "templates")


@dataclass(frozen=True)
class Page:
    """A navigation entry: where, its name, and who sees it."""

    path: str
    label: str
    roles: frozenset[Role]


PAGES = (
    Page(f"{PREFIX}/terminaux", "Terminaux", STAFF),
    Page(f"{PREFIX}/demandes", "Demandes", STAFF),
    Page(f"{PREFIX}/statistiques", "Statistiques", ALL_ROLES),
    Page(f"{PREFIX}/journal", "Journal", OVERSIGHT),
    Page(f"{PREFIX}/comptes", "Comptes", frozenset({Role.ADMIN})),
)
ADMIN = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Staff:
    """The member of staff behind a request."""

    name: str
    role: Role
    csrf: str
    token_sha256: str


Handler = Callable[[Request, Staff], Awaitable[Response]]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _when(stamp: float) -> str:
    return time.strftime("%d/%m/%Y %H:%M", time.localtime(stamp))


def _ago(seconds: float) -> str:
    minutes = int(max(0.0, seconds) // 60)
    if minutes < 1:
        return "à l’instant"
    if minutes < 120:
        return f"il y a {minutes} min"
    return f"il y a {minutes // 60} h"


class Console:
    """The console's pages over one store."""

    def __init__(self, store: ConsoleStore, min_count: int = stats.MIN_COUNT) -> None:
        self.store = store
        self.min_count = min_count

    # ---------------------------------------------------------------- plumbing

    def staff_of(self, request: Request) -> Staff | None:
        """The logged-in member of staff, or None (no cookie, unknown, idle or too old)."""
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        digest = _digest(token)
        session = self.store.session(digest)
        now = time.time()
        if session is None:
            return None
        if now - session.last_seen > IDLE_SECONDS or now - session.created_at > MAX_SESSION_SECONDS:
            self.store.close_session(digest)
            return None
        self.store.touch_session(digest)
        return Staff(session.name, Role(session.role), session.csrf, digest)

    def guarded(self, roles: Collection[Role], handler: Handler) -> Callable[
        [Request], Awaitable[Response]
    ]:
        """``handler`` for the ``roles`` only; other roles get a 403 page, strangers the
        login page; a POST must carry the session's CSRF token."""

        async def endpoint(request: Request) -> Response:
            staff = self.staff_of(request)
            if staff is None:
                if request.method == "GET":
                    return RedirectResponse(f"{PREFIX}/connexion", 303, headers=HEAD)
                return self.render(request, None, "error.html", {
                    "title": "Session expirée",
                    "message": "Votre session a expiré. Reconnectez-vous.",
                }, status=403)
            if staff.role not in roles:
                return self.render(request, staff, "error.html", {
                    "title": "Accès refusé",
                    "message": "Votre rôle ne donne pas accès à cette page.",
                }, status=403)
            if request.method == "POST":
                form = await request.form(max_files=0, max_fields=20)
                if not hmac.compare_digest(str(form.get("csrf", "")), staff.csrf):
                    return self.render(request, staff, "error.html", {
                        "title": "Formulaire refusé",
                        "message": "Ce formulaire a expiré. Rechargez la page et recommencez.",
                    }, status=403)
            return await handler(request, staff)

        return endpoint

    def render(
        self, request: Request, staff: Staff | None, template: str, context: dict[str, Any],
        status: int = 200,
    ) -> Response:
        """A page of the console, with its navigation for ``staff``'s role."""
        nav = [] if staff is None else [page for page in PAGES if staff.role in page.roles]
        context = {
            "staff": staff, "nav": nav, "path": request.url.path, "prefix": PREFIX,
            "role_label": ROLE_LABELS[staff.role] if staff else "", **context,
        }
        return _templates.TemplateResponse(
            request, template, context, status_code=status, headers=SECURITY_HEADERS
        )

    # ---------------------------------------------------------------- login

    async def login_form(self, request: Request) -> Response:
        if self.staff_of(request) is not None:
            return RedirectResponse(f"{PREFIX}/", 303, headers=HEAD)
        return self._login_page(request, {"name": ""}, None)

    def _login_page(
        self, request: Request, values: dict[str, str], problem: str | None, status: int = 200
    ) -> Response:
        token = secrets.token_urlsafe(32)
        response = self.render(request, None, "login.html", {
            "title": "Connexion", "values": values, "problem": problem, "csrf": token,
        }, status=status)
        response.set_cookie(
            LOGIN_COOKIE, token, max_age=3600, path=PREFIX, secure=_secure(request),
            httponly=True, samesite="strict",
        )
        return response

    async def login(self, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=10)
        name = str(form.get("name", "")).strip()
        password = str(form.get("password", ""))
        expected = request.cookies.get(LOGIN_COOKIE, "")
        if not expected or not hmac.compare_digest(str(form.get("csrf", "")), expected):
            return self._login_page(request, {"name": name}, "expired", status=403)
        if not name or not password:
            return self._login_page(request, {"name": name}, "missing", status=400)
        result = authenticate(self.store, name, password)
        if result.account is None:
            return self._login_page(request, {"name": name}, result.problem, status=401)
        self.store.close_sessions_idle_since(time.time() - IDLE_SECONDS)
        token = secrets.token_urlsafe(32)
        self.store.open_session(_digest(token), result.account, secrets.token_urlsafe(32))
        response = RedirectResponse(f"{PREFIX}/", 303, headers=HEAD)
        response.set_cookie(
            SESSION_COOKIE, token, path=PREFIX, secure=_secure(request), httponly=True,
            samesite="strict",
        )
        response.delete_cookie(LOGIN_COOKIE, path=PREFIX)
        return response

    async def logout(self, request: Request, staff: Staff) -> Response:
        self.store.close_session(staff.token_sha256)
        self.store.journal(staff.name, "logout", staff.name)
        response = RedirectResponse(f"{PREFIX}/connexion", 303, headers=HEAD)
        response.delete_cookie(SESSION_COOKIE, path=PREFIX)
        return response

    async def home(self, request: Request, staff: Staff) -> Response:
        first = next(page for page in PAGES if staff.role in page.roles)
        return RedirectResponse(first.path, 303, headers=HEAD)

    # ---------------------------------------------------------------- terminals

    async def terminals(self, request: Request, staff: Staff) -> Response:
        heads = {seen.terminal_id: seen.head for seen in self.store.journal_heads()}
        now = time.time()
        rows = [
            {
                "beat": beat, "when": _when(beat.received_at),
                "ago": _ago(now - beat.received_at), "alerts": _alerts(beat, now),
                "head": heads.get(beat.terminal_id),
            }
            for beat in self.store.heartbeats()
        ]
        return self.render(request, staff, "terminals.html", {
            "title": "Terminaux", "rows": rows, "queue_labels": QUEUE_LABELS,
        })

    # ---------------------------------------------------------------- requests

    async def requests(self, request: Request, staff: Staff) -> Response:
        rows = self.store.requests()
        return self.render(request, staff, "requests.html", {
            "title": "Demandes", "rows": rows, "labels": STATUS_LABELS, "when": _when,
        })

    async def request_detail(self, request: Request, staff: Staff) -> Response:
        found = self._request_of(request)
        if found is None:
            return self._no_request(request, staff)
        values = {"status": found.status, "service": found.service or ""}
        saved = request.query_params.get("enregistre") == "1"
        return self._detail_page(request, staff, found, values, {}, saved=saved)

    async def set_status(self, request: Request, staff: Staff) -> Response:
        found = self._request_of(request)
        if found is None:
            return self._no_request(request, staff)
        form = await request.form(max_files=0, max_fields=20)
        values, errors = _status_values(form)
        if errors:
            return self._detail_page(request, staff, found, values, errors, status=400)
        service = values["service"] or None
        self.store.set_status(found.reference, values["status"], service)
        self.store.journal(
            staff.name, "status_set", found.reference,
            f"{found.status} → {values['status']}" + (f" ({service})" if service else ""),
        )
        return RedirectResponse(
            f"{PREFIX}/demandes/{found.reference}?enregistre=1", 303, headers=HEAD
        )

    def _request_of(self, request: Request) -> RequestRow | None:
        reference = normalise_reference(request.path_params["reference"])
        return None if reference is None else self.store.request(reference)

    def _no_request(self, request: Request, staff: Staff) -> Response:
        return self.render(request, staff, "error.html", {
            "title": "Demande introuvable",
            "message": "Aucune demande reçue ne porte cette référence.",
        }, status=404)

    def _detail_page(
        self, request: Request, staff: Staff, found: RequestRow, values: dict[str, str],
        errors: dict[str, str], *, saved: bool = False, status: int = 200,
    ) -> Response:
        answers = found.payload.get("answers")
        return self.render(request, staff, "request.html", {
            "title": f"Demande {found.reference}", "item": found, "labels": STATUS_LABELS,
            "when": _when, "answers": answers if isinstance(answers, dict) else {},
            "values": values, "errors": errors, "saved": saved,
            "max_service": MAX_SERVICE_NAME,
        }, status=status)

    # ---------------------------------------------------------------- statistics

    def _stats_form(self, request: Request) -> tuple[stats.StatsForm, list[str]]:
        demarches = self.store.statistics_demarches()
        params = {key: request.query_params[key] for key in ("start", "end", "demarche")
                  if key in request.query_params}
        return stats.read_filters(params, demarches, dt.date.today()), demarches

    def _report(self, query: stats.StatsQuery, demarches: list[str]) -> steering.Report:
        rows = self.store.statistics_rows(since=query.start.isoformat(),
                                          until=query.end.isoformat())
        return steering.build(rows, query.start, query.end, demarche=query.demarche,
                              demarches=demarches, minimum=self.min_count)

    async def statistics(self, request: Request, staff: Staff) -> Response:
        form, demarches = self._stats_form(request)
        context: dict[str, Any] = {
            "title": "Statistiques", "form": form,
            "demarche_options": [(stats.ALL, "Toutes les démarches"), *((d, d) for d in demarches)],
            "min_count": self.min_count, "report": None, "query": request.url.query,
            "hbars": charts.hbars, "columns": charts.columns,
        }
        if form.query is not None:
            context["report"] = self._report(form.query, demarches)
        return self.render(request, staff, "stats.html", context,
                           status=400 if form.errors else 200)

    async def statistics_csv(self, request: Request, staff: Staff) -> Response:
        form, demarches = self._stats_form(request)
        if form.query is None:
            return await self.statistics(request, staff)
        body = stats.csv_text(self._report(form.query, demarches).csv_rows())
        self.store.journal(staff.name, "stats_exported", "statistiques",
                           f"{form.query.start} {form.query.end} {form.query.demarche or '*'}")
        name = f"statistiques-{form.query.start}-{form.query.end}.csv"
        return _csv(body, name)

    # ---------------------------------------------------------------- journal

    async def journal(self, request: Request, staff: Staff) -> Response:
        return self.render(request, staff, "journal.html", {
            "title": "Journal", "entries": self.store.journal_entries(200), "when": _when,
        })

    async def journal_csv(self, request: Request, staff: Staff) -> Response:
        entries = self.store.journal_entries()
        self.store.journal(staff.name, "journal_exported", "journal", f"{len(entries)} lignes")
        rows = [["numero", "date", "qui", "action", "objet", "detail"]]
        rows += [[str(e.seq), dt.datetime.fromtimestamp(e.at).isoformat(timespec="seconds"),
                  e.actor, e.action, e.subject, e.detail] for e in entries]
        return _csv(stats.csv_text(rows), "journal-console.csv")

    # ---------------------------------------------------------------- accounts

    async def accounts(self, request: Request, staff: Staff) -> Response:
        return self._accounts_page(request, staff, {"name": "", "role": Role.AGENT.value}, {})

    def _accounts_page(
        self, request: Request, staff: Staff, values: dict[str, str], errors: dict[str, str],
        *, status: int = 200,
    ) -> Response:
        now = time.time()
        rows = [(account, account.locked_until > now) for account in self.store.all_staff()]
        return self.render(request, staff, "accounts.html", {
            "title": "Comptes", "rows": rows, "values": values, "errors": errors,
            "roles": ROLE_LABELS, "done": request.query_params.get("fait", ""),
        }, status=status)

    async def add_account(self, request: Request, staff: Staff) -> Response:
        form = await request.form(max_files=0, max_fields=20)
        values = {"name": str(form.get("name", "")).strip(), "role": str(form.get("role", ""))}
        password, again = str(form.get("password", "")), str(form.get("password2", ""))
        errors = _account_errors(values, password, again)
        if not errors:
            try:
                create_account(self.store, values["name"], Role(values["role"]), password,
                               actor=staff.name)
            except AccountError as problem:
                errors["name"] = str(problem)
        if errors:
            return self._accounts_page(request, staff, values, errors, status=400)
        return RedirectResponse(f"{PREFIX}/comptes?fait=cree", 303, headers=HEAD)

    async def unlock(self, request: Request, staff: Staff) -> Response:
        try:
            unlock_account(self.store, request.path_params["name"], staff.name)
        except LookupError:
            return self.render(request, staff, "error.html", {
                "title": "Compte introuvable", "message": "Aucun compte ne porte ce nom.",
            }, status=404)
        return RedirectResponse(f"{PREFIX}/comptes?fait=deverrouille", 303, headers=HEAD)

    async def stylesheet(self, request: Request) -> Response:
        return FileResponse(_HERE / "static" / "console.css", media_type="text/css")

    # ---------------------------------------------------------------- routes

    def routes(self) -> list[BaseRoute]:
        """The console's routes; ``guarded_routes`` lists who may use which."""
        public: list[BaseRoute] = [
            Route(f"{PREFIX}/connexion", self.login_form, methods=["GET"]),
            Route(f"{PREFIX}/connexion", self.login, methods=["POST"]),
            Route(f"{PREFIX}/console.css", self.stylesheet, methods=["GET"]),
        ]
        return public + [
            Route(path, self.guarded(roles, handler), methods=[method])
            for method, path, roles, handler in self.guarded_routes()
        ]

    def guarded_routes(self) -> list[tuple[str, str, frozenset[Role], Handler]]:
        """(method, path, roles, handler) of every page behind a login."""
        return [
            ("GET", f"{PREFIX}/", ALL_ROLES, self.home),
            ("POST", f"{PREFIX}/deconnexion", ALL_ROLES, self.logout),
            ("GET", f"{PREFIX}/terminaux", STAFF, self.terminals),
            ("GET", f"{PREFIX}/demandes", STAFF, self.requests),
            ("GET", f"{PREFIX}/demandes/{{reference}}", STAFF, self.request_detail),
            ("POST", f"{PREFIX}/demandes/{{reference}}/statut", STAFF, self.set_status),
            ("GET", f"{PREFIX}/statistiques", ALL_ROLES, self.statistics),
            ("GET", f"{PREFIX}/statistiques.csv", ALL_ROLES, self.statistics_csv),
            ("GET", f"{PREFIX}/journal", OVERSIGHT, self.journal),
            ("GET", f"{PREFIX}/journal.csv", OVERSIGHT, self.journal_csv),
            ("GET", f"{PREFIX}/comptes", ADMIN, self.accounts),
            ("POST", f"{PREFIX}/comptes", ADMIN, self.add_account),
            ("POST", f"{PREFIX}/comptes/{{name}}/deverrouiller", ADMIN, self.unlock),
        ]


def _alerts(beat: Heartbeat, now: float) -> list[str]:
    alerts = []
    if now - beat.received_at > SILENT_SECONDS:
        alerts.append("Muet : aucun signal depuis plus de 45 minutes")
    if beat.paused:
        alerts.append(PAUSE_ALERTS.get(beat.pause_cause, PAUSE_ALERTS[None]))
    offset = beat.clock_offset
    if offset is not None and abs(offset) > CLOCK_TOLERANCE:
        alerts.append(f"Horloge décalée de {abs(int(offset)) // 60} min")
    if beat.queue.get("dead", 0):
        alerts.append(f"{beat.queue['dead']} envoi(s) en échec")
    return alerts


def _status_values(form: FormData) -> tuple[dict[str, str], dict[str, str]]:
    values = {"status": str(form.get("status", "")), "service": str(form.get("service", ""))}
    errors = {}
    if values["status"] not in STATUSES:
        errors["status"] = "Choisissez un statut de la liste."
    service = values["service"].strip()
    if service and not (len(service) <= MAX_SERVICE_NAME and service.isprintable()):
        errors["service"] = (
            f"Le nom du service : au plus {MAX_SERVICE_NAME} caractères, sur une ligne."
        )
    values["service"] = service if not errors.get("service") else values["service"]
    return values, errors


def _account_errors(values: dict[str, str], password: str, again: str) -> dict[str, str]:
    errors = {}
    for name, check, value in (("name", check_name, values["name"]),
                               ("password", check_password, password)):
        try:
            check(value)
        except AccountError as problem:
            errors[name] = str(problem)
    if values["role"] not in {role.value for role in Role}:
        errors["role"] = "Choisissez un rôle de la liste."
    if "password" not in errors and again != password:
        errors["password2"] = "Les deux mots de passe sont différents."
    return errors


def _csv(body: str, filename: str) -> Response:
    # A UTF-8 BOM, so that a spreadsheet opened by a double click shows the accents.
    return Response(
        "\ufeff" + body, media_type="text/csv; charset=utf-8",
        headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


LOGIN_PROBLEMS = {
    "refused": "Identifiant ou mot de passe incorrect.",
    "locked": (f"Ce compte est verrouillé pendant {LOCKOUT_SECONDS // 60} minutes après "
               f"{MAX_FAILURES} essais manqués. Un administrateur peut le déverrouiller."),
    "missing": "Saisissez votre identifiant et votre mot de passe.",
    "expired": "Le formulaire a expiré. Recommencez.",
}
_templates.env.globals["login_problems"] = LOGIN_PROBLEMS
