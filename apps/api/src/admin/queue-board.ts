import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Redis from 'ioredis';
import { administersEveryDistrict, type Actor } from '@app/domain';
import { DELIVERIES_QUEUE, MILESTONES_QUEUE, REPORTS_QUEUE, redisConnection } from '@app/jobs';
import { bearerToken } from '../auth/tokens';
import { Authenticator, cookieValue } from '../auth/authenticator';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { actorFromAuthorization, callerOf, refuse, sendRefusal } from '../http/http-auth';
import { redisReady } from '../redis/redis-ready';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'perf_eval_admin';
const QUEUES = [MILESTONES_QUEUE, DELIVERIES_QUEUE, REPORTS_QUEUE];

/**
 * Bull Board at /admin/queues, for ADMIN only: the worker's queues (milestones, deliveries, reports)
 * with their waiting, delayed and failed jobs, and retries. A browser cannot send a bearer header when
 * it opens a page, so `?token=` is accepted once and kept in an HttpOnly, SameSite=Strict cookie scoped
 * to this path; API clients send the header. Queues connect on the first authorised request, so an API
 * whose board is never opened never talks to Redis for it.
 */
@Injectable()
export class QueueBoard implements OnApplicationShutdown {
  private readonly logger = new Logger('QueueBoard');
  private readonly server = new FastifyAdapter().setBasePath(QUEUE_BOARD_PATH);
  private readonly board = createBullBoard({
    queues: [],
    serverAdapter: this.server,
    options: { uiConfig: { boardTitle: '绩效自评 · 后台任务' } },
  });
  private redis: Redis | null = null;
  private queues: Queue[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly authenticator: Authenticator,
  ) {}

  private connect(): void {
    if (this.redis) return;
    this.redis = new Redis({
      ...redisConnection(this.config.redisUrl),
      // Redis down: board requests fail at once (the page shows the error) instead of queueing.
      enableOfflineQueue: false,
      connectTimeout: 1000,
    });
    let last = '';
    this.redis.on('error', (error: Error) => {
      if (error.message !== last) this.logger.warn(`queue board: ${error.message}`);
      last = error.message;
    });
    for (const name of QUEUES) {
      const queue = new Queue(name, { connection: this.redis, prefix: this.config.queuePrefix });
      queue.on('error', () => undefined); // reported once by the shared connection above
      this.queues.push(queue);
      this.board.addQueue(new BullMQAdapter(queue, { allowRetries: true }));
    }
  }

  /**
   * Whether a request URL is the board's: every one of them is authenticated here, and not limited.
   * Routes match in any letter case (configure-app.ts), so this does too.
   */
  serves(url: string): boolean {
    if (url.slice(0, QUEUE_BOARD_PATH.length).toLowerCase() !== QUEUE_BOARD_PATH) return false;
    const next = url.charAt(QUEUE_BOARD_PATH.length);
    return next === '' || next === '/' || next === '?';
  }

  /**
   * The board on Fastify: its routes under QUEUE_BOARD_PATH, and before every request to that path (a
   * missing page included) authentication and the ADMIN check, then the sign-in link, then Redis.
   */
  register(fastify: FastifyInstance): void {
    // Not an async hook: every request passes through it, and only the board's need a promise.
    fastify.addHook('onRequest', (request, reply, done) => {
      if (!this.serves(request.url)) return done();
      const query = request.url.indexOf('?');
      const path = (query < 0 ? request.url : request.url.slice(0, query)).slice(QUEUE_BOARD_PATH.length);
      this.authorise(request, reply, path.toLowerCase()).then(
        (answered) => (answered ? undefined : done()),
        done,
      );
    });
    void fastify.register(
      async (board) => {
        // The page only: its stylesheet link to Google Fonts is taken out (withoutExternalFonts).
        board.addHook('onSend', async (request, reply, payload) =>
          typeof payload === 'string' && String(reply.getHeader('content-type')).startsWith('text/html')
            ? withoutExternalFonts(payload)
            : payload,
        );
        await board.register(this.server.registerPlugin());
      },
      { prefix: QUEUE_BOARD_PATH },
    );
  }

  /** Answers the request when it may not go on (returns its reply), else resolves to undefined. */
  private async authorise(
    request: FastifyRequest,
    reply: FastifyReply,
    path: string,
  ): Promise<FastifyReply | undefined> {
    const secure = this.config.production ? '; Secure' : '';
    try {
      const query = new URL(request.url, 'http://board').searchParams.get('token');
      if (query) {
        const actor = actorFromAuthorization(`Bearer ${query}`, this.config.tokens);
        if (!boardAllowed(actor)) throw forbidden(actor);
        // Keep the token out of the address bar and of later request logs.
        return reply
          .header(
            'set-cookie',
            `${COOKIE}=${encodeURIComponent(query)}; HttpOnly; SameSite=Strict; Path=${QUEUE_BOARD_PATH}${secure}`,
          )
          .redirect(`${QUEUE_BOARD_PATH}/`, 303);
      }
      const token = bearerToken(request.headers.authorization) ?? cookieValue(request.headers.cookie, COOKIE);
      // Without the board's own credentials, the console's session, checked as every transport checks it
      // (its origin rule included).
      const actor = token
        ? actorFromAuthorization(`Bearer ${token}`, this.config.tokens)
        : await callerOf(request.headers, this.authenticator);
      if (!boardAllowed(actor)) throw forbidden(actor);
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      return sendRefusal(reply, error);
    }
    this.connect();
    if (!path.startsWith('/api/')) return;
    // Redis away: the board's data calls answer 503 at once instead of waiting for a reconnect.
    if (await redisReady(this.redis!, 1000)) return;
    return sendRefusal(
      reply,
      refuse(
        HttpStatus.SERVICE_UNAVAILABLE,
        'UNAVAILABLE',
        'the job queue is not reachable right now; try again shortly',
      ),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close().catch(() => undefined)));
    this.redis?.disconnect();
  }
}

/**
 * The board's page asks Google Fonts for its typeface. On government networks that host is blocked or
 * slow, and a stylesheet in <head> holds up the whole page until the browser gives up; without it the
 * board uses the system's sans-serif.
 */
const EXTERNAL_FONTS = /<link[^>]*href="https:\/\/fonts\.(?:googleapis|gstatic)\.com[^>]*>\s*/g;
const withoutExternalFonts = (page: string) => page.replace(EXTERNAL_FONTS, '');

/**
 * The board shows and retries every district's jobs in one view and cannot be narrowed to one, so it is
 * for administrators of every district only: an ADMIN token scoped to a district is refused here (it
 * keeps its district's registry, cycles and reports through the API).
 */
const boardAllowed = administersEveryDistrict;

const forbidden = (actor: Actor) =>
  refuse(
    HttpStatus.FORBIDDEN,
    'FORBIDDEN',
    actor.role === 'ADMIN'
      ? 'the queue board is for administrators of every district, not of one'
      : `role ${actor.role} may not open the queue board`,
  );
