import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./api-client";

/** Server state lives in TanStack Query; a 4xx is an answer, not a reason to retry. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}
