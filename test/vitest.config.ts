import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/.tmp/**', 'test/load/**', 'test/reliability/scale.test.ts'],
    // Integration and CLI tests run dist/: rebuilt first when a source file is newer.
    globalSetup: [fileURLToPath(new URL('./build-dist.ts', import.meta.url))],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
