import type { TableFormat } from '../../../../shared/contract/datasets.ts';
import { failure } from '../../errors.ts';

const EXTENSIONS: Record<string, TableFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  json: 'json',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
};

/** The table format a file name says it holds, by extension (any letter case). */
export function formatFromFileName(fileName: string): TableFormat {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  const format = Object.hasOwn(EXTENSIONS, extension) ? EXTENSIONS[extension] : undefined;
  if (format !== undefined) return format;
  const what = extension === '' ? 'has no file extension' : `is a .${extension} file`;
  throw failure('UNSUPPORTED_FORMAT', `Lathe imports .csv, .tsv, .json (an array of objects) and .jsonl/.ndjson files; "${base}" ${what}.`, {
    location: { file: fileName },
    hint: extension === 'xlsx' || extension === 'xls' ? 'Save the sheet as CSV UTF-8 from Excel and import that file.' : 'Save or export the table as CSV and import that file.',
  });
}
