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
} from '@app/evaluation';
import { EVALUATION_STREAM_PREFIX, evaluationIdOfStream, toDomainEvent } from '../evaluation-stream';
import { DashboardTally, dashboardTableSchema, type DashboardContribution } from './district-dashboard';

const CACHE_LIMIT = 20_000;

/** Hundredths as an integer, for sorting by a decimal column without floats. */
const hundredths = (value: string | null) => (value === null ? null : dec(value).times(100).toNumber());

/**
 * Evaluation summaries for lists, filters and sorting, and the district dashboards built from them.
 * Keeps each form's folded state too, so a batch only touches the forms it concerns.
 */
export class EvaluationSummariesProjection implements Projection {
  readonly name = 'evaluation-summaries';
  // 2: dashboards kept incrementally (total_sum), summaries indexed by final total for the median.
  // 3: a dashboard's updated_at is the time of the last event that changed it, not the wall clock.
  readonly version = 3;
  readonly tables = ['evaluation_states', 'evaluation_summaries', 'district_dashboards'];
  readonly streamPrefixes = [EVALUATION_STREAM_PREFIX];
  private readonly cache = new Map<string, Evaluation>();

  schema(t: TableName): string {
    return `
      CREATE TABLE ${t('evaluation_states')} (
        evaluation_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        state TEXT NOT NULL
      );
      CREATE TABLE ${t('evaluation_summaries')} (
        evaluation_id TEXT PRIMARY KEY,
        year INTEGER NOT NULL,
        department_code TEXT NOT NULL,
        department_name TEXT NOT NULL,
        district_code TEXT NOT NULL,
        district_name TEXT NOT NULL,
        state TEXT NOT NULL,
        version INTEGER NOT NULL,
        execution_rate_percent TEXT,
        funding_score TEXT,
        indicator_total TEXT NOT NULL,
        total TEXT,
        total_hundredths INTEGER,
        grade TEXT,
        adjusted_total TEXT,
        final_total TEXT,
        final_total_hundredths INTEGER,
        rate_hundredths INTEGER,
        budget TEXT NOT NULL,
        executed TEXT NOT NULL,
        upper_transfer TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        first_submitted_at TEXT,
        last_submitted_at TEXT,
        approved_at TEXT
      );
      CREATE INDEX ${t('evaluation_summaries')}_by_district ON ${t('evaluation_summaries')} (district_code, year, state);
      CREATE INDEX ${t('evaluation_summaries')}_by_department ON ${t('evaluation_summaries')} (department_code, year);
      CREATE INDEX ${t('evaluation_summaries')}_by_final_total
        ON ${t('evaluation_summaries')} (district_code, year, final_total_hundredths);
      ${dashboardTableSchema(t)}`;
  }

  reset(): void {
    this.cache.clear();
  }

  private load(db: SqliteDatabase, t: TableName, evaluationId: string): Evaluation {
    const cached = this.cache.get(evaluationId);
    if (cached) return cached;
    const row = prepared<[string], { state: string }>(
      db,
      `SELECT state FROM ${t('evaluation_states')} WHERE evaluation_id = ?`,
    ).get(evaluationId);
    return row ? (JSON.parse(row.state) as Evaluation) : initialEvaluation();
  }

