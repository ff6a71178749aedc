import { createBrowserRouter, Navigate, type RouteObject } from "react-router";
import { SignInPage } from "../features/auth";
import QueueRoute from "../features/queue/routes/QueueRoute";
import { AppShell } from "./AppShell";
import { NotFound } from "./NotFound";

/** The console's routes; pages past the queue load on first use, so the first page needs only its own code. */
export const routes: RouteObject[] = [
  { path: "/signin", element: <SignInPage /> },
  {
    path: "/",
    element: <AppShell />,
    children: [
      { index: true, element: <Navigate to="/queue" replace /> },
      { path: "queue", element: <QueueRoute /> },
      {
        path: "queue/:taskId",
        lazy: async () => ({ Component: (await import("../features/task/routes/TaskRoute")).default }),
      },
      {
        path: "outcomes",
        lazy: async () => ({
          Component: (await import("../features/outcomes/routes/OutcomesRoute")).default,
        }),
      },
      {
        path: "outcomes/team",
        lazy: async () => ({
          Component: (await import("../features/outcomes/routes/TeamOutcomesRoute")).default,
        }),
      },
      { path: "*", element: <NotFound /> },
    ],
  },
];

export const makeRouter = () => createBrowserRouter(routes);
