import type { Alert } from '../../shared/contract/alerts.ts';
import type { EventHub } from '../core/events.ts';

/**
 * The desktop app's side of alerts: each alert a rule raises (`alerts:raised`) becomes an OS
 * notification — title: what and where, body: the alert's sentence. Electron's `Notification`
 * is handed in by main.ts (the one file here that imports `electron` for it), so this runs in
 * tests without Electron; where the OS has no notifications (`isSupported()` false) nothing is
 * shown and the Monitoring page still lists the alert.
 */
export interface DesktopNotifications {
  isSupported(): boolean;
  show(notification: { title: string; body: string }, onClick: () => void): void;
}

/** Notification bodies are cut here: macOS shows about two lines, Windows a few more. */
const MAX_BODY = 240;

export function notifyOnAlerts(events: EventHub, notifications: DesktopNotifications, bringToFront: (workspace: string) => void): () => void {
  return events.on((event) => {
    if (event.name !== 'alerts:raised' || !notifications.isSupported()) return;
    const { workspace, alert } = event.payload;
    notifications.show(alertNotification(alert), () => bringToFront(workspace));
  });
}

export function alertNotification(alert: Alert): { title: string; body: string } {
  const body = alert.summary.length > MAX_BODY ? `${alert.summary.slice(0, MAX_BODY - 1)}…` : alert.summary;
  return { title: `${alert.severity === 'critical' ? 'Critical alert' : 'Alert'}: ${alert.deployment}`, body };
}
