import { createContext, useContext } from "react";
import type { Session } from "../types/api";

/** The signed-in key, for the pages under the app shell (which only render once there is one). */
export const SessionContext = createContext<Session | null>(null);

export function useSessionContext(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSessionContext outside a signed-in page");
  return s;
}
