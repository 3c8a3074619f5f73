# syntax=docker/dockerfile:1
# One image for the API, the worker, the mail gateway and the one-off commands (migrations,
# staff users):
#   docker build -t redress .
#   docker run redress                                  # the API on :8000 (the default)
#   docker run redress python worker.py                 # a worker
#   docker run redress python -m core.cli mail-gateway  # the inbound mail gateway
#   docker run redress python -m store.migrate upgrade  # migrations
# docker-compose.yml runs it all; docs/operations.md says how.

# Pinned by version; bump it on purpose (and rebuild for security updates).
ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm

# --- build: a virtualenv with the dependencies, then the project itself ---
FROM ${PYTHON_IMAGE} AS build

# pip compiles every module here, so the read-only runtime never has to.
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src

# The runtime dependencies and the `otel` extra (tracing, when an endpoint is set); no
# dev tools, no Temporal dev server. They are read from pyproject.toml alone, so that a
# code change does not reinstall them. Each has a binary wheel: no compiler is needed.
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; open('requirements.txt', 'w').write('\n'.join(p['dependencies'] + p['optional-dependencies']['otel']))" \
    && pip install --no-cache-dir -r requirements.txt

COPY README.md ./
COPY core ./core
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY api ./api
COPY store ./store
COPY inbound ./inbound
RUN pip install --no-cache-dir --no-deps .

# --- runtime: the virtualenv and the worker's entry point, run as an unprivileged user ---
FROM ${PYTHON_IMAGE} AS runtime

# The app's user, and the mount points of the volumes for evidence files and raw inbound
# mail (REDRESS_EVIDENCE_DIR, REDRESS_MAIL_INBOUND_DIR in docker-compose.yml: the root
# file system is read-only). They are the user's because Docker fills an empty named
# volume from the image's directory, owner included, when it is first mounted.
RUN groupadd --system --gid 10001 redress \
    && useradd --system --uid 10001 --gid redress --home-dir /home/redress --create-home \
        --shell /usr/sbin/nologin redress \
    && mkdir -p /var/lib/redress/evidence /var/lib/redress/mail-in \
    && chown -R 10001:10001 /var/lib/redress

COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# Owned by root and read-only to the app: code is never rewritten at run time.
COPY worker.py ./

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    REDRESS_API_HOST=0.0.0.0 \
    REDRESS_API_PORT=8000 \
    REDRESS_DATA_DIR=/tmp/redress \
    REDRESS_WORKER_HEARTBEAT_FILE=/tmp/redress-worker.heartbeat

# Numeric, so that a runtime can check it is not root without reading /etc/passwd.
USER 10001:10001
EXPOSE 8000

# The API's own check (Temporal and the database reachable); compose gives the worker
# `python -m core.probe worker` instead.
HEALTHCHECK --interval=15s --timeout=6s --start-period=30s --retries=3 \
    CMD ["python", "-m", "core.probe", "api"]

# Behind the compose proxy: client addresses come from its X-Forwarded-For, which is
# trusted because only the proxy can reach this port (none is published).
CMD ["uvicorn", "api.main:app", "--host", "0.0.0.0", "--port", "8000", \
     "--proxy-headers", "--forwarded-allow-ips", "*", "--no-server-header"]
