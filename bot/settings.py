"""The one settings object: retrieval's fields plus the assistant's, API's and channels'."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from retrieval.settings import RetrievalSettings


class Settings(RetrievalSettings):
    """All of Huiqi's settings, from ``HUIQI_*`` environment variables (plus ``OPENAI_*`` for the LLM)."""

    model_config = SettingsConfigDict(env_prefix="HUIQI_", extra="ignore", populate_by_name=True)

    env: Literal["development", "production"] = Field("development", description="production refuses placeholder secrets.")
    # --- answering ---
    llm_model: str | None = Field(None, description="Chat model name; set it (with OPENAI_API_KEY) to switch on LLM mode.")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible base URL; defaults to OPENAI_BASE_URL.")
    llm_api_key: SecretStr | None = Field(None, description="API key for the LLM; defaults to OPENAI_API_KEY.")
    llm_timeout: float = Field(20.0, description="Seconds before the LLM counts as failed and the extractive answer is used.")
    llm_temperature: float = Field(0.1, description="Sampling temperature for the LLM.")
    top_k: int = Field(5, description="Clauses retrieved for an answer.")
    refusal_threshold: float = Field(
        0.28, description="Coverage of the question by the best clause under which nothing counts as relevant (calibrated over all gold sets by benchmarks/threshold_sweep.py)."
    )
    max_answer_chars: int = Field(600, description="Target length of an answer body.")
    memory_turns: int = Field(6, description="Earlier turns kept per session for follow-up questions.")
    # --- HTTP API ---
    host: str = Field("127.0.0.1", description="Address the HTTP server binds.")
    port: int = Field(8000, description="Port the HTTP server binds.")
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list, description="Comma-separated keys; when set, every /v1 call needs one.")
    admin_key: SecretStr | None = Field(None, description="Key for admin endpoints (uploads, feedback export).")
    rate_limit_per_minute: int = Field(120, description="Requests per minute per key (or per client address).")
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list, description="Comma-separated origins allowed to call the API.")
    max_upload_mb: float = Field(10.0, description="Largest policy file accepted by POST /v1/documents.")
    public_url: str | None = Field(None, description="Public base URL of this server, used in the widget snippet.")
    # --- Telegram ---
    telegram_bot_token: SecretStr | None = Field(
        None, validation_alias="TELEGRAM_BOT_TOKEN", description="Bot token from BotFather (TELEGRAM_BOT_TOKEN)."
    )
    telegram_secret: SecretStr | None = Field(None, description="Secret token Telegram sends with webhook calls.")
    telegram_api_url: str | None = Field(None, description="Another Bot API server, e.g. http://127.0.0.1:8081/bot.")

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    def check_production(self) -> None:
        """Refuse to start in production with a placeholder secret."""
        if self.env != "production":
            return
        for name, secret in (("HUIQI_ADMIN_KEY", self.admin_key), ("HUIQI_TELEGRAM_SECRET", self.telegram_secret)):
            value = secret.get_secret_value() if secret else ""
            if value and value.lower() in {"changeme", "change-me", "secret", "placeholder", "xxx"}:
                raise ValueError(f"{name} is a placeholder; set a real secret before running in production.")
