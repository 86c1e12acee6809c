import { parseDuration, parseOffsets } from './durations';

/** One moment a cycle reminds the departments that have not submitted. */
export interface Milestone {
  /** stable name, part of the reminder's identity: "before:7d", "before:3d", "overdue" */
  milestone: string;
  kind: 'REMINDER' | 'OVERDUE';
  dueAt: Date;
}

export interface ReminderPolicy {
  /** e.g. "7d,3d,1d" (REMINDER_OFFSETS) */
  offsets: string;
  /** e.g. "1d" (OVERDUE_AFTER) */
  overdueAfter: string;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = { offsets: '7d,3d,1d', overdueAfter: '1d' };

/** Every milestone of a deadline, earliest first. */
export function milestonesOf(deadline: Date, policy: ReminderPolicy = DEFAULT_REMINDER_POLICY): Milestone[] {
  const before = parseOffsets(policy.offsets).map((offset): Milestone => ({
    milestone: `before:${offset.name}`,
    kind: 'REMINDER',
    dueAt: new Date(deadline.getTime() - offset.ms),
  }));
  const overdue: Milestone = {
    milestone: 'overdue',
    kind: 'OVERDUE',
    dueAt: new Date(deadline.getTime() + parseDuration(policy.overdueAfter)),
  };
  return [...before, overdue].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/**
 * What is still to come at `now`: milestones already past are skipped, never fired in a burst (when a
 * cycle opens late, or a deadline moves earlier). Called again after a deadline moves, it gives the new
 * plan; reminders already recorded keep their identity, so nothing is sent twice.
 */
export function upcomingMilestones(
  deadline: Date,
  now: Date,
  policy: ReminderPolicy = DEFAULT_REMINDER_POLICY,
): Milestone[] {
  return milestonesOf(deadline, policy).filter((m) => m.dueAt.getTime() > now.getTime());
}

/** Whether a department still needs reminding: it has no form, or its form is not with the supervisor. */
export function needsReminder(status: 'NONE' | 'DRAFT' | 'SUBMITTED' | 'RETURNED' | 'APPROVED'): boolean {
  return status === 'NONE' || status === 'DRAFT' || status === 'RETURNED';
}

/** The identity of one reminder: the same cycle, department and milestone always give the same key. */
export function reminderKey(cycleId: string, departmentCode: string, milestone: string): string {
  return `reminder:${cycleId}:${departmentCode}:${milestone}`;
}
