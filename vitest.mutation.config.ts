import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// The engine's unit tests only, for mutation testing (npm run test:mutation, stryker.config.mjs).
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/scheduling/**/*.test.ts"],
    environment: "node",
    setupFiles: ["tests/support/setup-unit.ts"],
  },
});
