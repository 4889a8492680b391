/**
 * Per-channel answer mode. `shared` (default): answers are posted in the channel and use only what every member may
 * read. `private`: answers go ephemerally to the asker and use the asker's own access. Channels listed in
 * SLACK_PRIVATE_CHANNELS start private; `/sop private on|off` changes a channel at run time (kept in memory — restart
 * returns to the configured list).
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
