import { describe, expect, it } from 'vitest';
import { byteByByte, bytesOf, scan, scanError } from './scan-test-helpers.ts';

const rowsOf = (text: string, options = {}) => scan(text, { format: 'csv', ...options }).preview.rows;

describe('CSV: what it accepts', () => {
  it('reads a header and rows, with or without a final newline', () => {
    const withNewline = scan('a,b\n1,x\n2,y\n');
    const without = scan('a,b\n1,x\n2,y');
    expect(withNewline.columns).toEqual(['a', 'b']);
    expect(withNewline.rows).toBe(2);
    expect(withNewline.preview.rows).toEqual([
      ['1', 'x'],
      ['2', 'y'],
    ]);
    expect(without.preview).toEqual(withNewline.preview);
    expect(without.parse.lineEnding).toBe('lf');
  });

  it('accepts CRLF line endings and reports them, and says when they are mixed', () => {
    const crlf = scan('a,b\r\n1,2\r\n3,4\r\n');
    expect(crlf.preview.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(crlf.parse.lineEnding).toBe('crlf');
    expect(scan('a,b\r\n1,2\n3,4\n').parse.lineEnding).toBe('mixed');
    expect(scan('a\n1').parse.lineEnding).toBe('lf');
  });

  it('strips a leading byte order mark and says it was there', () => {
    const result = scan('\uFEFFid,name\n1,x\n');
    expect(result.columns).toEqual(['id', 'name']);
    expect(result.parse.bom).toBe(true);
    expect(scan('id\n1\n').parse.bom).toBe(false);
  });

  it('reads quoted fields holding delimiters, escaped quotes and newlines (RFC 4180)', () => {
    const result = scan('name,note\n"Smith, J.","said ""hi""\nthen left"\nplain,"" \n'.replace('"" \n', '""\n'));
    expect(result.preview.rows).toEqual([
      ['Smith, J.', 'said "hi"\nthen left'],
      ['plain', null],
    ]);
    expect(result.rows).toBe(2);
  });

  it('keeps CRLF inside a quoted field as data', () => {
    expect(rowsOf('a,b\r\n"x\r\ny",2\r\n')).toEqual([['x\r\ny', '2']]);
  });

  it('treats a quote inside an unquoted field as an ordinary character, like Python csv', () => {
    expect(rowsOf('size,label\n5" pipe,a"b"c\n')).toEqual([['5" pipe', 'a"b"c']]);
  });

  it('treats a lone CR inside a field as data', () => {
    expect(rowsOf('a,b\nx\ry,2\n')).toEqual([['x\ry', '2']]);
  });

  it('skips blank lines, as pandas does; a one-column table writes an empty value as ""', () => {
    expect(rowsOf('a,b\n\n1,2\r\n\r\n3,4\n\n')).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(rowsOf('only\nx\n""\ny\n')).toEqual([['x'], [null], ['y']]);
  });

  it('reads TSV with tabs as delimiters and the same quoting rules', () => {
    const result = scan('a\tb\n1\t"x\ty"\n2\t"say ""no"""\n', { format: 'tsv' });
    expect(result.columns).toEqual(['a', 'b']);
    expect(result.preview.rows).toEqual([
      ['1', 'x\ty'],
      ['2', 'say "no"'],
    ]);
    expect(scan('a,b\tc\n1,2\t3\n', { format: 'tsv' }).columns).toEqual(['a,b', 'c']);
  });

  it('reads quoted header names', () => {
    expect(scan('"first, name","x"\n1,2\n').columns).toEqual(['first, name', 'x']);
  });

  it('gives the same result when every byte arrives in its own chunk', () => {
    const text = '\uFEFFname,note,n\r\n"Zoë ""Z""","a,\r\nb",1\r\n日本,"",2\nx"y,z,3';
    expect(scan(byteByByte(bytesOf(text)))).toEqual(scan(text));
  });
});

describe('CSV: what it rejects, and where', () => {
  it('an empty file', () => {
    for (const text of ['', '\uFEFF', '\n\n', '\r\n']) {
      const error = scanError(text);
      expect(error.code).toBe('PARSE_ERROR');
      expect(error.message).toBe('data.csv is empty: there is no header row and no data.');
      expect(error.location).toEqual({ file: 'data.csv' });
    }
  });

  it('a header with no data rows', () => {
    const error = scanError('a,b,c\n');
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('data.csv has a header row but no data rows.');
    expect(error.location).toEqual({ file: 'data.csv', line: 1 });
    expect(scanError('a,b,c').message).toContain('no data rows');
  });

  it('a column without a name', () => {
    const error = scanError('id,,name\n1,2,3\n');
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('Column 2 of the header of data.csv has no name.');
    expect(error.location).toEqual({ file: 'data.csv', line: 1, column: 4 });
    const trailing = scanError('id,name,\n1,2,3\n');
    expect(trailing.message).toBe('Column 3 of the header of data.csv has no name.');
    expect(trailing.hint).toContain('delimiter at the end');
  });

  it('two columns with the same name, naming both positions', () => {
    const error = scanError('id,name,id\n1,2,3\n');
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('Columns 1 and 3 of the header of data.csv are both named "id".');
    expect(error.location).toEqual({ file: 'data.csv', line: 1, column: 9, field: 'id' });
  });

  it('a row with more fields than the header', () => {
    const error = scanError('a,b,c,d,e\n1,2,3,4,5\n1,2,3,4,5,6,7\n');
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('Line 3 of data.csv has 7 fields; the header has 5 (field 6 starts at column 11).');
    expect(error.location).toEqual({ file: 'data.csv', line: 3, column: 11, row: 1 });
    expect(error.hint).toContain('comma must be in double quotes');
  });

  it('a row with more fields than the header, in a row with quotes', () => {
    const error = scanError('a,b\n"x",2,3\n');
    expect(error.message).toBe('Line 2 of data.csv has more than 2 fields; the header has 2 (field 3 starts at line 2, column 7).');
    expect(error.location).toEqual({ file: 'data.csv', line: 2, column: 7, row: 0 });
  });

  it('a row with fewer fields than the header', () => {
    const error = scanError('a,b,c,d,e\n1,2,3,4,5\n1,2,3,4\n');
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('Line 3 of data.csv has 4 fields; the header has 5 (field 5 ("e") is missing).');
    expect(error.location).toEqual({ file: 'data.csv', line: 3, column: 8, row: 1, field: 'e' });
    const multiline = scanError('a,b,c\n"x\ny",2\n');
    expect(multiline.message).toBe('The row on lines 2–3 of data.csv has 2 fields; the header has 3 (field 3 ("c") is missing).');
    expect(multiline.location).toEqual({ file: 'data.csv', line: 3, column: 5, row: 0, field: 'c' });
  });

  it('a quote that is never closed, pointing at where it opened', () => {
    const error = scanError('a,b\n1,2\n3,"open\nmore\n');
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('data.csv ends inside a quoted value: the quote that opens field 2 ("b") at line 3, column 3 is never closed.');
    expect(error.location).toEqual({ file: 'data.csv', line: 3, column: 3, row: 1, field: 'b' });
  });

  it('text after a closing quote', () => {
    const error = scanError('a,b\n1,"x"y\n');
    expect(error.code).toBe('PARSE_ERROR');
    expect(error.message).toBe('Line 2 of data.csv, field 2 ("b"): there is text after the closing quote, at column 6; a quoted value must be followed by a comma or the end of the line.');
    expect(error.location).toEqual({ file: 'data.csv', line: 2, column: 6, row: 0, field: 'b' });
  });

  it('counts columns in characters, not bytes', () => {
    const error = scanError('a,b\nÄÖ,"日本"x\n');
    expect(error.location).toMatchObject({ line: 2, column: 8 });
  });

  it('reports the same error whatever the chunking', () => {
    const text = 'a,b\n1,2\n"x\ny",3\n4,"5"6\n';
    const whole = scanError(text);
    expect(scanError(byteByByte(bytesOf(text)))).toEqual(whole);
    expect(whole.location).toEqual({ file: 'data.csv', line: 5, column: 6, row: 2, field: 'b' });
  });
});
