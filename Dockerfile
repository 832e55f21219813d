# Borderline API and worker image (one image, two commands; see docker-compose.yml).
# Build: docker build -t borderline .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY console ./console
# postinstall generates the Prisma client from prisma/schema.prisma and builds the web console
# (console/ → dist/console, copied into the final image with the rest of dist/)
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY prisma ./prisma
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
# The API by default; the worker runs the same image with `node dist/src/cli/worker.js`.
CMD ["node", "dist/src/cli/api.js"]
