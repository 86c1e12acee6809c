import { prepared, type SqliteDatabase, type TableName } from '@app/event-store';
import { HUNDRED, ZERO, dec, fixed, type Decimal, type Grade } from '@app/domain';

/** What one form adds to its district's dashboard: its summary row, as far as the dashboard cares. */
export interface DashboardContribution {
  district_code: string;
  year: number;
  state: string;
  final_total: string | null;
  grade: Grade | null;
  budget: string;
  executed: string;
  upper_transfer: string;
}

/** A row of the district_dashboards read model, as the API reads it. */
export interface DashboardRow {
  district_code: string;
  year: number;
  evaluations: number;
  draft: number;
  submitted: number;
  returned: number;
  approved: number;
  scored: number;
  /** Σ final totals, exact: the average is computed from it */
  total_sum: string;
  average_total: string | null;
  median_total: string | null;
  excellent: number;
  good: number;
  fair: number;
  poor: number;
  budget: string;
  executed: string;
  upper_transfer: string;
  execution_rate_percent: string | null;
  /** when the last event that changed it occurred (events' time, never the clock: a rebuild gives the same) */
  updated_at: string;
}

type Counter = 'draft' | 'submitted' | 'returned' | 'approved' | 'excellent' | 'good' | 'fair' | 'poor';

export const dashboardTableSchema = (t: TableName) => `
  CREATE TABLE ${t('district_dashboards')} (
    district_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    evaluations INTEGER NOT NULL,
    draft INTEGER NOT NULL,
    submitted INTEGER NOT NULL,
    returned INTEGER NOT NULL,
    approved INTEGER NOT NULL,
    scored INTEGER NOT NULL,
    total_sum TEXT NOT NULL,
    average_total TEXT,
    median_total TEXT,
    excellent INTEGER NOT NULL,
    good INTEGER NOT NULL,
    fair INTEGER NOT NULL,
    poor INTEGER NOT NULL,
    budget TEXT NOT NULL,
    executed TEXT NOT NULL,
    upper_transfer TEXT NOT NULL,
    execution_rate_percent TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (district_code, year)
  );`;

const add = (sum: string, value: string, sign: 1 | -1): string =>
  dec(sum)
    .plus(sign === 1 ? dec(value) : dec(value).neg())
    .toFixed();

/** Hundredths as an integer, for sorting by a decimal column without floats (totals have two decimals). */
export const hundredths = (value: string | null) =>
  value === null ? null : dec(value).times(100).toNumber();

/**
 * What the dashboards keep between batches, for one generation of the tables: each dashboard row as last
 * written, and each district-year's scored final totals in order (hundredths), so a median is read off
 * an array instead of skipping half a district's summaries in an index on every edit (1,000 entries in a
 * district of 2,000 forms). Filled from the tables when first needed; forgotten with the projection's
 * memory (after a rollback, for a new generation).
 */
export class DashboardMemory {
  private tables = '';
  readonly rows = new Map<string, DashboardRow>();
  readonly totals = new Map<string, number[]>();

  /** Starts afresh when the tables written are another generation's. */
  of(t: TableName): this {
    const tables = t('district_dashboards');
    if (tables !== this.tables) {
      this.clear();
      this.tables = tables;
    }
    return this;
  }

  clear(): void {
    this.rows.clear();
    this.totals.clear();
  }
}

/** The index of the first element of a sorted array not below `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * District dashboards kept incrementally: each changed form takes out what it counted before and adds
 * what it counts now, so an edit costs the same in a district of 20 forms or of 2,000. Sums stay exact
 * decimals; the median comes from the district's totals kept in order (DashboardMemory). A form's change
 * is counted before its summary is written: totals read from the table must not include it yet.
 */
