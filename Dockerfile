# Huiqi HTTP API with the bundled knowledge indexed into the image (offline, extractive by default).
#   docker build -t huiqi .
#   docker run -p 8000:8000 -e HUIQI_API_KEYS=key1 -e HUIQI_ADMIN_KEY=… huiqi
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    HUIQI_DATA_DIR=/app/data \
    HUIQI_KNOWLEDGE_DIR=/app/knowledge

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin huiqi

WORKDIR /app

# Dependencies and code first, knowledge after: editing a policy file does not reinstall anything.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY retrieval ./retrieval
COPY prompts ./prompts
COPY eval ./eval
RUN pip install . && rm -rf build *.egg-info

COPY knowledge ./knowledge
RUN mkdir -p /app/data && chown huiqi:huiqi /app/data

USER huiqi
# The index (Chroma, BM25, clauses) is built now, so a container answers as soon as it starts.
RUN huiqi ingest

EXPOSE 8000
# slim has no curl; the standard library is enough for a probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

CMD ["huiqi", "serve", "--host", "0.0.0.0", "--port", "8000"]
