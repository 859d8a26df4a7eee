import { splitInlineCode } from '../lib/inline-code.ts';

/** Text with its `backticked` parts shown as code. */
export function InlineCodeText({ text }: { text: string }) {
  return (
    <>
      {splitInlineCode(text).map((part, index) => (part.code ? <code key={index}>{part.text}</code> : <span key={index}>{part.text}</span>))}
    </>
  );
}
