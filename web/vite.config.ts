import { defineConfig } from "vitest/config";
import vue from "@vitejs/plugin-vue";

// Served by the gateway at /app/; `npm run dev` proxies the API to a local gateway.
const gateway = process.env.GATEWAY_URL ?? "http://127.0.0.1:8000";
const apiPaths = [
  "/auth",
  "/public",
  "/children",
  "/cases",
  "/groups",
  "/activities",
  "/care-services",
  "/contracts",
  "/openapi.json",
];

export default defineConfig({
  base: "/app/",
  plugins: [vue()],
  build: { target: "es2020", chunkSizeWarningLimit: 1200 },
  server: { proxy: Object.fromEntries(apiPaths.map((p) => [p, gateway])) },
  test: { include: ["tests/**/*.test.ts"] },
});
