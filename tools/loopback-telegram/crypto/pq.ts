/** The proof-of-work the server asks of a client: a product of two random 31-bit primes. */
import { randomInt } from 'node:crypto';

function isPrime32(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

function randomPrime31(): number {
  for (;;) {
    const n = randomInt(2 ** 30, 2 ** 31) | 1;
    if (isPrime32(n)) return n;
  }
}

export interface PqChallenge {
  pq: bigint;
  p: bigint;
  q: bigint;
}

export function generatePq(): PqChallenge {
  let a = randomPrime31();
  let b = randomPrime31();
  while (a === b) b = randomPrime31();
  if (a > b) [a, b] = [b, a];
  return { p: BigInt(a), q: BigInt(b), pq: BigInt(a) * BigInt(b) };
}
