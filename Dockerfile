FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
ENV STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage
RUN python manage.py compilemessages --ignore=.venv -v0 && python manage.py collectstatic --noinput -v0
EXPOSE 8000
CMD ["gunicorn", "village.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
