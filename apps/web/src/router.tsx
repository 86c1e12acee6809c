import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** The console lives under /console/; the API answers every path below it with the page. */
export const BASE = '/console';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());
window.addEventListener('popstate', notify);

/** What a page wants done before it is left (save, or ask): false keeps the user where they are. */
export type LeaveReason = 'navigate' | 'signOut';
const leaveChecks = new Set<(reason: LeaveReason) => Promise<boolean>>();
export function onLeave(check: (reason: LeaveReason) => Promise<boolean>): () => void {
  leaveChecks.add(check);
  return () => void leaveChecks.delete(check);
}
/** Runs the open page's checks; true when it may be left. */
export async function mayLeave(reason: LeaveReason = 'navigate'): Promise<boolean> {
  for (const check of [...leaveChecks]) if (!(await check(reason))) return false;
  return true;
}

/** Goes to a console path once the open page agrees to be left (a replace, which only rewrites the address, never asks). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) return go(to, options);
  void mayLeave().then((ok) => ok && go(to, options));
}

function go(to: string, options: { replace?: boolean }): void {
  const url = BASE + to;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  notify();
  window.scrollTo(0, 0);
}

/** The path within the console ("/forms/x.2021") and its query string. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) || '/' : '/';
  return { path, query: new URLSearchParams(location.search) };
}

/** A link that navigates without reloading, and still opens in a new tab when asked to. */
export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={BASE + to} onClick={onClick} {...rest} />;
}

/** Matches "/forms/:id" against a path; the parameters decoded, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}
