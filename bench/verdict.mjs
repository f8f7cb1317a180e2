/**
 * A measured value as printed beside its budget: with as many decimals as it takes (from `digits`,
 * up to 4) for the printed figure to fall on the same side of the bound as the value itself. A
 * ratio of 0.8986 against a budget of 0.90 reads "0.899", not "0.90", beside its "misses".
 */
export function beside(value, bound, digits = 2) {
  if (value === null || value === undefined) return '—';
  const side = Math.sign(value - bound);
  for (let d = digits; d < 4; d += 1) {
    const shown = value.toFixed(d);
    if (Math.sign(Number(shown) - bound) === side) return shown;
  }
  return value.toFixed(4);
}
