/**
 * A loopback Gmail API for drafts: Google's OAuth token endpoint (refresh_token grant), users.drafts.create
 * and users.getProfile. It keeps every draft's raw MIME, and answers 404 to any send endpoint while
 * counting the attempt, so a test can prove nothing was ever sent.
 */
import { randomBytes } from "node:crypto";
import { type EmulatorRequest, type EmulatorResponse, type LoopbackServer, startLoopback } from "./http.js";

export interface GmailEmulatorOptions {
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  email?: string;
}

export interface StoredDraft {
  id: string;
  message_id: string;
  raw: Buffer;
}

const googleError = (status: number, message: string, reason: string) => ({
  status,
  body: { error: { code: status, message, errors: [{ message, domain: "global", reason }], status: reason } },
});

export class GmailEmulator {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly email: string;
  readonly drafts: StoredDraft[] = [];
  readonly sendAttempts: string[] = [];
  readonly tokenRequests: number[] = [];
  readonly requests: Array<{ method: string; path: string; status: number }> = [];
  private readonly accessTokens = new Set<string>();
  private failQueue: number[] = [];
  private server: LoopbackServer | null = null;

  private constructor(opts: GmailEmulatorOptions) {
    this.clientId = opts.clientId ?? "emulator-client.apps.googleusercontent.com";
    this.clientSecret = opts.clientSecret ?? "emulator-secret";
    this.refreshToken = opts.refreshToken ?? "1//emulator-refresh-token";
    this.email = opts.email ?? "csm-bot@example.com";
  }

  static async start(opts: GmailEmulatorOptions = {}): Promise<GmailEmulator> {
    const emu = new GmailEmulator(opts);
    emu.server = await startLoopback((req) => {
      const out = emu.handle(req);
      emu.requests.push({ method: req.method, path: req.url.pathname, status: out.status });
      return out;
    });
    return emu;
  }

  get url(): string {
    return this.server!.url;
  }

  get tokenUrl(): string {
    return `${this.url}/token`;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  /** Answer `status` to the next `count` API calls (the token endpoint excluded). */
  failNext(count: number, status: number): void {
    for (let i = 0; i < count; i++) this.failQueue.push(status);
  }

  private handle(req: EmulatorRequest): EmulatorResponse {
    const path = req.url.pathname;
    if (req.method === "POST" && path === "/token") return this.token(req);
    // Every send endpoint there is: messages.send, drafts.send, and their upload variants.
    if (/\/send$/.test(path)) {
      this.sendAttempts.push(`${req.method} ${path}`);
      return googleError(404, "Not Found", "notFound");
    }
    const auth = req.headers.authorization ?? "";
    if (!auth.startsWith("Bearer ") || !this.accessTokens.has(auth.slice(7))) {
      return googleError(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED");
    }
    const forced = this.failQueue.shift();
    if (forced !== undefined) return googleError(forced, "Backend Error", "backendError");
    if (req.method === "GET" && path === "/gmail/v1/users/me/profile") {
      return {
        status: 200,
        body: { emailAddress: this.email, messagesTotal: 0, threadsTotal: 0, historyId: "1" },
      };
    }
    if (req.method === "POST" && path === "/gmail/v1/users/me/drafts") return this.createDraft(req);
    return googleError(404, "Not Found", "notFound");
  }

  private token(req: EmulatorRequest): EmulatorResponse {
    this.tokenRequests.push(Date.now());
    const form = new URLSearchParams(req.body);
    let clientId = form.get("client_id");
    let clientSecret = form.get("client_secret");
    const basic = req.headers.authorization;
    if (basic?.startsWith("Basic ")) {
      [clientId, clientSecret] = Buffer.from(basic.slice(6), "base64").toString().split(":") as [
        string,
        string,
      ];
    }
    if (form.get("grant_type") !== "refresh_token") {
      return {
        status: 400,
        body: { error: "unsupported_grant_type", error_description: "Invalid grant_type" },
      };
    }
    if (clientId !== this.clientId || clientSecret !== this.clientSecret) {
      return { status: 401, body: { error: "invalid_client", error_description: "Unauthorized" } };
    }
    if (form.get("refresh_token") !== this.refreshToken) {
      return { status: 400, body: { error: "invalid_grant", error_description: "Bad Request" } };
    }
    const token = `ya29.${randomBytes(16).toString("hex")}`;
    this.accessTokens.add(token);
    return {
      status: 200,
      body: {
        access_token: token,
        expires_in: 3599,
        scope: "https://www.googleapis.com/auth/gmail.compose",
        token_type: "Bearer",
      },
    };
  }

  private createDraft(req: EmulatorRequest): EmulatorResponse {
    let body: { message?: { raw?: string } };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return googleError(400, "Invalid JSON payload received.", "badRequest");
    }
    const raw = body.message?.raw;
    if (!raw) return googleError(400, "Invalid draft", "invalidArgument");
    // Gmail takes base64url (and tolerates standard base64).
    const mime = Buffer.from(raw.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (!/\r?\n\r?\n/.test(mime.toString("latin1")))
      return googleError(400, "Invalid RFC 5322 message", "invalidArgument");
    const id = `r${BigInt(`0x${randomBytes(8).toString("hex")}`).toString()}`;
    const messageId = randomBytes(8).toString("hex");
    this.drafts.push({ id, message_id: messageId, raw: mime });
    return {
      status: 200,
      body: { id, message: { id: messageId, threadId: messageId, labelIds: ["DRAFT"] } },
    };
  }
}
