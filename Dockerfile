FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY models ./models
COPY scheduler ./scheduler
COPY locales ./locales
RUN pip install --no-cache-dir . \
    && useradd --system --home /app mentorbot \
    && mkdir -p /app/data && chown mentorbot /app/data

USER mentorbot
# Webhook mode listens here (WEBHOOK_PORT); long polling needs no port.
EXPOSE 8080
# `exec` makes the bot PID 1, so `docker stop` (SIGTERM) reaches it and it stops gracefully.
CMD ["sh", "-c", "mentorbot migrate && exec mentorbot run"]
