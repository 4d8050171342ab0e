import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vitest/config";
import vue from "@vitejs/plugin-vue";
import components from "unplugin-vue-components/vite";
import { ElementPlusResolver } from "unplugin-vue-components/resolvers";

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
  "/calls",
  "/applications",
  "/public-notices",
  "/audit",
  "/openapi.json",
];

// The gateway's /docs page (services/gateway/static/docs.html) runs Swagger UI
// from the pinned swagger-ui-dist package, copied here into dist/docs/ with its
// licence and our initializer (web/docs/): nothing comes from a CDN.
const swaggerDist = fileURLToPath(new URL("node_modules/swagger-ui-dist/", import.meta.url));
const ownDocs = fileURLToPath(new URL("docs/", import.meta.url));
function swaggerUi(): Plugin {
  return {
    name: "swagger-ui-for-docs",
    apply: "build",
    closeBundle() {
      const out = fileURLToPath(new URL("dist/docs/", import.meta.url));
      mkdirSync(out, { recursive: true });
      for (const file of ["swagger-ui.css", "LICENSE", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt"]) {
        copyFileSync(swaggerDist + file, out + file);
      }
      // without the source map comment (the map is not shipped)
      const bundle = readFileSync(swaggerDist + "swagger-ui-bundle.js", "utf-8");
      writeFileSync(out + "swagger-ui-bundle.js", bundle.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n"));
      for (const file of ["init.js", "docs.css"]) copyFileSync(ownDocs + file, out + file);
    },
  };
}

export default defineConfig({
  base: "/app/",
  plugins: [
    vue(),
    // Each screen imports the Element Plus components its template uses, with
    // their CSS, so a lazily loaded screen brings its own and the first screen
    // on a rural phone carries only what it shows (issue 15, item 8).
    components({ resolvers: [ElementPlusResolver({ importStyle: "css" })], dts: false }),
    swaggerUi(),
  ],
  build: { target: "es2020", chunkSizeWarningLimit: 1200 },
  server: { proxy: Object.fromEntries(apiPaths.map((p) => [p, gateway])) },
  test: { include: ["tests/**/*.test.ts"] },
});
