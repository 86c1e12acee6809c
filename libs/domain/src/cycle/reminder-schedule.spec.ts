import { InvalidDuration, parseDuration, parseOffsets } from './durations';
import { milestonesOf, needsReminder, reminderKey, upcomingMilestones } from './reminder-schedule';

const deadline = new Date('2022-03-31T16:00:00.000Z');
const at = (iso: string) => new Date(iso);

describe('durations', () => {
  it.each([
    ['6s', 6_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['3d', 259_200_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '7', 'd', '1w', '-1d', '0d', '1.5d'])('"%s" is refused', (text) =>
    expect(() => parseDuration(text)).toThrow(InvalidDuration),
  );

  it('offsets come longest first and may not repeat', () => {
    expect(parseOffsets('1d,7d,3d').map((o) => o.name)).toEqual(['7d', '3d', '1d']);
    expect(() => parseOffsets('1d,24h')).toThrow(/same offset twice/);
    expect(() => parseOffsets(' , ')).toThrow(InvalidDuration);
  });
});

describe('the reminder schedule of a deadline (docs/workflow.md)', () => {
  it('by default: 7, 3 and 1 days before, and an overdue notice the day after', () => {
    expect(milestonesOf(deadline).map((m) => [m.milestone, m.kind, m.dueAt.toISOString()])).toEqual([
      ['before:7d', 'REMINDER', '2022-03-24T16:00:00.000Z'],
      ['before:3d', 'REMINDER', '2022-03-28T16:00:00.000Z'],
      ['before:1d', 'REMINDER', '2022-03-30T16:00:00.000Z'],
      ['overdue', 'OVERDUE', '2022-04-01T16:00:00.000Z'],
    ]);
  });

  it('offsets in seconds for tests and drills', () => {
    const soon = at('2022-03-01T00:00:10.000Z');
    expect(
      milestonesOf(soon, { offsets: '6s,3s', overdueAfter: '2s' }).map((m) => m.dueAt.toISOString()),
    ).toEqual(['2022-03-01T00:00:04.000Z', '2022-03-01T00:00:07.000Z', '2022-03-01T00:00:12.000Z']);
  });

  it('a cycle opened 2 days before its deadline skips the 7- and 3-day reminders instead of firing them at once', () => {
    expect(upcomingMilestones(deadline, at('2022-03-29T16:00:00.000Z')).map((m) => m.milestone)).toEqual([
      'before:1d',
      'overdue',
    ]);
  });

  it('a moved deadline gives the new plan for what is still to come', () => {
    const now = at('2022-03-25T00:00:00.000Z');
    expect(upcomingMilestones(deadline, now).map((m) => m.milestone)).toEqual([
      'before:3d',
      'before:1d',
      'overdue',
    ]);
    const later = new Date('2022-04-15T16:00:00.000Z');
    expect(upcomingMilestones(later, now).map((m) => [m.milestone, m.dueAt.toISOString()])).toEqual([
      ['before:7d', '2022-04-08T16:00:00.000Z'],
      ['before:3d', '2022-04-12T16:00:00.000Z'],
      ['before:1d', '2022-04-14T16:00:00.000Z'],
      ['overdue', '2022-04-16T16:00:00.000Z'],
    ]);
  });

  it('departments with a form with the supervisor are not reminded', () => {
    expect(
      ['NONE', 'DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED'].filter((s) => needsReminder(s as never)),
    ).toEqual(['NONE', 'DRAFT', 'RETURNED']);
  });

  it('a reminder has one identity per cycle, department and milestone', () => {
    expect(reminderKey('wangcheng.2021', 'd1', 'before:3d')).toBe(
      reminderKey('wangcheng.2021', 'd1', 'before:3d'),
    );
    expect(reminderKey('wangcheng.2021', 'd1', 'before:3d')).not.toBe(
      reminderKey('wangcheng.2021', 'd1', 'before:1d'),
    );
  });
});
