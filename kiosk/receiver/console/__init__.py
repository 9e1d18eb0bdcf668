"""The commune console: web pages for commune staff, served by the reference receiver.

Rendered on the server (Starlette + Jinja2, no JavaScript), in French. Staff accounts
(``kiosk-receiver staff add``), server-side sessions, CSRF tokens on every form, roles
checked on every route, and a journal of every change. See docs/console.md.
"""
