/**
 * A command line typed in the "Run a script" dialog, split into the words the program gets, as a
 * POSIX shell splits them — but nothing else a shell does: the command then runs without one, so
 * no $VARS, globs, pipes or redirections. Spaces separate words; '…' keeps everything literally;
 * "…" keeps everything but lets \" \\ \$ \` be escaped; a backslash outside quotes escapes the
 * next character. A pipe, redirection or `;`/`&` outside quotes is refused with what to write
 * instead, rather than passed to the program as an argument it will not expect.
 */
export type CommandWords = { ok: true; words: string[] } | { ok: false; problem: string };

const OPERATORS = new Set(['|', '&', ';', '<', '>']);

export function splitCommandLine(line: string): CommandWords {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { ok: false, problem: `The quote ' at character ${i + 1} is not closed.` };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) j++;
        word += line[j];
      }
      if (j >= line.length) return { ok: false, problem: `The quote " at character ${i + 1} is not closed.` };
      inWord = true;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return { ok: false, problem: 'The line ends with a lone backslash.' };
      word += line[++i];
      inWord = true;
    } else if (OPERATORS.has(c)) {
      return {
        ok: false,
        problem: `“${c}” at character ${i + 1} needs a shell, and the command runs without one. Quote it to pass it as an argument, or run a shell: sh -c '…'.`,
      };
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) return { ok: false, problem: 'Type the command to run, like python train.py --lr 0.01.' };
  return { ok: true, words };
}
