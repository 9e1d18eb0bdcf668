"""The JSON error answer every endpoint of the receiver's API gives."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    """``{"error": code, "message": ...}`` with ``status``."""
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)
