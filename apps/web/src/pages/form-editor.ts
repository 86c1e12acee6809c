import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { ApiError, graphql } from '../api';
import { FORM_FIELDS, type FieldChange, type Form } from '../forms';
import { formChanges, saveGroup, saveGroups } from '../form-edits';
import { useLiveChanges } from '../live';
import { onLeave } from '../router';
import { explainRefusal } from '../text';

/** How long typing pauses before the edit is saved (and the server's score and checks come back). */
const SAVE_AFTER_MS = 600;

export interface Conflict {
  /** what others changed since the version this page had (merged over several conflicts) */
  changes: FieldChange[];
  /** the unsaved edits of this page on the same fields: kept, waiting for the clerk to choose */
  clashing: string[];
}

export type SaveStatus = 'saved' | 'saving' | 'pending' | 'failed' | null;

/**
 * Edits held back (refused, or waiting for a choice against another editor's change) when their form
 * was left, by form id: restored when it is opened again in this tab, forgotten at sign-out (the next
 * user of the browser must not get them). Pending edits are not kept: they are sent on leaving.
 */
interface KeptEdits {
  drafts: Map<string, string>;
  held: Set<string>;
  fieldErrors: Map<string, string>;
  conflict: Conflict | null;
}
const keptEdits = new Map<string, KeptEdits>();
export const forgetKeptEdits = () => keptEdits.clear();

export const loadForm = (id: string) =>
  graphql<{ evaluation: Form | null }>(`query($id: ID!) { evaluation(id: $id) { ${FORM_FIELDS} } }`, {
    id,
  }).then((data) => data.evaluation);

/**
 * One form's editing: the form as last seen, the unsaved edits (drafts, by the audit history's paths),
 * the ones held back (refused, or clashing with another editor's change) and the save loop. Everything
 * lives in refs, read and written synchronously by the loop and the handlers; a render is asked for
 * after each change. (State setters would queue their updates behind a pending render, and a loop
 * reading them back would send the same edit again, or a dropped one.)
 */
