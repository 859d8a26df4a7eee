/** A size limit in binary units, exact where it can be: "64 MiB", "4 GiB", "1.5 KiB", "12 bytes". */
export function formatByteLimit(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : +value.toFixed(1)} ${units[unit]}`;
}
