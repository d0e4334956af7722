# fedreport: one image for every fedreport process (worker, API, codec server, CLI); the compose file or the
# orchestrator chooses the entry point. The image runs compiled JavaScript with production dependencies only, as the
# unprivileged `node` user; TypeScript, tsx and the test tools stay in the build stage.
FROM node:20-bookworm-slim AS build

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# tsc to dist/, then the workflow bundle, so workers start without bundling (FEDREPORT_WORKFLOW_BUNDLE below).
RUN npm run build

FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The example federation file: FEDREPORT_FEDERATION_FILE's default in the compose file (mount your own).
COPY examples ./examples

# Every fedreport process listens on loopback unless told otherwise; in a container the published port decides.
ENV FEDREPORT_API_HOST=0.0.0.0 FEDREPORT_CODEC_SERVER_HOST=0.0.0.0
ENV FEDREPORT_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
# The worker keeps MESH messages it cannot deliver here (patient data: 0700, owned by the user the image runs as).
# A named volume mounted here starts with this folder's owner and mode; the worker checks at start that it can write it.
ENV FEDREPORT_QUARANTINE_DIR=/var/lib/fedreport/quarantine
RUN mkdir -p /var/lib/fedreport/quarantine && chown -R node:node /var/lib/fedreport && chmod 0700 /var/lib/fedreport/quarantine
VOLUME ["/var/lib/fedreport/quarantine"]
USER node
ENTRYPOINT ["node"]
CMD ["dist/client/api/main.js"]
