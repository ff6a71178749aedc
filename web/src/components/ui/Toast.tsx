/**
 * Toasts: short confirmations and errors, announced by a polite live region (errors assertively) and
 * dismissed after a while or by their close button.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from "react";

export type ToastTone = "success" | "error" | "info";
interface ToastItem {
  id: number;
  tone: ToastTone;
  message: string;
}

interface ToastApi {
  show(message: string, tone?: ToastTone): void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function ToastProvider({ children, timeoutMs = 6000 }: { children: ReactNode; timeoutMs?: number }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setItems((all) => all.filter((t) => t.id !== id)), []);
  const api = useMemo<ToastApi>(
    () => ({
      show(message, tone = "success") {
        const id = next.current++;
        setItems((all) => [...all, { id, tone, message }]);
        setTimeout(() => dismiss(id), timeoutMs);
      },
    }),
    [dismiss, timeoutMs],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      <output className="toasts" aria-live="polite">
        {items
          .filter((t) => t.tone !== "error")
          .map((t) => (
            <ToastView key={t.id} item={t} onClose={() => dismiss(t.id)} />
          ))}
      </output>
      <div className="toasts toasts-errors" role="alert" aria-live="assertive">
        {items
          .filter((t) => t.tone === "error")
          .map((t) => (
            <ToastView key={t.id} item={t} onClose={() => dismiss(t.id)} />
          ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastView({ item, onClose }: { item: ToastItem; onClose: () => void }) {
  return (
    <div className={`toast toast-${item.tone}`}>
      <span>{item.message}</span>
      <button type="button" className="toast-close" onClick={onClose} aria-label="Dismiss notification">
        ×
      </button>
    </div>
  );
}

export function useToast(): ToastApi {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error("useToast needs a ToastProvider");
  return ctx;
}
