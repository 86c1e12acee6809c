import { createContext, useContext } from 'react';
import type { Actor } from './api';

/** The signed-in actor; the console renders nothing that needs one before it is known. */
export const SessionContext = createContext<{ actor: Actor; signOut: () => void } | null>(null);

export function useSession(): { actor: Actor; signOut: () => void } {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

/** The year a clerk works on by default: last year's spending is evaluated this year. */
export const defaultYear = () => new Date().getFullYear() - 1;
