import { MonitoringSettingsPatch } from '../../../../shared/contract/monitoring.ts';

/** Read the form into a settings change, checked by the contract's schema; or the first problem, naming its field. */
export function readSettingsForm(form: { kind: 'count' | 'time'; size: string; minRows: string; samplePercent: string }): { patch: MonitoringSettingsPatch } | { problem: string } {
  const size = Number(form.size);
  const candidate = {
    window: form.kind === 'count' ? { kind: 'count', rows: size } : { kind: 'time', seconds: size },
    minRows: Number(form.minRows),
    sampleRate: Number(form.samplePercent) / 100,
  };
  const checked = MonitoringSettingsPatch.safeParse(candidate);
  if (checked.success && form.size.trim() !== '' && form.minRows.trim() !== '' && form.samplePercent.trim() !== '') return { patch: checked.data };
  const issue = checked.success ? null : checked.error.issues[0]!;
  const field = issue?.path[0] === 'window' ? (form.kind === 'count' ? 'window size: 10 to 1,000,000 predictions' : 'window length: 1 s to 7 days') : issue?.path[0] === 'minRows' ? 'minimum rows: 1 to 100,000' : 'sample: more than 0 % up to 100 %';
  return { problem: `Check the ${issue ? field : 'empty field'}.` };
}
