"""docs/api/openapi.yaml stays in step with the receiver: same paths, same error codes."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from kiosk.connectors import signing
from kiosk.receiver import app as receiver_app
from kiosk.receiver import bodies, mediator_api
from kiosk.receiver.app import ReceiverSettings, build_routes

ROOT = Path(__file__).resolve().parents[3]
OPENAPI = (ROOT / "docs" / "api" / "openapi.yaml").read_text(encoding="utf-8")
BACK_OFFICE = (ROOT / "docs" / "back-office.md").read_text(encoding="utf-8")


def documented_paths() -> set[str]:
    return set(re.findall(r"^  (/v1/[a-z{}/]+):$", OPENAPI, flags=re.MULTILINE))


def test_the_openapi_file_is_3_1_and_lists_exactly_the_receiver_routes(tmp_path):
    assert OPENAPI.startswith("openapi: 3.1.0\n")
    settings = ReceiverSettings(db=tmp_path / "r.sqlite3", secret_for=lambda t: None)
    routes = {route.path for route in build_routes(settings).routes
              if not route.path.startswith("/console")}  # web pages, not the API
    assert routes == documented_paths() == {
        "/v1/submissions", "/v1/catalog", "/v1/heartbeat", "/v1/health",
        "/v1/requests/{reference}/status", "/v1/mediators", "/v1/mediators/usage"}


def test_every_error_code_of_the_receiver_is_documented():
    modules = (receiver_app, signing, bodies, mediator_api)
    source = "".join(inspect.getsource(module) for module in modules)
    pattern = (r'(?:error\(\d{3}, |(?:Signature|Body)Error\(|parse_json_object\(body, )'
               r'\s*"([a-z_]+)"')
    codes = set(re.findall(pattern, source))
    assert {"bad_signature", "idempotency_key_reused", "in_progress", "invalid_json",
            "invalid_heartbeat", "invalid_submission", "unsupported_media_type",
            "invalid_usage"} <= codes
    for code in codes:
        assert f"`{code}`" in OPENAPI, code


def test_the_documented_test_vector_is_right():
    headers = signing.sign_request(
        bytes(32), "admiville-demo-01", "POST", "/v1/submissions", b"{}", now=1_750_000_000
    )
    assert headers["X-Kiosk-Signature"] in OPENAPI
    assert headers["X-Kiosk-Signature"] in BACK_OFFICE
    assert signing.body_digest(b"{}") in BACK_OFFICE
