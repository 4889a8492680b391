# syntax=docker/dockerfile:1
# SOP Assistant for Odoo — production image. TypeScript runs through tsx (a runtime dependency), so there is no
# compile step: stage 1 installs production dependencies only, stage 2 adds the source and runs as the `node` user.

FROM node:22-slim AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:22-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3978 \
    SOP_DATA_DIR=/data \
    LOG_LEVEL=info
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json package-lock.json tsconfig.json ./
COPY --chown=node:node bin ./bin
COPY --chown=node:node app ./app
COPY --chown=node:node analytics ./analytics
COPY --chown=node:node assistant ./assistant
COPY --chown=node:node bot ./bot
COPY --chown=node:node data ./data
COPY --chown=node:node evals ./evals
COPY --chown=node:node helpdesk ./helpdesk
COPY --chown=node:node ingestion ./ingestion
COPY --chown=node:node odoo ./odoo
COPY --chown=node:node prompts ./prompts
COPY --chown=node:node retrieval ./retrieval
COPY --chown=node:node store ./store
# The embedded database and embedding caches live in /data (mount a volume); with DATABASE_URL only caches do.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# One process (tsx as a loader, not bin/'s child process), so SIGTERM from `docker stop` reaches the server directly.
ENTRYPOINT ["node", "--import", "tsx", "app/main.ts"]
CMD ["serve"]
