import { useState } from 'react';
import { FORM_FIELDS, type Form } from '../forms';

/** A supervisor's review: return with a comment, or approve, optionally with an adjusted total and why. */
export function ReviewPanel({
  form,
  command,
}: {
  form: Form;
  command: (mutation: string, variables?: Record<string, unknown>) => Promise<void>;
}) {
  const [comment, setComment] = useState('');
  const [adjusted, setAdjusted] = useState('');
  const [reason, setReason] = useState('');
  return (
    <section className="review" aria-labelledby="review-heading">
      <h2 id="review-heading">审核</h2>
      <label className="field">
        <span>审核意见（退回时必填）</span>
        <textarea value={comment} rows={3} onChange={(e) => setComment(e.target.value)} />
      </label>
      <button
        type="button"
        disabled={comment.trim() === ''}
        onClick={() =>
          void command(
            `mutation($id: ID!, $v: Int!, $comment: String!) { returnEvaluation(id: $id, expectedVersion: $v, comment: $comment) { ${FORM_FIELDS} } }`,
            { comment },
          )
        }
      >
        退回修改
      </button>
      <fieldset>
        <legend>审核通过</legend>
        <label className="field">
          <span>复核得分（与自评总分 {form.score.total ?? '—'} 不同时填写）</span>
          <input value={adjusted} inputMode="decimal" onChange={(e) => setAdjusted(e.target.value)} />
        </label>
        <label className="field">
          <span>调整理由（填写复核得分时必填）</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <button
          type="button"
          className="primary"
          disabled={adjusted.trim() !== '' && reason.trim() === ''}
          onClick={() =>
            void command(
              `mutation($id: ID!, $v: Int!, $adjusted: Decimal, $reason: String, $comment: String) { approveEvaluation(id: $id, expectedVersion: $v, adjustedTotal: $adjusted, adjustmentReason: $reason, comment: $comment) { ${FORM_FIELDS} } }`,
              {
                adjusted: adjusted.trim() || null,
                reason: reason.trim() || null,
                comment: comment.trim() || null,
              },
            )
          }
        >
          审核通过
        </button>
      </fieldset>
    </section>
  );
}
