import { assessForm, type ExistingEvaluationState, type ScoringPolicy } from '@app/evaluation';
import { gradeOf, dec } from '@app/evaluation';
import type { Evaluation } from './evaluation.types';

const date = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

/**
 * States are immutable and the state cache hands out the same object until the next event, so the
 * computed view (scores, suggestions, validation) is kept for as long as its state object lives.
 */
const views = new WeakMap<ExistingEvaluationState, Evaluation>();

/** An evaluation's state as the API shows it: the form, its scores, suggestions and validation. */
export function evaluationView(state: ExistingEvaluationState, policy?: ScoringPolicy): Evaluation {
  if (policy) return buildView(state, policy);
  let view = views.get(state);
  if (!view) {
    view = buildView(state);
    views.set(state, view);
  }
  return view;
}

function buildView(state: ExistingEvaluationState, policy?: ScoringPolicy): Evaluation {
  const { form } = state;
  const { score, suggestions, validation } = assessForm(form, policy);
  const approval = state.status === 'APPROVED' ? state.approval : null;
  const adjustedTotal = approval?.adjustedTotal ?? null;
  const finalTotal = adjustedTotal ?? score.total;
  return {
    id: state.id,
    version: state.version,
    state: state.status,
    year: form.year,
    department: form.department,
    district: form.district,
    independentAccountingUnits: form.independentAccountingUnits,
    funding: form.funding,
    functions: form.functions,
    goals: form.goals,
    indicators: form.indicators.map((row) => {
      const suggestion = suggestions[row.id];
      return {
        ...row,
        suggestion: {
          score: suggestion.score,
          path: suggestion.path,
          derivation: suggestion.derivation,
          targetForm: suggestion.target.form,
          bandMin: suggestion.band?.min ?? null,
          bandMax: suggestion.band?.max ?? null,
        },
      };
    }),
    score: {
      executionRatePercent: score.executionRatePercent,
      fundingScore: score.fundingScore,
      indicatorTotal: score.indicatorTotal,
      total: score.total,
      grade: finalTotal === null ? null : gradeOf(dec(finalTotal)),
      adjustedTotal,
      finalTotal,
    },
    validation: {
      errors: validation.errors.map((e) => ({ ...e, rowId: e.rowId ?? null })),
      warnings: validation.warnings.map((w) => ({ ...w, rowId: w.rowId ?? null })),
    },
    declared: form.declared
      ? {
          executionRate: form.declared.executionRate ?? null,
          fundingScore: form.declared.fundingScore ?? null,
          totalScore: form.declared.totalScore ?? null,
        }
      : null,
    review: {
      returnComment: state.lastReturn?.comment ?? null,
      returnedAt: date(state.lastReturn?.returnedAt),
      approvedAt: date(approval?.approvedAt),
      approvedBy: approval?.by ?? null,
      approvalComment: approval?.comment ?? null,
      adjustmentReason: approval?.adjustmentReason ?? null,
    },
    createdAt: new Date(state.createdAt),
    submittedAt: date(state.lastSubmittedAt),
  };
}
