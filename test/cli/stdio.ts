/** Captures what a CLI command writes to process.stdout and process.stderr while `fn` runs. */
import { vi } from "vitest";

export async function captureStdio<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; out: string; err: string }> {
  let out = "";
  let err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const result = await fn();
    return { result, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
