/** Durations as operators write them in REMINDER_OFFSETS and OVERDUE_AFTER: 6s, 15m, 2h, 3d. */
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export class InvalidDuration extends Error {}

export function parseDuration(text: string): number {
  const match = /^\s*(\d{1,6})\s*([smhd])\s*$/.exec(text);
  if (!match) throw new InvalidDuration(`"${text}" is not a duration such as 6s, 15m, 2h or 3d`);
  const value = Number.parseInt(match[1], 10) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (value === 0) throw new InvalidDuration(`"${text}" is zero`);
  return value;
}

/** "7d,3d,1d" → the offsets, longest first, each named as written ("7d"). */
export function parseOffsets(text: string): Array<{ name: string; ms: number }> {
  const offsets = text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => ({ name: part.trim(), ms: parseDuration(part) }));
  if (offsets.length === 0) throw new InvalidDuration('at least one reminder offset is needed');
  const names = new Set(offsets.map((o) => o.ms));
  if (names.size !== offsets.length) throw new InvalidDuration(`"${text}" names the same offset twice`);
  return offsets.sort((a, b) => b.ms - a.ms);
}
