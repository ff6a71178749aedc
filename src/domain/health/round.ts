/** Float noise (0.7 - 0.3 = 0.39999…) would otherwise leak into scores and breakdowns. */
export const roundTo = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};
