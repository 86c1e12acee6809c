import { useEffect, useRef, useSyncExternalStore } from 'react';
import { createClient, type Client } from 'graphql-ws';

/**
 * One WebSocket for the whole console (graphql-ws on /graphql), opened when the first subscription starts
 * and closed when the last ends. The browser sends the session cookie with the upgrade: the page holds
 * no token to put in connection parameters.
 */
let client: Client | null = null;
const connectedListeners = new Set<() => void>();
/** The socket's state for the page: unknown until it first opens, then connected or lost. */
let liveState: 'idle' | 'connected' | 'lost' = 'idle';
const stateListeners = new Set<() => void>();
const setLiveState = (next: typeof liveState) => {
  liveState = next;
  document.documentElement.dataset.live = next;
  stateListeners.forEach((listener) => listener());
};
const socket = () =>
  (client ??= createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: {
      // Changes made while the socket was down (or before it first opened) are not replayed: a page
      // reads its data again each time the socket (re)connects. The attribute tells tests it is live.
      connected: () => {
        setLiveState('connected');
        connectedListeners.forEach((listener) => listener());
      },
      closed: () => {
        if (liveState === 'connected') setLiveState('lost');
      },
    },
  }));

export interface EvaluationChange {
  evaluationId: string;
  version: number;
  eventType: string;
  state: string;
  actor: { id: string; role: string };
  occurredAt: string;
  department: { code: string; name: string };
}

const CHANGE = 'evaluationId version eventType state actor { id role } occurredAt department { code name }';

/**
 * Calls `onChange` for every change the subscription delivers, for as long as the component lives, and
 * `onReconnected` whenever the socket (re)connects (to read again what may have been missed).
 */
export function useLiveChanges(
  subscription: { evaluationId: string } | { districtCode: string; year: number } | null,
  onChange: (change: EvaluationChange) => void,
  onReconnected?: () => void,
): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  const reconnected = useRef(onReconnected);
  reconnected.current = onReconnected;
  const key = JSON.stringify(subscription);
  useEffect(() => {
    if (!subscription) return;
    const [query, field] =
      'evaluationId' in subscription
        ? [
            `subscription($evaluationId: ID!) { evaluationChanged(evaluationId: $evaluationId) { ${CHANGE} } }`,
            'evaluationChanged',
          ]
        : [
            `subscription($districtCode: String!, $year: Int!) { districtEvaluationsChanged(districtCode: $districtCode, year: $year) { ${CHANGE} } }`,
            'districtEvaluationsChanged',
          ];
    const listener = () => reconnected.current?.();
    connectedListeners.add(listener);
    const unsubscribe = socket().subscribe<Record<string, EvaluationChange>>(
      { query, variables: subscription },
      {
        next: ({ data }) => data?.[field] && latest.current(data[field]),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    return () => {
      connectedListeners.delete(listener);
      unsubscribe();
    };
    // The subscription is the same while its variables are.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}

/** Whether live updates arrive (for the banner that says when they do not). */
export function useLiveState(): 'idle' | 'connected' | 'lost' {
  return useSyncExternalStore(
    (listener) => {
      stateListeners.add(listener);
      return () => void stateListeners.delete(listener);
    },
    () => liveState,
  );
}
