/**
 * docs/targets.md: targets are parsed after NFKC, which folds full-width digits, letters, ％, ～, ＝ and the like.
 * A few comparison signs have no compatibility decomposition and are mapped by hand.
 */
const EXTRA_FOLDS: Array<[RegExp, string]> = [
  [/≧/g, '≥'],
  [/≦/g, '≤'],
  [/[═]/g, '='],
  [/>=/g, '≥'],
  [/<=/g, '≤'],
  [/[〜～—–－]/g, '~'],
  [/[，、]/g, ','],
];

export function normalizeText(text: string): string {
  let out = text.normalize('NFKC');
  for (const [pattern, replacement] of EXTRA_FOLDS) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, '');
}
