/** A fraction as a whole percentage for people to read: 0.7 -> "70%", 0.875 -> "88%". */
export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
