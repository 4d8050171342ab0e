# One image for every service; the container's SERVICE variable picks which
# one `nameko run` starts (registry, grants, casework, finance or gateway).
#
#   docker build -t childcare-programme .
#   docker run -e SERVICE=registry -e AMQP_URI=... childcare-programme
#
# Configuration is read only from environment variables (see shared/config.py).
# The browser app, built in its own stage; only web/dist reaches the image.
FROM node:20-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so code changes don't invalidate this layer. Only what the
# services run with: no test or check tools (requirements.test.lock) in production.
COPY requirements.run.lock .
RUN pip install -r requirements.run.lock

COPY . .
COPY --from=web /web/dist /app/web/dist

# The PDF report's Chinese font (Noto Sans SC from the pinned font package),
# instanced to static weights at build time rather than on the first report.
ENV REPORT_FONT_DIR=/app/fonts
RUN python -m services.gateway.report_fonts /app/fonts

# psycopg must not use its C wait function under eventlet (it blocks the hub).
ENV PSYCOPG_WAIT_FUNC=wait_select \
    PYTHONPATH=/app

# Run unprivileged; data/ is where the sqlite store writes if EVENT_STORE=sqlite,
# and data/attachments holds attached files (the `attachments` volume in compose).
RUN useradd --create-home --uid 10001 app \
    && mkdir -p /app/data/attachments \
    && chown -R app /app/data
USER app

EXPOSE 8000

CMD ["sh", "-c", "exec nameko run --config config.yml services.${SERVICE:?set SERVICE to registry, grants, casework, finance or gateway}.service"]
