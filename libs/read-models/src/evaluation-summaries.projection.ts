import {
  prepared,
  type Projection,
  type SqliteDatabase,
  type StoredEvent,
  type TableName,
} from '@app/event-store';
import {
  dec,
  evolve,
  fundingTotalsInWan,
  gradeOf,
  initialEvaluation,
  scoreForm,
  type Evaluation,
  type ExistingEvaluationState,
} from '@app/domain';
import { EVALUATION_STREAM_PREFIX, evaluationIdOfStream, toDomainEvent } from '@app/application';
import {
  DashboardMemory,
  DashboardTally,
  dashboardTableSchema,
  hundredths,
  type DashboardContribution,
} from './district-dashboard';

/**
 * Folded forms kept between batches, least recently used dropped first. A form's state weighs ≈ 34 KB of
 * heap, so 2,000 hold ≈ 70 MB: the forms being worked on, while a rebuild over a province's 20,000 forms
 * stays within its memory (20,000 kept would be ≈ 680 MB). A form not kept is read back from
 * evaluation_states.
 */
const KEPT_FORMS = 2_000;
/**
 * A snapshot of a form every this many versions: the form at any version is then at most this many
 * events from a stored state (a 10,000-event history at version 9,999 folds 499 events, not 9,999).
 * Forms of ordinary length (tens of versions) get none.
 */
export const SNAPSHOT_EVERY = 500;

/**
 * Evaluation summaries for lists, filters and sorting, and the district dashboards built from them.
 * Keeps each form's folded state too, so a batch only touches the forms it concerns.
 */
export class EvaluationSummariesProjection implements Projection {
  readonly name = 'evaluation-summaries';
  // 2: dashboards kept incrementally (total_sum), summaries indexed by final total for the median.
  // 3: a dashboard's updated_at is the time of the last event that changed it, not the wall clock.
  // 4: summaries keep only the columns something reads (names, scores and dates are in the state).
  // 5: a snapshot of each form every SNAPSHOT_EVERY versions (evaluation_snapshots).
  readonly version = 5;
  readonly tables = [
    'evaluation_states',
    'evaluation_summaries',
    'district_dashboards',
    'evaluation_snapshots',
  ];
  readonly streamPrefixes = [EVALUATION_STREAM_PREFIX];
  private readonly cache = new Map<string, Evaluation>();
  private readonly dashboardMemory = new DashboardMemory();
  private readonly keptForms: number;

  constructor(options: { keptForms?: number } = {}) {
    this.keptForms = options.keptForms ?? KEPT_FORMS;
  }

  schema(t: TableName): string {
    return `
      CREATE TABLE ${t('evaluation_states')} (
        evaluation_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        state TEXT NOT NULL
      );
      -- What the evaluations list filters, scopes and sorts by, and what a form adds to its dashboard.
      -- The form itself (names, scores, review, dates) is read from evaluation_states.
      CREATE TABLE ${t('evaluation_summaries')} (
        evaluation_id TEXT PRIMARY KEY,
        year INTEGER NOT NULL,
        department_code TEXT NOT NULL,
        district_code TEXT NOT NULL,
        state TEXT NOT NULL,
        -- the form's version and self-assessed total: not used by the API; the crash tests
        -- (test/faults) check through them that the read model equals a fresh fold after a kill
        version INTEGER NOT NULL,
        total TEXT,
        grade TEXT,
        final_total TEXT,
        final_total_hundredths INTEGER,
        rate_hundredths INTEGER,
        budget TEXT NOT NULL,
        executed TEXT NOT NULL,
        upper_transfer TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX ${t('evaluation_summaries')}_by_district ON ${t('evaluation_summaries')} (district_code, year, state);
      CREATE INDEX ${t('evaluation_summaries')}_by_department ON ${t('evaluation_summaries')} (department_code, year);
      CREATE INDEX ${t('evaluation_summaries')}_by_final_total
        ON ${t('evaluation_summaries')} (district_code, year, final_total_hundredths);
      -- The form after 'version' events, every SNAPSHOT_EVERY versions: where a fold to a past version starts.
      CREATE TABLE ${t('evaluation_snapshots')} (
        evaluation_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (evaluation_id, version)
      ) WITHOUT ROWID;
      ${dashboardTableSchema(t)}`;
  }

  reset(): void {
    this.cache.clear();
    this.dashboardMemory.clear();
  }

