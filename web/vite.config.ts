import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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
  "/me",
  "/users",
  "/health",
  "/quarterly-reports",
  "/tranches",
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

// The service worker (offline/sw.js) keeps the app shell for a director with
// no signal: written into dist/ after the build with the list of built files
// and a version that changes whenever any of them does.
function serviceWorker(): Plugin {
  return {
    name: "offline-app-shell",
    apply: "build",
    closeBundle() {
      const dist = fileURLToPath(new URL("dist/", import.meta.url));
      const shell = [
        ...readdirSync(dist + "assets").map((f) => `assets/${f}`),
        ...readdirSync(dist).filter((f) => /^(manifest\.webmanifest|icon[\w-]*\.(svg|png))$/.test(f)),
      ].sort();
      const version = createHash("sha256");
      for (const file of ["index.html", ...shell]) version.update(file).update(readFileSync(dist + file));
      const source = readFileSync(fileURLToPath(new URL("offline/sw.js", import.meta.url)), "utf-8");
      writeFileSync(
        dist + "sw.js",
        source
          .replace('"__VERSION__"', JSON.stringify(version.digest("hex").slice(0, 16)))
          .replace("__SHELL__", JSON.stringify(shell.map((f) => `/app/${f}`))),
      );
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
    serviceWorker(),
  ],
  build: { target: "es2020", chunkSizeWarningLimit: 1200 },
  server: { proxy: Object.fromEntries(apiPaths.map((p) => [p, gateway])) },
  test: { include: ["tests/**/*.test.ts"] },
});
