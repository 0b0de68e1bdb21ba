import { configDefaults, defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The app loads the built files from `dist/` (no dev server in the Tauri config).
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    restoreMocks: true,
    // health-view/ is its own package (the MCP Apps view) with its own tests.
    exclude: [...configDefaults.exclude, "health-view/**"],
  },
});
