import { type FormEvent, useState } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { Button, Field } from "../../../components/ui";
import { ApiError } from "../../../lib/api-client";
import { useSession, useSignIn } from "../api/session";

/** Sign in with an API key (the admin key `npm start` prints, or a CSM's key); the key becomes a session cookie. */
export function SignInPage() {
  const [key, setKey] = useState("");
  const signIn = useSignIn();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? "/queue";

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!key.trim()) return;
    signIn.mutate(key.trim(), { onSuccess: () => navigate(from, { replace: true }) });
  };
  const error =
    signIn.error instanceof ApiError && signIn.error.status === 401
      ? "That key is not valid. Use the key printed when the service started, or one from API_KEYS."
      : signIn.error
        ? signIn.error.message
        : undefined;

  // Already signed in (a bookmark of this page): straight on.
  if (session.data && !signIn.isPending) return <Navigate to={from} replace />;
  return (
    <main className="signin" id="main">
      <h1>Sign in to account-team</h1>
      <form onSubmit={submit} className="card signin-card" aria-label="Sign in">
        <Field
          label="API key"
          error={error}
          hint="The admin key is printed when the service starts (and kept in DATA_DIR/admin-api-key)."
        >
          <input
            type="password"
            autoComplete="current-password"
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
        </Field>
        <Button type="submit" variant="primary" busy={signIn.isPending}>
          Sign in
        </Button>
      </form>
    </main>
  );
}
