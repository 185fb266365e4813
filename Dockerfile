# syntax=docker/dockerfile:1
# Detour as one self-contained Node.js server: Next's standalone output (public/ includes the step assets built by
# `npm run build`) plus the files Detour reads at run time from
# its working directory (messages/, content/, detour.config.json). docs/deploy.md explains every setting.
# e2e/standalone.spec.ts repeats the runner stage's COPY lines, CMD and HEALTHCHECK on the build it tests.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS runner
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
# The code stays root-owned and read-only to the server; only ./data (the embedded SQLite file) is writable.
RUN groupadd --system --gid 1001 detour \
 && useradd --system --uid 1001 --gid detour --no-create-home --shell /usr/sbin/nologin detour \
 && mkdir -p /app/data && chown detour:detour /app/data
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
COPY --from=build /app/messages ./messages
COPY --from=build /app/content ./content
COPY --from=build /app/detour.config.json ./detour.config.json
USER detour
EXPOSE 3000
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Next's standalone server answers every route through app/, as `npm start` (next start) does.
CMD ["node", "server.js"]
