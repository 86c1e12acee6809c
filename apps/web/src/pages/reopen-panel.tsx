import { useState } from 'react';
import { FORM_FIELDS } from '../forms';

/** A supervisor sends an approved form back to the department (a mistake found later), saying why. */
export function ReopenPanel({
  command,
}: {
  command: (mutation: string, variables?: Record<string, unknown>) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  return (
    <section className="review" aria-labelledby="reopen-heading">
      <h2 id="reopen-heading">重新打开（退回部门修改）</h2>
      <label className="field">
        <span>重新打开的理由（必填）</span>
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button
        type="button"
        disabled={reason.trim() === ''}
        onClick={() =>
          void command(
            `mutation($id: ID!, $v: Int!, $reason: String!) { reopenEvaluation(id: $id, expectedVersion: $v, reason: $reason) { ${FORM_FIELDS} } }`,
            { reason },
          )
        }
      >
        重新打开
      </button>
    </section>
  );
}
