# The product image: one image, three roles (ROLE=all|web|worker). Migrations run on boot.
# Multi-stage: TypeScript is compiled in `build`; the final image holds the JavaScript, production
# dependencies only, and runs `node dist/main.js` as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Generates the Prisma client (no engine download needed), compiles to dist/, copies the page's static files.
RUN npm run build

FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time: the migrations (applied on boot) and the LLM prompts.
COPY package.json ./
COPY prisma ./prisma
COPY prompts ./prompts
USER node
EXPOSE 3978
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/main.js"]
