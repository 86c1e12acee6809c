import { graphql } from './api';
import { FORM_FIELDS, type FieldChange, type Form } from './forms';

/**
 * A form's unsaved edits, keyed by the path the audit history uses for the same field ("functions",
 * "goals.planned", "funding.lines[f1].executed", "indicators[r3].actual"): a conflict's changes then name
 * exactly the edits they clash with.
 */
export type Drafts = Map<string, string>;

const LINE = /^funding\.lines\[([^\]]+)\]\.(\w+)$/;
const ROW = /^indicators\[([^\]]+)\]\.(\w+)$/;
/** Fields a clerk may empty: the API takes null for "no value". */
const NULLABLE = new Set(['score', 'initialBudget', 'polarity', 'qualitativeLevel']);

/** The value a form holds at a draft's path (what the input shows when there is no draft). */
export function valueAt(form: Form, path: string): string {
  if (path === 'functions') return form.functions;
  if (path === 'goals.planned') return form.goals.planned;
  if (path === 'goals.achieved') return form.goals.achieved;
  if (path === 'funding.weight') return form.funding.weight;
  if (path === 'independentAccountingUnits') return String(form.independentAccountingUnits);
  let m = LINE.exec(path);
  if (m) {
    const line = form.funding.lines.find((l) => l.id === m![1]);
    return String((line as unknown as Record<string, unknown> | undefined)?.[m[2]] ?? '');
  }
  m = ROW.exec(path);
  if (m) {
    const row = form.indicators.find((r) => r.id === m![1]);
    return String((row as unknown as Record<string, unknown> | undefined)?.[m[2]] ?? '');
  }
  return '';
}

/** Drafts grouped into the commands that save them: one per row, one per funding line, one for the text. */
export function saveGroups(drafts: Drafts): Array<{ target: string; fields: Record<string, string> }> {
  const groups = new Map<string, Record<string, string>>();
  for (const [path, value] of drafts) {
    const m = LINE.exec(path) ?? ROW.exec(path);
    const target = m
      ? path.slice(0, path.lastIndexOf('.'))
      : path === 'funding.weight'
        ? 'funding'
        : 'narrative';
    const fields = groups.get(target) ?? {};
    fields[m ? m[2] : path] = value;
    groups.set(target, fields);
  }
  return [...groups].map(([target, fields]) => ({ target, fields }));
}

/** Saves one group on the given version; the form as it now is, or the API's refusal thrown. */
export async function saveGroup(
  form: Form,
  group: { target: string; fields: Record<string, string> },
): Promise<Form> {
  const input: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(group.fields))
    input[field] = value === '' && NULLABLE.has(field) ? null : value;
  const base = { id: form.id, v: form.version };
  if (group.target === 'funding')
    return (
      await graphql<{ updateFunding: Form }>(
        `mutation($id: ID!, $v: Int!, $input: UpdateFundingInput!) { updateFunding(id: $id, expectedVersion: $v, input: $input) { ${FORM_FIELDS} } }`,
        { ...base, input: { weight: input['funding.weight'] } },
      )
    ).updateFunding;
  if (group.target === 'narrative') {
    const goals: Record<string, string> = {};
    if ('goals.planned' in input) goals.planned = input['goals.planned'] as string;
    if ('goals.achieved' in input) goals.achieved = input['goals.achieved'] as string;
    const units = input.independentAccountingUnits;
    const narrative = {
      ...('functions' in input ? { functions: input.functions } : {}),
      // An Int in the API: what is not a whole number goes as typed and is refused with its reason.
      ...(units !== undefined
        ? { independentAccountingUnits: /^\d+$/.test(String(units)) ? Number(units) : units }
        : {}),
      ...(Object.keys(goals).length > 0 ? { goals } : {}),
    };
    return (
      await graphql<{ updateNarrative: Form }>(
        `mutation($id: ID!, $v: Int!, $input: UpdateNarrativeInput!) { updateNarrative(id: $id, expectedVersion: $v, input: $input) { ${FORM_FIELDS} } }`,
        { ...base, input: narrative },
      )
    ).updateNarrative;
  }
  const line = /^funding\.lines\[([^\]]+)\]$/.exec(group.target);
  if (line)
    return (
      await graphql<{ changeFundingLine: Form }>(
        `mutation($id: ID!, $v: Int!, $line: ID!, $input: FundingLineChangesInput!) { changeFundingLine(id: $id, expectedVersion: $v, lineId: $line, input: $input) { ${FORM_FIELDS} } }`,
        { ...base, line: line[1], input },
      )
    ).changeFundingLine;
  const row = /^indicators\[([^\]]+)\]$/.exec(group.target)!;
  return (
    await graphql<{ updateIndicator: Form }>(
      `mutation($id: ID!, $v: Int!, $row: ID!, $input: IndicatorInput!) { updateIndicator(id: $id, expectedVersion: $v, rowId: $row, input: $input) { ${FORM_FIELDS} } }`,
      { ...base, row: row[1], input },
    )
  ).updateIndicator;
}

const LINE_FIELDS = ['source', 'budget', 'executed', 'upperTransfer', 'initialBudget'] as const;
const ROW_FIELDS = [
  'level1',
  'level2',
  'level3',
  'content',
  'target',
  'actual',
  'weight',
  'score',
  'polarity',
  'qualitativeLevel',
  'shortfallReason',
  'improvement',
] as const;

/**
 * What changed between two versions of a form as this page shows it, with the audit history's paths: how
 * a clerk (who may not read the audit history) sees what another editor did. Values are compared as
 * the text the API sent, never as numbers.
 */
export function formChanges(before: Form, after: Form): FieldChange[] {
  const changes: FieldChange[] = [];
  const compare = (path: string, a: unknown, b: unknown) => {
    const [x, y] = [a ?? null, b ?? null].map((v) => (v === null ? null : String(v)));
    if (x !== y) changes.push({ path, before: x, after: y });
  };
  compare('functions', before.functions, after.functions);
  compare('goals.planned', before.goals.planned, after.goals.planned);
  compare('goals.achieved', before.goals.achieved, after.goals.achieved);
  compare('funding.weight', before.funding.weight, after.funding.weight);
  compare('independentAccountingUnits', before.independentAccountingUnits, after.independentAccountingUnits);
  const rows = <T extends { id: string }>(
    prefix: string,
    a: readonly T[],
    b: readonly T[],
    fields: readonly (keyof T & string)[],
    name: (row: T) => string,
  ) => {
    for (const old of a) {
      const now = b.find((row) => row.id === old.id);
      if (!now) changes.push({ path: `${prefix}[${old.id}]`, before: name(old), after: null });
      else for (const field of fields) compare(`${prefix}[${old.id}].${field}`, old[field], now[field]);
    }
    for (const added of b.filter((row) => !a.some((old) => old.id === row.id)))
      changes.push({ path: `${prefix}[${added.id}]`, before: null, after: name(added) });
  };
  rows('funding.lines', before.funding.lines, after.funding.lines, LINE_FIELDS, (line) => line.source);
  rows('indicators', before.indicators, after.indicators, ROW_FIELDS, (row) => row.level3 || row.content);
  return changes;
}
