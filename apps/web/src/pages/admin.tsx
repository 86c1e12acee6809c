import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, graphql } from '../api';
import { defaultYear } from '../session';
import { explainRefusal } from '../text';

interface Department {
  code: string;
  name: string;
  district: { code: string; name: string };
}

/** Districts, departments and the yearly cycles, and the way to the job queues. */
export function AdminPage() {
  const [districts, setDistricts] = useState<Array<{ code: string; name: string }>>([]);
  const [departments, setDepartments] = useState<Department[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const load = useCallback(
    () =>
      graphql<{ districts: Array<{ code: string; name: string }>; departments: Department[] }>(
        '{ districts { code name } departments { code name district { code name } } }',
      )
        .then((data) => {
          setDistricts(data.districts);
          setDepartments(data.departments);
        })
        .catch((error: ApiError) =>
          setMessage({ ok: false, text: explainRefusal(error.code, error.message) }),
        ),
    [],
  );
  useEffect(() => void load(), [load]);

  /** Runs a mutation from a form's fields; says what happened in words. */
  const submit =
    (mutation: string, done: string, toVariables: (data: FormData) => Record<string, unknown>) =>
    async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const formElement = event.currentTarget;
      try {
        await graphql(mutation, toVariables(new FormData(formElement)));
        setMessage({ ok: true, text: done });
        formElement.reset();
        void load();
      } catch (error) {
        const e = error as ApiError;
        setMessage({ ok: false, text: explainRefusal(e.code, e.message) });
      }
    };
  const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
  /** "2022-03-31T23:59" typed in Beijing time, as the instant the API wants. */
  const beijing = (local: string) => `${local}:00+08:00`;

  /** A cycle as both cycle forms ask for it: district, year and deadline (typed in Beijing time). */
  const cycleOf = (data: FormData) => ({
    districtCode: text(data, 'districtCode'),
    year: Number(text(data, 'year')),
    deadline: beijing(text(data, 'deadline')),
  });

  const districtSelect = (
    <select name="districtCode" required>
      {districts.map((d) => (
        <option key={d.code} value={d.code}>
          {d.name}
        </option>
      ))}
    </select>
  );

  const cycleFields = (deadlineLabel: string) => (
    <>
      <label>区划 {districtSelect}</label>
      <label>
        年度 <input name="year" type="number" defaultValue={defaultYear()} required />
      </label>
      <label>
        {deadlineLabel} <input name="deadline" type="datetime-local" required />
      </label>
    </>
  );

  return (
    <section className="admin">
      <h1>系统管理</h1>
      <p role="status" aria-live="polite" className={message?.ok ? 'ok' : 'alert'}>
        {message?.text}
      </p>
      <p>
        <a href="/admin/queues/">后台任务队列（提醒、报告）</a>
      </p>

      <section aria-labelledby="districts-heading" className="panel">
        <h2 id="districts-heading">区划（{districts.length}）</h2>
        <ul className="columns">
          {districts.map((d) => (
            <li key={d.code}>
              {d.name} <code>{d.code}</code>
            </li>
          ))}
        </ul>
        <form
          onSubmit={submit(
            'mutation($i: RegisterDistrictInput!) { registerDistrict(input: $i) { code } }',
            '区划已登记',
            (data) => ({ i: { code: text(data, 'code'), name: text(data, 'name') } }),
          )}
        >
          <label>
            代码 <input name="code" required pattern="[a-z0-9-]+" />
          </label>
          <label>
            名称 <input name="name" required />
          </label>
          <button type="submit">登记区划</button>
        </form>
      </section>

      <section aria-labelledby="departments-heading" className="panel">
        <h2 id="departments-heading">部门（{departments.length}）</h2>
        <ul className="columns">
          {departments.map((d) => (
            <li key={d.code}>
              {d.name} <code>{d.code}</code> <small>{d.district.name}</small>
            </li>
          ))}
        </ul>
        <form
          onSubmit={submit(
            'mutation($i: RegisterDepartmentInput!) { registerDepartment(input: $i) { code } }',
            '部门已登记',
            (data) => ({
              i: {
                code: text(data, 'code'),
                name: text(data, 'name'),
                districtCode: text(data, 'districtCode'),
              },
            }),
          )}
        >
          <label>所属区划 {districtSelect}</label>
          <label>
            代码 <input name="code" required pattern="[a-z0-9-]+" />
          </label>
          <label>
            名称 <input name="name" required />
          </label>
          <button type="submit">登记部门</button>
        </form>
      </section>

      <section aria-labelledby="cycles-heading" className="panel">
        <h2 id="cycles-heading">填报周期</h2>
        <form
          onSubmit={submit(
            'mutation($i: OpenCycleInput!) { openCycle(input: $i) { id } }',
            '填报周期已开启，各部门将收到截止提醒',
            (data) => ({ i: cycleOf(data) }),
          )}
        >
          {cycleFields('截止时间（北京时间）')}
          <button type="submit">开启周期</button>
        </form>
        <form
          onSubmit={submit(
            'mutation($districtCode: String!, $year: Int!, $deadline: String!) { moveCycleDeadline(districtCode: $districtCode, year: $year, deadline: $deadline) { id } }',
            '截止时间已调整，尚未发出的提醒已按新时间重新安排',
            cycleOf,
          )}
        >
          {cycleFields('新截止时间（北京时间）')}
          <button type="submit">调整截止时间</button>
        </form>
      </section>
    </section>
  );
}
