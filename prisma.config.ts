// Prisma CLI configuration. Only needed where Prisma's native schema engine is available
// (`npx prisma migrate deploy` against DATABASE_URL); Borderline itself applies the same
// migrations with `npm run migrate` and generates the client with `npm run generate`.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
