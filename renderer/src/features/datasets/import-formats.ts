/** The file types the import understands; the file choosers offer only these. */
export const ACCEPTED_FILES = '.csv,.tsv,.tab,.json,.jsonl,.ndjson';