export function useFormEditor(id: string) {
  const [, render] = useReducer((n: number) => n + 1, 0);
  const [kept] = useState(() => {
    const edits = keptEdits.get(id);
    keptEdits.delete(id);
    return edits;
  });
  const form = useRef<Form | null | 'missing'>(null);
  const drafts = useRef(kept?.drafts ?? new Map<string, string>());
  const held = useRef(kept?.held ?? new Set<string>());
  const fieldErrors = useRef(kept?.fieldErrors ?? new Map<string, string>());
  const conflict = useRef<Conflict | null>(kept?.conflict ?? null);
  const status = useRef<SaveStatus>(kept ? 'failed' : null);
  const message = useRef<string | null>(
    kept ? '您上次离开此表时尚未保存的修改已恢复（标黄或标红的字段），请处理后保存。' : null,
  );
  const saving = useRef(false);
  const followAfterSave = useRef(false);
  /** The highest version live changes (or a reconnect's check) announced. */
  const announced = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const current = () => (form.current && form.current !== 'missing' ? form.current : null);

  const show = useCallback((next: Form) => {
    form.current = next;
    render();
  }, []);

  useEffect(() => {
    loadForm(id)
      .then((loaded) => {
        form.current = loaded ?? 'missing';
        render();
      })
      .catch((error: ApiError) => {
        message.current = explainRefusal(error.code, error.message);
        render();
      });
  }, [id]);

  /** Others changed the form since `since`: show the latest, and hold the drafts their changes touch. */
  const noticeChanges = useCallback(
    (since: Form, latest: Form) => {
      const changes = formChanges(since, latest);
      const clashing = [...drafts.current.keys()].filter((path) =>
        changes.some((change) => change.path === path || path.startsWith(`${change.path}.`)),
      );
      for (const path of clashing) held.current.add(path);
      const before = conflict.current ?? { changes: [], clashing: [] };
      conflict.current = {
        changes: [...before.changes.filter((c) => !changes.some((n) => n.path === c.path)), ...changes],
        clashing: [...new Set([...before.clashing, ...clashing])],
      };
      show(latest);
    },
    [show],
  );

  const follow = useCallback(() => {
    if (saving.current) {
      followAfterSave.current = true;
      return;
    }
    void loadForm(id).then((latest) => {
      const seen = current();
      if (!latest || !seen || latest.version <= seen.version) return;
      if (drafts.current.size > 0) noticeChanges(seen, latest);
      else show(latest);
    });
  }, [id, noticeChanges, show]);

  const save = useCallback(async () => {
    if (saving.current) return;
    saving.current = true;
    status.current = 'saving';
    render();
    let refused = false;
    try {
      for (;;) {
        const seen = current();
        const ready = new Map([...drafts.current].filter(([path]) => !held.current.has(path)));
        const [group] = saveGroups(ready);
        if (!seen || !group) break;
        const prefix = group.target === 'narrative' ? '' : `${group.target}.`;
        try {
          show(await saveGroup(seen, group));
          // Only what was sent: a field typed on while it saved stays a draft.
          for (const [field, value] of Object.entries(group.fields)) {
            if (drafts.current.get(prefix + field) === value) drafts.current.delete(prefix + field);
            fieldErrors.current.delete(prefix + field);
          }
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          if (error.code === 'VERSION_CONFLICT') {
            const latest = await loadForm(id);
            if (!latest) {
              form.current = 'missing';
              break;
            }
            noticeChanges(seen, latest);
            continue;
          }
          // A refused value stays in its field with the reason beside it and is not sent again until
          // changed; the other edits go on.
          const problems = (error.extensions.problems as Array<{ message: string }> | undefined) ?? [];
          const reason = [explainRefusal(error.code, error.message), ...problems.map((p) => p.message)].join(
            ' ',
          );
          for (const field of Object.keys(group.fields)) {
            fieldErrors.current.set(prefix + field, reason);
            held.current.add(prefix + field);
          }
          refused = true;
        }
      }
      status.current = refused ? 'failed' : drafts.current.size > 0 ? 'pending' : 'saved';
    } catch (error) {
      status.current = 'failed';
      message.current = (error as Error).message;
    } finally {
      saving.current = false;
      render();
      // A change announced during the save is read only if it is not the save itself.
      if (followAfterSave.current) {
        followAfterSave.current = false;
        if (announced.current > (current()?.version ?? 0)) follow();
      }
    }
  }, [id, noticeChanges, show, follow]);

  const edit = (path: string, value: string) => {
    drafts.current.set(path, value);
    // Typing again in a refused field sends it again; a clashing one waits for the clerk's choice.
    if (fieldErrors.current.has(path) && !conflict.current?.clashing.includes(path))
      held.current.delete(path);
    status.current = 'pending';
    render();
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), SAVE_AFTER_MS);
  };

  /** The clerk's choice on a clashing field: keep theirs (drop the draft) or save mine on top. */
  const resolve = (path: string, keepMine: boolean) => {
    held.current.delete(path);
    if (!keepMine) {
      drafts.current.delete(path);
      fieldErrors.current.delete(path);
    }
    const left = conflict.current?.clashing.filter((p) => p !== path) ?? [];
    conflict.current = left.length > 0 && conflict.current ? { ...conflict.current, clashing: left } : null;
    render();
    void save();
  };

  const dismissConflict = () => {
    conflict.current = null;
    render();
  };

  useLiveChanges(
    { evaluationId: id },
    (change) => {
      announced.current = Math.max(announced.current, change.version);
      if (change.version > (current()?.version ?? Infinity)) follow();
    },
    // (Re)connected: what changed while no socket listened is not replayed; ask the version, and read
    // the form only if it moved on.
    () =>
      void graphql<{ evaluation: { version: number } | null }>(
        'query($id: ID!) { evaluation(id: $id) { version } }',
        {
          id,
        },
      ).then(({ evaluation }) => {
        if (!evaluation || evaluation.version <= (current()?.version ?? Infinity)) return;
        announced.current = Math.max(announced.current, evaluation.version);
        follow();
      }),
  );

  // Leaving never drops an edit silently: pending edits are sent at once (the request outlives the page);
  // held ones (refused, or waiting for a choice) make the console ask first, and the browser asks before
  // a reload or close while anything is unsaved.
  useEffect(() => {
    // The same Map and Sets for the page's whole life (changed in place, never replaced).
    const pending = drafts.current;
    const heldBack = held.current;
    const refusals = fieldErrors.current;
    const warn = (event: BeforeUnloadEvent) => {
      if (pending.size > 0 || saving.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    const stopAsking = onLeave(async (reason) => {
      // Signing out forgets held edits; moving elsewhere in the console keeps them for later.
      if (
        reason === 'signOut' &&
        held.current.size > 0 &&
        !window.confirm('有尚未保存的修改（标黄或标红的字段），退出后将丢失。确定退出吗？')
      )
        return false;
      clearTimeout(timer.current);
      await save();
      return true;
    });
    return () => {
      window.removeEventListener('beforeunload', warn);
      stopAsking();
      clearTimeout(timer.current);
      if (heldBack.size > 0)
        keptEdits.set(id, {
          drafts: new Map([...pending].filter(([path]) => heldBack.has(path))),
          held: new Set(heldBack),
          fieldErrors: new Map(refusals),
          conflict: conflict.current,
        });
      if (pending.size > 0) void save();
    };
  }, [id, save]);

  const command = async (mutation: string, variables: Record<string, unknown> = {}) => {
    const seen = current();
    if (!seen) return;
    message.current = null;
    try {
      const data = await graphql<Record<string, Form>>(mutation, {
        id: seen.id,
        v: seen.version,
        ...variables,
      });
      show(Object.values(data)[0]);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const errors = (error.extensions.errors as unknown[] | undefined) ?? [];
      message.current =
        explainRefusal(error.code, error.message) +
        (errors.length ? `（${errors.length} 项问题见下方）` : '');
      render();
      if (error.code === 'VERSION_CONFLICT') void loadForm(id).then((latest) => latest && show(latest));
    }
  };

  return {
    form: form.current,
    drafts: drafts.current,
    held: held.current,
    fieldErrors: fieldErrors.current,
    conflict: conflict.current,
    status: status.current,
    message: message.current,
    saving: saving.current,
    edit,
    resolve,
    dismissConflict,
    command,
  };
}
