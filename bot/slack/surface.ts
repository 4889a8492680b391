/**
 * The Slack surface: a real Bolt App, mounted on the shared Express server through Bolt's ExpressReceiver (HTTP mode,
 * Bolt verifies signatures) or connected with Socket Mode when an app-level token is configured. Listeners only
 * translate: Slack payload → question/feedback → core → Block Kit.
 */
import { App, ExpressReceiver, type webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Surface, SurfaceContext } from '../shared/surface.js';
import type { Db } from '../../store/index.js';
import { createConversationMemory } from '../shared/conversations.js';
import { createDeliveryDedupe, type DeliveryDedupe } from '../shared/dedupe.js';
import type { SuperUser } from '../shared/super-users.js';
import { type AnswerDeps } from './answer.js';
import { createSlackDirectory, type ResolveByEmail } from './identity.js';
import { registerSlackListeners } from './listeners.js';
import { boltLogger } from './logger.js';
import { createChannelSettings } from './settings.js';

export interface SlackSurfaceOptions {
  botToken: string;
  signingSecret: string;
  /** `xapp-…`: use Socket Mode instead of HTTP (hospitals without public ingress). */
  appToken?: string;
  /** Web API base URL (SLACK_API_URL); tests and staging point it at a fake. */
  apiUrl?: string;
  /** Known bot ids skip Bolt's auth.test at start-up. */
  botId?: string;
  botUserId?: string;
  resolveByEmail: ResolveByEmail;
  superUsers?: SuperUser[];
  /** Channels answered privately until someone runs `/sop private off` there (SLACK_PRIVATE_CHANNELS). */
  privateChannels?: string[];
  /** Where `/sop private on|off` is kept, so it survives a restart. */
  db: Db;
  lowConfidenceBelow?: number;
  retryConfig?: webApi.RetryOptions;
  dedupe?: DeliveryDedupe;
  logger: Logger;
}

export interface SlackSurface extends Surface {
  /** The Bolt app, available once mounted. */
  bolt(): App;
}

export function createSlackSurface(opts: SlackSurfaceOptions): SlackSurface {
  let app: App | undefined;
  const socketMode = Boolean(opts.appToken);
  // Answers still being worked on or posted; stop() lets them finish (the server drains the core first).
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  };

  return {
    name: 'slack',
    bolt() {
      if (!app) throw new Error('Slack surface not mounted yet');
      return app;
    },
    mount(express, ctx: SurfaceContext) {
      const logger = boltLogger(opts.logger);
      const clientOptions: webApi.WebClientOptions = {
        ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl.endsWith('/') ? opts.apiUrl : `${opts.apiUrl}/` } : {}),
        ...(opts.retryConfig ? { retryConfig: opts.retryConfig } : {}),
      };
      const ids = {
        ...(opts.botId ? { botId: opts.botId } : {}),
        ...(opts.botUserId ? { botUserId: opts.botUserId } : {}),
      };
      if (socketMode) {
        // The Socket Mode client (apps.connections.open) takes its Web API options from installerOptions.
        app = new App({ token: opts.botToken, appToken: opts.appToken, socketMode: true, logger, clientOptions, installerOptions: { clientOptions }, ...ids });
      } else {
        // Mounting on the shared app: the receiver adds POST /slack/events with its own raw-body signature check.
        const receiver = new ExpressReceiver({ signingSecret: opts.signingSecret, app: express, logger, endpoints: '/slack/events' });
        app = new App({ token: opts.botToken, receiver, logger, clientOptions, ...ids });
      }
      const deps: AnswerDeps = {
        assistant: ctx.assistant,
        directory: createSlackDirectory({ client: app.client, resolveByEmail: opts.resolveByEmail }),
        memory: createConversationMemory(),
        settings: createChannelSettings({ db: opts.db, surface: 'slack', privateChannels: opts.privateChannels }),
        metrics: ctx.metrics,
        logger: opts.logger.child({ surface: 'slack' }),
        render: { escalation: true, ...(opts.lowConfidenceBelow !== undefined ? { lowConfidenceBelow: opts.lowConfidenceBelow } : {}) },
      };
      registerSlackListeners(app, deps, {
        dedupe: opts.dedupe ?? createDeliveryDedupe(),
        superUsers: opts.superUsers ?? [],
        track,
      });
    },
    async start() {
      if (socketMode && app) await app.start();
    },
    async stop() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      if (socketMode && app) await app.stop();
    },
  };
}

export type { ResolveByEmail };
