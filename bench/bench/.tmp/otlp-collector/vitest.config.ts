import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes({ project: 'otlp-bench', report: false })] })
