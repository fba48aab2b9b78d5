import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/** The load suite (`npm run test:load`): heavy sessions run one at a time, with room to finish. */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    // The reliability cases at a million rows and keys run here, where they have room to finish.
    include: ['test/load/*.test.ts', 'test/reliability/scale.test.ts'],
    exclude: ['**/node_modules/**', 'test/.tmp/**'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    fileParallelism: false,
  },
})
