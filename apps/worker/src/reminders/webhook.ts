import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-perf-eval-signature';
export const DELIVERY_HEADER = 'x-perf-eval-delivery';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with NOTIFY_WEBHOOK_SECRET>`. The time is inside
 * the signed text, so a receiver that refuses old timestamps cannot be fed a captured delivery again
 * later; each attempt is signed afresh when it is sent.
 */
export function signatureHeader(body: string, secret: string, timestampSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

export class DeliveryFailed extends Error {}

/**
 * One delivery attempt: a POST with the signature and a delivery id (the reminder's event id, so a
 * receiver can drop a repeat), bounded by a timeout. Anything but 2xx is a failure to retry. Redirects
 * are not followed: the signed notice goes to the configured address only, never to wherever an answer
 * points (another host, or an address inside our network), so a 3xx is a failure that names its target.
 */
export async function deliver(
  url: string,
  secret: string,
  deliveryId: string,
  payload: unknown,
  timeoutMs: number,
): Promise<void> {
  const body = JSON.stringify(payload);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signatureHeader(body, secret, Math.floor(Date.now() / 1000)),
        [DELIVERY_HEADER]: deliveryId,
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new DeliveryFailed(`webhook unreachable: ${(error as Error).message}`);
  }
  // The answer's body is not read: release the connection instead of leaving it to the garbage collector.
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('location');
    throw new DeliveryFailed(
      `webhook answered ${response.status} redirecting to ${location === null ? '(no location)' : withoutSecrets(location, url)}; redirects are not followed, set NOTIFY_WEBHOOK_URL to the final address`,
    );
  }
  if (response.status < 200 || response.status >= 300)
    throw new DeliveryFailed(`webhook answered ${response.status}`);
}

/**
 * A URL as it may be shown in a job's failure reason (kept in Redis, shown on the queue board): scheme,
 * host and path only, no user, password, query or fragment, which may carry credentials.
 */
export function withoutSecrets(target: string, base?: string): string {
  try {
    const parsed = new URL(target, base);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(an address that cannot be read)';
  }
}
