# The portal's image: the web process (default command) and the Celery worker (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    MEDIA_ROOT=/data/media

# WeasyPrint's libraries (the same list as bin/system-deps run).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 atelier \
    && useradd --system --uid 1000 --gid atelier --create-home --home-dir /home/atelier atelier \
    && mkdir -p /data/media \
    && chown atelier:atelier /data/media

WORKDIR /app

# The locked requirements first, so that a code change does not reinstall them.
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes -r requirements/base.txt

COPY . .

# Static files are collected and hashed at build time (SECRET_KEY set = production storage).
# This key exists only for this build step; the real one comes from the environment at run time.
RUN SECRET_KEY=collectstatic-seulement-pas-un-secret PORTAIL_URL=https://collectstatic.invalid \
    python manage.py collectstatic --noinput

USER atelier
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
