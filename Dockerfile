# fedreport: one image for every fedreport process (worker, API, codec server, CLI); the compose file or the
# orchestrator chooses the entry point. TypeScript runs on tsx, so the image is the repository as tested.
FROM node:20-bookworm-slim

WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies included: tsx runs the TypeScript entry points, and the worker bundles workflow code at start-up.
RUN npm ci --no-audit --no-fund --include=dev && npm cache clean --force
COPY . .

ENV NODE_ENV=production
# Every fedreport process listens on loopback unless told otherwise; in a container the published port decides.
ENV FEDREPORT_API_HOST=0.0.0.0 FEDREPORT_CODEC_SERVER_HOST=0.0.0.0
# The worker keeps MESH messages it cannot deliver here (patient data: 0700, owned by the user the image runs as).
# A volume mounted here starts with this folder's owner and mode; the worker checks at start that it can write it.
ENV FEDREPORT_QUARANTINE_DIR=/var/lib/fedreport/quarantine
RUN mkdir -p /var/lib/fedreport/quarantine && chown -R node:node /var/lib/fedreport && chmod 0700 /var/lib/fedreport/quarantine
VOLUME ["/var/lib/fedreport/quarantine"]
USER node
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["client/api/main.ts"]
