/**
 * Per-channel answer mode, for every chat surface. `shared` (default): answers are posted where the question was and
 * use only what every member may read. `private`: answers reach only the asker (Slack: ephemeral; Teams: a 1:1 chat)
 * and use the asker's own access. A surface may start some channels private from configuration; `private on|off`
 * changes a channel at run time and is kept in the store (`channel_modes`), so it survives a restart and is seen by
 * every server process. A stored choice wins over the configured list — `private off` in a configured-private channel
 * stays off. Read on every question rather than cached, so a change made through another process applies at once.
 */
import type { ChannelMode } from '../../assistant/channel-policy.js';
import { getChannelMode, setChannelMode, type Db, type StateSurface } from '../../store/index.js';

export interface ChannelSettings {
  mode(channel: string): Promise<ChannelMode>;
  setMode(channel: string, mode: ChannelMode): Promise<void>;
}

export interface ChannelSettingsOptions {
  db: Db;
  surface: StateSurface;
  /** Channels that are private until someone says otherwise (e.g. SLACK_PRIVATE_CHANNELS). */
  privateChannels?: readonly string[];
}

export function createChannelSettings(opts: ChannelSettingsOptions): ChannelSettings {
  const configuredPrivate = new Set(opts.privateChannels ?? []);
  return {
    async mode(channel) {
      const stored = await getChannelMode(opts.db, opts.surface, channel);
      return stored ?? (configuredPrivate.has(channel) ? 'private' : 'shared');
    },
    setMode: (channel, mode) => setChannelMode(opts.db, opts.surface, channel, mode),
  };
}
