import { useEffect } from "react";
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { Button, Loading, useToast } from "../components/ui";
import { useSession, useSignOut } from "../features/auth";
import { onUnauthorized } from "../lib/api-client";
import { personName } from "../lib/format";
import { SessionContext } from "./session-context";

/** The console's sections: built ones link, the ones still to come are shown disabled. */
const NAV: { label: string; to: string; ready: boolean }[] = [
  { label: "Queue", to: "/queue", ready: true },
  { label: "Accounts", to: "/accounts", ready: false },
  { label: "Review", to: "/review", ready: false },
  { label: "Playbooks", to: "/playbooks", ready: false },
  { label: "Outcomes", to: "/outcomes", ready: true },
];

/** The frame of every signed-in page: skip link, navigation landmark, who is signed in, sign out. */
export function AppShell() {
  const session = useSession();
  const signOut = useSignOut();
  const location = useLocation();
  const navigate = useNavigate();
  const toast = useToast();

  useEffect(
    () =>
      onUnauthorized(() => {
        void session.refetch();
      }),
    [session],
  );

  if (session.isLoading) return <Loading label="Opening the console…" />;
  if (!session.data)
    return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;
  const s = session.data;
  return (
    <SessionContext.Provider value={s}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">account-team</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.label}>
                {n.ready ? (
                  <NavLink to={n.to}>{n.label}</NavLink>
                ) : (
                  <a
                    href={n.to}
                    aria-disabled="true"
                    tabIndex={-1}
                    className="nav-disabled"
                    title="Coming soon"
                    onClick={(e) => e.preventDefault()}
                  >
                    {n.label}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </nav>
        <div className="whoami">
          <span>
            {s.csm_id ? personName(s.csm_id) : s.key_name}{" "}
            <span className="muted">({s.scopes.join(", ")})</span>
          </span>
          <Button
            variant="ghost"
            busy={signOut.isPending}
            onClick={() =>
              signOut.mutate(undefined, {
                onSettled: () => {
                  toast.show("Signed out.", "info");
                  navigate("/signin", { replace: true });
                },
              })
            }
          >
            Sign out
          </Button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </SessionContext.Provider>
  );
}
