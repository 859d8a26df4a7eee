import { z } from 'zod';

/**
 * Text a person typed (a commit message) or a client named (an uploaded file's name) ends up in
 * git commits, manifests and terminals. NUL makes a commit that `git fsck` rejects and that
 * `git clone` with fsckObjects refuses; escape sequences repaint a terminal; bidi overrides make
 * text read differently from what it is. Such characters are refused where text enters, with
 * their position, rather than silently changed.
 */
// C0 controls, DEL, C1 controls, and the Unicode bidi embedding/override/isolate characters.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_IN_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// The same, but a line break (LF, CRLF) and a tab are fine in a message.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

/** Where the first unsafe character is, or null: "U+0000 at character 6". */
export function unsafeCharacter(text: string, allowLineBreaks: boolean): string | null {
  const match = (allowLineBreaks ? UNSAFE_IN_TEXT : UNSAFE_IN_ONE_LINE).exec(text);
  if (!match) return null;
  const code = match[0].codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} at character ${match.index + 1}`;
}

/** The text without them (line breaks kept when allowed, CRLF made LF): for text Lathe makes itself. */
export function withoutUnsafeCharacters(text: string, allowLineBreaks: boolean): string {
  const pattern = new RegExp((allowLineBreaks ? UNSAFE_IN_TEXT : UNSAFE_IN_ONE_LINE).source, 'g');
  return (allowLineBreaks ? text.replace(/\r\n/g, '\n') : text).replace(pattern, '');
}

function checked(schema: z.ZodString, allowLineBreaks: boolean, what: string) {
  return schema.superRefine((text, context) => {
    const found = unsafeCharacter(text, allowLineBreaks);
    if (found) {
      context.addIssue({
        code: 'custom',
        message: `${what} contains a control or text-direction character (${found}); remove it`,
      });
    }
  });
}

/** One line: a file name, a title. */
export const oneLineText = (max: number, what: string) => checked(z.string().max(max), false, what);
/** Several lines allowed: a message, a description. */
export const multiLineText = (max: number, what: string) => checked(z.string().max(max), true, what);