  private load(db: SqliteDatabase, t: TableName, evaluationId: string): Evaluation {
    const cached = this.cache.get(evaluationId);
    if (cached) {
      // Moved to the end: the Map's order is the order of use, oldest first.
      this.cache.delete(evaluationId);
      this.cache.set(evaluationId, cached);
      return cached;
    }
    const row = prepared<[string], { state: string }>(
      db,
      `SELECT state FROM ${t('evaluation_states')} WHERE evaluation_id = ?`,
    ).get(evaluationId);
    return row ? (JSON.parse(row.state) as Evaluation) : initialEvaluation();
  }

  applyBatch(db: SqliteDatabase, t: TableName, events: readonly StoredEvent[]): void {
    const touched = new Map<string, { state: Evaluation; updatedAt: string }>();
    const saveSnapshot = prepared(
      db,
      `INSERT OR REPLACE INTO ${t('evaluation_snapshots')} (evaluation_id, version, state) VALUES (?, ?, ?)`,
    );
    for (const stored of events) {
      const id = evaluationIdOfStream(stored.streamId);
      const entry = touched.get(id) ?? { state: this.load(db, t, id), updatedAt: '' };
      entry.state = evolve(entry.state, toDomainEvent(stored));
      if (entry.state.status !== 'NONE' && entry.state.version % SNAPSHOT_EVERY === 0)
        saveSnapshot.run(id, entry.state.version, JSON.stringify(entry.state));
      entry.updatedAt = stored.metadata.occurredAt;
      // Re-inserted, so the forms are visited below in the order of their last event in the log.
      touched.delete(id);
      touched.set(id, entry);
      this.cache.set(id, entry.state);
    }
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= this.keptForms) break;
      this.cache.delete(oldest);
    }

    const saveState = prepared(
      db,
      `INSERT INTO ${t('evaluation_states')} (evaluation_id, version, state) VALUES (?, ?, ?)
       ON CONFLICT (evaluation_id) DO UPDATE SET version = excluded.version, state = excluded.state`,
    );
    const saveSummary = prepared(
      db,
      `INSERT INTO ${t('evaluation_summaries')} VALUES (
         @evaluation_id, @year, @department_code, @district_code, @state, @version, @total, @grade, @final_total,
         @final_total_hundredths, @rate_hundredths, @budget, @executed, @upper_transfer, @updated_at)
       ON CONFLICT (evaluation_id) DO UPDATE SET state = excluded.state, version = excluded.version,
         total = excluded.total, grade = excluded.grade, final_total = excluded.final_total,
         final_total_hundredths = excluded.final_total_hundredths, rate_hundredths = excluded.rate_hundredths,
         budget = excluded.budget, executed = excluded.executed, upper_transfer = excluded.upper_transfer,
         updated_at = excluded.updated_at`,
    );
    const previous = prepared<[string], DashboardContribution>(
      db,
      `SELECT district_code, year, state, final_total, grade, budget, executed, upper_transfer
       FROM ${t('evaluation_summaries')} WHERE evaluation_id = ?`,
    );
    const dashboards = new DashboardTally(db, t, this.dashboardMemory);
    for (const [id, { state, updatedAt }] of touched) {
      if (state.status === 'NONE') continue;
      const before = previous.get(id);
      const row = summaryRow(id, state, updatedAt);
      // Counted before the summary is written: the dashboard may read the district's totals from the table.
      dashboards.change(before, row, updatedAt);
      saveState.run(id, state.version, JSON.stringify(state));
      saveSummary.run(row);
    }
    dashboards.save();
  }
}

function summaryRow(id: string, state: ExistingEvaluationState, updatedAt: string) {
  const { form } = state;
  const score = scoreForm(form);
  const adjusted = state.status === 'APPROVED' ? state.approval.adjustedTotal : null;
  const finalTotal = adjusted ?? score.total;
  const totals = fundingTotalsInWan(form.funding);
  return {
    evaluation_id: id,
    year: form.year,
    department_code: form.department.code,
    district_code: form.district.code,
    state: state.status,
    version: state.version,
    total: score.total,
    grade: finalTotal === null ? null : gradeOf(dec(finalTotal)),
    final_total: finalTotal,
    final_total_hundredths: hundredths(finalTotal),
    rate_hundredths: hundredths(score.executionRatePercent),
    budget: totals.budget.toFixed(),
    executed: totals.executed.toFixed(),
    upper_transfer: totals.upperTransfer.toFixed(),
    updated_at: updatedAt,
  };
}
