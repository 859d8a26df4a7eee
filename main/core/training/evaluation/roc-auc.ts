/**
 * The area under the ROC curve: the chance that a random positive scores above a random
 * negative (ties count a half), computed from ranks (Mann–Whitney U) with tied scores given
 * their average rank, as scikit-learn's roc_auc_score computes it. Null when the rows hold only
 * positives or only negatives (there is no curve).
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end] as number] === scores[order[start] as number]) end++;
    const averageRank = (start + 1 + end) / 2; // ranks start..end-1, 1-based
    for (let k = start; k < end; k++) {
      if (positive[order[k] as number]) {
        positives++;
        rankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
