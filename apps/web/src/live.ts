import { useEffect, useRef } from 'react';
import { createClient, type Client } from 'graphql-ws';

/**
 * One WebSocket for the whole console (graphql-ws on /graphql), opened when the first subscription starts
 * and closed when the last ends. The browser sends the session cookie with the upgrade: the page holds
 * no token to put in connection parameters.
 */
let client: Client | null = null;
const socket = () =>
  (client ??= createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
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

/** Calls `onChange` for every change the subscription delivers, for as long as the component lives. */
export function useLiveChanges(
  subscription: { evaluationId: string } | { districtCode: string; year: number } | null,
  onChange: (change: EvaluationChange) => void,
): void {
  const latest = useRef(onChange);
  latest.current = onChange;
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
    return socket().subscribe<Record<string, EvaluationChange>>(
      { query, variables: subscription },
      {
        next: ({ data }) => data?.[field] && latest.current(data[field]),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    // The subscription is the same while its variables are.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}
