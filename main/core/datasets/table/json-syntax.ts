/**
 * Finds where and why a JSON text is invalid. Only called after JSON.parse has failed (V8's
 * messages do not always carry a position), so it favours clear messages over speed. Iterative,
 * so deep nesting cannot overflow the stack.
 */
export interface JsonSyntaxError {
  /** Index in the text (UTF-16 units) of the offending character. */
  offset: number;
  message: string;
}

const OBJECT = 1;
const ARRAY = 2;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const n = text.length;
  const stack: number[] = [];
  let i = 0;
  let state: 'value' | 'key' | 'after' = 'value';
  const skipSpace = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      i++;
    }
  };
  const fail = (message: string): JsonSyntaxError => ({ offset: i, message });
  const found = () => (i < n ? `${JSON.stringify(text.charAt(i))}` : 'the end of the text');
  /** Reads a string starting at its opening quote; returns an error or null. */
  const readString = (): JsonSyntaxError | null => {
    i++;
    for (;;) {
      if (i >= n) return fail('a string is never closed');
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c < 0x20) return fail('a string contains a control character (a raw line break or tab must be written \\n or \\t)');
      if (c === 92) {
        const e = text.charAt(i + 1);
        if (e === 'u') {
          HEX4.lastIndex = i + 2;
          if (!HEX4.test(text)) return fail('a \\u escape needs four hex digits');
          i += 6;
        } else if ('"\\/bfnrt'.includes(e) && e !== '') {
          i += 2;
        } else {
          return fail(`a string has an invalid escape "\\${e}"`);
        }
      } else {
        i++;
      }
    }
  };
  for (;;) {
    skipSpace();
    if (state === 'value') {
      const c = text.charAt(i);
      if (c === '{' || c === '[') {
        i++;
        skipSpace();
        if (text.charAt(i) === (c === '{' ? '}' : ']')) {
          i++;
          state = 'after';
        } else {
          stack.push(c === '{' ? OBJECT : ARRAY);
          state = c === '{' ? 'key' : 'value';
        }
      } else if (c === '"') {
        const error = readString();
        if (error) return error;
        state = 'after';
      } else if (c === '-' || (c >= '0' && c <= '9')) {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return fail('a number is malformed');
        i = NUMBER.lastIndex;
        const next = text.charAt(i);
        if (next === '.' || next === 'e' || next === 'E' || (next >= '0' && next <= '9')) return fail('a number is malformed');
        state = 'after';
      } else {
        const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
        if (literal === undefined) return fail(`expected a value but found ${found()}`);
        i += literal.length;
        state = 'after';
      }
    } else if (state === 'key') {
      if (text.charAt(i) !== '"') return fail(`expected a property name in double quotes but found ${found()}`);
      const error = readString();
      if (error) return error;
      skipSpace();
      if (text.charAt(i) !== ':') return fail(`expected ":" after a property name but found ${found()}`);
      i++;
      state = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? fail(`unexpected ${found()} after the end of the value`) : null;
      const c = text.charAt(i);
      const close = top === OBJECT ? '}' : ']';
      if (c === ',') {
        i++;
        state = top === OBJECT ? 'key' : 'value';
      } else if (c === close) {
        i++;
        stack.pop();
      } else {
        return fail(`expected "," or "${close}" after ${top === OBJECT ? 'a property value' : 'an array element'} but found ${found()}`);
      }
    }
  }
}
