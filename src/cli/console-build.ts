/**
 * Building the console before the service serves it: `npm start` on a fresh clone (no web/dist) or
 * after web/ changed builds web/dist with Vite's build API in this process, with progress on stderr.
 * A finished build leaves a stamp file; the build counts as current while no source is newer than it.
 */
import fs from "node:fs";
import path from "node:path";

/** The console's sources and its build, beside src/ in the package. */
export const WEB_DIR = path.resolve(import.meta.dirname, "../../web");
export const CONSOLE_DIST = path.join(WEB_DIR, "dist");
const STAMP = ".build-stamp";

/** What the build reads: web/ without its output, tests and installed modules, and the lock file. */
const SKIPPED = new Set(["dist", "node_modules", "test"]);

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const p = path.join(dir, entry.name);
    const t = entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/** Why the console needs building now, or null when web/dist is current. */
export function consoleBuildReason(webDir = WEB_DIR): string | null {
  const stamp = fs.statSync(path.join(webDir, "dist", STAMP), { throwIfNoEntry: false });
  if (!stamp || !fs.existsSync(path.join(webDir, "dist", "index.html"))) return "web/dist is missing";
  const lock = fs.statSync(path.join(webDir, "..", "package-lock.json"), { throwIfNoEntry: false });
  const newest = Math.max(newestSource(webDir), lock?.mtimeMs ?? 0);
  return newest > stamp.mtimeMs ? "web/ changed since the last build" : null;
}

/** Build web/ into web/dist with Vite, reporting on `progress` (stderr by default). */
export async function buildConsole(
  webDir = WEB_DIR,
  progress: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<void> {
  const started = Date.now();
  // Loaded only when a build is due: serving a built console needs no bundler.
  const { build } = await import("vite");
  await build({ root: webDir, logLevel: "warn", configFile: path.join(webDir, "vite.config.ts") });
  fs.writeFileSync(path.join(webDir, "dist", STAMP), `${new Date().toISOString()}\n`);
  progress(`account-team: console built in ${((Date.now() - started) / 1000).toFixed(1)} s (web/dist)`);
}

/** Build the console when it is missing or stale; true when web/dist can be served afterwards. */
export async function ensureConsoleBuilt(
  webDir = WEB_DIR,
  progress: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<boolean> {
  const reason = consoleBuildReason(webDir);
  if (reason === null) return true;
  progress(`account-team: building the console (${reason}) ...`);
  try {
    await buildConsole(webDir, progress);
    return true;
  } catch (err) {
    // The API still serves; / then says the console is not built.
    progress(`account-team: the console could not be built: ${(err as Error).message}`);
    return fs.existsSync(path.join(webDir, "dist", "index.html"));
  }
}