  applyBatch(db: SqliteDatabase, t: TableName, events: readonly StoredEvent[]): void {
    const touched = new Map<
      string,
      { state: Evaluation; updatedAt: string; firstSubmittedAt: string | null }
    >();
    for (const stored of events) {
      const id = evaluationIdOfStream(stored.streamId);
      const entry = touched.get(id) ?? { state: this.load(db, t, id), updatedAt: '', firstSubmittedAt: null };
      const event = toDomainEvent(stored);
      entry.state = evolve(entry.state, event);
      entry.updatedAt = stored.metadata.occurredAt;
      if (event.type === 'EvaluationSubmitted') entry.firstSubmittedAt ??= event.data.submittedAt;
      // Re-inserted, so the forms are visited below in the order of their last event in the log.
      touched.delete(id);
      touched.set(id, entry);
      this.cache.set(id, entry.state);
    }
    if (this.cache.size > CACHE_LIMIT) this.cache.clear();

    const saveState = prepared(
      db,
      `INSERT INTO ${t('evaluation_states')} (evaluation_id, version, state) VALUES (?, ?, ?)
       ON CONFLICT (evaluation_id) DO UPDATE SET version = excluded.version, state = excluded.state`,
    );
    const saveSummary = prepared(
      db,
      `INSERT INTO ${t('evaluation_summaries')} VALUES (
         @evaluation_id, @year, @department_code, @department_name, @district_code, @district_name, @state, @version,
         @execution_rate_percent, @funding_score, @indicator_total, @total, @total_hundredths, @grade, @adjusted_total,
         @final_total, @final_total_hundredths, @rate_hundredths, @budget, @executed, @upper_transfer, @created_at,
         @updated_at, @first_submitted_at, @last_submitted_at, @approved_at)
       ON CONFLICT (evaluation_id) DO UPDATE SET state = excluded.state, version = excluded.version,
         department_name = excluded.department_name, district_name = excluded.district_name,
         execution_rate_percent = excluded.execution_rate_percent, funding_score = excluded.funding_score,
         indicator_total = excluded.indicator_total, total = excluded.total, total_hundredths = excluded.total_hundredths,
         grade = excluded.grade, adjusted_total = excluded.adjusted_total, final_total = excluded.final_total,
         final_total_hundredths = excluded.final_total_hundredths, rate_hundredths = excluded.rate_hundredths,
         budget = excluded.budget, executed = excluded.executed, upper_transfer = excluded.upper_transfer,
         updated_at = excluded.updated_at,
         first_submitted_at = COALESCE(first_submitted_at, excluded.first_submitted_at),
         last_submitted_at = excluded.last_submitted_at, approved_at = excluded.approved_at`,
    );
    const previous = prepared<[string], DashboardContribution>(
      db,
      `SELECT district_code, year, state, final_total, grade, budget, executed, upper_transfer
       FROM ${t('evaluation_summaries')} WHERE evaluation_id = ?`,
    );
    const dashboards = new DashboardTally(db, t);
    for (const [id, { state, updatedAt, firstSubmittedAt }] of touched) {
      if (state.status === 'NONE') continue;
      const before = previous.get(id);
      const row = summaryRow(id, state, updatedAt, firstSubmittedAt);
      saveState.run(id, state.version, JSON.stringify(state));
      saveSummary.run(row);
      dashboards.change(before, row, updatedAt);
    }
    dashboards.save();
  }
}

function summaryRow(
  id: string,
  state: ExistingEvaluationState,
  updatedAt: string,
  firstSubmittedAt: string | null,
) {
  const { form } = state;
  const score = scoreForm(form);
  const adjusted = state.status === 'APPROVED' ? state.approval.adjustedTotal : null;
  const finalTotal = adjusted ?? score.total;
  const totals = fundingTotalsInWan(form.funding);
  return {
    evaluation_id: id,
    year: form.year,
    department_code: form.department.code,
    department_name: form.department.name,
    district_code: form.district.code,
    district_name: form.district.name,
    state: state.status,
    version: state.version,
    execution_rate_percent: score.executionRatePercent,
    funding_score: score.fundingScore,
    indicator_total: score.indicatorTotal,
    total: score.total,
    total_hundredths: hundredths(score.total),
    grade: finalTotal === null ? null : gradeOf(dec(finalTotal)),
    adjusted_total: adjusted,
    final_total: finalTotal,
    final_total_hundredths: hundredths(finalTotal),
    rate_hundredths: hundredths(score.executionRatePercent),
    budget: totals.budget.toFixed(),
    executed: totals.executed.toFixed(),
    upper_transfer: totals.upperTransfer.toFixed(),
    created_at: state.createdAt,
    updated_at: updatedAt,
    first_submitted_at: firstSubmittedAt,
    last_submitted_at: state.lastSubmittedAt,
    approved_at: state.status === 'APPROVED' ? state.approval.approvedAt : null,
  };
}
