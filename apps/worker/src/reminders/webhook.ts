import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-perf-eval-signature';
export const DELIVERY_HEADER = 'x-perf-eval-delivery';

/** HMAC-SHA256 of the exact body with NOTIFY_WEBHOOK_SECRET, as "sha256=<hex>". */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class DeliveryFailed extends Error {}

/**
 * One delivery attempt: a POST with the signature and a delivery id (the reminder's event id, so a
 * receiver can drop a repeat), bounded by a timeout. Anything but 2xx is a failure to retry.
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
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signBody(body, secret),
        [DELIVERY_HEADER]: deliveryId,
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new DeliveryFailed(`webhook unreachable: ${(error as Error).message}`);
  }
  if (response.status < 200 || response.status >= 300)
    throw new DeliveryFailed(`webhook answered ${response.status}`);
}
