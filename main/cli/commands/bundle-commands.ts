import { isAbsolute, resolve } from 'node:path';
import { formatBytes } from '../../../shared/format-bytes.ts';
import { failure } from '../../core/errors.ts';
import { callCore } from '../call-core.ts';
import type { CliCommand } from '../cli-command.ts';
import { textTable } from '../text-table.ts';
import { visible } from '../terminal-text.ts';

/** `lathe models package|verify`, `lathe keys show`: signed model bundles and the key that signs them. */

function positional(value: string | undefined, what: string, usage: string): string {
  if (!value) throw failure('INVALID_INPUT', `Name ${what}: ${usage}`);
  return value;
}

export const modelsPackageCommand: CliCommand = {
  path: ['models', 'package'],
  summary: 'Write a model version as one signed bundle file (model, preprocessing, signature, card, signed manifest)',
  usage: 'lathe models package NAME@VERSION --out FILE',
  details: [
    'NAME@3, NAME@champion or NAME@latest. The bundle is a plain tar (`tar -tf FILE` lists it): manifest.json',
    '(every part\'s size and SHA-256, the model, run, dataset and commit) and manifest.sig (Ed25519) first, then',
    'model/model.json, model/weights.bin, preprocessing.json, signature.json and model-card.md. It is signed with',
    'your key (made on first use in your state folder, never in the workspace; `lathe keys show` prints its public',
    'half to share). An existing FILE is replaced only once the new bundle is whole.',
    'Example: lathe models package penguins@champion --out penguins.lathe',
  ].join('\n'),
  options: { out: { type: 'string', short: 'o' } },
  async run(context) {
    const usage = this.usage;
    const ref = positional(context.positionals[0], 'the model version', usage);
    const out = context.values.out;
    if (typeof out !== 'string' || out.length === 0) throw failure('INVALID_INPUT', `Say where to write the bundle with --out FILE: ${usage}`);
    const packaged = await callCore(context, 'bundles:package', { workspace: await context.workspace(), ref, out: resolve(context.cwd, out) });
    const { model } = packaged.manifest;
    const human = [
      `Packaged ${visible(model.name)}@${model.version} into ${visible(packaged.file)} (${formatBytes(packaged.bytes)}).`,
      textTable(['part', 'size', 'sha256'], packaged.manifest.parts.map((part) => [part.path, formatBytes(part.bytes), part.sha256]), 140),
      `Signed by your key ${packaged.signer.fingerprint} (${packaged.signer.publicKey}).`,
      `Others verify it with: lathe models verify ${visible(packaged.file)} --trust ${packaged.signer.publicKey}`,
    ].join('\n');
    return { json: packaged, human };
  },
};

export const modelsVerifyCommand: CliCommand = {
  path: ['models', 'verify'],
  summary: "Check a bundle's signature, its signer and every part's SHA-256 (exit 1 when anything fails)",
  usage: 'lathe models verify FILE [--trust PUBKEY]…',
  details: [
    'Without --trust, your own key is the one trusted. With --trust (repeatable), exactly the keys given are:',
    'each as `lathe keys show` prints it (ed25519:…), or a file holding it (that text or PEM). For PEM text on',
    'the command line write --trust="-----BEGIN PUBLIC KEY-----…". Every problem is listed: a part whose bytes',
    'changed, a signature that does not match, a signer not trusted, an extra or missing part, a file cut short.',
  ].join('\n'),
  options: { trust: { type: 'string', multiple: true } },
  async run(context) {
    const file = resolve(context.cwd, positional(context.positionals[0], 'the bundle file', this.usage));
    const given = Array.isArray(context.values.trust) ? context.values.trust.map(String) : [];
    // A key's text travels as is; anything else names a file, relative to where the command runs.
    const trust = given.map((value) => (/^(ed25519:|-----BEGIN)/.test(value.trim()) || isAbsolute(value) ? value : resolve(context.cwd, value)));
    const report = await callCore(context, 'bundles:verify', { file, trust });
    const model = report.manifest ? `${visible(report.manifest.model.name)}@${report.manifest.model.version} (run ${report.manifest.runId})` : 'the bundle';
    const signer = report.signer ? `key ${report.signer.fingerprint} (${report.signer.publicKey}), ${report.signer.trusted ? 'trusted' : 'not trusted'}` : 'no readable signature';
    const parts = textTable(['part', 'size', 'check'], report.parts.map((part) => [part.path, formatBytes(part.bytes), part.status]), 120);
    const origin = report.manifest && report.verified ? [`Made ${report.manifest.created} by Lathe ${visible(report.manifest.latheVersion)}${report.manifest.dataset ? ` from ${visible(report.manifest.dataset.name)}${report.manifest.dataset.version === null ? '' : `@${report.manifest.dataset.version}`} (${report.manifest.dataset.contentHash})` : ''}${report.manifest.workspaceCommit ? `, workspace commit ${report.manifest.workspaceCommit.slice(0, 12)}` : ''}.`] : [];
    const human = report.verified
      ? [`Verified ${visible(file)}: ${model}, signed by ${signer}; every part matches its SHA-256.`, ...origin, parts].join('\n')
      : [
          `${visible(file)} did NOT verify (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}):`,
          ...report.problems.map((problem) => `  - ${visible(problem.message)}`),
          ...(report.trusted.length === 0 ? ['  (no key was trusted: you have no signing key yet, and no --trust was given)'] : []),
          '',
          `Model: ${model}. Signer: ${signer}.`,
          ...(report.parts.length > 0 ? [parts] : []),
          'Do not deploy or serve this file.',
        ].join('\n');
    return { json: report, human, exitCode: report.verified ? 0 : 1 };
  },
};

export const keysShowCommand: CliCommand = {
  path: ['keys', 'show'],
  summary: 'Print your bundle-signing public key and its fingerprint (made on first use)',
  usage: 'lathe keys show',
  details: [
    'The private key stays in your state folder (mode 0600); share the public key below so others can',
    '`lathe models verify FILE --trust KEY` bundles you signed.',
  ].join('\n'),
  options: {},
  async run(context) {
    const key = await callCore(context, 'keys:show', {});
    const human = [
      ...(key.created ? [`Made a new signing key: ${key.file}`] : []),
      `Public key:  ${key.publicKey}`,
      `Fingerprint: ${key.fingerprint}`,
      `Private key: ${key.file} (keep it there; never share it)`,
      '',
      key.pem.trimEnd(),
    ].join('\n');
    return { json: key, human };
  },
};
