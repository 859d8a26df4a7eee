/**
 * The JSON text of a value from JSON.parse, exactly as JSON.stringify writes it, at any depth.
 * JSON.parse reads any depth (V8's parser is iterative) but JSON.stringify recurses, so a field
 * holding arrays nested some thousands deep overflows the stack there; such a value is written
 * here with a stack of its own instead.
 */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  return deepJsonText(value);
}

interface Level {
  items: unknown[];
  /** An object's keys (its values are `items`), or null for an array. */
  keys: string[] | null;
  next: number;
}

/** jsonText without recursion (exported for its test). */
export function deepJsonText(root: unknown): string {
  const parts: string[] = [];
  const levels: Level[] = [];
  const open = (value: unknown) => {
    if (Array.isArray(value)) {
      parts.push('[');
      levels.push({ items: value, keys: null, next: 0 });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      parts.push('{');
      levels.push({ items: keys.map((key) => (value as Record<string, unknown>)[key]), keys, next: 0 });
    } else {
      parts.push(JSON.stringify(value));
    }
  };
  open(root);
  for (let level = levels.at(-1); level !== undefined; level = levels.at(-1)) {
    if (level.next === level.items.length) {
      parts.push(level.keys === null ? ']' : '}');
      levels.pop();
      continue;
    }
    if (level.next > 0) parts.push(',');
    if (level.keys !== null) parts.push(JSON.stringify(level.keys[level.next]), ':');
    open(level.items[level.next++]);
  }
  return parts.join('');
}
