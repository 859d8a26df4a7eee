import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitCommandLine } from './script-run-words.ts';

const words = (line: string) => {
  const split = splitCommandLine(line);
  return split.ok ? split.words : split.problem;
};

describe('a command line split into words, as a shell would (and nothing more)', () => {
  it('splits on runs of spaces and tabs', () => {
    expect(words('python  train.py\t--lr 0.01 ')).toEqual(['python', 'train.py', '--lr', '0.01']);
  });

  it('keeps quoted text whole and literal, joining quoted and bare parts of one word', () => {
    expect(words(`python -c 'print("a b")' --name "my run" x"y z"'w'`)).toEqual(['python', '-c', 'print("a b")', '--name', 'my run', 'xy zw']);
    expect(words(`echo '$HOME' "\\$HOME \\"q\\" \\\\ \\n" a\\ b`)).toEqual(['echo', '$HOME', '$HOME "q" \\ \\n', 'a b']);
    expect(words(`run '' ""`)).toEqual(['run', '', '']);
  });

  it('refuses what needs a shell, an open quote and an empty line, saying where', () => {
    expect(words('python train.py | tee log')).toMatch(/^“\|” at character 17 needs a shell/);
    expect(words('python train.py > out.txt')).toMatch(/^“>” at character 17 needs a shell/);
    expect(words('sleep 1; ls')).toMatch(/^“;” at character 8/);
    expect(words(`python -c 'oops`)).toBe("The quote ' at character 11 is not closed.");
    expect(words('say "hi')).toBe('The quote " at character 5 is not closed.');
    expect(words('trailing \\')).toBe('The line ends with a lone backslash.');
    expect(words('   ')).toMatch(/^Type the command to run/);
    expect(words(`sh -c 'a | b > c'`)).toEqual(['sh', '-c', 'a | b > c']);
  });

  it('gives back any words quoted as a shell would quote them', () => {
    const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 6 }), (given) => {
        expect(words(given.map(quote).join(' '))).toEqual(given);
      }),
    );
  });
});
