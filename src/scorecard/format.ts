/**
 * How numbers read in every message, table and summary: one scale, points on
 * 0-100. A measured score or delta has one decimal (`88.5`); a threshold the
 * rubric sets on its 0-1 scale is said in points with the rubric's own value
 * beside it (`82 points (min_score 0.82)`), so a reader can find it in
 * rubric.yaml. Cost says which models have no price instead of printing `$0`.
 */
/**
 * A measured score or delta in points, one decimal.
 *
 * @example
 * formatPoints(88.46) // '88.5'
 */
export function formatPoints(points: number): string {
  return points.toFixed(1);
}

/**
 * A threshold set on the rubric's 0-1 scale, in points, with the rubric key and value beside it.
 *
 * @example
 * formatThreshold(0.82, 'min_score') // '82 points (min_score 0.82)'
 */
export function formatThreshold(score: number, key: string): string {
  return `${Number((score * 100).toFixed(1))} points (${key} ${score})`;
}

/** What cost is rendered from: a case's usage or the run's. */
export interface CostLike {
  cost_usd: number;
  /** Models called for real that have no price: their calls' cost is unknown, not zero. */
  unpriced?: readonly string[] | undefined;
}

/**
 * The money a run (or a case) spent, naming the models without a price.
 *
 * @example
 * formatCost({ cost_usd: 0.003 })                                       // '$0.0030'
 * formatCost({ cost_usd: 0, unpriced: ['openai-compatible:my-model'] })
 * // 'unpriced (openai-compatible:my-model has no price: add it under prices: in rubric.yaml)'
 */
export function formatCost(usage: CostLike): string {
  const unpriced = usage.unpriced ?? [];
  const dollars = `$${usage.cost_usd.toFixed(4)}`;
  if (unpriced.length === 0) return dollars;
  const one = unpriced.length === 1;
  const names = one ? unpriced[0]! : `${unpriced.slice(0, -1).join(', ')} and ${unpriced.at(-1)!}`;
  const why = `${names} ${one ? 'has' : 'have'} no price: add ${one ? 'it' : 'them'} under prices: in rubric.yaml`;
  return usage.cost_usd > 0 ? `${dollars} plus unpriced calls (${why})` : `unpriced (${why})`;
}
