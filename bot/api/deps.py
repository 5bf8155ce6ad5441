"""Dependencies shared by the routes: the assistant, API keys, the admin key, the rate limit."""

from __future__ import annotations

import hashlib
import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.api.errors import ApiError
from bot.assistant import Assistant
from bot.settings import Settings

bearer = HTTPBearer(
    auto_error=False, description="`Authorization: Bearer <key>` (HUIQI_API_KEYS or HUIQI_ADMIN_KEY)."
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_assistant(request: Request) -> Assistant:
    """The app's assistant; 503 while it is still being built."""
    assistant: Assistant | None = getattr(request.app.state, "assistant", None)
    if assistant is None:
        raise ApiError(503, "The assistant is still starting; retry in a few seconds.")
    return assistant


AssistantDep = Annotated[Assistant, Depends(get_assistant)]


def _matches(given: str, keys: list[str]) -> bool:
    # compare every key in constant time, so timing does not tell which prefix matched
    found = False
    for key in keys:
        found |= secrets.compare_digest(given.encode(), key.encode())
    return found


def _admin_key(settings: Settings) -> str:
    return settings.admin_key.get_secret_value() if settings.admin_key else ""


async def authenticate(request: Request, credentials: Credentials) -> None:
    """With ``api_keys`` set, a /v1 call needs one of them (or the admin key) as a bearer token."""
    settings = get_settings(request)
    given = credentials.credentials if credentials else ""
    if not settings.api_keys:
        return
    if not given:
        raise ApiError(
            401,
            "An API key is required: send `Authorization: Bearer <key>`.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    keys = [*settings.api_keys, *([_admin_key(settings)] if settings.admin_key else [])]
    if not _matches(given, keys):
        raise ApiError(403, "This API key is not valid; check HUIQI_API_KEYS on the server or ask for a key.")
    # the rate limit then counts per key; only a digest is kept in memory
    request.state.client_key = "key:" + hashlib.sha256(given.encode()).hexdigest()[:16]


async def require_admin(request: Request, credentials: Credentials) -> None:
    """Admin endpoints need the admin key as the bearer token."""
    admin = _admin_key(get_settings(request))
    if not admin:
        raise ApiError(403, "Admin endpoints are disabled: set HUIQI_ADMIN_KEY on the server to enable them.")
    if credentials is None or not credentials.credentials:
        raise ApiError(
            401,
            "This endpoint needs the admin key: send `Authorization: Bearer <admin key>`.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not _matches(credentials.credentials, [admin]):
        raise ApiError(403, "This endpoint needs the admin key; the key sent is not it.")


async def rate_limit(request: Request) -> None:
    """Sliding window per key (or per client address when keys are off); 429 with Retry-After."""
    client = request.client.host if request.client else "unknown"
    identity = getattr(request.state, "client_key", None) or f"addr:{client}"
    wait = request.app.state.limiter.hit(identity)
    if wait is not None:
        raise ApiError(
            429,
            f"Too many requests: the limit is {request.app.state.limiter.limit} per minute; retry in {wait} s.",
            headers={"Retry-After": str(wait)},
        )
