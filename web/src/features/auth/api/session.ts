import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api } from "../../../lib/api-client";
import { queryKeys } from "../../../lib/query-keys";
import type { Session } from "../../../types/api";

/** Who is signed in; null when no session (the API answered 401). */
export function useSession() {
  return useQuery({
    queryKey: queryKeys.session,
    queryFn: async (): Promise<Session | null> => {
      try {
        return await api.get<Session>("/v1/session");
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (apiKey: string) => api.post<Session>("/v1/session", { api_key: apiKey }),
    onSuccess: (session) => {
      qc.clear();
      qc.setQueryData(queryKeys.session, session);
    },
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<void>("/v1/session"),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(queryKeys.session, null);
    },
  });
}

export const hasScope = (session: Session | null | undefined, scope: string): boolean =>
  !!session && (session.scopes.includes("admin") || session.scopes.includes(scope));
