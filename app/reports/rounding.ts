/**
 * The largest-remainder method (used by statistics offices so that a table's rows add up to its
 * total): each value rounded down to whole units, then the units still missing to reach `target`
 * given one each to the values with the largest remainders (ties: the earlier value), or units in
 * excess taken back from the smallest remainders. A value moves by less than one unit from its own
 * rounding. Pure, no imports: the report metrics (hundredths of an hour) and the page (minutes)
 * share it.
 */
export function largestRemainder(exact: readonly number[], target: number): number[] {
  const units = exact.map((v) => Math.floor(v + 1e-6));
  let left = target - units.reduce((s, v) => s + v, 0);
  const order = exact.map((_, i) => i).sort((a, b) => exact[b] - units[b] - (exact[a] - units[a]) || a - b);
  for (let k = 0; left > 0 && k < order.length; k++, left--) units[order[k]]++;
  for (let k = order.length - 1; left < 0 && k >= 0; k--) {
    if (units[order[k]] > 0) {
      units[order[k]]--;
      left++;
    }
  }
  return units;
}
