import type { Alert, AlertDelivery } from '../../../../shared/contract/alerts.ts';

const number = (value: number) => String(Number(value.toPrecision(3)));

/** The numbers behind an alert: "window 4: wasserstein 0.31 (threshold 0.1), window 5: …". */
export function alertWhy(alert: Pick<Alert, 'detail'>): string {
  const parts = alert.detail.measurements.slice(0, 4).map((one) => {
    const where = one.window === null ? '' : `window ${one.window}: `;
    const threshold = one.threshold === null ? '' : ` (threshold ${number(one.threshold)})`;
    return `${where}${one.measure} ${number(one.value)}${threshold}`;
  });
  const more = alert.detail.measurements.length - parts.length;
  return `${parts.join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
}

/** Where the alert went besides the app. */
export function deliveryWords(delivery: AlertDelivery): string {
  switch (delivery.state) {
    case 'not-configured':
      return 'no webhook set';
    case 'pending':
      return 'webhook: sending';
    case 'delivered':
      return `webhook: delivered to ${delivery.host} (HTTP ${delivery.status})`;
    case 'failed':
      return `webhook FAILED${delivery.host ? ` (${delivery.host})` : ''}: ${delivery.reason}`;
  }
}
