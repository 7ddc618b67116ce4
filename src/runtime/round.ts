/** Rounds to `digits` decimals: figures in results carry what their precision supports, no float noise. */
export function roundTo(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
