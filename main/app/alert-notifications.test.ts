import { describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/contract/alerts.ts';
import { EventHub } from '../core/events.ts';
import { notifyOnAlerts } from './alert-notifications.ts';

const alert: Alert = {
  id: 'al-1',
  deployment: 'edge-1/penguins-clf',
  ruleId: 'feature-drift',
  ruleKind: 'feature-drift',
  severity: 'critical',
  subject: 'bill_length_mm',
  state: 'open',
  raisedAt: '2026-01-01T00:00:00.000Z',
  resolvedAt: null,
  resolution: null,
  ackedAt: null,
  ackedBy: null,
  summary: 'bill_length_mm drifted in 2 windows in a row (1–2) (Wasserstein 0.31 ≥ 0.1)',
  detail: { windows: [1, 2], measurements: [], dropped: null },
  delivery: { state: 'not-configured' },
};

function fakeNotifications(supported = true) {
  const shown: { title: string; body: string; click: () => void }[] = [];
  return { shown, api: { isSupported: () => supported, show: (n: { title: string; body: string }, click: () => void) => shown.push({ ...n, click }) } };
}

describe('desktop notifications for alerts', () => {
  it('shows each raised alert, and a click brings its workspace forward', () => {
    const events = new EventHub();
    const { shown, api } = fakeNotifications();
    const fronted: string[] = [];
    notifyOnAlerts(events, api, (workspace) => fronted.push(workspace));
    events.emit('alerts:raised', { workspace: '/work/ws', alert });
    events.emit('alerts:changed', { workspace: '/work/ws', id: 'al-1', state: 'resolved' });
    expect(shown.map(({ title, body }) => ({ title, body }))).toEqual([{ title: 'Critical alert: edge-1/penguins-clf', body: alert.summary }]);
    shown[0]!.click();
    expect(fronted).toEqual(['/work/ws']);
  });

  it('cuts a long sentence, and shows nothing where the OS has no notifications', () => {
    const events = new EventHub();
    const { shown, api } = fakeNotifications();
    notifyOnAlerts(events, api, () => {});
    events.emit('alerts:raised', { workspace: '/w', alert: { ...alert, severity: 'warning', summary: 'x'.repeat(1000) } });
    expect(shown[0]).toMatchObject({ title: 'Alert: edge-1/penguins-clf', body: `${'x'.repeat(239)}…` });

    const unsupported = fakeNotifications(false);
    const other = new EventHub();
    notifyOnAlerts(other, unsupported.api, () => {});
    other.emit('alerts:raised', { workspace: '/w', alert });
    expect(unsupported.shown).toEqual([]);
  });
});
