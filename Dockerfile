# syntax=docker/dockerfile:1
# One image for every CLA Graph service: the gateway, each subgraph, the alert worker, the migration
# step and the simulators that stand in for the council's systems, chosen by SERVICE
# (deploy/docker-entrypoint.sh).
#
#   docker build -t cla-graph .
#   docker run --env-file prod.env -e SERVICE=education cla-graph
ARG NODE_IMAGE=node:20.19-bookworm-slim

# Build: every dependency, the type check and the linter. Nothing from here runs in production
# but the checked source.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run typecheck && npm run lint \
 && mkdir /runtime \
 && cp -r deploy domain events exchange gateway identity lib schema scripts simulators stores subgraphs \
      upstream tsconfig.json /runtime/ \
 && find /runtime -name '*.test.ts' -delete \
 && find /runtime -type d \( -name testing -o -name fixtures \) -prune -exec rm -rf {} +

# Runtime: production dependencies only (tsx, a production dependency, runs the TypeScript),
# the checked source, and a user that is not root.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    SERVICE=gateway
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /runtime/ ./
# Numeric, so Kubernetes' runAsNonRoot can verify it (the image's `node` user).
USER 1000:1000
EXPOSE 4000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "--import", "tsx", "scripts/healthcheck.ts"]
ENTRYPOINT ["deploy/docker-entrypoint.sh"]
