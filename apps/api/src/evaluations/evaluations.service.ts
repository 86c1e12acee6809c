import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import {
  BadInput,
  EvaluationNotFound,
  canSee,
  departmentOfEvaluationId,
  evaluationIdFor,
  readEvaluationDocument,
  type Actor,
  type EvaluationCommand,
  type ExistingEvaluationState,
} from '@app/domain';
import {
  EvaluationStateCache,
  findDepartment,
  handleEvaluationCommand,
  readEvaluation,
  type RegisteredDepartment,
} from '@app/application';
import { ReadYourWrites } from '../common/read-your-writes';
import { ApiMetrics } from '../metrics/api-metrics';
import { EVENT_STORE } from '../event-store/event-store.module';
import type { RequestContext } from '../graphql/request-context';
import { evaluationView } from './evaluation.view';
import type { EvaluationView } from './evaluation.types';
import type { CreateEvaluationInput } from './evaluation.inputs';

/** A command as a resolver gives it: the caller, the time and the expected version are added here. */
export type CommandWithoutMetadata = {
  [C in EvaluationCommand as C['type']]: Omit<C, 'metadata'>;
}[EvaluationCommand['type']];

/**
 * The forms' commands, with read-your-writes, and one form by id read from its own stream (always
 * current), as the caller may see it. The lists are in EvaluationQueries.
 */
@Injectable()
export class EvaluationsService {
  /** The district of each registered department seen (bounded): registrations never change. */
  private readonly districtOfDepartment = new Map<string, string>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readYourWrites: ReadYourWrites,
    private readonly cache: EvaluationStateCache,
    private readonly metrics: ApiMetrics,
  ) {}

  /** Runs a command, waits (bounded) until the caller's next reads show it (SHOWN_AFTER.form), and returns the form after it. */
  async execute(
    evaluationId: string,
    command: CommandWithoutMetadata,
    context: RequestContext,
    actor: Actor,
    expectedVersion?: number,
  ): Promise<EvaluationView> {
    const outcome = await this.metrics.command(command.type, async () => {
      if (await this.outOfScope(actor, evaluationId)) throw new EvaluationNotFound(evaluationId);
      const full = { ...command, metadata: { actor, now: new Date(), expectedVersion } } as EvaluationCommand;
      return handleEvaluationCommand(this.store, evaluationId, full, {
        correlationId: context.correlationId,
        commandId: randomUUID(),
        cache: this.cache,
      });
    });
    await this.readYourWrites.shown(outcome.position, 'form');
    if (outcome.state.status === 'NONE') throw new EvaluationNotFound(evaluationId);
    return evaluationView(outcome.state);
  }

  /**
   * A draft from an interchange document, for the department it names. The document is read strictly
   * first, so every problem of the file is reported with its JSON path.
   */
  async importEvaluation(document: unknown, context: RequestContext, actor: Actor): Promise<EvaluationView> {
    const content = readEvaluationDocument(document);
    const { code } = content.department;
    const department = await this.departmentInScope(actor, code, '$.department.code');
    const evaluationId = this.evaluationIdFor(code, content.year);
    return this.execute(
      evaluationId,
      {
        type: 'ImportEvaluation',
        data: {
          evaluationId,
          content,
          department: { code: department.code, name: department.name },
          district: department.district,
        },
      },
      context,
      actor,
    );
  }

  /** An empty draft for a registered department and year. */
  async createEvaluation(
    input: CreateEvaluationInput,
    context: RequestContext,
    actor: Actor,
  ): Promise<EvaluationView> {
    const department = await this.departmentInScope(actor, input.departmentCode, 'input.departmentCode');
    const evaluationId = this.evaluationIdFor(department.code, input.year);
    return this.execute(
      evaluationId,
      {
        type: 'CreateEvaluation',
        data: {
          evaluationId,
          year: input.year,
          department: { code: department.code, name: department.name },
          district: department.district,
        },
      },
      context,
      actor,
    );
  }

  /**
   * The registered department a new form is for, if the caller may act for it. A department outside the
   * caller's scope is refused exactly like an unregistered one, so the answer never tells which codes
   * exist elsewhere.
   */
  private async departmentInScope(actor: Actor, code: string, path: string): Promise<RegisteredDepartment> {
    const department = await findDepartment(this.store, code);
    if (!department || !canSee(actor, { department: department.code, district: department.district.code }))
      throw new BadInput([
        { code: 'INVALID_VALUE', path, message: `部门 ${code} 未登记，或不在您的权限范围内` },
      ]);
    return department;
  }

  evaluationIdFor(departmentCode: string, year: number): string {
    return evaluationIdFor(departmentCode, year);
  }

  /**
   * Whether the form an id names is outside the caller's scope, told from the department the id names
   * (a department never changes district) without reading the form: a refusal then costs the same
   * whether the form exists or not, and however long its history is.
   */
  async outOfScope(actor: Actor, evaluationId: string): Promise<boolean> {
    const code = departmentOfEvaluationId(evaluationId);
    if (code === null) return false; // no form can have this id: reading it finds nothing
    let district: string | null | undefined = this.districtOfDepartment.get(code);
    if (district === undefined) {
      district = (await findDepartment(this.store, code))?.district.code ?? null;
      // Only registered departments are remembered: an unknown one may be registered at any time.
      if (district !== null) {
        if (this.districtOfDepartment.size >= 10_000) this.districtOfDepartment.clear();
        this.districtOfDepartment.set(code, district);
      }
    }
    return district !== null && !canSee(actor, { department: code, district });
  }

  /** The current state, if the caller may see it; out of scope looks exactly like missing. */
  async visibleState(actor: Actor, evaluationId: string): Promise<ExistingEvaluationState | null> {
    if (await this.outOfScope(actor, evaluationId)) return null;
    const state = await readEvaluation(this.store, evaluationId, {}, this.cache);
    if (state.status === 'NONE') return null;
    return canSee(actor, { department: state.form.department.code, district: state.form.district.code })
      ? state
      : null;
  }

  async find(actor: Actor, evaluationId: string): Promise<EvaluationView | null> {
    const state = await this.visibleState(actor, evaluationId);
    return state ? evaluationView(state) : null;
  }
}
