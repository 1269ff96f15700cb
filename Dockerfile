# syntax=docker/dockerfile:1
# One image for every role (ROLE=web|worker|scheduler|all). Build: docker build -t coworker .
# Migrations: `node dist/storage/migrate-command.js` (Fly's release command), no Prisma engine download.
# The Postgres that dev and tests use (the embedded-postgres dev dependency) is pruned from the image.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so source edits do not reinstall them. postinstall runs `prisma generate`.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
# bubblewrap and python3 for the run_code sandbox; ca-certificates for outbound TLS.
RUN apt-get update \
  && apt-get install -y --no-install-recommends bubblewrap python3 ca-certificates \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/package.json /app/prisma.config.ts ./
USER node
EXPOSE 3000
CMD ["node", "dist/main.js"]