export class DashboardTally {
  private readonly memory: DashboardMemory;
  /** the dashboards this batch changed, by key */
  private readonly changed = new Set<string>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly t: TableName,
    memory: DashboardMemory,
  ) {
    this.memory = memory.of(t);
  }

  /**
   * One form's summary moved from `before` (absent: new form) to `after` by events whose last occurred at
   * `occurredAt`. Called in the log order of those last events, so a dashboard ends up with the time of
   * the latest event that touched it, whatever the batch boundaries were.
   */
  change(before: DashboardContribution | undefined, after: DashboardContribution, occurredAt: string): void {
    if (before) this.count(before, -1).updated_at = occurredAt;
    this.count(after, 1).updated_at = occurredAt;
  }

  private row(key: string, district: string, year: number): DashboardRow {
    let row = this.memory.rows.get(key);
    if (!row) {
      row =
        (prepared(
          this.db,
          `SELECT * FROM ${this.t('district_dashboards')} WHERE district_code = ? AND year = ?`,
        ).get(district, year) as DashboardRow | undefined) ?? emptyRow(district, year);
      this.memory.rows.set(key, row);
    }
    return row;
  }

  /** The district-year's scored totals in order, read from the summaries when first needed. */
  private totals(key: string, district: string, year: number): number[] {
    let totals = this.memory.totals.get(key);
    if (!totals) {
      totals = prepared<[string, number], number>(
        this.db,
        `SELECT final_total_hundredths FROM ${this.t('evaluation_summaries')}
           WHERE district_code = ? AND year = ? AND final_total_hundredths IS NOT NULL
           ORDER BY final_total_hundredths`,
      )
        .pluck()
        .all(district, year);
      this.memory.totals.set(key, totals);
    }
    return totals;
  }

  private count(c: DashboardContribution, sign: 1 | -1): DashboardRow {
    const key = `${c.district_code}\u0000${c.year}`;
    const row = this.row(key, c.district_code, c.year);
    this.changed.add(key);
    const total = hundredths(c.final_total);
    if (total !== null) {
      const totals = this.totals(key, c.district_code, c.year);
      const at = lowerBound(totals, total);
      if (sign === 1) totals.splice(at, 0, total);
      else if (totals[at] === total) totals.splice(at, 1);
      // The summary says it counted a total the kept ones lack: memory and tables disagree. Thrown, the
      // batch rolls back and the projection starts again from what the tables hold.
      else
        throw new Error(`dashboard ${c.district_code} ${c.year}: no kept total ${c.final_total} to take out`);
    }
    row.evaluations += sign;
    const state = c.state.toLowerCase() as Counter;
    if (state in row) row[state] += sign;
    if (c.grade) row[c.grade.toLowerCase() as Counter] += sign;
    if (c.final_total !== null) {
      row.scored += sign;
      row.total_sum = add(row.total_sum, c.final_total, sign);
    }
    row.budget = add(row.budget, c.budget, sign);
    row.executed = add(row.executed, c.executed, sign);
    row.upper_transfer = add(row.upper_transfer, c.upper_transfer, sign);
    return row;
  }

  /** Writes every dashboard this batch changed, with its average, median and rate. */
  save(): void {
    const write = prepared(
      this.db,
      `INSERT OR REPLACE INTO ${this.t('district_dashboards')} VALUES (
         @district_code, @year, @evaluations, @draft, @submitted, @returned, @approved, @scored, @total_sum,
         @average_total, @median_total, @excellent, @good, @fair, @poor, @budget, @executed, @upper_transfer,
         @execution_rate_percent, @updated_at)`,
    );
    for (const key of this.changed) {
      const row = this.memory.rows.get(key)!;
      const totals = row.scored === 0 ? [] : this.totals(key, row.district_code, row.year);
      if (totals.length !== row.scored)
        throw new Error(
          `dashboard ${row.district_code} ${row.year}: ${row.scored} scored forms, ${totals.length} totals kept`,
        );
      const budget = dec(row.budget);
      row.average_total = row.scored === 0 ? null : fixed(dec(row.total_sum).div(row.scored));
      row.median_total = this.median(totals);
      row.execution_rate_percent = budget.isZero()
        ? null
        : fixed(dec(row.executed).minus(dec(row.upper_transfer)).div(budget).times(HUNDRED));
      write.run(row);
    }
    this.changed.clear();
  }

  private median(totals: readonly number[]): string | null {
    if (totals.length === 0) return null;
    const half = totals.length >>> 1;
    const middle = totals.length % 2 === 1 ? [totals[half]] : [totals[half - 1], totals[half]];
    const sum: Decimal = middle.reduce((acc, h) => acc.plus(h), ZERO);
    return fixed(sum.div(middle.length).div(HUNDRED));
  }
}

function emptyRow(district: string, year: number): DashboardRow {
  return {
    district_code: district,
    year,
    evaluations: 0,
    draft: 0,
    submitted: 0,
    returned: 0,
    approved: 0,
    scored: 0,
    total_sum: '0',
    average_total: null,
    median_total: null,
    excellent: 0,
    good: 0,
    fair: 0,
    poor: 0,
    budget: '0',
    executed: '0',
    upper_transfer: '0',
    execution_rate_percent: null,
    updated_at: '',
  };
}
