/**
 * The CPU-bound program of the sandbox bench: a sieve of Eratosthenes and the longest Collatz
 * chain below `n / 20` — tight loops, array access and a hot function, no I/O. The host isolate
 * calls it as compiled; the sandbox and QuickJS run its source text (`programSource`).
 */
export function cpuBound(n: number): number {
  const composite = new Uint8Array(n + 1);
  let primes = 0;
  for (let i = 2; i <= n; i++) {
    if (composite[i] === 0) {
      primes++;
      for (let j = i * i; j <= n; j += i) composite[j] = 1;
    }
  }
  function collatz(x: number): number {
    let steps = 0;
    while (x !== 1) {
      x = x % 2 === 0 ? x / 2 : 3 * x + 1;
      steps++;
    }
    return steps;
  }
  let longest = 0;
  for (let i = 1; i < n / 20; i++) longest = Math.max(longest, collatz(i));
  return primes * 1000 + longest;
}

/** An async function body that runs `cpuBound(n)` and returns its checksum. */
export function programSource(n: number): string {
  return `${cpuBound.toString()}\nreturn cpuBound(${n});`;
}
