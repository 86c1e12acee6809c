import { checkDecimalText, dec, unsignedZero } from '../../decimal/decimal';

/**
 * Strict reading of untrusted input (interchange documents and command inputs). Every problem is
 * collected with its JSON path instead of throwing at the first one, so a clerk fixes a file in one go;
 * nothing is coerced silently (no truncation, no NaN, no exponent notation).
 */
export type InputProblemCode =
  | 'UNKNOWN_FIELD'
  | 'REQUIRED'
  | 'WRONG_TYPE'
  | 'INVALID_AMOUNT'
  | 'INVALID_DECIMAL'
  | 'OUT_OF_RANGE'
  | 'TEXT_TOO_LONG'
  | 'TOO_MANY_ROWS'
  | 'INVALID_VALUE'
  | 'DUPLICATE'
  | 'UNSUPPORTED_VERSION';

export interface InputProblem {
  code: InputProblemCode;
  path: string;
  message: string;
}

export const MAX_TEXT_LENGTH = 10_000;
export const MAX_ROWS = 500;
export const AMOUNT_PLACES = 4;
export const SCORE_PLACES = 2;

const DECIMAL_PROBLEM_TEXT = {
  MALFORMED: '不是有效的十进制数',
  TOO_MANY_DECIMALS: '小数位数过多',
  TOO_LARGE: '数值过大',
} as const;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export class InputReader {
  readonly problems: InputProblem[] = [];

  problem(code: InputProblemCode, path: string, message: string): void {
    this.problems.push({ code, path, message });
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  /** An object with exactly these keys allowed; unknown keys are reported, never dropped quietly. */
  record(
    value: unknown,
    path: string,
    required: readonly string[],
    optional: readonly string[] = [],
  ): Record<string, unknown> | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problem('WRONG_TYPE', path, `应为对象，实际为 ${describe(value)}`);
      return null;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!required.includes(key) && !optional.includes(key)) {
        this.problem('UNKNOWN_FIELD', `${path}.${key}`, `未知字段 ${key}`);
      }
    }
    for (const key of required) {
      if (record[key] === undefined) this.problem('REQUIRED', `${path}.${key}`, `缺少必填字段 ${key}`);
    }
    return record;
  }

  array(value: unknown, path: string, max = MAX_ROWS): unknown[] {
    if (!Array.isArray(value)) {
      this.problem('WRONG_TYPE', path, `应为数组，实际为 ${describe(value)}`);
      return [];
    }
    if (value.length > max) {
      this.problem('TOO_MANY_ROWS', path, `最多 ${max} 行，实际 ${value.length} 行`);
      return [];
    }
    return value;
  }

  text(
    value: unknown,
    path: string,
    options: { fallback?: string; max?: number; nonEmpty?: boolean } = {},
  ): string {
    if (value === undefined && options.fallback !== undefined) return options.fallback;
    if (typeof value !== 'string') {
      if (value !== undefined) this.problem('WRONG_TYPE', path, `应为字符串，实际为 ${describe(value)}`);
      return '';
    }
    const max = options.max ?? MAX_TEXT_LENGTH;
    const length = [...value].length;
    if (length > max) {
      this.problem('TEXT_TOO_LONG', path, `文本长度 ${length} 超过上限 ${max}`);
      return '';
    }
    if (options.nonEmpty && value.trim() === '') this.problem('REQUIRED', path, '不能为空');
    return value;
  }

  /** A decimal given as a string (preferred) or a JSON number; returns its plain text. */
  private decimalText(value: unknown, path: string, places: number, code: InputProblemCode): string | null {
    let text: string;
    if (typeof value === 'string') {
      text = value;
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        this.problem(code, path, '不是有限的数值');
        return null;
      }
      text = dec(value).toFixed();
    } else {
      this.problem('WRONG_TYPE', path, `应为十进制数字字符串，实际为 ${describe(value)}`);
      return null;
    }
    const problem = checkDecimalText(text, places);
    if (problem) {
      const limit = problem === 'TOO_MANY_DECIMALS' ? `（最多 ${places} 位小数）` : '';
      this.problem(code, path, `「${text.slice(0, 40)}」${DECIMAL_PROBLEM_TEXT[problem]}${limit}`);
      return null;
    }
    return unsignedZero(text);
  }

  /** Money: up to 4 decimals. Negative amounts pass here and are caught by validation (INVALID_AMOUNT). */
  amount(value: unknown, path: string): string | null {
    return this.decimalText(value, path, AMOUNT_PLACES, 'INVALID_AMOUNT');
  }

  /** Weights: 0 to 100 with up to 2 decimals. */
  weight(value: unknown, path: string): string | null {
    const text = this.decimalText(value, path, SCORE_PLACES, 'INVALID_DECIMAL');
    if (text !== null && (dec(text).isNegative() || dec(text).gt(100))) {
      this.problem('OUT_OF_RANGE', path, `分值 ${text} 应在 0 到 100 之间`);
      return null;
    }
    return text;
  }

  /** Scores: up to 2 decimals; absent, null or "" mean "not scored yet" (caught by SCORE_MISSING). */
  score(value: unknown, path: string): string | null {
    if (value === undefined || value === null || value === '') return null;
    return this.decimalText(value, path, SCORE_PLACES, 'INVALID_DECIMAL');
  }

  integer(value: unknown, path: string, min: number, max: number): number | null {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.problem('WRONG_TYPE', path, `应为整数，实际为 ${describe(value)}`);
      return null;
    }
    if (value < min || value > max) {
      this.problem('OUT_OF_RANGE', path, `${value} 应在 ${min} 到 ${max} 之间`);
      return null;
    }
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | null {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problem('INVALID_VALUE', path, `应为 ${allowed.join(' | ')} 之一`);
    return null;
  }
}
