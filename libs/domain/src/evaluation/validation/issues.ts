/** docs/validation.md: stable machine codes. Errors block submission; warnings never do. */
export const ERROR_CODES = [
  'WEIGHTS_NOT_100',
  'SCORE_MISSING',
  'SCORE_OUT_OF_RANGE',
  'SHORTFALL_REASON_MISSING',
  'ACTUAL_MISSING',
  'FUNDING_BUDGET_MISSING',
  'INVALID_AMOUNT',
] as const;
export type ValidationErrorCode = (typeof ERROR_CODES)[number];

export const WARNING_CODES = [
  'SCORE_DIFFERS_FROM_SUGGESTION',
  'OVER_ACHIEVEMENT',
  'OVER_EXECUTION',
  'EXECUTION_BELOW_90',
  'NONSTANDARD_WEIGHT_SPLIT',
  'ACTUAL_LOOKS_LIKE_TARGET',
  'UNIT_MISMATCH',
  'QUALITATIVE_SCORE_OUTSIDE_BAND',
  'DECLARED_TOTAL_MISMATCH',
  'DECLARED_FUNDING_SCORE_MISMATCH',
  'DECLARED_RATE_MISMATCH',
] as const;
export type ValidationWarningCode = (typeof WARNING_CODES)[number];

export interface ValidationIssue<C extends string = ValidationErrorCode | ValidationWarningCode> {
  code: C;
  /** names the row or figure, in Chinese, for the department and the reviewer */
  message: string;
  /** path of the field in the form, e.g. "indicators[3].score" or "funding.lines[0].budget" */
  path: string;
  /** the indicator row or funding line concerned, when there is one */
  rowId?: string;
}

export interface ValidationResult {
  errors: ValidationIssue<ValidationErrorCode>[];
  warnings: ValidationIssue<ValidationWarningCode>[];
}
