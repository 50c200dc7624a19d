/**
 * Shared building blocks: buttons that show their loading state, labelled fields, notices that
 * screen readers announce, and the data/action hooks every page uses for loading states.
 */
import type { ButtonHTMLAttributes, ComponentChildren, InputHTMLAttributes } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, isMissingEndpoint, type Problem } from "./api";
import { getSession, subscribe, type Session } from "./session";

type ButtonProps = Omit<ButtonHTMLAttributes, "type"> & {
  busy?: boolean;
  busyLabel?: string;
  kind?: "primary" | "secondary" | "danger";
  type?: "button" | "submit";
};

export function Button({
  busy = false,
  busyLabel,
  kind = "primary",
  type = "button",
  children,
  disabled,
  ...rest
}: ButtonProps) {
  return (
    <button {...rest} type={type} class={`btn btn-${kind}`} disabled={Boolean(disabled) || busy} aria-busy={busy}>
      {busy ? <span class="spinner" aria-hidden="true" /> : null}
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}

type FieldProps = InputHTMLAttributes & { label: string; id: string; hint?: string; error?: string };

export function Field({ label, id, hint, error, ...input }: FieldProps) {
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} name={id} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      {hint ? <small id={`${id}-hint`}>{hint}</small> : null}
      {error ? (
        <small id={`${id}-error`} class="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}

export function Notice({
  kind = "info",
  children,
}: {
  kind?: "info" | "error" | "success";
  children: ComponentChildren;
}) {
  return (
    <div class={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

/** The server's problem in plain words, with its field errors; "not available" for a missing endpoint. */
export function ProblemNotice({ error, what }: { error: unknown; what?: string }) {
  if (isMissingEndpoint(error)) return <Notice>{what ?? "This feature"} is not available on this server yet.</Notice>;
  const problem: Partial<Problem> =
    error instanceof ApiError ? error.problem : { detail: error instanceof Error ? error.message : String(error) };
  return (
    <Notice kind="error">
      <strong>{problem.title ?? "Something went wrong"}</strong>
      {problem.detail && problem.detail !== problem.title ? <span>: {problem.detail}</span> : null}
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((field) => (
            <li key={field.path}>
              {field.path}: {field.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Shows data the page already has (a write that answers the whole resource) without loading again. */
  set(data: T): void; // a method: Loaded<Page<Product>> still passes where Loaded<Page<unknown>> is read
}

/** Loads data when `deps` change; a stale answer (deps changed meanwhile) is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((value) => value + 1), []);
  const set = useCallback((data: T) => setState({ data, loading: false }), []);
  return { ...state, reload, set } as Loaded<T>;
}

/** Runs one action at a time and exposes busy/error, so every button can show its state. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const running = useRef(false);
  const run = useCallback(
    async (...args: A) => {
      if (running.current) return;
      running.current = true;
      setBusy(true);
      setError(undefined);
      try {
        await action(...args);
      } catch (caught) {
        setError(caught);
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [action],
  );
  return { run, busy, error, clearError: () => setError(undefined) };
}

export function useSession(): Session | null {
  const [session, setSession] = useState(getSession);
  useEffect(() => subscribe(() => setSession(getSession())), []);
  return session;
}

/** The form's values as strings, by input name. */
export function formValues(event: Event): Record<string, string> {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  return Object.fromEntries([...new FormData(form)].map(([key, value]) => [key, String(value)]));
}

/** Moves focus to the main region after a client-side navigation, as a page load would. */
export function useFocusOnNavigate(path: string) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    scrollTo(0, 0);
    document.getElementById("main")?.focus();
  }, [path]);
}
