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

/**
 * District dashboards kept incrementally: each changed form takes out what it counted before and adds
 * what it counts now, so an edit costs the same in a district of 20 forms or of 2,000. Sums stay exact
 * decimals; the median is read from the summaries' integer hundredths through an index.
 */
export class DashboardTally {
  private readonly rows = new Map<string, DashboardRow>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly t: TableName,
  ) {}

  /**
   * One form's summary moved from `before` (absent: new form) to `after` by events whose last occurred at
   * `occurredAt`. Called in the log order of those last events, so a dashboard ends up with the time of
   * the latest event that touched it, whatever the batch boundaries were.
   */
  change(before: DashboardContribution | undefined, after: DashboardContribution, occurredAt: string): void {
    if (before) this.count(before, -1).updated_at = occurredAt;
    this.count(after, 1).updated_at = occurredAt;
  }

  private row(district: string, year: number): DashboardRow {
    const key = `${district}\u0000${year}`;
    let row = this.rows.get(key);
    if (!row) {
      row =
        (prepared(
          this.db,
          `SELECT * FROM ${this.t('district_dashboards')} WHERE district_code = ? AND year = ?`,
        ).get(district, year) as DashboardRow | undefined) ?? emptyRow(district, year);
      this.rows.set(key, row);
    }
    return row;
  }

  private count(c: DashboardContribution, sign: 1 | -1): DashboardRow {
    const row = this.row(c.district_code, c.year);
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
    for (const row of this.rows.values()) {
      const budget = dec(row.budget);
      row.average_total = row.scored === 0 ? null : fixed(dec(row.total_sum).div(row.scored));
      row.median_total = this.median(row);
      row.execution_rate_percent = budget.isZero()
        ? null
        : fixed(dec(row.executed).minus(dec(row.upper_transfer)).div(budget).times(HUNDRED));
      write.run(row);
    }
    this.rows.clear();
  }

  private median(row: DashboardRow): string | null {
    if (row.scored === 0) return null;
    const odd = row.scored % 2 === 1;
    const middle = prepared<[string, number, number, number], { h: number }>(
      this.db,
      `SELECT final_total_hundredths AS h FROM ${this.t('evaluation_summaries')}
         WHERE district_code = ? AND year = ? AND final_total_hundredths IS NOT NULL
         ORDER BY final_total_hundredths LIMIT ? OFFSET ?`,
    ).all(row.district_code, row.year, odd ? 1 : 2, odd ? (row.scored - 1) / 2 : row.scored / 2 - 1);
    const sum: Decimal = middle.reduce((acc, { h }) => acc.plus(h), ZERO);
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
