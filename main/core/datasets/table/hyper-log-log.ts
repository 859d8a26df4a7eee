/**
 * HyperLogLog with 2^14 one-byte registers (16 KiB, standard error about 0.8%), fed with the
 * two 32-bit lanes of string-hash: the top 14 bits of the first lane pick the register and the
 * leading zeros of the second give the rank, so the estimate holds far beyond 2^32 values.
 */
const PRECISION = 14;
const REGISTERS = 1 << PRECISION;
const ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

export class HyperLogLog {
  private readonly registers: Uint8Array;

  constructor(registers = new Uint8Array(REGISTERS)) {
    this.registers = registers;
  }

  /** The registers, to send between threads (`new HyperLogLog(registers)` takes them back). */
  state(): Uint8Array {
    return this.registers.slice();
  }

  /** The union with another sketch: exactly the sketch of both streams. */
  merge(registers: Uint8Array): void {
    for (let i = 0; i < REGISTERS; i++) if ((registers[i] as number) > (this.registers[i] as number)) this.registers[i] = registers[i] as number;
  }

  add(low: number, high: number): void {
    const index = low >>> (32 - PRECISION);
    const rank = Math.clz32(high) + 1;
    if (rank > (this.registers[index] as number)) this.registers[index] = rank;
  }

  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < REGISTERS; i++) {
      const rank = this.registers[i] as number;
      sum += 2 ** -rank;
      if (rank === 0) zeros++;
    }
    const raw = (ALPHA * REGISTERS * REGISTERS) / sum;
    // Linear counting is more accurate while many registers are still empty.
    if (raw <= 2.5 * REGISTERS && zeros > 0) return Math.round(REGISTERS * Math.log(REGISTERS / zeros));
    return Math.round(raw);
  }
}
