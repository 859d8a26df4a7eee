/**
 * A small YAML writer for the files Lathe generates (GitHub Actions workflows): mappings,
 * sequences, and scalars that are always safe — every string is written double-quoted with
 * JSON's escapes (a subset of YAML's), except plain words that YAML cannot read as anything but
 * that string, and multi-line text, which becomes a literal block. What it writes reads back as
 * the same value (yaml-text.test.ts parses it to check).
 */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue | undefined };

/** A key, or a value, YAML 1.1 and 1.2 both read as this exact string. */
const PLAIN = /^[A-Za-z_./][A-Za-z0-9_./-]*(?:@[A-Za-z0-9_.-]+)?$/;
const AMBIGUOUS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`YAML: ${value} is not a finite number`);
    return String(value);
  }
  return PLAIN.test(value) && !AMBIGUOUS.test(value) ? value : JSON.stringify(value);
}

function key(name: string): string {
  return scalar(name);
}

/** Text with line breaks: a literal block (`|`), each line indented; other text: a scalar. */
function block(value: string | number | boolean | null, indent: string): string {
  if (typeof value !== 'string' || !value.includes('\n') || /[^\S\n]\n|\r/.test(value) || hasControlCharacter(value) || /^\s/.test(value)) return ` ${scalar(value)}`;
  const chomp = value.endsWith('\n') ? (value.endsWith('\n\n') ? '+' : '') : '-';
  const lines = value.replace(/\n$/, '').split('\n');
  return ` |${chomp}\n${lines.map((line) => (line === '' ? '' : `${indent}${line}`)).join('\n')}`;
}

/** A character a literal block cannot hold (tabs and line breaks aside): such text is quoted instead. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a) || code === 0x7f) return true;
  }
  return false;
}

function isMapping(value: YamlValue): value is { readonly [key: string]: YamlValue | undefined } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lines(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    return value.flatMap((item: YamlValue) => {
      const inner = lines(item, `${indent}  `);
      if (isMapping(item) || Array.isArray(item)) return [`${indent}- ${inner[0]!.trimStart()}`, ...inner.slice(1)];
      return [`${indent}-${block(item as string | number | boolean | null, `${indent}  `)}`];
    });
  }
  if (isMapping(value)) {
    const entries = Object.entries(value).filter((entry): entry is [string, YamlValue] => entry[1] !== undefined);
    if (entries.length === 0) return [`${indent}{}`];
    return entries.flatMap(([name, item]) => {
      if ((isMapping(item) && Object.keys(item).length > 0) || (Array.isArray(item) && item.length > 0)) return [`${indent}${key(name)}:`, ...lines(item, `${indent}  `)];
      if (isMapping(item)) return [`${indent}${key(name)}: {}`];
      if (Array.isArray(item)) return [`${indent}${key(name)}: []`];
      return [`${indent}${key(name)}:${block(item as string | number | boolean | null, `${indent}  `)}`];
    });
  }
  return [`${indent}${scalar(value as string | number | boolean | null)}`];
}

/** The document, with `comment` lines (each prefixed `# `) above it. */
export function yamlText(value: YamlValue, comment: readonly string[] = []): string {
  return `${[...comment.map((line) => (line ? `# ${line}` : '#')), ...lines(value, '')].join('\n')}\n`;
}
