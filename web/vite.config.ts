import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The console's build (web/dist, served by the service at /) and its dev server. `npm run dev` starts
 * the API on :3000 and this server on :5173, which proxies the API's paths (and its WebSockets) there,
 * so the page and the API share one origin as they do when the service serves the build.
 */
const API = "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 400 },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/v1": { target: API, ws: true },
      "/docs": { target: API },
      "/healthz": { target: API },
      "/readyz": { target: API },
    },
  },
});
