// Shared measuring for the benchmarks: a full GC before each timed run, and medians.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

// A full collection before every timed run, so no run pays for the garbage of the one before.
v8.setFlagsFromString('--expose-gc');
export const collect = vm.runInNewContext('gc') as () => void;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
