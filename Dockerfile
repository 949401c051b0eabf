# OBCMS Work image: Node builds the front-end assets, a slim Python image runs the site.
# docker build -t obcms-work .   (docker-compose.prod.yml builds it for you)

FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY src ./src
RUN npm run build

FROM python:3.13-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=obcms.settings \
    STATIC_ROOT=/srv/obcms/staticfiles \
    LOG_DIR=/srv/obcms/logs \
    MEDIA_ROOT=/srv/obcms/media \
    BACKUP_DIR=/srv/obcms/backups
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client openssl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system obcms && useradd --system --gid obcms --home /srv/obcms obcms
WORKDIR /srv/obcms
COPY requirements ./requirements
RUN pip install -r requirements/production.txt
COPY src ./src
COPY --from=assets /build/src/static/build ./src/static/build
RUN mkdir -p staticfiles logs backups media && chown -R obcms:obcms /srv/obcms
USER obcms
WORKDIR /srv/obcms/src
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/ready/', timeout=4).status == 200 else 1)"
CMD ["granian", "--interface", "wsgi", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--blocking-threads", "4", "--no-ws", "obcms.wsgi:application"]
