/**
 * A seeded pseudo-random generator for the fuzzers: Math.random cannot be seeded, and a failing fuzz run is only
 * useful if the same seed replays the same requests. sfc32 (Chris Doty-Humphrey's Small Fast Counting generator):
 * 128 bits of state, passes PractRand, a few lines.
 */
import crypto from 'node:crypto';
import { z } from 'zod';

/** The environment variable that replays a run: `FEDREPORT_FUZZ_SEED=<seed printed by the failing run>`. */
export const FUZZ_SEED_ENV = 'FEDREPORT_FUZZ_SEED';

const seedSchema = z.coerce
  .number({ invalid_type_error: 'must be a number' })
  .int('must be an integer')
  .min(0, 'must be at least 0')
  .max(0xffffffff, 'must fit in 32 bits');

/** The seed named by FEDREPORT_FUZZ_SEED, or a fresh random one. */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[FUZZ_SEED_ENV]?.trim();
  if (!text) return crypto.randomInt(0, 0xffffffff);
  const result = seedSchema.safeParse(text);
  if (!result.success) throw new Error(`${FUZZ_SEED_ENV} ${result.error.issues[0]?.message ?? 'is invalid'}`);
  return result.data;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    // The recommended seeding: the seed in two words, a fixed constant, and a counter, then discard 12 outputs.
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i += 1) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** One of the entries, each as likely as its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  /** A version 4 GUID drawn from this generator, so encounter ids replay with the seed too. */
  uuid(): string {
    const hex = Array.from({ length: 4 }, () => this.nextUint32().toString(16).padStart(8, '0')).join('');
    const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** Lower-case letters: canaries and filler that cannot be mistaken for any field's real value. */
  letters(length: number): string {
    return Array.from({ length }, () => String.fromCharCode(97 + this.int(0, 25))).join('');
  }
}
