import Database from 'better-sqlite3';
import { canSee, type Actor } from '@app/domain';
import { scopeCondition } from './read-scope';

/** The SQL condition and the in-memory check come from one rule: for every actor they select the same rows. */
describe('read scope: SQL and canSee agree', () => {
  const rows = [
    { department: 'wangcheng-a', district: 'wangcheng' },
    { department: 'wangcheng-b', district: 'wangcheng' },
    { department: 'yuelu-a', district: 'yuelu' },
  ];
  const actors: Actor[] = [
    { id: 'c', role: 'DEPARTMENT', department: 'wangcheng-a' },
    { id: 'c0', role: 'DEPARTMENT' },
    { id: 's', role: 'SUPERVISOR', district: 'wangcheng' },
    { id: 's0', role: 'SUPERVISOR' },
    { id: 'a', role: 'AUDITOR', district: 'yuelu' },
    { id: 'g', role: 'ADMIN' },
    { id: 'd', role: 'ADMIN', district: 'yuelu' },
  ];
  const db = new Database(':memory:');
  db.exec('CREATE TABLE forms (department TEXT, district TEXT)');
  for (const row of rows) db.prepare('INSERT INTO forms VALUES (@department, @district)').run(row);
  afterAll(() => db.close());

  it.each(
    actors.map((actor) => [`${actor.role} ${actor.department ?? actor.district ?? '(global)'}`, actor]),
  )('%s', (_name, actor) => {
    const params: Record<string, unknown> = {};
    const where = scopeCondition(actor as Actor, { district: 'district', department: 'department' }, params);
    const selected = db
      .prepare(`SELECT department FROM forms WHERE ${where} ORDER BY department`)
      .all(params);
    expect(selected.map((row) => (row as { department: string }).department)).toEqual(
      rows.filter((row) => canSee(actor as Actor, row)).map((row) => row.department),
    );
    // District-wide read models (no department column): as canSee with department ''.
    const districtParams: Record<string, unknown> = {};
    const districtWhere = scopeCondition(actor as Actor, { district: 'district' }, districtParams);
    const districts = db
      .prepare(`SELECT DISTINCT district FROM forms WHERE ${districtWhere} ORDER BY district`)
      .all(districtParams);
    expect(districts.map((row) => (row as { district: string }).district)).toEqual(
      ['wangcheng', 'yuelu'].filter((district) => canSee(actor as Actor, { district, department: '' })),
    );
  });
});
