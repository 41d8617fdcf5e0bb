import { defineConfig } from 'vitest/config';

// The domain package is pure and needs none of the repository's integration setup (databases,
// services), so it gets its own config: `npx vitest run --config packages/domain/vitest.config.ts`.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['src/**/*.test.ts'],
  },
});
