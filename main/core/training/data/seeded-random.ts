/**
 * A small, fast pseudo-random generator (SplitMix32 into Mulberry32) for everything training
 * draws outside TensorFlow.js: the split, the shuffle of each epoch, dropout masks' seeds. The
 * same seed gives the same numbers on every machine and backend.
 */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    // Mix the seed once so that seeds 1, 2, 3 start far apart.
    let z = (seed >>> 0) + 0x9e3779b9;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.#state = (z ^ (z >>> 16)) >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [0, 2³²). */
  nextUint32(): number {
    return Math.floor(this.next() * 4294967296);
  }

  /** Shuffle in place (Fisher–Yates). */
  shuffle<T extends { length: number; [index: number]: number }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const held = items[i] as number;
      items[i] = items[j] as number;
      items[j] = held;
    }
    return items;
  }
}
