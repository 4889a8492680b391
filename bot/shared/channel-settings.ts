/**
 * Per-channel answer mode, for every chat surface. `shared` (default): answers are posted where the question was and
 * use only what every member may read. `private`: answers reach only the asker (Slack: ephemeral; Teams: a 1:1 chat)
 * and use the asker's own access. A surface may start some channels private from configuration; `private on|off`
 * changes a channel at run time (kept in memory — a restart returns to the configured list).
 */
import type { ChannelMode } from '../../assistant/channel-policy.js';

export interface ChannelSettings {
  mode(channel: string): ChannelMode;
  setMode(channel: string, mode: ChannelMode): void;
}

export function createChannelSettings(privateChannels: readonly string[] = []): ChannelSettings {
  const modes = new Map<string, ChannelMode>(privateChannels.map((c) => [c, 'private']));
  return {
    mode: (channel) => modes.get(channel) ?? 'shared',
    setMode: (channel, mode) => {
      modes.set(channel, mode);
    },
  };
}
