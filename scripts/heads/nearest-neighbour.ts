// Does a feature space group pictures of one thing together? For each image that shows it, is its
// nearest other image (cosine distance on standardised features) one that shows it too? A linear head
// needs at least that much structure to learn from a few examples; a count near chance says the
// features do not carry the tag. Pure, for scripts/heads/probe-features.ts.

export interface NeighbourHits {
  /** Images with the tag whose nearest other image also has it. */
  hits: number;
  /** Images with the tag. */
  positives: number;
  /** Hits expected if the nearest neighbour were drawn at random: positives * (positives - 1) / (n - 1). */
  chance: number;
}

/** Each column shifted to mean 0 and scaled to unit spread (a constant column becomes 0). */
export function standardiseColumns(rows: readonly (readonly number[])[]): number[][] {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const mean = new Float64Array(d);
  const spread = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (row[j] ?? 0) / n;
  for (const row of rows) for (let j = 0; j < d; j++) spread[j] = (spread[j] as number) + ((row[j] ?? 0) - (mean[j] as number)) ** 2 / n;
  return rows.map((row) =>
    Array.from({ length: d }, (_, j) => {
      const sd = Math.sqrt(spread[j] as number);
      return sd === 0 ? 0 : ((row[j] ?? 0) - (mean[j] as number)) / sd;
    }),
  );
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let j = 0; j < a.length; j++) {
    const x = a[j] as number;
    const y = b[j] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? -1 : dot / Math.sqrt(na * nb);
}

/**
 * Nearest-neighbour hits of the rows labelled true. Rows and labels must be aligned; needs two rows of
 * finite numbers. A tie goes to the earlier row, and a row that is all zeros after standardising is
 * equally far from every other (its neighbour is the first): at the sizes probed neither matters.
 */
export function nearestNeighbourHits(rows: readonly (readonly number[])[], labels: readonly boolean[]): NeighbourHits {
  if (rows.length !== labels.length) throw new Error(`${rows.length} rows but ${labels.length} labels`);
  if (rows.length < 2) throw new Error('need at least two rows');
  const bad = rows.findIndex((row) => row.some((v) => !Number.isFinite(v)));
  if (bad >= 0) throw new Error(`row ${bad} has a value that is not a finite number`);
  const z = standardiseColumns(rows);
  const positives = labels.filter(Boolean).length;
  let hits = 0;
  z.forEach((row, i) => {
    if (!labels[i]) return;
    let best = -1;
    let bestSimilarity = Number.NEGATIVE_INFINITY;
    z.forEach((other, j) => {
      if (j === i) return;
      const similarity = cosine(row, other);
      if (similarity > bestSimilarity) {
        bestSimilarity = similarity;
        best = j;
      }
    });
    if (labels[best]) hits++;
  });
  return { hits, positives, chance: positives === 0 ? 0 : (positives * (positives - 1)) / (rows.length - 1) };
}
