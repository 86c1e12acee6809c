import type { QualitativeLevel } from '../form/form';

/** A band of a row's weight, in percent, inclusive at both ends. */
export interface Band {
  minPercent: string;
  maxPercent: string;
}

/**
 * District policy for scoring. The qualitative bands default to the Ministry of Finance's
 * (完成 80–100%, 部分完成 60–80%, 未完成 0–60%); a district may set its own.
 */
export interface ScoringPolicy {
  qualitativeBands: Record<QualitativeLevel, Band>;
  /** an at-least target exceeded by more than this ratio raises OVER_ACHIEVEMENT */
  overAchievementRatio: string;
  /** execution below this rate raises EXECUTION_BELOW_90 */
  executionWarningRate: string;
}

export const DEFAULT_SCORING_POLICY: ScoringPolicy = {
  qualitativeBands: {
    ACHIEVED: { minPercent: '80', maxPercent: '100' },
    PARTLY_ACHIEVED: { minPercent: '60', maxPercent: '80' },
    NOT_ACHIEVED: { minPercent: '0', maxPercent: '60' },
  },
  overAchievementRatio: '1.2',
  executionWarningRate: '0.9',
};
