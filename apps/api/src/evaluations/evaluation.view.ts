import {
  lineExecutionRatePercent,
  assessForm,
  dec,
  gradeOf,
  scoreForm,
  type ExistingEvaluationState,
  type FormAssessment,
  type ScoringPolicy,
} from '@app/domain';
import type { EvaluationView, IndicatorView, ScoreView, ValidationView } from './evaluation.types';

const date = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

/**
 * States are immutable and the state cache hands out the same object until the next event, so a view
 * is kept for as long as its state object lives.
 */
const views = new WeakMap<ExistingEvaluationState, EvaluationView>();

/**
 * An evaluation's state as the API shows it. Scores, suggestions and validation are computed on first
 * access and kept: a mutation answering `{ version }` does not pay for validating the whole form.
 */
export function evaluationView(state: ExistingEvaluationState, policy?: ScoringPolicy): EvaluationView {
  if (policy) return buildView(state, policy);
  let view = views.get(state);
  if (!view) {
    view = buildView(state);
    views.set(state, view);
  }
  return view;
}

function buildView(state: ExistingEvaluationState, policy?: ScoringPolicy): EvaluationView {
  const { form } = state;
  const approval = state.status === 'APPROVED' ? state.approval : null;
  let assessment: FormAssessment | undefined;
  const assess = () => (assessment ??= assessForm(form, policy));
  let score: ScoreView | undefined;
  let indicators: IndicatorView[] | undefined;
  let validation: ValidationView | undefined;

  return {
    id: state.id,
    version: state.version,
    state: state.status,
    year: form.year,
    department: form.department,
    district: form.district,
    independentAccountingUnits: form.independentAccountingUnits,
    funding: {
      unit: form.funding.unit,
      weight: form.funding.weight,
      get lines() {
        return form.funding.lines.map((line) => ({
          ...line,
          executionRatePercent: lineExecutionRatePercent(line),
        }));
      },
    },
    functions: form.functions,
    goals: form.goals,
    get indicators(): IndicatorView[] {
      return (indicators ??= form.indicators.map((row) => {
        const suggestion = assess().suggestions[row.id];
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
      }));
    },
    get score(): ScoreView {
      if (score) return score;
      // Scores alone need no validation pass.
      const computed = assessment?.score ?? scoreForm(form);
      const adjustedTotal = approval?.adjustedTotal ?? null;
      const finalTotal = adjustedTotal ?? computed.total;
      return (score = {
        executionRatePercent: computed.executionRatePercent,
        fundingScore: computed.fundingScore,
        indicatorTotal: computed.indicatorTotal,
        total: computed.total,
        grade: finalTotal === null ? null : gradeOf(dec(finalTotal)),
        adjustedTotal,
        finalTotal,
      });
    },
    get validation(): ValidationView {
      const { errors, warnings } = assess().validation;
      return (validation ??= {
        errors: errors.map((e) => ({ ...e, rowId: e.rowId ?? null })),
        warnings: warnings.map((w) => ({ ...w, rowId: w.rowId ?? null })),
      });
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
