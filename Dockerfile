# The scrape command in a container (README: "As a Kubernetes Indexed Job").
#   docker build -t scrapeline .
#   docker run --rm -i scrapeline - < urls.txt
# Two stages: the first compiles the TypeScript and packs the package as npm
# would publish it; the final image installs only that package and its runtime
# dependencies on a clean node:24-slim: no compiler, no sources, no dev tools.
FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: no install script is needed to build (the optional
# better-sqlite3 would try to compile; Node 24 has node:sqlite instead).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY fixtures ./fixtures
RUN npm run build && npm pack --ignore-scripts --pack-destination /tmp && mv /tmp/scrapeline-*.tgz /tmp/scrapeline.tgz

FROM node:24-slim
ENV NODE_ENV=production
COPY --from=build /tmp/scrapeline.tgz /tmp/scrapeline.tgz
# --omit=optional: --cache-dir uses Node 24's own node:sqlite, so better-sqlite3 is not wanted.
RUN npm install --global --omit=optional --no-audit --no-fund /tmp/scrapeline.tgz \
 && rm /tmp/scrapeline.tgz && npm cache clean --force
# The image's unprivileged user (uid 1000); /data is where the Job mounts its volume.
USER node
WORKDIR /data
ENTRYPOINT ["scrape"]
